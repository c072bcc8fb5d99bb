"""The people app's dashboard card: communes without a trained responsible official, and
nominations waiting for the council."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from treem.accounts.policy import Action, can
from treem.core.dashboard import Card, register
from treem.people import selectors
from treem.people.models import NominationStatus


@register(order=60)
def people_cards(user) -> list[Card]:
    cards: list[Card] = []
    if can(user, Action.COVERAGE_VIEW):
        cov = selectors.coverage_for_user(user=user, village_names=False)
        if cov.rows:
            cards.append(
                Card(
                    label=_("Xã chưa có người phụ trách được tập huấn"),
                    value=len(cov.gaps),
                    url=reverse("people:coverage"),
                    note=_("trên %(n)s xã, phường") % {"n": len(cov.rows)},
                )
            )
    if can(user, Action.NOMINATION_VIEW):
        waiting = (
            selectors.nominations_for_user(user=user)
            .filter(status__in=[NominationStatus.SUBMITTED, NominationStatus.IN_REVIEW])
            .count()
        )
        cards.append(
            Card(
                label=_("Hồ sơ khen thưởng chờ xét"),
                value=waiting,
                url=reverse("people:movement_list"),
            )
        )
    if can(user, Action.NOMINATION_SUBMIT):
        returned = (
            selectors.nominations_for_user(user=user, status=NominationStatus.RETURNED)
            .filter(submitted_by=user)
            .count()
        )
        if returned:
            cards.append(
                Card(
                    label=_("Hồ sơ khen thưởng bị trả lại, cần bổ sung"),
                    value=returned,
                    url=reverse("people:movement_list"),
                )
            )
    return cards
