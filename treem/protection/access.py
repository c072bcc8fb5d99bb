"""Who may see and do what on one case, referral or report: the one door (STYLE: access control
per object type). Role permissions come from `treem.accounts.policy`; the place comes from the
user's jurisdiction; what may be done in each state comes from the transition tables in
`workflow`. Views, the API, PDFs, exports and templates go through here and never re-implement
these rules. `case_get_for_user` and `referral_get_for_user` answer 404 outside the user's scope
(the record's existence is not revealed) and write the read to the audit log.

- The commune's staff (workers and chairman) and the province's supervisors see the commune's cases.
- A partner agency sees only the referrals sent to it, never the case itself.
- The reporter's identity is shown only to the people handling the case: the assigned worker, the
  person who received the report, and the commune chairman.
- A restricted note is read only by its author, the assigned worker, the commune chairman and the
  province's supervisors.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, can
from treem.audit.services import audit_record


def covers(user, commune_code: str) -> bool:
    return user.jurisdiction.covers_commune(commune_code)


def can_view(user, case) -> bool:
    return can(user, Action.CASE_VIEW) and covers(user, case.commune_id)


def can_work(user, case) -> bool:
    return can(user, Action.CASE_WORK) and covers(user, case.commune_id)


def can_approve(user, case) -> bool:
    """Form 05 is the commune chairman's decision, for their own commune only."""
    return (
        can(user, Action.CASE_APPROVE)
        and user.jurisdiction.level == Level.COMMUNE
        and covers(user, case.commune_id)
    )


def can_supervise(user, case) -> bool:
    return can(user, Action.CASE_SUPERVISE) and covers(user, case.commune_id)


def can_transfer(user, case) -> bool:
    return can_work(user, case) or can_supervise(user, case)


def handles(user, case) -> bool:
    """The people handling the case: they alone see who reported it."""
    if not can_view(user, case):
        return False
    report = case.report
    return (
        user.pk in {case.assigned_to_id, report.received_by_id}
        or can_approve(user, case)
        or (case.assigned_to_id is None and can_work(user, case))
    )


def can_read_note(user, note, case) -> bool:
    if not can_view(user, case):
        return False
    if not note.is_restricted:
        return True
    return (
        note.author_id == user.pk
        or case.assigned_to_id == user.pk
        or can_approve(user, case)
        or can_supervise(user, case)
    )


def can_respond_referral(user, referral) -> bool:
    return (
        can(user, Action.REFERRAL_RESPOND)
        and user.organisation_id is not None
        and referral.organisation_id == user.organisation_id
    )


def require_work(user, case) -> None:
    if not can_work(user, case):
        raise PermissionDenied(
            _(
                "Bạn không phụ trách ca này nên không thể thao tác. "
                "Hãy liên hệ UBND xã phụ trách ca."
            )
        )


def require_approve(user, case) -> None:
    if not can_approve(user, case):
        raise PermissionDenied(
            _(
                "Chỉ Chủ tịch UBND xã phụ trách ca mới được phê duyệt kế hoạch. "
                "Hãy trình kế hoạch cho Chủ tịch UBND xã."
            )
        )


def require_transfer(user, case) -> None:
    if not can_transfer(user, case):
        raise PermissionDenied(
            _("Bạn không được chuyển ca này. Hãy đề nghị xã đang phụ trách ca hoặc cấp tỉnh.")
        )


def require_respond(user, referral) -> None:
    if not can_respond_referral(user, referral):
        raise PermissionDenied(
            _("Yêu cầu chuyển gửi này không gửi tới đơn vị của bạn nên bạn không thể trả lời.")
        )


def child_for_case(user, case, pk: int):
    """The registered child `pk` to link to `case`: one the user may see in the registry (its
    jurisdiction and role), active, not merged into another record, and living in the case's
    commune. Anything else answers 404, so another commune's child is refused as if it did not
    exist (the same rule the link page's search applies to what it offers)."""
    from treem.registry.access import children_scope

    if not can(user, Action.CHILD_VIEW):
        raise Http404
    try:
        return (
            children_scope(user=user)
            .select_related("commune")
            .get(
                pk=pk,
                commune_id=case.commune_id,
                is_active=True,
                merged_into__isnull=True,
            )
        )
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- the one door: fetching a case or a referral -------------------------------------------------


def cases_for_user(*, user):
    from treem.protection.models import Case

    if not can(user, Action.CASE_VIEW):
        return Case.objects.none()
    return scope_queryset(
        Case.objects.all(), user.jurisdiction, commune_field="commune", village_field=None
    )


def case_get_for_user(user, pk: int, *, audit: bool = True):
    """The case if the user may see it, else 404; the view is written to the audit log."""
    from treem.protection.models import Case

    if not can(user, Action.CASE_VIEW):
        raise Http404
    try:
        case = (
            cases_for_user(user=user)
            .select_related(
                "report", "commune", "village", "assigned_to", "report__received_by", "child"
            )
            .get(pk=pk)
        )
    except (Case.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if audit:
        audit_record(actor=user, action="view", obj=case)
    return case


def referrals_for_user(*, user):
    """The referrals sent to the user's organisation (a partner sees these and nothing else)."""
    from treem.protection.models import Referral

    if not can(user, Action.REFERRAL_RESPOND) or user.organisation_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(organisation_id=user.organisation_id)


def referral_get_for_user(user, pk: int, *, audit: bool = True):
    from treem.protection.models import Referral

    try:
        referral = (
            referrals_for_user(user=user)
            .select_related("case", "case__commune", "case__child", "organisation", "sent_by")
            .get(pk=pk)
        )
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if audit:
        audit_record(actor=user, action="view", obj=referral, details={"case": referral.case_id})
    return referral


def can_view_report(user, report) -> bool:
    case = getattr(report, "case", None)
    return case is not None and can_view(user, case)


# --- what may be done now: read from the transition tables ---------------------------------------

_ROLE_CHECKS = {
    "work": lambda user, obj: can_work(user, obj),
    "approve": lambda user, obj: can_approve(user, obj),
    "transfer": lambda user, obj: can_transfer(user, obj),
    "respond": lambda user, obj: can_respond_referral(user, obj),
}


def allowed(user, case) -> set[str]:
    """The moves of the case workflow the user may make now."""
    from treem.protection.workflow import CASE_TRANSITIONS

    moves = CASE_TRANSITIONS.get(case.status, {})
    return {name for name, move in moves.items() if _ROLE_CHECKS[move.role](user, case)}


def can_do(user, case, action: str) -> bool:
    return action in allowed(user, case)


def referral_allowed(user, referral) -> set[str]:
    from treem.protection.workflow import REFERRAL_TRANSITIONS

    if referral.case.status == "closed":
        return set()
    moves = REFERRAL_TRANSITIONS.get(referral.status, {})
    return {name for name, move in moves.items() if _ROLE_CHECKS[move.role](user, referral)}
