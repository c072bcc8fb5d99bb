"""How the kernel's own records are named on the audit page (business apps register theirs from
the site package, which may read them)."""

from __future__ import annotations

from treem.accounts.models import Organisation, User
from treem.accounts.policy import Action, can
from treem.audit.presentation import register_record_type
from treem.core.parsing import safe_ids
from treem.geo.selectors import villages_for_user


def describe_users(viewer, ids: list[str]) -> dict[str, str]:
    if not can(viewer, Action.USER_MANAGE):
        return {}
    return {
        str(pk): f"{full_name} ({username})" if full_name else username
        for pk, full_name, username in User.objects.filter(pk__in=safe_ids(ids)).values_list(
            "pk", "full_name", "username"
        )
    }


def describe_organisations(viewer, ids: list[str]) -> dict[str, str]:
    if not (can(viewer, Action.ORGANISATION_MANAGE) or can(viewer, Action.USER_MANAGE)):
        return {}
    return {str(org.pk): org.name for org in Organisation.objects.filter(pk__in=safe_ids(ids))}


def describe_villages(viewer, ids: list[str]) -> dict[str, str]:
    if not can(viewer, Action.VILLAGE_VIEW):
        return {}
    villages = villages_for_user(user=viewer).filter(pk__in=safe_ids(ids))
    return {str(v.pk): f"{v.name}, {v.commune.name}" for v in villages}


def register() -> None:
    register_record_type("accounts.user", describe=describe_users)
    register_record_type("accounts.organisation", describe=describe_organisations)
    register_record_type("geo.village", describe=describe_villages)
