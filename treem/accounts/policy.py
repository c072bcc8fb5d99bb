"""The one place that decides what a role may do.

Jurisdiction (where) is applied by selectors through `treem.accounts.jurisdiction.scope_queryset`;
this module answers only "may this role do this kind of thing at all". Roles are granted actions
here and nowhere else: views, API and services call `can` or `require`.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from treem.accounts.models import Role
from treem.geo import actions as geo_actions


class Action(StrEnum):
    DASHBOARD_VIEW = "dashboard.view"
    USER_MANAGE = "accounts.user.manage"
    ORGANISATION_MANAGE = "accounts.organisation.manage"
    AUDIT_VIEW = "audit.view"
    VILLAGE_VIEW = geo_actions.VILLAGE_VIEW
    VILLAGE_CREATE = geo_actions.VILLAGE_CREATE
    # Child registry
    CHILD_VIEW = "registry.child.view"
    CHILD_CHANGE = "registry.child.change"
    CHILD_IMPORT = "registry.child.import"
    CHILD_EXPORT = "registry.child.export"
    CHILD_MERGE = "registry.child.merge"
    # Identifiers and sensitive data (ID and insurance numbers, ethnicity, health, disability):
    # need-to-know, so not every role that sees a child's name sees these.
    CHILD_VIEW_SENSITIVE = "registry.child.view_sensitive"
    # Exports carrying identification numbers leave the system: commune staff only.
    CHILD_EXPORT_IDENTIFIERS = "registry.child.export_identifiers"
    # "Who viewed this record": supervisors and administrators.
    CHILD_ACCESS_LOG_VIEW = "registry.child.access_log"
    # Protection cases
    CASE_VIEW = "protection.case.view"
    CASE_RECEIVE = "protection.case.receive"
    CASE_WORK = "protection.case.work"
    CASE_APPROVE = "protection.case.approve"
    CASE_SUPERVISE = "protection.case.supervise"
    REFERRAL_RESPOND = "protection.referral.respond"
    # Public portal
    ARTICLE_EDIT = "portal.article.edit"
    ARTICLE_APPROVE = "portal.article.approve"
    COMMENT_MODERATE = "portal.comment.moderate"

    # ---- Social assistance (issue 11): only the assistance app adds lines here.
    ASSISTANCE_VIEW = "assistance.view"  # dossiers, recipients, lists of the user's communes
    ASSISTANCE_PREPARE = "assistance.prepare"  # dossiers and payment lists of the commune
    ASSISTANCE_DECIDE = "assistance.decide"  # the chairman's decision and list approval
    ASSISTANCE_RULES_MANAGE = "assistance.rules.manage"  # policies, coefficients, amounts
    ASSISTANCE_AGGREGATES = "assistance.aggregates"  # figures by commune, group, month
    ASSISTANCE_CALCULATE = "assistance.calculate"  # the calculator (no personal data)

    # ---- Programmes (issue 9): only the programmes app adds lines here.
    PROGRAMME_VIEW = "programmes.view"
    PROGRAMME_SUPERVISE = "programmes.supervise"
    PLAN_MANAGE = "programmes.plan.manage"
    TASK_REPORT = "programmes.task.report"
    BUDGET_MANAGE = "programmes.budget.manage"
    COMMUNICATION_MANAGE = "programmes.communication.manage"

    # ---- People and recognition (issue 10): only the people app adds lines here.
    STAFF_VIEW = "people.staff.view"
    STAFF_MANAGE = "people.staff.manage"
    # Coverage figures and award decisions carry no personal detail beyond public acts.
    COVERAGE_VIEW = "people.coverage.view"
    TRAINING_MANAGE = "people.training.manage"
    NOMINATION_VIEW = "people.nomination.view"
    NOMINATION_SUBMIT = "people.nomination.submit"
    AWARD_VOTE = "people.award.vote"
    AWARD_MANAGE = "people.award.manage"

    # ---- Indicators and reports (issue 8): only the indicators app adds lines here.
    # Aggregate figures, dashboards and generated review reports (no personal data).
    INDICATOR_VIEW = "indicators.view"
    # Fill and submit the commune's periodic report and child-friendly self-evaluation.
    INDICATOR_ENTER = "indicators.enter"
    # Approve, return and reopen commune reports; review child-friendly evaluations.
    INDICATOR_REVIEW = "indicators.review"
    # Catalogue, targets, imports of historic series, narrative of the review report.
    INDICATOR_MANAGE = "indicators.manage"
    # Generate the review report (.docx, PDF, .xlsx).
    INDICATOR_REPORT_GENERATE = "indicators.report.generate"


_READ_PERSONAL = {Action.DASHBOARD_VIEW, Action.VILLAGE_VIEW, Action.CHILD_VIEW}
_COMMUNE_WORK = _READ_PERSONAL | {
    Action.VILLAGE_CREATE,
    Action.CHILD_CHANGE,
    Action.CHILD_IMPORT,
    Action.CHILD_EXPORT,
    Action.CHILD_MERGE,
    Action.CHILD_VIEW_SENSITIVE,
    Action.CASE_VIEW,
    Action.CASE_RECEIVE,
    Action.CASE_WORK,
}

PERMISSIONS: dict[str, frozenset[Action]] = {
    Role.SYSTEM_ADMIN: frozenset(
        {
            Action.DASHBOARD_VIEW,
            Action.USER_MANAGE,
            Action.ORGANISATION_MANAGE,
            Action.AUDIT_VIEW,
            Action.VILLAGE_VIEW,
            Action.VILLAGE_CREATE,
            Action.CHILD_ACCESS_LOG_VIEW,
        }
    ),
    Role.PROVINCE_SPECIALIST: frozenset(
        _COMMUNE_WORK
        | {Action.CASE_SUPERVISE, Action.ORGANISATION_MANAGE, Action.CHILD_ACCESS_LOG_VIEW}
    ),
    # Provincial leadership reads dashboards and summary reports only: no personal data.
    Role.PROVINCE_LEADER: frozenset({Action.DASHBOARD_VIEW}),
    Role.COMMUNE_CHAIRMAN: frozenset(
        _COMMUNE_WORK
        | {Action.CASE_APPROVE, Action.CHILD_EXPORT_IDENTIFIERS, Action.CHILD_ACCESS_LOG_VIEW}
    ),
    Role.COMMUNE_WORKER: frozenset(_COMMUNE_WORK | {Action.CHILD_EXPORT_IDENTIFIERS}),
    Role.VILLAGE_COLLABORATOR: frozenset(
        {Action.DASHBOARD_VIEW, Action.VILLAGE_VIEW, Action.CHILD_VIEW, Action.CASE_RECEIVE}
    ),
    # Partner agencies (police, schools, health facilities, hotline 111 through its service
    # account) report cases too; they see only the referrals sent to them.
    Role.PARTNER_OFFICER: frozenset(
        {Action.DASHBOARD_VIEW, Action.REFERRAL_RESPOND, Action.CASE_RECEIVE}
    ),
    Role.PORTAL_EDITOR: frozenset({Action.ARTICLE_EDIT, Action.ARTICLE_APPROVE}),
    Role.PORTAL_MODERATOR: frozenset({Action.ARTICLE_APPROVE, Action.COMMENT_MODERATE}),
}


# ---- Social assistance (issue 11): grants per role.
# Only the assistance app edits this block; its actions live in the Action enum above.
_ASSISTANCE_GRANTS: dict[str, frozenset[Action]] = {
    Role.COMMUNE_WORKER: frozenset(
        {Action.ASSISTANCE_VIEW, Action.ASSISTANCE_PREPARE, Action.ASSISTANCE_CALCULATE}
    ),
    Role.COMMUNE_CHAIRMAN: frozenset(
        {
            Action.ASSISTANCE_VIEW,
            Action.ASSISTANCE_DECIDE,
            Action.ASSISTANCE_AGGREGATES,
            Action.ASSISTANCE_CALCULATE,
        }
    ),
    Role.PROVINCE_SPECIALIST: frozenset(
        {
            Action.ASSISTANCE_VIEW,
            Action.ASSISTANCE_RULES_MANAGE,
            Action.ASSISTANCE_AGGREGATES,
            Action.ASSISTANCE_CALCULATE,
        }
    ),
    Role.PROVINCE_LEADER: frozenset({Action.ASSISTANCE_AGGREGATES, Action.ASSISTANCE_CALCULATE}),
}


# ---- Programmes (issue 9): grants per role.
# Only the programmes app edits this block; its actions live in the Action enum above.
# The province's specialist manages every plan, document, period and budget; commune staff manage
# their commune's plans and report on their tasks; a partner agency's officer reports on the tasks
# assigned to their organisation; the provincial leadership reads.
_PROGRAMMES_COMMUNE = frozenset(
    {
        Action.PROGRAMME_VIEW,
        Action.PLAN_MANAGE,
        Action.TASK_REPORT,
        Action.BUDGET_MANAGE,
        Action.COMMUNICATION_MANAGE,
    }
)
_PROGRAMMES_GRANTS: dict[str, frozenset[Action]] = {
    Role.PROVINCE_SPECIALIST: _PROGRAMMES_COMMUNE | {Action.PROGRAMME_SUPERVISE},
    Role.PROVINCE_LEADER: frozenset({Action.PROGRAMME_VIEW}),
    Role.COMMUNE_CHAIRMAN: _PROGRAMMES_COMMUNE,
    Role.COMMUNE_WORKER: _PROGRAMMES_COMMUNE,
    Role.PARTNER_OFFICER: frozenset({Action.PROGRAMME_VIEW, Action.TASK_REPORT}),
}


# ---- People and recognition (issue 10): grants per role.
# Only the people app edits this block; its actions live in the Action enum above.
_PEOPLE_COMMUNE = frozenset(
    {
        Action.STAFF_VIEW,
        Action.STAFF_MANAGE,
        Action.COVERAGE_VIEW,
        Action.NOMINATION_VIEW,
        Action.NOMINATION_SUBMIT,
    }
)
_PEOPLE_GRANTS: dict[str, frozenset[Action]] = {
    # The province specialist manages the register, training, movements, the council's meetings
    # and decisions; where they sit on the council they vote too (membership is checked).
    Role.PROVINCE_SPECIALIST: _PEOPLE_COMMUNE
    | {Action.TRAINING_MANAGE, Action.AWARD_VOTE, Action.AWARD_MANAGE},
    # Leadership reads coverage and the commendation record, and votes as council members.
    Role.PROVINCE_LEADER: frozenset(
        {Action.COVERAGE_VIEW, Action.NOMINATION_VIEW, Action.AWARD_VOTE}
    ),
    Role.COMMUNE_CHAIRMAN: _PEOPLE_COMMUNE,
    Role.COMMUNE_WORKER: _PEOPLE_COMMUNE,
}


# ---- Indicators and reports (issue 8): grants per role.
# Only the indicators app edits this block; its actions live in the Action enum above.
_INDICATORS_GRANTS: dict[str, frozenset[Action]] = {
    Role.PROVINCE_SPECIALIST: frozenset(
        {
            Action.INDICATOR_VIEW,
            Action.INDICATOR_REVIEW,
            Action.INDICATOR_MANAGE,
            Action.INDICATOR_REPORT_GENERATE,
        }
    ),
    # Leadership reads dashboards and the generated reports: figures only, never personal data.
    Role.PROVINCE_LEADER: frozenset({Action.INDICATOR_VIEW}),
    Role.COMMUNE_CHAIRMAN: frozenset({Action.INDICATOR_VIEW, Action.INDICATOR_ENTER}),
    Role.COMMUNE_WORKER: frozenset({Action.INDICATOR_VIEW, Action.INDICATOR_ENTER}),
}


for _grants in (_ASSISTANCE_GRANTS, _PROGRAMMES_GRANTS, _PEOPLE_GRANTS, _INDICATORS_GRANTS):
    for _role, _actions in _grants.items():
        PERMISSIONS[_role] = PERMISSIONS.get(_role, frozenset()) | _actions


def can(user, action: Action) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return action in PERMISSIONS.get(user.role, frozenset())


def require(user, action: Action) -> None:
    if not can(user, action):
        raise PermissionDenied(_("Vai trò của bạn không được phép thực hiện thao tác này."))
