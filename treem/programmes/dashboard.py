from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.programmes import access, selectors


@register(order=50)
def programme_cards(user) -> list[Card]:
    if not can(user, Action.PROGRAMME_VIEW):
        return []
    board = selectors.plan_board(user=user, today=timezone.localdate())
    url = reverse("programmes:board")
    cards = [
        Card(
            label=_("Nhiệm vụ kế hoạch quá hạn"),
            value=board.overdue_count,
            url=url + "#overdue",
            note=_("%(n)s nhiệm vụ sắp đến hạn") % {"n": board.due_soon_count},
        )
    ]
    if access.is_province_wide(user):
        cards.append(
            Card(
                label=_("Nhiệm vụ năm nay đã hoàn thành"),
                value="%s%%" % board.rate,
                url=url,
                note=_("%(done)s/%(total)s nhiệm vụ") % {"done": board.done, "total": board.total},
            )
        )
    return cards
