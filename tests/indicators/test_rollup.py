from __future__ import annotations

from decimal import Decimal

from treem.geo.models import Commune
from treem.indicators import rollup


def test_rate_rolls_up_as_sum_of_numerators_over_sum_of_denominators(catalogue, put_value, demo):
    vax = catalogue["YT_TIEMCHUNG_U1"]
    a, b = demo.commune_a, demo.commune_b
    # A: 90 of 100 vaccinated (90%); B: 950 of 1000 (95%).
    put_value(vax, a, 2024, 90, 100)
    put_value(vax, b, 2024, 950, 1000)
    # A draft (not final) figure must not count.
    put_value(vax, a, 2023, 1, 1, final=False)
    scope = rollup.scope_for(demo.province.code)
    fig = rollup.total(vax, scope, [2024])
    assert fig.numerator == 1040 and fig.denominator == 1100
    assert fig.value(vax.unit) == Decimal("94.55")  # 1040 / 1100
    mean_of_rates = (Decimal(90) + Decimal(95)) / 2
    assert fig.value(vax.unit) != mean_of_rates.quantize(Decimal("0.01"))
    assert fig.communes == {a.code, b.code}


def test_rollup_over_years_and_by_commune(catalogue, put_value, demo):
    reg = catalogue["KS_DUOI5"]
    a, b = demo.commune_a, demo.commune_b
    put_value(reg, a, 2023, 40, 50)
    put_value(reg, a, 2024, 45, 50)
    put_value(reg, b, 2024, 10, 100)
    scope = rollup.scope_for(demo.province.code)
    by_year = rollup.figures(reg, scope, [2023, 2024])
    assert by_year[2023].value(reg.unit) == Decimal("80.00")
    assert by_year[2024].value(reg.unit) == Decimal("36.67")  # 55 / 150
    by_commune = rollup.figures(reg, scope, [2023, 2024], by="commune")
    assert by_commune[a.code].value(reg.unit) == Decimal("85.00")  # 85 / 100
    total = rollup.total(reg, scope, [2023, 2024])
    assert total.value(reg.unit) == Decimal("47.50")  # 95 / 200, not the mean of 80, 90, 10


def test_missing_communes_are_named(catalogue, put_value, demo):
    reg = catalogue["KS_DUOI5"]
    put_value(reg, demo.commune_a, 2024, 40, 50)
    scope = rollup.scope_for(demo.province.code)
    fig = rollup.total(reg, scope, [2024])
    missing = rollup.missing_communes(reg, scope, fig.communes)
    codes = {c.code for c in missing}
    assert demo.commune_a.code not in codes
    assert demo.commune_b.code in codes
    assert len(codes) == Commune.objects.filter(province=demo.province).count() - 1


def test_national_target_applies_with_progress(catalogue, put_value, demo):
    reg = catalogue["KS_DUOI5"]
    put_value(reg, demo.commune_a, 2025, 97, 100)
    scope = rollup.scope_for(demo.commune_a.code)
    targets = rollup.targets(reg, scope, [2025, 2030])
    assert targets[2025].value == Decimal("98.5")
    assert targets[2030].value == Decimal("100")
    value = rollup.total(reg, scope, [2025]).value(reg.unit)
    assert rollup.progress(reg, value, targets[2025]) == {"met": False, "gap": Decimal("-1.50")}


def test_sex_disaggregation_is_filtered(catalogue, put_value, demo):
    vax = catalogue["YT_TIEMCHUNG_U1"]
    put_value(vax, demo.commune_a, 2024, 90, 100)
    put_value(vax, demo.commune_a, 2024, 40, 50, sex="F")
    scope = rollup.scope_for(demo.commune_a.code)
    assert rollup.total(vax, scope, [2024], sex="F").value(vax.unit) == Decimal("80.00")
    assert rollup.total(vax, scope, [2024]).value(vax.unit) == Decimal("90.00")
