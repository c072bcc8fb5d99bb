"""Audit entries in plain language for the person reading them.

An entry names its record by type and id ("registry.child", "17"). What the reader sees depends on
what they may see: a record type registers a `describe(viewer, ids)` function (from the AppConfig
of the app that may decide, usually the site package for business records) returning the label of
each record the viewer may open; any other record is shown as "<type> #id" and its changed values
are hidden. Sensitive fields are shown by name only, to everyone (their values are not even stored
in new entries, see `treem.audit.sensitivity`). Field names become the model's field labels.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from treem.audit.models import AuditEvent
from treem.audit.sensitivity import REDACTED, is_sensitive

Describe = Callable[[Any, list[str]], dict[str, str]]
_DESCRIBERS: dict[str, Describe] = {}


def register_record_type(object_type: str, *, describe: Describe) -> None:
    """`describe(viewer, ids)` returns {id: label} for the records of `object_type` the viewer may
    open; an id left out is shown without its name and without its values."""
    _DESCRIBERS[object_type] = describe


def registered_record_types() -> list[tuple[str, str]]:
    """(object_type, label) of every record type with a describer, for the filter form."""
    return sorted(
        ((t, type_label(t)) for t in _DESCRIBERS), key=lambda item: str(item[1]).casefold()
    )


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def type_label(object_type: str) -> str:
    model = _model(object_type)
    if model is None:
        return _("Bản ghi")
    return capfirst(str(model._meta.verbose_name))


def generic_record_label(object_type: str, object_id: str) -> str:
    """How a record the viewer may not open is named: its kind and number, never its content."""
    if not object_id:
        return type_label(object_type) if object_type else "—"
    return _("%(type)s #%(id)s") % {"type": type_label(object_type), "id": object_id}


def field_label(object_type: str, name: str) -> str:
    model = _model(object_type)
    if model is not None:
        for candidate in (name, name.removesuffix("_id")):
            try:
                return capfirst(str(model._meta.get_field(candidate).verbose_name))
            except FieldDoesNotExist:
                continue
    return _("Một thông tin khác")


def _model_field(object_type: str, name: str):
    model = _model(object_type)
    if model is None:
        return None
    for candidate in (name, name.removesuffix("_id")):
        try:
            return model._meta.get_field(candidate)
        except FieldDoesNotExist:
            continue
    return None


RelatedNames = dict[type, dict[str, str]]


def _related_names(events: list[AuditEvent], visible: set[tuple[str, str]]) -> RelatedNames:
    """The names of the records that shown values point to (organisation, commune...), one query
    per related model for the whole page."""
    wanted: dict[type, set] = {}
    for event in events:
        if (event.object_type, event.object_id) not in visible or not isinstance(
            event.changes, dict
        ):
            continue
        for name, value in event.changes.items():
            model_field = _model_field(event.object_type, name)
            if not (model_field and model_field.is_relation and model_field.related_model):
                continue
            if not isinstance(value, list) or len(value) != 2:
                continue
            for side in value:
                for pk in side if isinstance(side, list) else [side]:
                    if pk not in (None, ""):
                        wanted.setdefault(model_field.related_model, set()).add(pk)
    return {
        model: {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}
        for model, ids in wanted.items()
    }


def format_value(
    object_type: str, name: str, value: Any, related: RelatedNames | None = None
) -> str:
    """A stored value as the user would have typed or picked it: labels of choices, names of
    linked records, dd/mm/yyyy dates, Có/Không."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    model_field = _model_field(object_type, name)
    if model_field is not None:
        if getattr(model_field, "choices", None):
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.is_relation and model_field.related_model is not None:
            ids = value if isinstance(value, list) else [value]
            if related is None:
                related = _related_names_for(model_field.related_model, ids)
            known = related.get(model_field.related_model, {})
            names = sorted(known[str(pk)] for pk in ids if str(pk) in known)
            return ", ".join(names) if names else "—"
    if isinstance(value, str):
        parsed_dt = parse_datetime(value) if "T" in value else None
        if parsed_dt is not None:
            return date_format(parsed_dt, "d/m/Y H:i")
        try:
            parsed = parse_date(value)
        except ValueError:
            parsed = None
        if parsed is not None:
            return date_format(parsed, "d/m/Y")
        return value
    if isinstance(value, dt.date):
        return date_format(value, "d/m/Y")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _related_names_for(model: type, ids: list) -> RelatedNames:
    return {model: {str(obj.pk): str(obj) for obj in model._default_manager.filter(pk__in=ids)}}


@dataclass
class Change:
    label: str
    before: str | None = None
    after: str | None = None
    # The value is not shown: sensitive, or the reader may not open the record.
    hidden: bool = False


@dataclass
class EntryView:
    event: AuditEvent
    actor: str
    action: str
    record: str
    record_visible: bool
    changes: list[Change] = field(default_factory=list)
    note: str = ""


def actor_name(event: AuditEvent) -> str:
    if event.actor_id is None:
        return _("Hệ thống hoặc người chưa đăng nhập")
    actor = event.actor
    if actor is not None and actor.full_name:
        return "%s (%s)" % (actor.full_name, event.actor_username or actor.username)
    return event.actor_username or _("Tài khoản #%(id)s") % {"id": event.actor_id}


def _note(event: AuditEvent) -> str:
    """The few details worth saying in words; codes and ids stay out of the page."""
    details = event.details or {}
    if event.action == AuditEvent.Action.LOGIN_FAILED:
        if details.get("second_factor"):
            return _("Sai mã xác thực hai lớp.")
        if event.object_id:
            return _("Sai mật khẩu của tài khoản này.")
        # What was typed is not shown (older entries stored it): it may be someone's password.
        return _("Tên đăng nhập không khớp tài khoản nào.")
    if details.get("second_factor"):
        return _("Đã qua xác thực hai lớp.")
    if details.get("two_factor") == "enrolled":
        return _("Đã bật xác thực hai lớp.")
    if details.get("two_factor") == "reset":
        return _("Đã xoá xác thực hai lớp.")
    if details.get("unlocked"):
        return _("Đã mở khoá đăng nhập.")
    if "query_length" in details:
        return _("Tìm kiếm (%(n)s ký tự).") % {"n": details["query_length"]}
    if "rows" in details:
        return _("%(n)s dòng.") % {"n": details["rows"]}
    return ""


def describe_events(events: Iterable[AuditEvent], viewer) -> list[EntryView]:
    """Plain-language rows for `events` as `viewer` may see them."""
    events = list(events)
    ids_by_type: dict[str, set[str]] = {}
    for event in events:
        if event.object_type and event.object_id:
            ids_by_type.setdefault(event.object_type, set()).add(event.object_id)
    labels: dict[tuple[str, str], str] = {}
    for object_type, ids in ids_by_type.items():
        describe = _DESCRIBERS.get(object_type)
        if describe is None:
            continue
        for object_id, label in describe(viewer, sorted(ids)).items():
            labels[(object_type, str(object_id))] = label
    related = _related_names(events, set(labels))
    rows = []
    for event in events:
        key = (event.object_type, event.object_id)
        visible = key in labels
        changes = []
        if isinstance(event.changes, dict):
            for name, value in event.changes.items():
                label = field_label(event.object_type, name)
                if (
                    not visible
                    or value == REDACTED
                    or is_sensitive(event.object_type, name)
                    or not isinstance(value, list)
                    or len(value) != 2
                ):
                    changes.append(Change(label=label, hidden=True))
                else:
                    changes.append(
                        Change(
                            label=label,
                            before=format_value(event.object_type, name, value[0], related),
                            after=format_value(event.object_type, name, value[1], related),
                        )
                    )
        rows.append(
            EntryView(
                event=event,
                actor=actor_name(event),
                action=event.get_action_display(),
                record=labels.get(key) or generic_record_label(*key),
                record_visible=visible,
                changes=changes,
                note=_note(event),
            )
        )
    return rows


def describer_for(object_type: str) -> Describe | None:
    return _DESCRIBERS.get(object_type)


def record_label(viewer, object_type: str, object_id: str) -> str:
    """The record's name if `viewer` may open it, otherwise its kind and number."""
    describe = _DESCRIBERS.get(object_type)
    if describe is not None:
        label = describe(viewer, [str(object_id)]).get(str(object_id))
        if label:
            return label
    return generic_record_label(object_type, object_id)
