"""Which values the audit log never keeps.

An audit entry says *that* a sensitive field changed, never *to what*: the log is read by system
administrators, who may not open the child itself (Personal Data Protection Law 91/2025/QH15 treats
health, ethnicity and identity numbers as sensitive data; Decree 56/2017 protects a child's
identity). Leaving the value out of the row, rather than hiding it on the page, means no export,
backup or future page can leak it, and the hash chain still covers the fact that it changed.

Apps name their sensitive fields here or, from their AppConfig.ready(), with
`register_sensitive_fields`. A field counts as sensitive if its name is in `SENSITIVE_NAMES` for any
record type, or registered for its record type; `ALL_FIELDS` marks record types (assessments, case
notes) whose every changed value is sensitive.
"""

from __future__ import annotations

from typing import Any

# Stored in place of a value: the entry says the field changed and nothing more.
REDACTED = "redacted"
ALL_FIELDS = "*"

# Field names that hold sensitive data wherever they appear.
SENSITIVE_NAMES: frozenset[str] = frozenset(
    {
        "password",
        "id_number",
        "health_insurance_number",
        "ethnicity",
        "religion",
        "disability_type",
        "disability_severity",
        "nutrition_status",
        "poverty_status",
        "hiv_status",
        "health_status",
        "health_notes",
        "diagnosis",
        "medical_notes",
    }
)

_BY_TYPE: dict[str, set[str]] = {
    # The group of a special circumstance says "HIV", "sexually abused", "addicted to drugs".
    "registry.specialcircumstance": {"group", "subgroup"},
    # What a case worker writes about harm to a child: every value is sensitive.
    "protection.report": {ALL_FIELDS},
    "protection.initialassessment": {ALL_FIELDS},
    "protection.detailedassessment": {ALL_FIELDS},
    "protection.emergencymeasure": {ALL_FIELDS},
    "protection.plan": {ALL_FIELDS},
    "protection.planservice": {ALL_FIELDS},
    "protection.followupvisit": {ALL_FIELDS},
    "protection.review": {ALL_FIELDS},
    "protection.casenote": {ALL_FIELDS},
    "protection.attachment": {ALL_FIELDS},
}


def register_sensitive_fields(object_type: str, *names: str) -> None:
    """Declare fields of `object_type` ("app_label.model") whose values the log must not keep;
    `ALL_FIELDS` for every field."""
    _BY_TYPE.setdefault(object_type, set()).update(names)


def is_sensitive(object_type: str, name: str) -> bool:
    registered = _BY_TYPE.get(object_type, set())
    return name in SENSITIVE_NAMES or name in registered or ALL_FIELDS in registered


def redact_changes(object_type: str, changes: dict[str, Any]) -> dict[str, Any]:
    """`changes` with each sensitive field's [before, after] replaced by `REDACTED`."""
    return {
        name: REDACTED if is_sensitive(object_type, name) else value
        for name, value in changes.items()
    }


def redact_details(object_type: str, details: dict[str, Any]) -> dict[str, Any]:
    """Details are ids and codes by convention; a key naming a sensitive field is still dropped
    to its name (the whole-record rule applies to changed values only: details carry the ids that
    link an entry to its case)."""
    return {
        key: REDACTED
        if key in SENSITIVE_NAMES or key in _BY_TYPE.get(object_type, set())
        else value
        for key, value in details.items()
    }
