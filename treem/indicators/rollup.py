"""Roll-up: figures for a unit (the country, a province or a commune) over years.

A rate is Σnumerator ÷ Σdenominator over the chosen communes and periods, never a mean of the
communes' rates (a commune of 50 children must not weigh as much as one of 5,000). Entered and
imported figures are read from `IndicatorValue` (final rows only: imported, or entered in an
approved report); computed figures are computed now from Treem's records.

A province-wide figure (imported for the province as a whole, no commune) is used for a year only
when no commune of that province has a figure for that year, so nothing is counted twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from treem.geo.models import Commune, Province
from treem.indicators import computed, hooks
from treem.indicators.models import Direction, Indicator, IndicatorValue, Target, Unit
from treem.indicators.periods import Period, periods_of_year

NATIONAL = "VN"
ZERO = Decimal(0)


@dataclass
class TargetInfo:
    value: Decimal
    source_label: str
    url: str = ""


@dataclass
class Figure:
    numerator: Decimal = ZERO
    denominator: Decimal | None = None
    communes: set[str] = field(default_factory=set)
    reported: int | None = None  # number of communes, when counted without naming them

    def add(self, num, den) -> None:
        self.numerator += Decimal(num or 0)
        if den is not None:
            self.denominator = (self.denominator or ZERO) + Decimal(den)

    def value(self, unit: str) -> Decimal | None:
        if unit == Unit.COUNT:
            return self.numerator
        if not self.denominator:
            return None
        scale = 100 if unit == Unit.PERCENT else 1000
        return (self.numerator * scale / self.denominator).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class Scope:
    """Where a figure is rolled up: the whole country, one province, or one commune."""

    code: str
    level: str  # "national" | "province" | "commune"
    name: str
    province_code: str | None

    def commune_codes(self) -> list[str]:
        if self.level == "commune":
            return [self.code]
        qs = Commune.objects.all()
        if self.level == "province":
            qs = qs.filter(province_id=self.code)
        return list(qs.values_list("code", flat=True))


def scope_for(code: str) -> Scope:
    if code == NATIONAL:
        return Scope(NATIONAL, "national", "Toàn quốc", None)
    if len(code) <= 2:
        province = Province.objects.get(code=code)
        return Scope(province.code, "province", province.name, province.code)
    commune = Commune.objects.select_related("province").get(code=code)
    return Scope(commune.code, "commune", commune.name, commune.province_id)


def _disaggregation_key(
    sex: str = "", age_group: str = "", circumstance: str = "", ethnicity: str = ""
) -> tuple:
    pairs = (
        ("sex", sex),
        ("age_group", age_group),
        ("circumstance", circumstance),
        ("ethnicity", ethnicity),
    )
    return tuple(sorted((k, v) for k, v in pairs if v))


def _period_codes(indicator: Indicator, period: Period) -> list[str]:
    """The stored periods of the indicator that make up `period`: the period itself, or its
    quarters/months when the indicator is reported more often (a quarter of a monthly indicator
    is the sum of its three months). A period shorter than the indicator's has none."""
    order = ["year", "half", "quarter", "month"]
    if order.index(indicator.period_type) < order.index(period.kind):
        return []
    first, last = period.months
    return [
        p.code
        for p in periods_of_year(period.year, indicator.period_type)
        if first <= p.months[0] and p.months[1] <= last
    ]


def _stored(
    indicator: Indicator,
    scope: Scope,
    years: list[int],
    *,
    by: str,
    sex: str,
    age_group: str,
    period: Period | None = None,
    circumstance: str = "",
    ethnicity: str = "",
) -> dict:
    """{key: Figure} where key is the year, the commune code or (year, commune)."""
    qs = IndicatorValue.objects.filter(
        indicator=indicator,
        is_final=True,
        year__in=years,
        sex=sex,
        age_group=age_group,
        circumstance=circumstance,
        ethnicity=ethnicity,
    )
    if period is not None and period.kind != "year":
        qs = qs.filter(period__in=_period_codes(indicator, period))
    if scope.level == "province":
        qs = qs.filter(province_id=scope.code)
    elif scope.level == "commune":
        qs = qs.filter(commune_id=scope.code)
    fields = {"year": ["year"], "commune": ["unit_code"], "year_commune": ["year", "unit_code"]}[by]
    rows = (
        qs.values(*fields, "province_id")
        .annotate(
            num=Sum("numerator", filter=Q(commune__isnull=False)),
            den=Sum("denominator", filter=Q(commune__isnull=False)),
            n=Count("id", filter=Q(commune__isnull=False)),
            pnum=Sum("numerator", filter=Q(commune__isnull=True)),
            pden=Sum("denominator", filter=Q(commune__isnull=True)),
            pn=Count("id", filter=Q(commune__isnull=True)),
        )
        .order_by()
    )
    out: dict = defaultdict(Figure)
    for row in rows:
        key = tuple(row[f] for f in fields)
        key = key[0] if len(key) == 1 else key
        figure = out[key]
        if row["n"]:
            figure.add(row["num"], row["den"])
            if "unit_code" in row:
                figure.communes.add(row["unit_code"])
        elif row["pn"] and by == "year":
            figure.add(row["pnum"], row["pden"])
    return out


def _computed(
    indicator: Indicator,
    scope: Scope,
    years: list[int],
    *,
    by: str,
    sex: str,
    age_group: str,
    period: Period | None = None,
    circumstance: str = "",
    ethnicity: str = "",
) -> dict:
    fn = computed.function_for(indicator.code)
    out: dict = defaultdict(Figure)
    if fn is None:
        return out
    codes = None if scope.level == "national" else scope.commune_codes()
    wanted = _disaggregation_key(sex, age_group, circumstance, ethnicity)
    for year in years:
        request = hooks.ComputeRequest(
            indicator_code=indicator.code,
            period_start=period.start if period else datetime.date(year, 1, 1),
            period_end=period.end if period else datetime.date(year, 12, 31),
            commune_codes=codes,
        )
        for fig in fn(request):
            if tuple(sorted(fig.disaggregation)) != wanted:
                continue
            if codes is not None and fig.commune_code not in codes:
                continue
            key = {"year": year, "commune": fig.commune_code}.get(by, (year, fig.commune_code))
            out[key].add(fig.numerator, fig.denominator)
            out[key].communes.add(fig.commune_code)
    return out


def figures(
    indicator: Indicator,
    scope: Scope,
    years: list[int],
    *,
    by: str = "year",
    sex: str = "",
    age_group: str = "",
    period: Period | None = None,
    circumstance: str = "",
    ethnicity: str = "",
) -> dict:
    """Rolled-up figures grouped by "year", "commune" or "year_commune". With `period`, only that
    period (a quarter, a month…) of its year."""
    if period is not None:
        years = [period.year]
    kw = {
        "by": by,
        "sex": sex,
        "age_group": age_group,
        "period": period,
        "circumstance": circumstance,
        "ethnicity": ethnicity,
    }
    if indicator.obtained == "computed":
        return _computed(indicator, scope, years, **kw)
    return _stored(indicator, scope, years, **kw)


def total(
    indicator: Indicator,
    scope: Scope,
    years: list[int],
    *,
    sex: str = "",
    age_group: str = "",
    period: Period | None = None,
    circumstance: str = "",
    ethnicity: str = "",
) -> Figure:
    """One figure over all the years: Σ numerators ÷ Σ denominators."""
    result = Figure()
    for fig in figures(
        indicator,
        scope,
        years,
        by="year",
        sex=sex,
        age_group=age_group,
        period=period,
        circumstance=circumstance,
        ethnicity=ethnicity,
    ).values():
        result.add(fig.numerator, fig.denominator)
    if period is not None:
        years = [period.year]
    if indicator.obtained != "computed":
        reported = IndicatorValue.objects.filter(
            indicator=indicator, is_final=True, year__in=years, commune__isnull=False
        )
        if period is not None and period.kind != "year":
            reported = reported.filter(period__in=_period_codes(indicator, period))
        result.communes = set(
            reported.filter(**_scope_filter(scope)).values_list("unit_code", flat=True).distinct()
        )
    return result


def _scope_filter(scope: Scope) -> dict:
    if scope.level == "province":
        return {"province_id": scope.code}
    if scope.level == "commune":
        return {"commune_id": scope.code}
    return {}


def missing_communes(indicator: Indicator, scope: Scope, reported: set[str]) -> list[Commune]:
    """Communes of the scope with no figure (computed indicators cover every commune)."""
    if indicator.obtained == "computed" or scope.level == "national":
        return []
    return [
        c for c in Commune.objects.filter(**_province_or_commune(scope)) if c.code not in reported
    ]


def _province_or_commune(scope: Scope) -> dict:
    return {"province_id": scope.code} if scope.level == "province" else {"code": scope.code}


def _target_units(scope: Scope) -> list[str]:
    units = [NATIONAL]
    if scope.province_code:
        units.append(scope.province_code)
    if scope.level == "commune":
        units.append(scope.code)
    return units


def targets_many(
    indicators: list[Indicator], scope: Scope, years: list[int]
) -> dict[int, dict[int, TargetInfo]]:
    """`targets` for several indicators with one query (dashboards)."""
    rows: dict[int, list[Target]] = {i.id: [] for i in indicators}
    for t in Target.objects.filter(
        indicator__in=indicators, unit_code__in=_target_units(scope), year__in=years
    ):
        rows[t.indicator_id].append(t)
    return {i.id: targets(i, scope, years, rows=rows[i.id]) for i in indicators}


def stored_by_year_many(
    indicators: list[Indicator],
    scope: Scope,
    years: list[int],
    *,
    sex: str = "",
    age_group: str = "",
    circumstance: str = "",
    ethnicity: str = "",
) -> dict[int, dict[int, Figure]]:
    """By-year figures of several entered/imported indicators in one query (dashboards); the
    same rules as `_stored` (province-wide rows only where no commune has a figure)."""
    out: dict[int, dict[int, Figure]] = {i.id: defaultdict(Figure) for i in indicators}
    qs = IndicatorValue.objects.filter(
        indicator__in=indicators,
        is_final=True,
        year__in=years,
        sex=sex,
        age_group=age_group,
        circumstance=circumstance,
        ethnicity=ethnicity,
    ).filter(**_scope_filter(scope))
    rows = (
        qs.values("indicator_id", "year")
        .annotate(
            num=Sum("numerator", filter=Q(commune__isnull=False)),
            den=Sum("denominator", filter=Q(commune__isnull=False)),
            n=Count("id", filter=Q(commune__isnull=False)),
            reported=Count("unit_code", filter=Q(commune__isnull=False), distinct=True),
            pnum=Sum("numerator", filter=Q(commune__isnull=True)),
            pden=Sum("denominator", filter=Q(commune__isnull=True)),
            pn=Count("id", filter=Q(commune__isnull=True)),
        )
        .order_by()
    )
    for row in rows:
        fig = out[row["indicator_id"]][row["year"]]
        if row["n"]:
            fig.add(row["num"], row["den"])
            fig.reported = row["reported"]
        elif row["pn"]:
            fig.add(row["pnum"], row["pden"])
    return out


def targets(
    indicator: Indicator, scope: Scope, years: list[int], *, rows: list[Target] | None = None
) -> dict[int, TargetInfo]:
    """The target per year for the unit: its own, else its province's, else the national one;
    a target set by another app's plan (through the hooks) wins over a national one."""
    units = _target_units(scope)
    rank = {code: i for i, code in enumerate(units)}
    best: dict[int, tuple[int, TargetInfo]] = {}
    if rows is None:
        rows = list(Target.objects.filter(indicator=indicator, unit_code__in=units, year__in=years))
    for t in rows:
        r = rank[t.unit_code]
        if t.year not in best or r >= best[t.year][0]:
            best[t.year] = (r, TargetInfo(t.value, t.source_label, t.url))
    for row in hooks.targets_from_sources(
        indicator.code, [u for u in units if u != NATIONAL], years
    ):
        r = rank.get(row.unit_code, 0) + 0.5
        if row.year not in best or r >= best[row.year][0]:
            best[row.year] = (r, TargetInfo(row.value, row.source_label, row.url))
    return {year: info for year, (_r, info) in best.items()}


def progress(indicator: Indicator, value: Decimal | None, target: TargetInfo | None) -> dict:
    """Whether the value meets the target, in the indicator's direction, and the gap."""
    if value is None or target is None:
        return {"met": None, "gap": None}
    if indicator.direction == Direction.LOWER:
        return {"met": value <= target.value, "gap": target.value - value}
    return {"met": value >= target.value, "gap": value - target.value}
