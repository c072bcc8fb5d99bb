from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.registry import selectors
from treem.registry.services import today_local


@register(order=20)
def registry_cards(user) -> list[Card]:
    if not can(user, Action.CHILD_VIEW):
        return []
    counts = selectors.dashboard_counts(user=user, today=today_local())
    url = reverse("registry:child_list")
    counted = ""
    if counts.counted_at:
        # A large jurisdiction is counted once every few minutes (see dashboard_counts).
        at = date_format(timezone.localtime(counts.counted_at), "H:i d/m/Y")
        counted = _("Đếm lúc %(at)s; số trẻ đăng ký sau đó chưa tính.") % {"at": at}
    return [
        Card(
            label=_("Trẻ em dưới 16 tuổi trong phạm vi phụ trách"),
            value=counts.total,
            url=url,
            note=counted,
        ),
        Card(
            label=_("Trẻ em có hoàn cảnh đặc biệt"),
            value=counts.special,
            url=url,
            note=". ".join(filter(None, [_("Luật Trẻ em 2016, Điều 10"), counted])),
        ),
    ]
