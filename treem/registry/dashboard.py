from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.registry import selectors
from treem.registry.services import today_local


@register(order=20)
def registry_cards(user) -> list[Card]:
    if not can(user, Action.CHILD_VIEW):
        return []
    total, special = selectors.dashboard_counts(user=user, today=today_local())
    url = reverse("registry:child_list")
    return [
        Card(label=_("Trẻ em dưới 16 tuổi trong phạm vi phụ trách"), value=total, url=url),
        Card(
            label=_("Trẻ em có hoàn cảnh đặc biệt"),
            value=special,
            url=url,
            note=_("Luật Trẻ em 2016, Điều 10"),
        ),
    ]
