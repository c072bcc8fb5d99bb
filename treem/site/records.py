"""How the business apps' records are named on the audit page.

The audit app sits below the business apps and cannot ask them who may see what; the site package
sits above all of them and registers, for each record type, a `describe(viewer, ids)` that asks
the owning app's own scoped selectors. A child is named only for a viewer who may see that child;
anyone else reads "Trẻ em #id" and no changed values.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from treem.accounts.policy import Action, can
from treem.audit.presentation import register_record_type
from treem.core.parsing import safe_ids
from treem.protection.selectors import cases_for_user
from treem.registry.access import children_scope


def describe_children(viewer, ids: list[str]) -> dict[str, str]:
    if not can(viewer, Action.CHILD_VIEW):
        return {}
    try:
        rows = children_scope(user=viewer).filter(pk__in=safe_ids(ids))
    except PermissionDenied:
        return {}
    return {str(pk): name for pk, name in rows.values_list("pk", "full_name")}


def describe_cases(viewer, ids: list[str]) -> dict[str, str]:
    if not can(viewer, Action.CASE_VIEW):
        return {}
    try:
        rows = cases_for_user(user=viewer).filter(pk__in=safe_ids(ids))
    except PermissionDenied:
        return {}
    return {str(case.pk): str(case) for case in rows}


def register() -> None:
    register_record_type("registry.child", describe=describe_children)
    register_record_type("protection.case", describe=describe_cases)
