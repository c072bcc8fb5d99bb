"""Estimates other apps compute (assistance: next year's monthly allowances) shown with the
programmes budget, read through `treem.indicators.budget_sources` only.

Three places show them: the budget page of the year (a table beside the plans' own lines), the
budget section of the review report (by year, source and item) and a dashboard card for users who
may see the budget (next year's figure for their province or commune, linked to the budget
page). Registered from ProgrammesConfig.ready(), after the app's own report sections.
"""

from __future__ import annotations

from collections import defaultdict
from typing import NamedTuple

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.core.dashboard import Card, register
from treem.geo.models import Commune
from treem.indicators import budget_sources, hooks
from treem.programmes import access
from treem.programmes.indicators import budget_section
from treem.programmes.models import Source


def _dong(value: int) -> str:
    return f"{value:,}".replace(",", ".")


class Estimate(NamedTuple):
    """One estimate row, summed over the communes."""

    year: int
    item: str
    source: str
    people: int
    amount: int


def rows_for(*, province_code: str, commune_codes, years) -> list[Estimate]:
    """The estimates of the years, by year, item and source, summed over the communes."""
    sources = dict(Source.choices)
    totals: dict[tuple[int, str, str], list[int]] = defaultdict(lambda: [0, 0])
    for year in years:
        for row in budget_sources.estimates(year, province_code, commune_codes):
            key = (row.year, row.label, row.source)
            totals[key][0] += row.people
            totals[key][1] += row.amount
    return [
        Estimate(year, label, str(sources.get(source, source)), people, amount)
        for (year, label, source), (people, amount) in sorted(totals.items())
    ]


def budget_section_with_estimates(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    section = budget_section(scope)
    if len(scope.unit_code) > 2:  # a commune code (5 digits); a province has 2
        communes = [scope.unit_code]
        province = (
            Commune.objects.filter(code=scope.unit_code)
            .values_list("province_id", flat=True)
            .first()
        )
    else:
        province, communes = scope.unit_code, None
    if not province:
        return section
    rows = rows_for(
        province_code=province,
        commune_codes=communes,
        years=range(scope.year_from, scope.year_to + 1),
    )
    if not rows:
        return section
    section = section or hooks.ReportSection(title=_("Kinh phí"))
    section.tables.append(
        hooks.ReportTable(
            title=_("Dự toán từ các lĩnh vực khác (đồng)"),
            columns=[_("Năm"), _("Nội dung"), _("Nguồn"), _("Số người"), _("Dự toán")],
            rows=[list(r) for r in rows],
        )
    )
    return section


def rows_for_user(user, year: int) -> list[Estimate]:
    """The estimates of `year` for the communes the user may see the budget of (the province's
    for a province-wide user)."""
    if not access.can_see_budget(user):
        return []
    communes = sorted(access.commune_codes(user)) or None
    if communes is None and not access.is_province_wide(user):
        return []
    province = user.jurisdiction.province_code or settings.TREEM_PROVINCE_CODE
    return rows_for(province_code=province, commune_codes=communes, years=[year])


@register(order=51)
def estimate_cards(user) -> list[Card]:
    year = timezone.localdate().year + 1
    rows = rows_for_user(user, year)
    return [
        Card(
            label=_("Dự toán năm %(y)s: %(item)s") % {"y": year, "item": label},
            value=_dong(amount),
            url=reverse("programmes:budget") + f"?year={year}",
            note=_("%(n)s người · %(source)s") % {"n": people, "source": source},
        )
        for _year, label, source, people, amount in rows
    ]


def register_hooks() -> None:
    hooks.register_report_section("budget", budget_section_with_estimates)
