"""The one transition table of a nomination (Decree 98/2023/NĐ-CP: the unit submits its dossier,
the provincial council reviews and votes, the chairman decides). Services, views and templates all
read it; nothing else decides which move is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from treem.accounts.policy import Action
from treem.people.models import NominationStatus as S


@dataclass(frozen=True)
class Move:
    action: str
    targets: tuple[str, ...]
    permission: Action
    label: object


TRANSITIONS: dict[str, dict[str, Move]] = {
    S.SUBMITTED: {
        "withdraw": Move("withdraw", (S.WITHDRAWN,), Action.NOMINATION_SUBMIT, _("Rút hồ sơ")),
        "schedule": Move(
            "schedule", (S.IN_REVIEW,), Action.AWARD_MANAGE, _("Đưa ra phiên họp Hội đồng")
        ),
        # The council's secretariat finds the dossier incomplete before the meeting.
        "return": Move("return", (S.RETURNED,), Action.AWARD_MANAGE, _("Trả lại để bổ sung")),
    },
    S.RETURNED: {
        "resubmit": Move(
            "resubmit", (S.SUBMITTED,), Action.NOMINATION_SUBMIT, _("Bổ sung và gửi lại")
        ),
        "withdraw": Move("withdraw", (S.WITHDRAWN,), Action.NOMINATION_SUBMIT, _("Rút hồ sơ")),
    },
    S.IN_REVIEW: {
        # The count decides which of the two: passed when the share in favour reaches the rule.
        "count": Move("count", (S.PASSED, S.REJECTED), Action.AWARD_MANAGE, _("Kiểm phiếu")),
    },
    S.PASSED: {
        "award": Move("award", (S.AWARDED,), Action.AWARD_MANAGE, _("Đưa vào quyết định")),
    },
    S.REJECTED: {},
    S.AWARDED: {},
    S.WITHDRAWN: {},
}


def move(status: str, action: str) -> Move | None:
    return TRANSITIONS.get(status, {}).get(action)


def allowed_actions(status: str) -> list[Move]:
    return list(TRANSITIONS.get(status, {}).values())


def actions_for(user, status: str, *, is_own_unit: bool, is_manager: bool) -> list[Move]:
    """The moves this user can make now: the table's moves whose permission the user holds, a
    unit's moves (withdraw, resubmit) only for the unit's own dossier, the secretariat's only
    for the province. Views and templates show exactly these buttons."""
    from treem.accounts.policy import can

    out = []
    for m in allowed_actions(status):
        if not can(user, m.permission):
            continue
        if m.permission == Action.NOMINATION_SUBMIT and not is_own_unit:
            continue
        if m.permission == Action.AWARD_MANAGE and not is_manager:
            continue
        out.append(m)
    return out
