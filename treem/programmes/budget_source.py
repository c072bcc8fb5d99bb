"""The programmes app's budget lines, offered to other apps through treem.core.budget_lines
(the people app links a training course to the line that pays for it)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from treem.core.budget_lines import BudgetLineRef, BudgetLineSource, register_source
from treem.lib.text import vi_sort_key


def _ref(line) -> BudgetLineRef:
    plan = line.plan
    head = f"{plan.number} — {plan.title}" if plan.number else plan.title
    return BudgetLineRef(
        id=line.pk,
        label=f"{line.year} · {head} · {line.label} ({line.get_source_display()})",
        year=line.year,
        province_code=line.province_id,
        commune_code=line.commune_id,
        url=reverse("programmes:budget_line", kwargs={"pk": line.pk}),
    )


def _choices(province_code: str, years: Iterable[int]) -> list[BudgetLineRef]:
    from treem.programmes.models import BudgetLine

    lines = BudgetLine.objects.filter(
        province_id=province_code, year__in=list(years)
    ).select_related("plan")
    refs = [_ref(line) for line in lines]
    refs.sort(key=lambda r: (-r.year, vi_sort_key(r.label)))
    return refs


def _describe(ids: Iterable[int]) -> dict[int, BudgetLineRef]:
    from treem.programmes.models import BudgetLine

    return {
        line.pk: _ref(line)
        for line in BudgetLine.objects.filter(pk__in=list(ids)).select_related("plan")
    }


def register() -> None:
    register_source(BudgetLineSource(choices=_choices, describe=_describe))
