"""Writing to the audit log from below the audit app.

The audit chain (`treem.audit`) reads user names and the role policy to show entries, so it sits
above `treem.accounts` and `treem.geo`; yet creating a user or a village must be audited like any
change of personal data. Those kernel apps write through this door; the audit app plugs its
`audit_record` in from its AppConfig.ready(). Apps above the audit app import
`treem.audit.services.audit_record` directly: it is the same function.

`diff_fields` and `snapshot` (building the `changes` of an entry) need nothing of the audit app and
live here; `treem.audit.services` re-exports them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

_writer: Callable[..., Any] | None = None


def set_writer(writer: Callable[..., Any]) -> None:
    global _writer
    _writer = writer


def audit_record(**kwargs: Any) -> Any:
    """Append one entry (see `treem.audit.services.audit_record` for the arguments)."""
    if _writer is None:
        raise ImproperlyConfigured("No audit log: treem.audit must be in INSTALLED_APPS.")
    return _writer(**kwargs)


def jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def diff_fields(before: models.Model | dict, after: models.Model, fields: list[str]) -> dict:
    """{"field": [before, after]} for each of `fields` whose value changed."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        old = before.get(name) if isinstance(before, dict) else getattr(before, name)
        new = getattr(after, name)
        if old != new:
            changes[name] = [old, new]
    return jsonable(changes)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}
