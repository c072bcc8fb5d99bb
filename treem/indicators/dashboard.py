"""The indicators card on the home dashboard: the headline indicators of the user's unit for last
year, against target."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.core.dashboard import Card, register
from treem.indicators import access, rollup
from treem.indicators.figures import fmt
from treem.indicators.models import Indicator, Unit


@register(order=60)
def indicator_cards(user) -> list[Card]:
    if not access.can_view(user):
        return []
    unit = access.home_unit(user)
    if unit is None:
        return []
    year = timezone.localdate().year - 1
    scope = rollup.scope_for(unit)
    cards = []
    url = reverse("indicators:unit", args=[unit])
    for ind in Indicator.objects.filter(
        is_active=True, is_headline=True, obtained__in=["entered", "imported"]
    )[:3]:
        fig = rollup.total(ind, scope, [year])
        value = fig.value(ind.unit)
        target = rollup.targets(ind, scope, [year]).get(year)
        note = ""
        if target is not None:
            met = rollup.progress(ind, value, target)["met"]
            note = _("Kế hoạch %(t)s: %(v)s") % {
                "t": fmt(target.value, ind.unit),
                "v": _("đạt") if met else _("chưa đạt") if met is False else "—",
            }
        shown = fmt(value, ind.unit) + (
            "%" if ind.unit == Unit.PERCENT and value is not None else ""
        )
        cards.append(Card(label=f"{ind.name_vi} ({year})", value=shown, url=url, note=note))
    return cards
