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
import hashlib
from collections import defaultdict
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from treem.assistance import rules
from treem.assistance.models import CoefficientBand, Recipient, Setting, StandardAmount
from treem.assistance.services import recipient_case
from treem.indicators.budget_sources import EstimateRow, register_estimate_source
from treem.lib import allowance
from treem.lib.allowance import Month


def _fingerprint(qs, province_code: str, year: int) -> str:
    """What the estimate depends on: the recipients (a decision, an end or a change moves their
    count or latest `updated_at`), the standard amounts, the coefficients and the funding
    setting. Cheap to read (aggregates), so a cached estimate is never stale."""
    recipients = qs.aggregate(n=Count("pk"), last=Max("updated_at"))
    amounts = list(
        StandardAmount.objects.filter(
            Q(province__isnull=True) | Q(province_id=province_code)
        ).values_list("pk", "amount", "effective_from")
    )
    bands = list(
        CoefficientBand.objects.values_list(
            "pk", "coefficient", "age_from", "age_to", "effective_to"
        )
    )
    setting = rules.setting(Setting.Key.FUNDING_SOURCE, on=dt.date(year, 1, 1))
    text = repr((recipients, sorted(amounts), sorted(bands), setting.value if setting else ""))
    return hashlib.sha256(text.encode()).hexdigest()


def commune_estimates(
    year: int, province_code: str, commune_codes: Sequence[str] | None = None
) -> list[EstimateRow]:
    """The estimate per commune. A province of 60,000 recipients costs seconds of CPU (the
    calculator takes about 0.09 ms per recipient-year), and the programmes dashboard card asks
    for it on every visit: the result is cached under a fingerprint of everything it reads."""
    qs = Recipient.objects.filter(ended_on__isnull=True, commune__province_id=province_code)
    if commune_codes is not None:
        qs = qs.filter(commune_id__in=list(commune_codes))
    communes = ",".join(sorted(commune_codes)) if commune_codes is not None else "*"
    key = (
        "assistance:estimate:"
        + hashlib.sha256(
            # The labels are translated when computed: one entry per language.
            f"{year}|{province_code}|{communes}|{get_language()}|"
            f"{_fingerprint(qs, province_code, year)}".encode()
        ).hexdigest()
    )
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = _compute(qs, year, province_code)
    cache.set(key, rows, timeout=24 * 3600)
    return rows


def _compute(qs, year: int, province_code: str) -> list[EstimateRow]:
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
