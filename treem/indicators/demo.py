"""Demo data for the indicators app: the catalogue, fourteen years of figures for Đồng Nai's
communes, approved and pending commune reports, the province's targets and child-friendly
evaluations. Deterministic (seeded random) and idempotent (rows keyed by their natural keys).

2012–2024 figures are stored as if imported on the legacy map (old Đồng Nai and Bình Phước
communes, each placed on its successor commune), 2025 as commune reports, so the dashboards show
both paths.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from treem.geo.models import Commune, CommuneConversion
from treem.indicators import services
from treem.indicators.catalogue import load_catalogue
from treem.indicators.models import (
    ChildFriendlyCriterion,
    ChildFriendlyEvaluation,
    ChildFriendlyScore,
    CommuneKind,
    CommuneReport,
    Indicator,
    IndicatorValue,
    ReportEvent,
    Target,
)

# code: (denominator range, rate in 2012, rate in 2025) for rates; (low, high) for counts.
RATES = {
    "YT_TIEMCHUNG_U1": ((120, 600), 0.90, 0.975),
    "KS_DUOI5": ((700, 3200), 0.93, 0.989),
    "YT_SDD_THAPCOI_U5": ((700, 3200), 0.24, 0.155),
    "YT_SDD_NHECAN_U5": ((700, 3200), 0.14, 0.075),
    "GD_NHATRE": ((200, 900), 0.22, 0.38),
    "GD_MAUGIAO": ((500, 2200), 0.86, 0.97),
    "BV_XAMHAI_TYLE": ((3000, 14000), 0.0009, 0.0005),
    "TG_LAYYKIEN": ((2000, 9000), 0.15, 0.55),
    "VH_THIETCHE_THON": ((6, 25), 0.25, 0.6),
    "YT_TUVONG_U5": ((150, 650), 0.022, 0.016),
}
COUNTS = {
    "YT_TUVONG_TNTT": (0, 3),
    "YT_DUOINUOC": (0, 2),
    "GD_BOHOC": (0, 12),
    "TG_DIENDAN": (0, 2),
}
PROVINCE_PLAN = "Kế hoạch thực hiện Chỉ thị 20-CT/TW của tỉnh (dữ liệu mẫu)"


def _rate(rng, code, year, den_range):
    (lo, hi), start, end = RATES[code][0], RATES[code][1], RATES[code][2]
    share = start + (end - start) * (year - 2012) / 13 + rng.uniform(-0.02, 0.02) * start
    share = min(max(share, 0.0), 1.0)
    den = rng.randint(lo, hi)
    return round(den * share), den


def _values_for(rng, ind: Indicator, year: int):
    if ind.code in RATES:
        return _rate(rng, ind.code, year, RATES[ind.code][0])
    lo, hi = COUNTS[ind.code]
    return rng.randint(lo, hi), None


@transaction.atomic
def seed(ctx) -> None:
    load_catalogue()
    province = ctx.province
    rng = random.Random(2012)  # noqa: S311 - demo data, not security
    indicators = list(
        Indicator.objects.filter(code__in=list(RATES) + list(COUNTS)).order_by("code")
    )
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    # Legacy communes placed on today's communes of the province (2012–2024).
    legacy = list(
        CommuneConversion.objects.filter(is_primary=True, commune__province=province)
        .order_by("legacy_commune_id")
        .values_list("legacy_commune_id", "commune_id")
    )
    # The history is written in one transaction, so it is either all there or absent: a restart
    # of the demo (every `make run`) draws the same numbers, to keep what follows the same, but
    # does not build and offer 50,000 rows again.
    history_exists = IndicatorValue.objects.filter(
        province=province, source=IndicatorValue.Source.IMPORTED, year__lt=2025
    ).exists()
    rows = []
    for ind in indicators:
        for year in range(2012, 2025):
            for legacy_code, commune_code in legacy:
                num, den = _values_for(rng, ind, year)
                if history_exists:
                    continue
                rows.append(
                    IndicatorValue(
                        indicator=ind,
                        commune_id=commune_code,
                        province=province,
                        unit_code=commune_code,
                        legacy_code=legacy_code,
                        period=str(year),
                        year=year,
                        numerator=Decimal(num),
                        denominator=None if den is None else Decimal(den),
                        source=IndicatorValue.Source.IMPORTED,
                        is_final=True,
                    )
                )
    if rows:
        IndicatorValue.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)

    # 2025: commune reports. Commune A has not reported yet (the demo's officer fills it);
    # commune B's waits for the province; a few others were returned or are late.
    specialist = ctx.users.get("chuyenvien")
    now = timezone.now()
    entered = list(services.entered_indicators("year"))
    for i, commune in enumerate(communes):
        if commune.code == ctx.commune_a.code:
            continue
        kind = (
            CommuneReport.Status.SUBMITTED
            if commune.code == ctx.commune_b.code or i % 11 == 3
            else CommuneReport.Status.RETURNED
            if i % 17 == 5
            else None
            if i % 13 == 7
            else CommuneReport.Status.APPROVED
        )
        if kind is None:
            continue
        report, created = CommuneReport.objects.get_or_create(
            commune=commune,
            period="2025",
            defaults={
                "period_type": "year",
                "year": 2025,
                "due_on": datetime.date(2026, 1, 15),
                "status": kind,
                "submitted_at": timezone.make_aware(datetime.datetime(2026, 1, 5 + (i % 20), 9, 0)),
                "approved_at": now if kind == CommuneReport.Status.APPROVED else None,
                "last_comment": "Số trẻ dưới 1 tuổi chưa khớp sổ tiêm chủng, đề nghị kiểm tra."
                if kind == CommuneReport.Status.RETURNED
                else "",
            },
        )
        if not created:
            continue
        values = []
        for ind in entered:
            num, den = _values_for(rng, ind, 2025)
            values.append(
                IndicatorValue(
                    indicator=ind,
                    commune=commune,
                    province=province,
                    unit_code=commune.code,
                    period="2025",
                    year=2025,
                    numerator=Decimal(num),
                    denominator=None if den is None else Decimal(den),
                    source=IndicatorValue.Source.ENTERED,
                    report=report,
                    is_final=kind == CommuneReport.Status.APPROVED,
                )
            )
        IndicatorValue.objects.bulk_create(values, ignore_conflicts=True)
        ReportEvent.objects.create(
            report=report,
            at=report.submitted_at,
            actor=None,
            action="submit",
            from_status="draft",
            to_status="submitted",
        )
        if kind != CommuneReport.Status.SUBMITTED:
            ReportEvent.objects.create(
                report=report,
                at=now,
                actor=specialist,
                action="approve" if kind == CommuneReport.Status.APPROVED else "return",
                from_status="submitted",
                to_status=kind,
                comment=report.last_comment,
            )

    # The province's own targets (a plan implementing Directive 20), on top of the national ones.
    by_code = {i.code: i for i in Indicator.objects.all()}
    for code, year, value in (
        ("YT_TIEMCHUNG_U1", 2020, "95"),
        ("KS_DUOI5", 2020, "98"),
        ("YT_SDD_THAPCOI_U5", 2020, "20"),
        ("YT_SDD_THAPCOI_U5", 2025, "16"),
        ("GD_MAUGIAO", 2025, "96"),
    ):
        Target.objects.get_or_create(
            indicator=by_code[code],
            unit_code=province.code,
            year=year,
            defaults={"province": province, "value": Decimal(value), "source_label": PROVINCE_PLAN},
        )

    # Child-friendly evaluations for 2025.
    criteria = list(ChildFriendlyCriterion.objects.all())
    for i, commune in enumerate(communes):
        if i % 3 == 2 and commune.code not in (ctx.commune_a.code, ctx.commune_b.code):
            continue
        status = (
            ChildFriendlyEvaluation.Status.RECOGNISED
            if commune.code == ctx.commune_a.code or i % 3 == 0
            else ChildFriendlyEvaluation.Status.SUBMITTED
        )
        ev, created = ChildFriendlyEvaluation.objects.get_or_create(
            commune=commune,
            year=2025,
            defaults={
                "kind": CommuneKind.OTHER,
                "status": status,
                "decision_number": f"{100 + i}/QĐ-UBND"
                if status == ChildFriendlyEvaluation.Status.RECOGNISED
                else "",
                "decision_date": datetime.date(2025, 12, 20)
                if status == ChildFriendlyEvaluation.Status.RECOGNISED
                else None,
            },
        )
        if not created:
            continue
        ChildFriendlyScore.objects.bulk_create(
            [
                ChildFriendlyScore(
                    evaluation=ev,
                    criterion=c,
                    points=c.max_points - rng.randint(0, 8)
                    if status == ChildFriendlyEvaluation.Status.RECOGNISED
                    else max(1, c.max_points - rng.randint(5, 25)),
                    met=True,
                )
                for c in criteria
            ],
            ignore_conflicts=True,
        )
