from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.core.dashboard import Card, register
from treem.portal import access, selectors
from treem.portal.intake_bridge import intake_available


@register(order=35)
def concern_cards(user) -> list[Card]:
    """Concerns from the portal not yet in case management: shown while intake is missing, and
    whenever a hand-over failed, so that such a concern still reaches a person."""
    if not access.can_see_concerns(user):
        return []
    n = selectors.concerns_open(access.concerns_for_user(user)).count()
    if n == 0 and intake_available():
        return []
    return [
        Card(
            label=_("Tin báo từ cổng thông tin chưa vào quản lý ca"),
            value=n,
            url=reverse("portal:staff_concerns"),
        )
    ]
