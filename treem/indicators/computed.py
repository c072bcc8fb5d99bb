"""Indicators computed from Treem's own records at query time (no nightly batch): a child
registered or a case closed shows on the next page load.

This module may read the registry and protection apps (below indicators in the layers); the apps
above (assistance, programmes, people) feed their figures through `hooks.register_computed`.
Each function answers a `hooks.ComputeRequest` with one `CommuneFigure` per commune for the total
and one per disaggregation value.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from treem.indicators import hooks
from treem.indicators.hooks import CommuneFigure, ComputeRequest


def _aware(day: datetime.date, end: bool = False) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min)
    return timezone.make_aware(moment)


def _commune_filter(qs, request: ComputeRequest, field: str = "commune_id"):
    if request.commune_codes is not None:
        qs = qs.filter(**{f"{field}__in": list(request.commune_codes)})
    return qs


def _children(request: ComputeRequest):
    from treem.registry.models import Child
    from treem.registry.selectors import active_q

    qs = Child.objects.filter(
        active_q(request.period_end),
        is_active=True,
        merged_into__isnull=True,
        birth_date__lte=request.period_end,
    )
    return _commune_filter(qs, request)


def _age_bucket(day: datetime.date):
    from treem.registry.selectors import AGE_GROUPS, age_group_q

    return Case(
        *[When(age_group_q(g, day), then=Value(g)) for g in AGE_GROUPS],
        default=Value(""),
        output_field=CharField(),
    )


def _counts_with_breakdown(qs, day: datetime.date) -> dict[tuple, int]:
    """{(commune, sex, age_group, ethnicity): n} in one query."""
    rows = (
        qs.annotate(bucket=_age_bucket(day))
        .values("commune_id", "sex", "bucket", "ethnicity")
        .annotate(n=Count("id", distinct=True))
    )
    return {(r["commune_id"], r["sex"], r["bucket"], r["ethnicity"]): r["n"] for r in rows}


def _figures_from_counts(counts: dict[tuple, int], denominators=None) -> list[CommuneFigure]:
    totals: dict = defaultdict(int)
    for (commune, sex, bucket, ethnicity), n in counts.items():
        totals[(commune, ())] += n
        if sex:
            totals[(commune, (("sex", sex),))] += n
        if bucket:
            totals[(commune, (("age_group", bucket),))] += n
        if ethnicity:
            # The registry records the child's ethnic group (GSO code); unrecorded is left out.
            totals[(commune, (("ethnicity", ethnicity),))] += n
    figures = []
    keys = set(totals) | (set(denominators) if denominators else set())
    for commune, dis in sorted(keys):
        den = None if denominators is None else denominators.get((commune, dis), 0)
        figures.append(CommuneFigure(commune, totals.get((commune, dis), 0), den, dis))
    return figures


def child_population(request: ComputeRequest) -> list[CommuneFigure]:
    return _figures_from_counts(_counts_with_breakdown(_children(request), request.period_end))


def _special_children(request: ComputeRequest):
    return (
        _children(request)
        .filter(
            circumstances__start_date__lte=request.period_end,
        )
        .filter(
            Q(circumstances__end_date__isnull=True)
            | Q(circumstances__end_date__gte=request.period_start)
        )
    )


def special_circumstances(request: ComputeRequest) -> list[CommuneFigure]:
    figures = _figures_from_counts(
        _counts_with_breakdown(_special_children(request), request.period_end)
    )
    from treem.registry.models import SpecialCircumstance

    by_group = (
        SpecialCircumstance.objects.filter(
            child__in=_children(request),
            start_date__lte=request.period_end,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=request.period_start))
        .values("child__commune_id", "group")
        .annotate(n=Count("child_id", distinct=True))
    )
    for row in by_group:
        figures.append(
            CommuneFigure(
                row["child__commune_id"], row["n"], None, (("circumstance", row["group"]),)
            )
        )
    return figures


def special_circumstances_rate(request: ComputeRequest) -> list[CommuneFigure]:
    population = {
        (f.commune_code, f.disaggregation): f.numerator for f in child_population(request)
    }
    special = _counts_with_breakdown(_special_children(request), request.period_end)
    return _figures_from_counts(special, population)


def special_circumstances_supported(request: ComputeRequest) -> list[CommuneFigure]:
    """Supported: the child has a protection plan approved by the end of the period. (Allowances
    are the assistance app's records; it may register its own figure under another code.)"""
    special = _special_children(request)
    denominators = {
        (c, dis): n
        for (c, dis), n in _totals(_counts_with_breakdown(special, request.period_end)).items()
    }
    supported = special.filter(
        protection_cases__plans__status="approved",
        protection_cases__plans__decided_at__lte=_aware(request.period_end, end=True),
    )
    return _figures_from_counts(_counts_with_breakdown(supported, request.period_end), denominators)


def _totals(counts: dict[tuple, int]) -> dict[tuple, int]:
    return {(f.commune_code, f.disaggregation): f.numerator for f in _figures_from_counts(counts)}


def abuse_reports(request: ComputeRequest) -> list[CommuneFigure]:
    from treem.protection.models import Report

    qs = _commune_filter(
        Report.objects.filter(
            is_held=False,
            received_at__gte=_aware(request.period_start),
            received_at__lte=_aware(request.period_end, end=True),
        ),
        request,
    )
    totals: dict = defaultdict(int)
    for commune, types in qs.values_list("commune_id", "abuse_types"):
        totals[(commune, ())] += 1
        for kind in set(types or []):
            totals[(commune, (("abuse_type", kind),))] += 1
    return [CommuneFigure(c, n, None, dis) for (c, dis), n in sorted(totals.items())]


def cases_opened(request: ComputeRequest) -> list[CommuneFigure]:
    from treem.protection.models import Case as ProtectionCase

    qs = _commune_filter(
        ProtectionCase.objects.filter(
            opened_at__gte=_aware(request.period_start),
            opened_at__lte=_aware(request.period_end, end=True),
        ),
        request,
    )
    totals: dict = defaultdict(int)
    for row in qs.values("commune_id", "status").annotate(n=Count("id")):
        outcome = "closed" if row["status"] == "closed" else "open"
        totals[(row["commune_id"], ())] += row["n"]
        totals[(row["commune_id"], (("outcome", outcome),))] += row["n"]
    return [CommuneFigure(c, n, None, dis) for (c, dis), n in sorted(totals.items())]


def emergencies_on_time(request: ComputeRequest) -> list[CommuneFigure]:
    """Decree 56/2017 Art. 31–32: emergency measures within 12 hours. Counted: emergencies whose
    deadline fell in the period and has passed or been met."""
    from django.db.models import F

    from treem.protection.models import Case as ProtectionCase

    now = timezone.now()
    end = min(_aware(request.period_end, end=True), now)
    qs = _commune_filter(
        ProtectionCase.objects.filter(
            is_emergency=True,
            emergency_due_at__gte=_aware(request.period_start),
        ).filter(Q(emergency_due_at__lte=end) | Q(emergency_met_at__isnull=False)),
        request,
    ).filter(emergency_due_at__lte=_aware(request.period_end, end=True))
    rows = qs.values("commune_id").annotate(
        den=Count("id"),
        num=Count("id", filter=Q(emergency_met_at__lte=F("emergency_due_at"))),
    )
    return [CommuneFigure(r["commune_id"], r["num"], r["den"]) for r in rows]


def plans_on_time(request: ComputeRequest) -> list[CommuneFigure]:
    """Decree 56/2017 Art. 28(4): the chairman decides within 2 working days (the limit is the
    protection app's setting, with its holidays)."""
    from treem.protection import deadlines
    from treem.protection.models import Plan

    qs = Plan.objects.filter(
        decided_at__gte=_aware(request.period_start),
        decided_at__lte=_aware(request.period_end, end=True),
        submitted_at__isnull=False,
    ).select_related("case")
    if request.commune_codes is not None:
        qs = qs.filter(case__commune_id__in=list(request.commune_codes))
    totals: dict = defaultdict(lambda: [0, 0])
    for plan in qs:
        commune = plan.case.commune_id
        due = deadlines.approval_due(submitted_at=plan.submitted_at, commune_code=commune)
        totals[commune][1] += 1
        totals[commune][0] += plan.decided_at <= due
    return [CommuneFigure(c, v[0], v[1]) for c, v in sorted(totals.items())]


def child_friendly_share(request: ComputeRequest) -> list[CommuneFigure]:
    from treem.geo.models import Commune
    from treem.indicators.models import ChildFriendlyEvaluation

    communes: Iterable[str] = (
        request.commune_codes
        if request.commune_codes is not None
        else Commune.objects.values_list("code", flat=True)
    )
    recognised = set(
        ChildFriendlyEvaluation.objects.filter(
            year=request.period_end.year, status="recognised"
        ).values_list("commune_id", flat=True)
    )
    return [CommuneFigure(c, int(c in recognised), 1) for c in communes]


OWN: dict[str, hooks.ComputeFunction] = {
    "TE_DANSO": child_population,
    "TE_HCDB": special_circumstances,
    "TE_HCDB_TYLE": special_circumstances_rate,
    "TE_HCDB_TROGIUP": special_circumstances_supported,
    "BV_TINBAO": abuse_reports,
    "BV_CA": cases_opened,
    "BV_KHANCAP_12H": emergencies_on_time,
    "BV_KEHOACH_DUNGHAN": plans_on_time,
    "CF_DAT_CHUAN": child_friendly_share,
}


def function_for(code: str) -> hooks.ComputeFunction | None:
    """Treem's own computation, else one registered by another app through the hooks."""
    return OWN.get(code) or hooks.computed_function(code)
