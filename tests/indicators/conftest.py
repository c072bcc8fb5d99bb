from __future__ import annotations

from decimal import Decimal

import pytest

from treem.indicators.catalogue import load_catalogue
from treem.indicators.models import Indicator, IndicatorValue


@pytest.fixture
def catalogue(db):
    load_catalogue()
    return {i.code: i for i in Indicator.objects.all()}


@pytest.fixture
def put_value():
    """A final (counted) figure for a commune, as an approved report or an import leaves it."""

    def put(indicator, commune, period, num, den=None, *, sex="", age_group="", final=True):
        year = int(str(period)[:4])
        return IndicatorValue.objects.create(
            indicator=indicator,
            commune=commune,
            province_id=commune.province_id,
            unit_code=commune.code,
            period=str(period),
            year=year,
            sex=sex,
            age_group=age_group,
            numerator=Decimal(num),
            denominator=None if den is None else Decimal(den),
            source="imported",
            is_final=final,
        )

    return put


@pytest.fixture
def specialist(demo):
    return demo.users["chuyenvien"]


@pytest.fixture
def client_for_user(client_for):
    return client_for
