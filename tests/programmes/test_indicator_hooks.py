"""What this app gives the indicators app through its hooks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from treem.indicators import hooks
from treem.programmes import indicators

pytestmark = pytest.mark.django_db


def test_targets_computed_figures_and_sections_are_registered(seeded):
    rows = hooks.targets_from_sources("KS_DUOI5", [seeded.commune_a.code], [2026])
    # The province plan's target for the commune, and the same target carried into the
    # commune's own derived plan.
    assert {r.value for r in rows} == {Decimal("99.00")}
    assert "Kế hoạch 25/KH-UBND" in {r.source_label for r in rows}
    assert all(r.unit_code == seeded.commune_a.code and r.year == 2026 for r in rows)
    assert set(indicators.CODES) <= set(hooks.computed_codes())
    request = hooks.ComputeRequest(
        indicator_code=indicators.COMM_REACH,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
        commune_codes=None,
    )
    reach = {
        f.commune_code: f.numerator for f in hooks.computed_function(indicators.COMM_REACH)(request)
    }
    assert reach == {seeded.commune_a.code: 150 + 420, seeded.commune_b.code: 6000 + 2500}
    per_child = hooks.computed_function(indicators.BUDGET_PER_CHILD)(request)
    assert [f.numerator for f in per_child] == [28_500_000]
    scope = hooks.ReportScope(unit_code=seeded.province.code, year_from=2026, year_to=2026)
    for key in ("plans", "budget", "communication"):
        section = hooks.report_section(key, scope)
        assert section is not None and section.tables
    empty = hooks.ReportScope(unit_code=seeded.province.code, year_from=2000, year_to=2001)
    assert all(hooks.report_section(k, empty) is None for k in ("plans", "budget", "communication"))
