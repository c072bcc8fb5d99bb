"""Scoring the criteria of Decision 06/QĐ-TTg that map to an indicator, from the commune's figure.

The rule is data on the criterion (`ChildFriendlyCriterion.auto_rule`):
``{"bands": [[threshold, points], ...], "met_at": threshold}``. The commune's figure for the year
(rolled up like every figure: Σnumerator ÷ Σdenominator, final figures only) earns the points of the
best band it reaches — at or above the threshold for a "higher is better" indicator, at or below
for "lower is better" — and 0 when it reaches none. The criterion is met when the figure reaches
`met_at` (without `met_at`: when it earns any points). No figure, no automatic score: the evaluator
scores by hand. The evaluator may still change an automatic score, with a reason (services).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from treem.indicators import rollup
from treem.indicators.models import ChildFriendlyCriterion, Direction


@dataclass(frozen=True)
class AutoScore:
    value: Decimal  # the indicator's figure for the commune and year
    points: int
    met: bool


def _reaches(value: Decimal, threshold, direction: str) -> bool:
    limit = Decimal(str(threshold))
    return value <= limit if direction == Direction.LOWER else value >= limit


def rule_score(rule: dict, direction: str, value: Decimal, max_points: int) -> tuple[int, bool]:
    """(points, met) for a figure under a criterion's rule; points never exceed the maximum."""
    bands = rule.get("bands") or []
    points = 0
    for threshold, band_points in bands:
        if _reaches(value, threshold, direction):
            points = max(points, int(band_points))
    points = min(points, max_points)
    met_at = rule.get("met_at")
    met = _reaches(value, met_at, direction) if met_at is not None else points > 0
    return points, met


def auto_scores(
    commune_code: str, year: int, criteria: list[ChildFriendlyCriterion]
) -> dict[int, AutoScore]:
    """{criterion number: AutoScore} for the criteria with an indicator, a rule and a figure."""
    out: dict[int, AutoScore] = {}
    scope = None
    for cr in criteria:
        if not cr.indicator_id or not cr.auto_rule:
            continue
        scope = scope or rollup.scope_for(commune_code)
        fig = rollup.total(cr.indicator, scope, [year])
        value = fig.value(cr.indicator.unit)
        if value is None or (cr.indicator.unit == "count" and not fig.communes):
            continue
        points, met = rule_score(cr.auto_rule, cr.indicator.direction, value, cr.max_points)
        out[cr.number] = AutoScore(value, points, met)
    return out
