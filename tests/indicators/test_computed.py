from __future__ import annotations

import datetime
from decimal import Decimal

from treem.indicators import rollup
from treem.registry.models import Child, SpecialCircumstance


def _child(commune, born, sex, **kw):
    return Child.objects.create(
        full_name="Nguyễn Văn An",
        birth_date=born,
        birth_date_latest=born,
        sex=sex,
        province_id=commune.province_id,
        commune=commune,
        **kw,
    )


def test_child_population_by_commune_sex_and_age_fresh_at_query_time(catalogue, demo):
    pop = catalogue["TE_DANSO"]
    a = demo.commune_a
    scope = rollup.scope_for(a.code)
    before = rollup.total(pop, scope, [2024]).numerator
    _child(a, datetime.date(2023, 5, 1), "F")  # 1 year old at end of 2024: 0–2
    _child(a, datetime.date(2014, 5, 1), "M")  # 10: 6–10
    _child(a, datetime.date(2005, 5, 1), "M")  # 19: not a child
    _child(a, datetime.date(2025, 5, 1), "F")  # born after the period
    assert rollup.total(pop, scope, [2024]).numerator == before + 2
    assert rollup.total(pop, scope, [2024], sex="F").numerator >= 1
    young = rollup.total(pop, scope, [2024], age_group="0-2").numerator
    assert young >= 1


def test_special_circumstances_share_supported(catalogue, demo):
    a = demo.commune_a
    scope = rollup.scope_for(a.code)
    child = _child(a, datetime.date(2015, 1, 1), "M")
    SpecialCircumstance.objects.create(child=child, group="a", start_date=datetime.date(2020, 1, 1))
    ended = _child(a, datetime.date(2016, 1, 1), "F")
    SpecialCircumstance.objects.create(
        child=ended,
        group="d",
        start_date=datetime.date(2020, 1, 1),
        end_date=datetime.date(2023, 6, 30),
    )
    special = catalogue["TE_HCDB"]
    assert rollup.total(special, scope, [2024]).numerator >= 1
    in_2023 = rollup.total(special, scope, [2023]).numerator
    assert in_2023 == rollup.total(special, scope, [2024]).numerator + 1
    share = catalogue["TE_HCDB_TROGIUP"]
    fig = rollup.total(share, scope, [2024])
    assert fig.denominator == rollup.total(special, scope, [2024]).numerator
    assert fig.numerator <= fig.denominator
    rate = rollup.total(catalogue["TE_HCDB_TYLE"], scope, [2024])
    assert rate.denominator == rollup.total(catalogue["TE_DANSO"], scope, [2024]).numerator
    assert rate.value("percent") > Decimal(0)
