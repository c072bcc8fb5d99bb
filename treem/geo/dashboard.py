from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.geo import selectors


@register(order=90)
def geography_cards(user) -> list[Card]:
    cards = [
        Card(
            label=_("Xã, phường trong phạm vi phụ trách"),
            value=selectors.communes_for_user(user=user).count(),
        )
    ]
    if can(user, Action.VILLAGE_VIEW):
        cards.append(
            Card(
                label=_("Thôn, ấp, khu phố"),
                value=selectors.villages_for_user(user=user).count(),
                url=reverse("geo:village_list"),
            )
        )
    return cards
