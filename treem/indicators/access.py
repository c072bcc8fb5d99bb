"""The one door of the indicators app: who may see which unit's figures, enter which commune's
report, and move a report along its workflow.

Figures here are aggregates (no child is named), so reads are not audited per view; every write
and every workflow move is.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from treem.accounts.jurisdiction import Level
from treem.accounts.policy import Action, can
from treem.geo.models import Commune, Province
from treem.indicators.models import CommuneReport
from treem.lib.text import vi_sort_key

# The workflow of a commune's periodic report: status -> {action: (next status, action needed)}.
# Services, views and templates all read this table.
REPORT_TRANSITIONS: dict[str, dict[str, tuple[str, Action]]] = {
    CommuneReport.Status.DRAFT: {
        "submit": (CommuneReport.Status.SUBMITTED, Action.INDICATOR_ENTER)
    },
    CommuneReport.Status.SUBMITTED: {
        "approve": (CommuneReport.Status.APPROVED, Action.INDICATOR_REVIEW),
        "return": (CommuneReport.Status.RETURNED, Action.INDICATOR_REVIEW),
    },
    CommuneReport.Status.RETURNED: {
        "resubmit": (CommuneReport.Status.RESUBMITTED, Action.INDICATOR_ENTER)
    },
    CommuneReport.Status.RESUBMITTED: {
        "approve": (CommuneReport.Status.APPROVED, Action.INDICATOR_REVIEW),
        "return": (CommuneReport.Status.RETURNED, Action.INDICATOR_REVIEW),
    },
    CommuneReport.Status.APPROVED: {
        "reopen": (CommuneReport.Status.REOPENED, Action.INDICATOR_REVIEW)
    },
    CommuneReport.Status.REOPENED: {
        "resubmit": (CommuneReport.Status.RESUBMITTED, Action.INDICATOR_ENTER)
    },
}
EDITABLE = {
    CommuneReport.Status.DRAFT,
    CommuneReport.Status.RETURNED,
    CommuneReport.Status.REOPENED,
}
# A comment is required to return, and a reason to reopen.
NEEDS_COMMENT = {"return", "reopen"}


def can_view(user) -> bool:
    return can(user, Action.INDICATOR_VIEW)


def can_manage(user) -> bool:
    return can(user, Action.INDICATOR_MANAGE)


def can_generate(user) -> bool:
    return can(user, Action.INDICATOR_REPORT_GENERATE)


def covers_unit(user, unit_code: str) -> bool:
    """Whether the user's jurisdiction includes the unit (a province or a commune code)."""
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        if len(unit_code) <= 2:
            return unit_code == j.province_code
        return j.covers_commune(unit_code)
    if j.level in (Level.COMMUNE, Level.VILLAGES):
        return unit_code in j.commune_codes
    return False


def home_unit(user) -> str | None:
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        return j.province_code
    if j.commune_codes:
        return sorted(j.commune_codes)[0]
    return None


def unit_get_for_user(user, unit_code: str) -> str:
    """403 for a role that never sees figures, 404 for a unit outside the jurisdiction."""
    if not can_view(user):
        raise PermissionDenied
    if not covers_unit(user, unit_code):
        raise Http404
    return unit_code


def communes_for_user(user):
    j = user.jurisdiction
    if not can_view(user):
        return Commune.objects.none()
    if j.level == Level.PROVINCE:
        return Commune.objects.filter(province_id=j.province_code)
    return Commune.objects.filter(code__in=j.commune_codes)


def units_for_user(user) -> list[tuple[str, str]]:
    """The units the user may see figures and reports of, as (code, name): a province user's
    province first, then its communes; a commune user's communes. Communes in Vietnamese
    alphabetical order ("Dầu Giây" before "Đồng Xoài"), so a long list reads like a register."""
    if not can_view(user):
        return []
    units: list[tuple[str, str]] = []
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        province = Province.objects.filter(code=j.province_code).first()
        if province is not None:
            units.append((province.code, province.name))
    communes = sorted(
        communes_for_user(user).values_list("code", "name"), key=lambda c: vi_sort_key(c[1])
    )
    return units + list(communes)


def report_get_for_user(user, pk: int) -> CommuneReport:
    if not can_view(user):
        raise PermissionDenied
    report = CommuneReport.objects.select_related("commune").filter(pk=pk).first()
    if report is None or not covers_unit(user, report.commune_id):
        raise Http404
    return report


def can_enter_reports(user) -> bool:
    """The role enters communes' periodic figures somewhere (which commune: `can_enter`)."""
    return can(user, Action.INDICATOR_ENTER)


def can_enter(user, commune_code: str) -> bool:
    return can(user, Action.INDICATOR_ENTER) and covers_unit(user, commune_code)


def can_evaluate(user, commune_code: str) -> bool:
    """Who scores a commune against the child-friendly criteria: its own staff (self-evaluation)
    and the province specialist who keeps the province's evaluation sheet."""
    if not covers_unit(user, commune_code):
        return False
    return can(user, Action.INDICATOR_ENTER) or can(user, Action.INDICATOR_MANAGE)


def can_edit_report(user, report: CommuneReport) -> bool:
    return report.status in EDITABLE and can_enter(user, report.commune_id)


def allowed_moves(user, report: CommuneReport) -> list[str]:
    moves = []
    for move, (_to, action) in REPORT_TRANSITIONS.get(report.status, {}).items():
        if can(user, action) and covers_unit(user, report.commune_id):
            moves.append(move)
    return moves
