"""Writes to the registry. The HTML views, the API, the importer and the commands all call these.

Each service validates, runs in one transaction and writes its audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, require
from treem.audit.services import audit_record
from treem.core.concurrency import save_versioned
from treem.lib.dedup import Candidate
from treem.lib.text import fold, nfc, vi_sort_key
from treem.registry import dedup
from treem.registry.cleaning import (
    CHILD_FIELDS,
    GeoLookup,
    child_clean,
    child_values_to_model,
    poverty_clean,
)
from treem.registry.keys import name_keys
from treem.registry.models import (
    Child,
    ChildCarer,
    ChildMerge,
    CircumstanceGroup,
    CircumstanceSubgroup,
    Consent,
    DuplicateDecision,
    DuplicatePair,
    Household,
    LegalBasis,
    Person,
    Relationship,
    SpecialCircumstance,
)
from treem.registry.validation import age_on


def today_local() -> dt.date:
    """Today in the installation's time zone: the one clock the registry reads."""
    return timezone.localdate()


# --- duplicate check --------------------------------------------------------------------------


@dataclass
class Match:
    """A likely duplicate shown before saving. `visible` is False when the existing child lies
    outside the user's jurisdiction: the user learns that a match exists and where, not who."""

    child_id: int
    score: float
    evidence: list[dict]
    visible: bool
    commune_name: str = ""
    child: Child | None = None

    def as_json(self) -> dict:
        return {
            "child_id": self.child_id if self.visible else None,
            "score": round(self.score, 4),
            "visible": self.visible,
            "commune": self.commune_name,
            "evidence": self.evidence
            if self.visible
            else [{"field": e["field"], "level": e["level"]} for e in self.evidence],
        }


class DuplicatesFound(Exception):
    """Raised by `child_register` when likely duplicates exist and the user has not decided."""

    def __init__(self, matches: list[Match], *, values=None, carers=None):
        super().__init__("likely duplicates")
        self.matches = matches
        # What was entered, cleaned, for showing side by side with each match.
        self.values = values or {}
        self.carers = carers or []


def record_for(values: dict[str, Any], carers: list[dict]) -> dict[str, str]:
    """The engine record of a child about to be saved (cleaned values and carers)."""
    mother = next((c["full_name"] for c in carers if c.get("relationship") == "mother"), "")
    father = next((c["full_name"] for c in carers if c.get("relationship") == "father"), "")
    commune = values.get("commune")
    return {
        "record_id": "",
        "full_name": values.get("full_name", ""),
        "birth_date": dedup.birth_date_text(
            values.get("birth_date"), values.get("birth_date_precision", "day")
        ),
        "sex": values.get("sex", ""),
        "commune_code": commune.code if commune else "",
        "address": values.get("address", ""),
        "mother_name": mother,
        "father_name": father,
        "id_number": values.get("id_number", ""),
    }


def duplicates_check(
    *, user, values: dict[str, Any], carers: list[dict], exclude_id: int | None = None
) -> list[Match]:
    commune = values.get("commune")
    if commune is None:
        return []
    candidates = dedup.candidates_for(
        record_for(values, carers), province_code=commune.province_id, exclude_id=exclude_id
    )
    return _matches(user, candidates)


def _matches(user, candidates: list[Candidate]) -> list[Match]:
    if not candidates:
        return []
    ids = [int(c.record_id) for c in candidates]
    children = {
        c.pk: c for c in Child.objects.filter(pk__in=ids).select_related("commune", "village")
    }
    jurisdiction = user.jurisdiction if user is not None else None
    out = []
    for c in candidates:
        child = children.get(int(c.record_id))
        if child is None:
            continue
        visible = jurisdiction is None or jurisdiction.covers_commune(child.commune_id)
        if visible and jurisdiction is not None and jurisdiction.village_ids:
            visible = child.village_id in jurisdiction.village_ids
        out.append(
            Match(
                child_id=child.pk,
                score=c.score,
                evidence=dedup.evidence_json(c),
                visible=visible,
                commune_name=child.commune.name,
                child=child if visible else None,
            )
        )
    return out


# --- registration ---------------------------------------------------------------------------


@dataclass
class RegisterResult:
    child: Child
    created: bool
    matches: list[Match] = field(default_factory=list)


def carers_clean(carers: list[dict]) -> tuple[list[dict], dict[str, list[str]]]:
    out, errors = [], {}
    valid = set(Relationship.values)
    for i, c in enumerate(carers):
        name = nfc(c.get("full_name") or "")
        if not name:
            continue
        rel = c.get("relationship") or ""
        if rel not in valid:
            errors[f"carers.{i}.relationship"] = [
                _("Hãy chọn quan hệ của “%(name)s” với trẻ.") % {"name": name}
            ]
            continue
        year = c.get("birth_year")
        if year not in (None, ""):
            try:
                year = int(year)
                if not 1900 <= year <= today_local().year:
                    raise ValueError
            except (TypeError, ValueError):
                errors[f"carers.{i}.birth_year"] = [
                    _("Năm sinh của “%(name)s” không hợp lệ. Hãy nhập 4 chữ số, ví dụ 1988.")
                    % {"name": name}
                ]
                year = None
        out.append(
            {
                "full_name": name,
                "relationship": rel,
                "birth_year": year or None,
                "phone": nfc(c.get("phone") or "")[:20],
                "is_primary_carer": bool(c.get("is_primary_carer")),
                "lives_with_child": c.get("lives_with_child", True) is not False,
            }
        )
    return out, errors


def child_register(
    *,
    actor,
    raw: dict[str, Any],
    carers: list[dict] | None = None,
    poverty_status: str = "",
    decision: str | None = None,
    link_to: int | None = None,
    source: str = DuplicateDecision.Source.REGISTER,
    today: dt.date | None = None,
    geo: GeoLookup | None = None,
) -> RegisterResult:
    """Register a child, checking for likely duplicates first.

    Without a `decision`, likely duplicates raise `DuplicatesFound` and nothing is saved. With
    `decision="new"` the child is created and the decision (with the candidates shown) recorded;
    with `decision="linked"` and `link_to`, nothing is created: the existing child is returned and
    the decision recorded.
    """
    require(actor, Action.CHILD_CHANGE)
    today = today or today_local()
    geo = geo or GeoLookup.load(actor.jurisdiction.province_code)
    item, errors = child_validate(
        raw, carers=carers or [], poverty_status=poverty_status, geo=geo, today=today
    )
    values, carer_values = item.values, item.carers
    if errors:
        raise ValidationError(errors)
    if not actor.jurisdiction.covers_commune(values["commune"].code):
        raise ValidationError(
            {
                "commune": [
                    _(
                        "Xã, phường này nằm ngoài phạm vi bạn phụ trách. Hãy chọn xã, phường của "
                        "bạn hoặc chuyển hồ sơ cho xã nơi trẻ thường trú."
                    )
                ]
            }
        )
    matches = duplicates_check(user=actor, values=values, carers=carer_values)
    if decision == DuplicateDecision.Decision.LINKED:
        existing = next((m for m in matches if m.visible and m.child_id == link_to), None)
        if existing is None:
            raise ValidationError(
                _("Không tìm thấy hồ sơ đã chọn trong danh sách nghi trùng. Hãy kiểm tra lại.")
            )
        with transaction.atomic():
            DuplicateDecision.objects.create(
                decision=DuplicateDecision.Decision.LINKED,
                source=source,
                child=existing.child,
                candidates=[m.as_json() for m in matches],
                decided_by=actor,
            )
            audit_record(
                actor=actor,
                action="other",
                obj=existing.child,
                details={"duplicate_decision": "linked", "source": source},
            )
        return RegisterResult(child=existing.child, created=False, matches=matches)
    if matches and decision != DuplicateDecision.Decision.NEW:
        raise DuplicatesFound(matches, values=values, carers=carer_values)
    try:
        with transaction.atomic():
            child_id = children_create(
                actor=actor,
                items=[item],
                source=source,
                details={"duplicates_shown": len(matches)},
            )[0]
            child = Child.objects.get(pk=child_id)
            if matches:
                DuplicateDecision.objects.create(
                    decision=DuplicateDecision.Decision.NEW,
                    source=source,
                    child=child,
                    candidates=[m.as_json() for m in matches],
                    decided_by=actor,
                )
    except IntegrityError as exc:
        raise ValidationError(
            {
                "id_number": [
                    _(
                        "Số định danh này đã thuộc về một trẻ khác trong sổ. Nếu là cùng một trẻ, "
                        "hãy mở hồ sơ đó thay vì đăng ký mới; nếu không, hãy kiểm tra lại số."
                    )
                ]
            }
        ) from exc
    return RegisterResult(child=child, created=True, matches=matches)


def _create_child(*, actor, values: dict, carers: list[dict], poverty: str) -> Child:
    ids = children_create(
        actor=actor,
        items=[ChildInput(values=values, carers=carers, poverty=poverty)],
        source=DuplicateDecision.Source.REGISTER,
        audit=False,
    )
    return Child.objects.get(pk=ids[0])


# --- writing many children: registration and import share it --------------------------------


@dataclass
class ChildInput:
    """A child checked by `child_validate`, ready to be written."""

    values: dict[str, Any]
    carers: list[dict]
    poverty: str = "unknown"
    source_ref: str = ""
    # An imported row's fingerprint (importer.row_fingerprint), stored on the child.
    fingerprint: str = ""


def child_validate(
    raw: dict[str, Any],
    *,
    carers: list[dict],
    poverty_status: Any,
    geo: GeoLookup,
    today: dt.date,
) -> tuple[ChildInput, dict[str, list[str]]]:
    """The one check of a child's data, for the form, the API and every imported row."""
    values, errors = child_clean(raw, geo=geo, today=today)
    carer_values, carer_errors = carers_clean(carers)
    errors.update(carer_errors)
    pov_errors: dict = {}
    poverty = poverty_clean(poverty_status, pov_errors)
    errors.update(pov_errors)
    return ChildInput(values=values, carers=carer_values, poverty=poverty or "unknown"), errors


def _carer_sex(relationship: str) -> str:
    if relationship in ("mother", "stepmother"):
        return "F"
    if relationship in ("father", "stepfather"):
        return "M"
    return ""


_CHILD_COLUMNS = [
    "full_name", "name_key", "name_key_given_first", "name_sort", "other_names", "birth_date",
    "birth_date_precision", "birth_date_latest", "sex", "ethnicity", "nationality", "id_number",
    "birth_registration", "province", "commune", "village", "address", "current_commune",
    "current_address", "school_status", "school_name", "grade", "health_insurance_number",
    "disability_type", "disability_severity", "nutrition_status", "household", "legal_basis",
    "processing_restricted", "is_active", "source_ref", "import_fingerprint", "created_at",
    "updated_at", "created_by", "version",
]  # fmt: skip


def household_key(values: dict[str, Any], carers: list[dict]) -> tuple | None:
    """What makes two new children one household in `children_create`: the same commune,
    village and address and the same carers (brothers and sisters on separate lines of a list).
    None for a child with neither an address nor a carer, who gets a household of their own."""
    key = (
        values["commune"].code,
        values["village"].pk if values["village"] else None,
        fold(values["address"]),
        tuple(sorted(fold(c["full_name"]) + c["relationship"] for c in carers)),
    )
    return key if key[2] or key[3] else None


def children_create(
    *,
    actor,
    items: list[ChildInput],
    source: str,
    details: dict[str, Any] | None = None,
    audit: bool = True,
) -> list[int]:
    """Write new children (validated by `child_validate`) with their households and carers, and
    one audit entry per child. Returns their ids in order. Runs in the caller's transaction.

    Registration writes one child through here, an import writes thousands: brothers and sisters
    on separate lines (same address and parents) share one household and one set of parents.
    Rows go straight into multi-row INSERTs (`_insert`): Django's bulk_create compiles every
    value of every row and alone takes over a minute at 100,000 children.
    """
    if not items:
        return []
    now = timezone.now()
    households: dict[tuple, int] = {}
    household_rows: list[tuple] = []
    item_household: list[int] = []
    for n, it in enumerate(items):
        v = it.values
        key = household_key(v, it.carers) or ("item", n)
        k = households.get(key)
        if k is None:
            k = households[key] = len(household_rows)
            household_rows.append(
                (
                    v["commune"].code,
                    v["village"].pk if v["village"] else None,
                    v["address"],
                    it.poverty or "unknown",
                    now,
                    now,
                    1,
                )
            )
        item_household.append(k)
    hh_ids = _insert(
        Household,
        ["commune", "village", "address", "poverty_status", "created_at", "updated_at", "version"],
        household_rows,
    )
    user_id = getattr(actor, "pk", None)
    child_rows = []
    for it, k in zip(items, item_household, strict=True):
        v = it.values
        key, given_first = name_keys(v["full_name"])
        child_rows.append(
            (
                v["full_name"], key, given_first, vi_sort_key(v["full_name"]), v["other_names"],
                v["birth_date"],
                v["birth_date_precision"], v["birth_date_latest"], v["sex"], v["ethnicity"],
                v["nationality"], v["id_number"], v["birth_registration"],
                v["commune"].province_id, v["commune"].code,
                v["village"].pk if v["village"] else None, v["address"],
                v["current_commune"].code if v["current_commune"] else None,
                v["current_address"], v["school_status"], v["school_name"], v["grade"],
                v["health_insurance_number"], v["disability_type"], v["disability_severity"],
                v["nutrition_status"], hh_ids[k], v["legal_basis"], False, True,
                it.source_ref[:80], it.fingerprint, now, now, user_id, 1,
            )
        )  # fmt: skip
    child_ids = _insert(Child, _CHILD_COLUMNS, child_rows)
    persons: dict[tuple, int] = {}
    person_rows: list[tuple] = []
    links: list[tuple] = []
    for it, k, cid in zip(items, item_household, child_ids, strict=True):
        for c in it.carers:
            pkey = (k, fold(c["full_name"]), c["relationship"])
            p = persons.get(pkey)
            if p is None:
                p = persons[pkey] = len(person_rows)
                person_rows.append(
                    (
                        c["full_name"], name_keys(c["full_name"])[0],
                        _carer_sex(c["relationship"]), c.get("birth_year"), "",
                        c.get("phone", ""), hh_ids[k], False, now,
                    )
                )  # fmt: skip
            links.append(
                (
                    cid,
                    p,
                    c["relationship"],
                    person_rows[p][1],
                    c.get("is_primary_carer", False),
                    c.get("lives_with_child", True),
                )
            )
    person_ids = _insert(
        Person,
        ["full_name", "name_key", "sex", "birth_year", "id_number", "phone", "household",
         "is_deceased", "created_at"],
        person_rows,
    )  # fmt: skip
    seen: set[tuple[int, int]] = set()
    link_rows = []
    for cid, p, rel, carer_key, primary, lives in links:
        if (cid, person_ids[p]) not in seen:
            seen.add((cid, person_ids[p]))
            link_rows.append((cid, person_ids[p], rel, primary, lives, carer_key))
    _insert(
        ChildCarer,
        ["child", "person", "relationship", "is_primary_carer", "lives_with_child",
         "carer_name_key"],
        link_rows,
        returning=False,
    )  # fmt: skip
    if audit:
        extra = {"source": source, **(details or {})}
        audit_many(
            actor=actor,
            action="create",
            object_type="registry.child",
            entries=[(cid, {}, extra) for cid in child_ids],
        )
    return child_ids


class ChildChanged(Exception):
    """A child edited by someone else between a check and a write (version moved)."""


def children_fill(
    *,
    actor,
    fills: list[tuple[Child, dict[str, Any]]],
    source: str,
    details: dict[str, Any] | None = None,
    fingerprints: dict[int, str] | None = None,
) -> list[int]:
    """Fill empty fields of existing children: each child's version goes up by one and an audit
    entry lists the fields. A child whose version moved since it was read (someone saved it
    meanwhile) is left alone: its id is returned so the caller can report it."""
    now = timezone.now()
    changed: list[int] = []
    entries = []
    extra = {"source": source, **(details or {})}
    for child, values in fills:
        if not values:
            continue
        # The version in the WHERE clause refuses to overwrite an edit made after the match.
        stamp = {"import_fingerprint": fingerprints[child.pk]} if fingerprints else {}
        n = Child.objects.filter(pk=child.pk, version=child.version).update(
            **values, **stamp, version=child.version + 1, updated_at=now
        )
        if n != 1:
            changed.append(child.pk)
            continue
        changes = {f: [_plain(getattr(child, f)), _plain(v)] for f, v in values.items()}
        for f, v in values.items():
            setattr(child, f, v)
        child.version += 1
        entries.append((child.pk, changes, extra))
    audit_many(actor=actor, action="update", object_type="registry.child", entries=entries)
    return changed


def audit_many(*, actor, action: str, object_type: str, entries: list[tuple]) -> None:
    """One audit entry per (object id, changes, details), chained as `audit_record` chains them.

    `audit_record` locks the chain head once per entry; an import of 100,000 children would take
    minutes that way. Here the head is locked once and the entries are hashed in order and
    inserted together, so the chain is the same one `audit_verify` walks.
    """
    if not entries:
        return
    from treem.audit.context import current_ip
    from treem.audit.models import AuditEvent, AuditHead
    from treem.audit.services import _jsonable

    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    username = actor.get_username() if authenticated else ""
    ip = current_ip.get()
    at = timezone.now()
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(id=1)
        seq, prev = head.seq, head.hash
        events = []
        for object_id, changes, details in entries:
            seq += 1
            event = AuditEvent(
                seq=seq,
                at=at,
                actor=actor if authenticated else None,
                actor_username=username,
                ip_address=ip,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                changes=_jsonable(changes or {}) if changes else {},
                details=_jsonable(details or {}) if details else {},
                prev_hash=prev,
            )
            event.hash = prev = event.compute_hash()
            events.append(event)
        AuditEvent.objects.bulk_create(events, batch_size=2000)
        head.seq, head.hash = seq, prev
        head.save(update_fields=["seq", "hash"])


def _insert(model, fields: list[str], rows: list[tuple], *, returning: bool = True) -> list[int]:
    """Insert rows in multi-row INSERT statements, returning the new ids in row order.

    The values are already clean, so they go straight into parameterised SQL (the same
    RETURNING-order guarantee bulk_create relies on, on SQLite and PostgreSQL).
    """
    from django.db import connection

    if not rows:
        return []
    meta = model._meta
    cols = [meta.get_field(f) for f in fields]

    def converter(f):
        memo: dict = {}

        def convert(v):
            # Dates repeat a lot (one `now`, a few thousand birthdays): convert each once.
            out = memo.get(v, memo)
            if out is memo:
                out = memo[v] = f.get_db_prep_save(v, connection)
            return out

        return convert

    prep = [
        converter(f) if f.get_internal_type() in ("DateField", "DateTimeField") else None
        for f in cols
    ]
    names = ", ".join(connection.ops.quote_name(f.column) for f in cols)
    table = connection.ops.quote_name(meta.db_table)
    per = max(1, min(500, 30000 // len(fields)))
    ids: list[int] = []
    with connection.cursor() as cur:
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            params: list = []
            for r in chunk:
                params.extend(v if p is None else p(v) for v, p in zip(r, prep, strict=True))
            one = "(" + ", ".join(["%s"] * len(fields)) + ")"
            values = ", ".join([one] * len(chunk))
            # Table and column names come from the model, values are parameters.
            sql = f"INSERT INTO {table} ({names}) VALUES {values}"  # noqa: S608
            if returning:
                pk = connection.ops.quote_name(meta.pk.column)
                cur.execute(f"{sql} RETURNING {pk}", params)
                ids.extend(row[0] for row in cur.fetchall())
            else:
                cur.execute(sql, params)
    return ids


def child_update(
    *,
    actor,
    child: Child,
    raw: dict[str, Any],
    expected_version: int,
    today: dt.date | None = None,
) -> Child:
    """Change a child's own fields (carers and circumstances have their own services)."""
    require(actor, Action.CHILD_CHANGE)
    _require_processable(child)
    today = today or today_local()
    values, errors = child_clean(
        raw, geo=GeoLookup.load(actor.jurisdiction.province_code), today=today
    )
    if errors:
        raise ValidationError(errors)
    if not actor.jurisdiction.covers_commune(values["commune"].code):
        raise ValidationError(
            {"commune": [_("Xã, phường này nằm ngoài phạm vi bạn phụ trách. Hãy chọn lại.")]}
        )
    before = {f: getattr(child, f) for f in CHILD_FIELDS}
    child_values_to_model(values, child)
    changes = {
        f: [_plain(before[f]), _plain(getattr(child, f))]
        for f in CHILD_FIELDS
        if before[f] != getattr(child, f)
    }
    fields = [
        *CHILD_FIELDS, "birth_date_latest", "province", "name_key", "name_key_given_first",
        "name_sort",
    ]  # fmt: skip
    try:
        with transaction.atomic():
            child.updated_at = timezone.now()
            save_versioned(child, expected_version=expected_version, fields=[*fields, "updated_at"])
            audit_record(actor=actor, action="update", obj=child, changes=changes)
    except IntegrityError as exc:
        raise ValidationError(
            {"id_number": [_("Số định danh này đã thuộc về một trẻ khác trong sổ.")]}
        ) from exc
    return child


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


def _require_processable(child: Child) -> None:
    if child.merged_into_id:
        raise ValidationError(
            _("Hồ sơ này đã được gộp vào hồ sơ khác. Hãy sửa trên hồ sơ được giữ lại.")
        )
    if child.processing_restricted:
        raise ValidationError(
            _(
                "Hồ sơ đang bị hạn chế xử lý vì sự đồng ý đã bị rút lại. Chỉ có thể ghi nhận cơ "
                "sở pháp lý khác hoặc sự đồng ý mới."
            )
        )


# --- special circumstances ------------------------------------------------------------------


def circumstance_add(
    *,
    actor,
    child: Child,
    group: str,
    start_date: dt.date,
    subgroup: CircumstanceSubgroup | None = None,
    end_date: dt.date | None = None,
    evidence: str = "",
    confirmed_by: str = "",
) -> SpecialCircumstance:
    require(actor, Action.CHILD_CHANGE)
    _require_processable(child)
    errors: dict[str, list[str]] = {}
    if group not in CircumstanceGroup.values:
        errors["group"] = [_("Hãy chọn một trong 14 nhóm hoàn cảnh đặc biệt.")]
    if subgroup is not None and subgroup.group != group:
        errors["subgroup"] = [_("Nhóm nhỏ đã chọn không thuộc nhóm này. Hãy chọn lại.")]
    if start_date and start_date > today_local():
        errors["start_date"] = [_("Ngày bắt đầu ở sau hôm nay. Hãy kiểm tra lại.")]
    if start_date and child.birth_date and start_date < child.birth_date:
        errors["start_date"] = [_("Ngày bắt đầu ở trước ngày sinh của trẻ. Hãy kiểm tra lại.")]
    if end_date and start_date and end_date < start_date:
        errors["end_date"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if not confirmed_by.strip():
        errors["confirmed_by"] = [_("Hãy ghi người hoặc cơ quan đã xác nhận hoàn cảnh này.")]
    open_same = child.circumstances.filter(group=group, end_date__isnull=True)
    if end_date is None and open_same.exists():
        errors["group"] = [
            _("Trẻ đang ở nhóm này (chưa kết thúc). Hãy kết thúc giai đoạn cũ trước khi thêm mới.")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = SpecialCircumstance.objects.create(
            child=child,
            group=group,
            subgroup=subgroup,
            start_date=start_date,
            end_date=end_date,
            evidence=nfc(evidence),
            confirmed_by=nfc(confirmed_by),
            recorded_by=actor,
        )
        Child.objects.filter(pk=child.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="create",
            obj=row,
            details={"child": child.pk, "group": group},
        )
    return row


def circumstance_end(
    *, actor, circumstance: SpecialCircumstance, end_date: dt.date, reason: str
) -> SpecialCircumstance:
    require(actor, Action.CHILD_CHANGE)
    if circumstance.end_date is not None:
        raise ValidationError(_("Giai đoạn này đã kết thúc rồi."))
    if end_date < circumstance.start_date:
        raise ValidationError({"end_date": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
    with transaction.atomic():
        circumstance.end_date = end_date
        circumstance.end_reason = nfc(reason)
        circumstance.save(update_fields=["end_date", "end_reason"])
        audit_record(
            actor=actor,
            action="update",
            obj=circumstance,
            changes={"end_date": [None, end_date]},
            details={"child": circumstance.child_id},
        )
    return circumstance


# --- consent and legal basis ----------------------------------------------------------------

# The Personal Data Protection Law 91/2025/QH15 asks the child's own consent from age 7.
CHILD_CONSENT_AGE = 7


def consent_record(
    *,
    actor,
    child: Child,
    given_by: str,
    given_by_name: str,
    scope: str,
    given_on: dt.date,
    document: str = "",
) -> Consent:
    require(actor, Action.CHILD_CHANGE)
    errors: dict[str, list[str]] = {}
    if given_by not in Consent.GivenBy.values:
        errors["given_by"] = [_("Hãy chọn ai là người đồng ý.")]
    if given_by == Consent.GivenBy.CHILD and age_on(child.birth_date_latest, given_on) < (
        CHILD_CONSENT_AGE
    ):
        errors["given_by"] = [
            _("Trẻ chưa đủ 7 tuổi vào ngày đồng ý: sự đồng ý do cha, mẹ hoặc người giám hộ đưa ra.")
        ]
    if not nfc(given_by_name):
        errors["given_by_name"] = [_("Hãy ghi họ tên người đồng ý.")]
    if given_on > today_local():
        errors["given_on"] = [_("Ngày đồng ý ở sau hôm nay. Hãy kiểm tra lại.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            child=child,
            given_by=given_by,
            given_by_name=nfc(given_by_name),
            scope=scope,
            given_on=given_on,
            document=nfc(document),
            recorded_by=actor,
        )
        _apply_consent_state(child)
        audit_record(
            actor=actor,
            action="create",
            obj=consent,
            details={"child": child.pk, "scope": scope, "given_by": given_by},
        )
    return consent


def consent_withdraw(
    *, actor, consent: Consent, withdrawn_on: dt.date, reason: str = ""
) -> Consent:
    """Record a withdrawal and act on it.

    Acting on it: when the child's data is processed on the basis of consent and no registry
    consent remains, the record becomes restricted (hidden from lists, searches, exports,
    dashboards and duplicate checks; its page shows only that it is restricted). A record kept
    under a legal duty or to protect life and health keeps being processed, as the law allows, and
    the withdrawal stays on file. Nothing is deleted: erasure is a separate request.
    """
    require(actor, Action.CHILD_CHANGE)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Sự đồng ý này đã được rút lại trước đó."))
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": [_("Ngày rút lại phải sau ngày đồng ý. Hãy kiểm tra lại.")]}
        )
    with transaction.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.withdrawal_reason = nfc(reason)
        consent.withdrawal_recorded_by = actor
        consent.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawal_recorded_by"])
        restricted = _apply_consent_state(consent.child)
        audit_record(
            actor=actor,
            action="update",
            obj=consent,
            changes={"withdrawn_on": [None, withdrawn_on]},
            details={"child": consent.child_id, "restricted": restricted},
        )
    return consent


def _apply_consent_state(child: Child) -> bool:
    """Restrict processing when it rests on consent and no registry consent is in force."""
    has_consent = child.consents.filter(scope="registry", withdrawn_on__isnull=True).exists()
    restricted = child.legal_basis == LegalBasis.CONSENT and not has_consent
    if restricted != child.processing_restricted:
        child.processing_restricted = restricted
        child.updated_at = timezone.now()
        Child.objects.filter(pk=child.pk).update(
            processing_restricted=restricted, updated_at=child.updated_at
        )
    return restricted


def legal_basis_set(*, actor, child: Child, basis: str, reason: str) -> Child:
    require(actor, Action.CHILD_CHANGE)
    if basis not in LegalBasis.values:
        raise ValidationError({"legal_basis": [_("Hãy chọn một cơ sở pháp lý trong danh sách.")]})
    if not nfc(reason):
        raise ValidationError(
            {"reason": [_("Hãy ghi căn cứ (văn bản, nhiệm vụ) của cơ sở pháp lý này.")]}
        )
    with transaction.atomic():
        before = child.legal_basis
        child.legal_basis = basis
        Child.objects.filter(pk=child.pk).update(legal_basis=basis)
        restricted = _apply_consent_state(child)
        audit_record(
            actor=actor,
            action="update",
            obj=child,
            changes={"legal_basis": [before, basis]},
            details={"reason_length": len(reason), "restricted": restricted},
        )
    return child


# --- merge and undo -------------------------------------------------------------------------

# Relations that describe the duplicate itself, not facts about the child: never moved.
_NOT_MOVED = {("registry", "child", "merged_into")}
_NOT_MOVED_MODELS = {"registry.duplicatepair", "registry.childmerge", "registry.duplicatedecision"}
# Survivor fields that are filled from the merged record when the survivor has no value.
_FILLABLE = [
    "other_names",
    "ethnicity",
    "nationality",
    "id_number",
    "address",
    "village",
    "current_commune",
    "current_address",
    "school_name",
    "grade",
    "health_insurance_number",
    "disability_type",
    "disability_severity",
    "household",
]


def _related_fks():
    """(model, field name) of every foreign key pointing at Child, in any app."""
    for rel in Child._meta.related_objects:
        if not (rel.one_to_many or rel.one_to_one):
            continue
        model = rel.related_model
        if model._meta.label_lower in _NOT_MOVED_MODELS:
            continue
        key = (model._meta.app_label, model._meta.model_name, rel.field.name)
        if key in _NOT_MOVED or model is Child:
            continue
        yield model, rel.field.name


def child_merge(*, actor, survivor: Child, merged: Child, reason: str = "") -> ChildMerge:
    """Merge `merged` into `survivor`, keeping every fact of both.

    Both rows stay. Related rows (carers, circumstances, consents, and rows of other apps such as
    protection cases) move to the survivor and are listed in the merge record; the survivor's
    empty fields are filled from the merged record (also listed); the merged record's own values
    stay on its row, shown on the survivor's page. `merge_undo` reverses exactly those lists.
    """
    require(actor, Action.CHILD_MERGE)
    if survivor.pk == merged.pk:
        raise ValidationError(_("Không thể gộp một hồ sơ với chính nó."))
    if survivor.merged_into_id or merged.merged_into_id:
        raise ValidationError(_("Một trong hai hồ sơ đã được gộp trước đó. Hãy tải lại trang."))
    for c in (survivor, merged):
        if not actor.jurisdiction.covers_commune(c.commune_id):
            raise PermissionDenied(_("Hồ sơ này nằm ngoài phạm vi bạn phụ trách."))
    with transaction.atomic():
        survivor = Child.objects.select_for_update().get(pk=survivor.pk)
        merged = Child.objects.select_for_update().get(pk=merged.pk)
        moves: list[dict] = []
        survivor_person_ids = set(survivor.carers.values_list("person_id", flat=True))
        for model, fname in _related_fks():
            qs = model._default_manager.filter(**{fname: merged})
            if model is ChildCarer:
                # The same person linked to both records stays linked to the merged one only.
                qs = qs.exclude(person_id__in=survivor_person_ids)
            pks = list(qs.values_list("pk", flat=True))
            if pks:
                model._default_manager.filter(pk__in=pks).update(**{fname: survivor})
                moves.append({"model": model._meta.label_lower, "field": fname, "pks": pks})
        filled: dict[str, list] = {}
        for f in _FILLABLE:
            attname = Child._meta.get_field(f).attname
            mine, theirs = getattr(survivor, attname), getattr(merged, attname)
            if mine in (None, "") and theirs not in (None, ""):
                filled[attname] = [mine, theirs]
        if "id_number" in filled:
            # The unique live id number moves with the fact: the merged row gives it up first.
            Child.objects.filter(pk=merged.pk).update(id_number="")
        Child.objects.filter(pk=merged.pk).update(
            merged_into=survivor, is_active=False, updated_at=timezone.now()
        )
        Child.objects.filter(pk=survivor.pk).update(
            **{k: v[1] for k, v in filled.items()}, updated_at=timezone.now()
        )
        merge = ChildMerge.objects.create(
            survivor=survivor,
            merged=merged,
            moves=moves,
            filled=filled,
            reason=nfc(reason),
            merged_by=actor,
        )
        a, b = sorted([survivor.pk, merged.pk])
        DuplicatePair.objects.filter(child_a_id=a, child_b_id=b).update(
            status=DuplicatePair.Status.MERGED, reviewed_by=actor, reviewed_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action="merge",
            obj=survivor,
            details={"merged": merged.pk, "merge": merge.pk, "moves": moves, "filled": filled},
        )
        audit_record(
            actor=actor,
            action="merge",
            obj=merged,
            details={"into": survivor.pk, "merge": merge.pk},
        )
    return merge


def merge_undo(*, actor, merge: ChildMerge) -> ChildMerge:
    require(actor, Action.CHILD_MERGE)
    if merge.undone_at is not None:
        raise ValidationError(_("Lần gộp này đã được hoàn tác."))
    later = (
        ChildMerge.objects.filter(
            survivor=merge.survivor, merged_at__gt=merge.merged_at, undone_at__isnull=True
        ).exists()
        or ChildMerge.objects.filter(merged=merge.survivor, undone_at__isnull=True).exists()
    )
    if later:
        raise ValidationError(
            _("Hồ sơ được giữ lại đã được gộp tiếp sau lần này. Hãy hoàn tác lần gộp sau trước.")
        )
    from django.apps import apps

    with transaction.atomic():
        for move in merge.moves:
            model = apps.get_model(move["model"])
            model._default_manager.filter(pk__in=move["pks"]).update(
                **{move["field"]: merge.merged_id}
            )
        restore = {k: v[0] for k, v in merge.filled.items()}
        Child.objects.filter(pk=merge.survivor_id).update(**restore, updated_at=timezone.now())
        merged_values: dict[str, Any] = {
            "merged_into": None,
            "is_active": True,
            "updated_at": timezone.now(),
        }
        if "id_number" in merge.filled:
            merged_values["id_number"] = merge.filled["id_number"][1]
        Child.objects.filter(pk=merge.merged_id).update(**merged_values)
        merge.undone_at = timezone.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by"])
        a, b = sorted([merge.survivor_id, merge.merged_id])
        DuplicatePair.objects.filter(child_a_id=a, child_b_id=b).update(
            status=DuplicatePair.Status.OPEN, reviewed_by=None, reviewed_at=None
        )
        audit_record(
            actor=actor,
            action="update",
            obj=merge.survivor,
            details={"merge_undone": merge.pk, "merged": merge.merged_id},
        )
    return merge


def duplicate_pair_dismiss(*, actor, pair: DuplicatePair) -> DuplicatePair:
    require(actor, Action.CHILD_MERGE)
    if pair.status != DuplicatePair.Status.OPEN:
        raise ValidationError(_("Cặp này đã được xem xét rồi."))
    with transaction.atomic():
        pair.status = DuplicatePair.Status.NOT_DUPLICATE
        pair.reviewed_by = actor
        pair.reviewed_at = timezone.now()
        pair.save(update_fields=["status", "reviewed_by", "reviewed_at"])
        audit_record(
            actor=actor, action="update", obj=pair, changes={"status": ["open", pair.status]}
        )
    return pair


def duplicates_scan(*, province_code: str) -> int:
    """Find likely duplicate pairs across the province and queue new ones for review.

    Pairs already reviewed keep their status; returns the number of new pairs.
    """
    pairs = dedup.province_pairs(province_code)
    rows = []
    for x, y, score in pairs:
        a, b = (x, y) if x < y else (y, x)
        rows.append(DuplicatePair(child_a_id=a, child_b_id=b, score=score))
    before = DuplicatePair.objects.count()
    DuplicatePair.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    created = DuplicatePair.objects.count() - before
    audit_record(
        actor=None,
        action="other",
        object_type="registry.duplicatepair",
        details={"scan": province_code, "pairs": len(rows), "new": created},
    )
    return created
