from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.core.dashboard import Card, register
from treem.core.permissions import can
from treem.geo import actions, selectors


@register(order=90)
def geography_cards(user) -> list[Card]:
    cards = [
        Card(
            label=_("Xã, phường trong phạm vi phụ trách"),
            value=selectors.communes_for_user(user=user).count(),
        )
    ]
    if can(user, actions.VILLAGE_VIEW):
        cards.append(
            Card(
                label=_("Thôn, ấp, khu phố"),
                value=selectors.villages_for_user(user=user).count(),
                url=reverse("geo:village_list"),
            )
        )
    return cards
