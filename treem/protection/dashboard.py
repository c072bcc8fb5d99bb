from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.protection import selectors


@register(order=30)
def protection_cards(user) -> list[Card]:
    cards: list[Card] = []
    if can(user, Action.CASE_VIEW):
        board = selectors.case_board(user=user)
        url = reverse("protection:board")
        cards += [
            Card(label=_("Ca bảo vệ đang mở"), value=board.total_open, url=url),
            Card(
                label=_("Ca quá hạn"),
                value=board.overdue_count,
                url=reverse("protection:case_list") + "?overdue=1",
                note=_("%(n)s ca đã báo cấp trên") % {"n": board.escalated_count},
            ),
            Card(label=_("Ca sắp đến hạn"), value=board.due_soon_count, url=url),
        ]
    elif (
        can(user, Action.DASHBOARD_VIEW)
        and user.jurisdiction.province_code
        and not can(user, Action.REFERRAL_RESPOND)
    ):
        # Leadership: figures only, no list and no names.
        counts = selectors.case_counts(user=user)
        cards += [
            Card(label=_("Ca bảo vệ đang mở"), value=counts["open"] or 0),
            Card(label=_("Ca quá hạn"), value=counts["overdue"] or 0),
        ]
    if can(user, Action.REFERRAL_RESPOND) and not can(user, Action.CASE_VIEW):
        pending = selectors.referrals_for_partner(user=user).filter(status="sent").count()
        cards.append(
            Card(
                label=_("Yêu cầu chuyển gửi chờ trả lời"),
                value=pending,
                url=reverse("protection:referral_list"),
            )
        )
    if user.is_authenticated:
        unread = selectors.notifications_for_user(user=user).filter(read_at__isnull=True).count()
        if unread:
            cards.append(
                Card(
                    label=_("Thông báo chưa đọc"),
                    value=unread,
                    url=reverse("protection:notifications"),
                )
            )
    return cards
