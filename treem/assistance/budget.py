"""Next year's cost of the monthly allowance, for the programmes app's budget, through
`treem.indicators.budget_sources` (the two apps never import each other).

Per commune: every recipient not ended, month by month through the calculator (a coefficient
changes the month after the 4th birthday, the allowance ends after the 16th without studies or
the 22nd), at the standard amount known today for each month. New recipients and a raise not yet
entered are not in it. The source of funds is the setting `funding_source` in force on 1 January
of the year (the local budget unless a province changes it).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.utils.translation import gettext as _

from treem.assistance import rules
from treem.assistance.models import Recipient, Setting
from treem.assistance.services import recipient_case
from treem.indicators.budget_sources import EstimateRow, register_estimate_source
from treem.lib import allowance
from treem.lib.allowance import Month


def commune_estimates(
    year: int, province_code: str, commune_codes: Sequence[str] | None = None
) -> list[EstimateRow]:
    qs = Recipient.objects.filter(ended_on__isnull=True, commune__province_id=province_code)
    if commune_codes is not None:
        qs = qs.filter(commune_id__in=list(commune_codes))
    rules_ = rules.load_rules(province_code=province_code)
    first, last = Month(year, 1), Month(year, 12)
    amounts: dict[str, int] = defaultdict(int)
    people: dict[str, int] = defaultdict(int)
    for r in qs.only(
        "pk",
        "commune_id",
        "birth_date",
        "decided_on",
        "from_month",
        "studying_until",
        "bases",
        "ended_on",
    ).iterator(chunk_size=2000):
        months = allowance.entitlement(
            recipient_case(r, to_month=last), rules_, window_from=first, check=False
        )
        if months:
            people[r.commune_id] += 1
            amounts[r.commune_id] += sum(m.amount for m in months)
    setting = rules.setting(Setting.Key.FUNDING_SOURCE, on=dt.date(year, 1, 1))
    source = setting.value if setting else "provincial"
    label = _("Trợ cấp xã hội hằng tháng cho trẻ em")
    note = _("Dự toán từ người đang hưởng và ngày sinh, theo mức chuẩn hiện hành")
    return [
        EstimateRow(label, year, code, source, amounts[code], people[code], note)
        for code in sorted(amounts)
    ]


def register() -> None:
    register_estimate_source("assistance", commune_estimates)
