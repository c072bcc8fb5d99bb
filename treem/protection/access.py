"""Who may see and do what on one case: the rules in one place (STYLE: access control per object
type). Role permissions come from `treem.accounts.policy`; the place comes from the user's
jurisdiction. Views and the API never re-implement these rules.

- The commune's staff (workers and chairman) and the province's supervisors see the commune's cases.
- A partner agency sees only the referrals sent to it, never the case itself.
- The reporter's identity is shown only to the people handling the case: the assigned worker, the
  person who received the report, and the commune chairman.
- A restricted note is read only by its author, the assigned worker, the commune chairman and the
  province's supervisors.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level
from treem.accounts.policy import Action, can


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
