"""Who may see and do what in programmes: the rules in one place. Views, the API, exports and
templates go through these functions and nowhere else.

- The province's specialist and leadership see every plan, task, budget line and activity of the
  province; the specialist manages them all, the leadership only reads.
- Commune staff (chairman, worker) see their commune's plans and the tasks of other plans assigned
  to their commune; they manage their commune's plans and report on their commune's tasks.
- A partner agency's officer sees only the tasks whose lead or co-operating agency is their own
  organisation, and the plans those tasks belong to (with those tasks only); anything else is 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level
from treem.accounts.models import Role
from treem.accounts.policy import Action, can
from treem.programmes.models import (
    BudgetLine,
    BudgetTotal,
    Campaign,
    CommActivity,
    Document,
    Plan,
    ProgressReport,
    Task,
)


def province_code(user) -> str | None:
    return user.jurisdiction.province_code


def is_partner(user) -> bool:
    return user.role == Role.PARTNER_OFFICER


def is_province_wide(user) -> bool:
    return (
        can(user, Action.PROGRAMME_VIEW)
        and not is_partner(user)
        and user.jurisdiction.level == Level.PROVINCE
    )


def commune_codes(user) -> frozenset[str]:
    if is_partner(user) or user.jurisdiction.level != Level.COMMUNE:
        return frozenset()
    return user.jurisdiction.commune_codes


def _task_q_for(user) -> Q | None:
    """The condition on Task for what the user sees; None means nothing."""
    if not can(user, Action.PROGRAMME_VIEW):
        return None
    if is_province_wide(user):
        return Q(plan__province_id=province_code(user))
    if is_partner(user):
        if not user.organisation_id:
            return None
        org = user.organisation_id
        partner = Task.partner_organisations.through.objects.filter(
            task_id=OuterRef("pk"), organisation_id=org
        )
        return Q(lead_organisation_id=org) | Q(Exists(partner))
    codes = commune_codes(user)
    if not codes:
        return None
    partner_commune = Task.partner_communes.through.objects.filter(
        task_id=OuterRef("pk"), commune_id__in=codes
    )
    return (
        Q(plan__commune_id__in=codes)
        | Q(lead_commune_id__in=codes)
        | Q(lead_organisation__commune_id__in=codes)
        | Q(Exists(partner_commune))
    )


def tasks_for_user(user) -> QuerySet[Task]:
    condition = _task_q_for(user)
    if condition is None:
        return Task.objects.none()
    return Task.objects.filter(condition)


def plans_for_user(user) -> QuerySet[Plan]:
    if not can(user, Action.PROGRAMME_VIEW):
        return Plan.objects.none()
    if is_province_wide(user):
        return Plan.objects.filter(province_id=province_code(user))
    visible_tasks = tasks_for_user(user).filter(plan_id=OuterRef("pk"))
    codes = commune_codes(user)
    condition = Q(Exists(visible_tasks))
    if codes:
        condition |= Q(commune_id__in=codes)
    return Plan.objects.filter(condition)


def plan_get_for_user(user, pk: int) -> Plan:
    try:
        return plans_for_user(user).select_related("commune", "owner", "document").get(pk=pk)
    except (Plan.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def task_get_for_user(user, pk: int) -> Task:
    try:
        return (
            tasks_for_user(user)
            .select_related("plan", "lead_organisation", "lead_commune", "plan__commune")
            .get(pk=pk)
        )
    except (Task.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def report_get_for_user(user, pk: int) -> ProgressReport:
    try:
        report = ProgressReport.objects.select_related("task").get(pk=pk)
    except (ProgressReport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    task_get_for_user(user, report.task_id)
    return report


def documents_for_user(user) -> QuerySet[Document]:
    if not can(user, Action.PROGRAMME_VIEW) or not province_code(user):
        return Document.objects.none()
    return Document.objects.filter(province_id=province_code(user))


def document_get_for_user(user, pk: int) -> Document:
    try:
        return documents_for_user(user).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def budget_lines_for_user(user) -> QuerySet[BudgetLine]:
    if not can(user, Action.PROGRAMME_VIEW) or is_partner(user):
        return BudgetLine.objects.none()
    if is_province_wide(user):
        return BudgetLine.objects.filter(province_id=province_code(user))
    return BudgetLine.objects.filter(commune_id__in=commune_codes(user))


def budget_totals_for_user(user) -> QuerySet[BudgetTotal]:
    """The running sums under the same rule as `budget_lines_for_user`."""
    if not can(user, Action.PROGRAMME_VIEW) or is_partner(user):
        return BudgetTotal.objects.none()
    if is_province_wide(user):
        return BudgetTotal.objects.filter(province_id=province_code(user))
    return BudgetTotal.objects.filter(commune_key__in=commune_codes(user))


def budget_line_get_for_user(user, pk: int) -> BudgetLine:
    try:
        return budget_lines_for_user(user).select_related("plan", "task").get(pk=pk)
    except (BudgetLine.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def activities_for_user(user) -> QuerySet[CommActivity]:
    if not can(user, Action.PROGRAMME_VIEW):
        return CommActivity.objects.none()
    if is_province_wide(user):
        return CommActivity.objects.filter(province_id=province_code(user))
    if is_partner(user):
        return CommActivity.objects.filter(organiser_id=user.organisation_id or -1)
    return CommActivity.objects.filter(commune_id__in=commune_codes(user))


def activity_get_for_user(user, pk: int) -> CommActivity:
    try:
        return activities_for_user(user).get(pk=pk)
    except (CommActivity.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def campaigns_for_user(user) -> QuerySet[Campaign]:
    if not can(user, Action.PROGRAMME_VIEW) or not province_code(user):
        return Campaign.objects.none()
    return Campaign.objects.filter(province_id=province_code(user))


def campaign_get_for_user(user, pk: int) -> Campaign:
    try:
        return campaigns_for_user(user).get(pk=pk)
    except (Campaign.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# ---- can_* helpers


def can_supervise(user) -> bool:
    return can(user, Action.PROGRAMME_SUPERVISE) and is_province_wide(user)


def can_manage_documents(user) -> bool:
    return can_supervise(user)


def can_create_plan(user, *, level: str | None = None, commune_code: str | None = None) -> bool:
    if not can(user, Action.PLAN_MANAGE):
        return False
    if can_supervise(user):
        return True
    if level is None:
        return bool(commune_codes(user))
    return level == Plan.Level.COMMUNE and commune_code in commune_codes(user)


def can_manage_plan(user, plan: Plan) -> bool:
    if not can(user, Action.PLAN_MANAGE):
        return False
    if can_supervise(user):
        return plan.province_id == province_code(user)
    return plan.level == Plan.Level.COMMUNE and plan.commune_id in commune_codes(user)


def can_derive_for(user, plan: Plan, commune_code: str) -> bool:
    """A commune plan is derived from a province (or department) plan by the province, or by the
    commune's own staff for their commune."""
    if plan.level == Plan.Level.COMMUNE or not can(user, Action.PLAN_MANAGE):
        return False
    return can_supervise(user) or commune_code in commune_codes(user)


def can_report(user, task: Task) -> bool:
    if not can(user, Action.TASK_REPORT):
        return False
    if can_supervise(user):
        return True
    if is_partner(user):
        return bool(user.organisation_id) and (
            task.lead_organisation_id == user.organisation_id
            or task.partner_organisations.filter(pk=user.organisation_id).exists()
        )
    codes = commune_codes(user)
    if not codes:
        return False
    return tasks_for_user(user).filter(pk=task.pk).exists()


def reporting_unit(user, task: Task) -> tuple[int | None, str | None]:
    """(organisation id, commune code) a report by this user is filed for."""
    if is_partner(user):
        return user.organisation_id, None
    codes = commune_codes(user)
    if codes:
        return None, sorted(codes)[0]
    return task.lead_organisation_id, task.lead_commune_id


def can_manage_budget(user, plan: Plan) -> bool:
    return can(user, Action.BUDGET_MANAGE) and can_manage_plan(user, plan)


def can_see_budget(user) -> bool:
    return can(user, Action.PROGRAMME_VIEW) and not is_partner(user)


def can_manage_communication(user, *, commune_code: str | None) -> bool:
    if not can(user, Action.COMMUNICATION_MANAGE):
        return False
    if can_supervise(user):
        return True
    return commune_code is not None and commune_code in commune_codes(user)


def can_close_period(user) -> bool:
    return can_supervise(user)


def require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(
            message or _("Vai trò của bạn không được phép thực hiện thao tác này.")
        )
