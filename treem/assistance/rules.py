"""The rules in force, read from the tables into the calculator's plain form
(`treem.lib.allowance.Rules`). Nothing here holds a number: they are all rows."""

from __future__ import annotations

import datetime as dt

from treem.assistance.models import CoefficientBand, Setting, StandardAmount
from treem.lib.allowance import Band, Month, Rules
from treem.lib.allowance import StandardAmount as Standard


def load_rules(*, province_code: str | None = None, on: dt.date | None = None) -> Rules:
    """Coefficient bands in force `on` (default: all bands without an end), national standard
    amounts and, when `province_code` is given, that province's own amounts."""
    bands_qs = CoefficientBand.objects.select_related("group")
    if on is not None:
        bands_qs = bands_qs.filter(effective_from__lte=on)
    bands = [
        Band(
            basis=b.group.code,
            age_from=b.age_from,
            age_to=b.age_to,
            coefficient=b.coefficient,
            requires_studying=b.requires_studying,
        )
        for b in bands_qs
        if b.effective_to is None or (on is not None and b.effective_to >= on)
    ]
    national, local = [], []
    for row in StandardAmount.objects.filter(province__isnull=True) | StandardAmount.objects.filter(
        province_id=province_code or "-"
    ):
        item = Standard(Month.of(row.effective_from), int(row.amount))
        (national if row.province_id is None else local).append(item)
    return Rules(bands=bands, national=national, local=local)


def setting(key: str, *, on: dt.date) -> Setting | None:
    return (
        Setting.objects.filter(key=key, effective_from__lte=on).order_by("-effective_from").first()
    )


def deciding_level(on: dt.date) -> str:
    row = setting(Setting.Key.DECIDING_LEVEL, on=on)
    return row.value if row else "commune"


def posting_working_days(on: dt.date) -> int:
    row = setting(Setting.Key.POSTING_WORKING_DAYS, on=on)
    return int(row.value) if row else 2
