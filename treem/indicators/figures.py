"""Figures as the pages, the API, the exports and the review report show them: a series over years
with its targets, and a table by commune with the ranking. One place formats values."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from treem.geo.models import Commune
from treem.indicators import rollup
from treem.indicators.models import Direction, Indicator, Unit
from treem.indicators.periods import Period

FIRST_YEAR = 2012


def fmt(value: Decimal | None, unit: str = Unit.COUNT) -> str:
    """Vietnamese number format: 1.234 for counts, 97,50 for rates."""
    if value is None:
        return "—"
    if unit == Unit.COUNT and value == value.to_integral_value():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


@dataclass
class Point:
    year: int
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    target: rollup.TargetInfo | None
    met: bool | None
    communes_reported: int

    @property
    def target_value(self) -> Decimal | None:
        return self.target.value if self.target else None


def series(
    indicator: Indicator,
    scope: rollup.Scope,
    years: list[int],
    *,
    sex: str = "",
    age_group: str = "",
    circumstance: str = "",
    ethnicity: str = "",
    by_year: dict | None = None,
    targets: dict | None = None,
) -> list[Point]:
    if by_year is None:
        by_year = rollup.figures(
            indicator,
            scope,
            years,
            by="year",
            sex=sex,
            age_group=age_group,
            circumstance=circumstance,
            ethnicity=ethnicity,
        )
    if targets is None:
        targets = rollup.targets(indicator, scope, years)
    points = []
    for year in years:
        fig = by_year.get(year)
        value = fig.value(indicator.unit) if fig else None
        target = targets.get(year)
        points.append(
            Point(
                year,
                fig.numerator if fig else Decimal(0),
                fig.denominator if fig else None,
                value,
                target,
                rollup.progress(indicator, value, target)["met"],
                (fig.reported if fig.reported is not None else len(fig.communes)) if fig else 0,
            )
        )
    return points


def series_many(
    indicators: list[Indicator],
    scope: rollup.Scope,
    years: list[int],
    *,
    sex: str = "",
    age_group: str = "",
    circumstance: str = "",
    ethnicity: str = "",
) -> dict[int, list[Point]]:
    """Series of several indicators: stored ones in one query, targets in one query."""
    stored = [i for i in indicators if i.obtained != "computed"]
    dis = {
        "sex": sex,
        "age_group": age_group,
        "circumstance": circumstance,
        "ethnicity": ethnicity,
    }
    by_year = rollup.stored_by_year_many(stored, scope, years, **dis)
    targets = rollup.targets_many(indicators, scope, years)
    return {
        i.id: series(
            i,
            scope,
            years,
            **dis,
            by_year=by_year.get(i.id) if i.obtained != "computed" else None,
            targets=targets[i.id],
        )
        for i in indicators
    }


@dataclass
class CommuneRow:
    code: str
    name: str
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    rank: int | None = None
    display: str = ""


def by_commune(
    indicator: Indicator,
    scope: rollup.Scope,
    years: list[int],
    *,
    sex: str = "",
    age_group: str = "",
    circumstance: str = "",
    ethnicity: str = "",
    period: Period | None = None,
) -> tuple[list[CommuneRow], list[Commune]]:
    """Rows ranked best first (in the indicator's direction) and the communes with no figure."""
    figs = rollup.figures(
        indicator,
        scope,
        years,
        by="commune",
        sex=sex,
        age_group=age_group,
        circumstance=circumstance,
        ethnicity=ethnicity,
        period=period,
    )
    names = dict(Commune.objects.filter(code__in=list(figs)).values_list("code", "name"))
    rows = [
        CommuneRow(
            code,
            names.get(code, code),
            f.numerator,
            f.denominator,
            f.value(indicator.unit),
            display=fmt(f.value(indicator.unit), indicator.unit),
        )
        for code, f in figs.items()
    ]
    reverse = indicator.direction == Direction.HIGHER
    ranked = sorted(
        (r for r in rows if r.value is not None),
        key=lambda r: (r.value, r.name) if not reverse else (-r.value, r.name),
    )
    for i, row in enumerate(ranked, start=1):
        row.rank = i
    ranked += [r for r in rows if r.value is None]
    missing = rollup.missing_communes(indicator, scope, set(figs))
    return ranked, missing


@dataclass
class PeriodPoint:
    period: Period
    numerator: Decimal
    denominator: Decimal | None
    value: Decimal | None
    communes_reported: int = 0


def series_periods(
    indicator: Indicator, scope: rollup.Scope, periods: list[Period], **dis: str
) -> list[PeriodPoint]:
    """The figure of each period (the quarters or months of a year), for the trend within a year
    when the dashboard is filtered by quarter or month."""
    out = []
    for p in periods:
        fig = rollup.total(indicator, scope, [p.year], period=p, **dis)
        value = fig.value(indicator.unit)
        # A computed figure covers every commune, so 0 is a figure; a stored one exists only
        # where some commune reported.
        has = indicator.obtained == "computed" or bool(fig.communes) or bool(fig.numerator)
        out.append(
            PeriodPoint(
                p, fig.numerator, fig.denominator, value if has else None, len(fig.communes)
            )
        )
    return out


def years_until(last: int) -> list[int]:
    return list(range(FIRST_YEAR, last + 1))
