"""Reads of social assistance: the entitlement scan, the changes report, the province's figures and
the budget estimate. Lists of people are scoped through `treem.assistance.access`; figures without
names are read by commune code."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from treem.assistance import access, rules
from treem.assistance.models import (
    Basis,
    DisadvantagedCommune,
    Dossier,
    PaymentLine,
    PaymentList,
    Recipient,
)
from treem.assistance.services import recipient_case
from treem.lib import allowance
from treem.lib.allowance import Month, add_years
from treem.registry.models import (
    Child,
    CircumstanceGroup,
    DisabilitySeverity,
    PovertyStatus,
    SpecialCircumstance,
)

NO_SUPPORT_GROUPS = (CircumstanceGroup.A, CircumstanceGroup.B, CircumstanceGroup.C)


@dataclass
class Candidate:
    child_id: int
    full_name: str
    birth_date: dt.date
    commune_code: str
    basis: str
    reason: str


@dataclass
class Upcoming:
    recipient_id: int
    child_id: int
    full_name: str
    commune_code: str
    kind: str  # "change" | "end"
    reason: str
    before: int
    after: int


REASON_LABELS = {
    "decision": _("Quyết định mới"),
    "age_3": _("Đủ 3 tuổi"),
    "age_4": _("Đủ 4 tuổi: hệ số giảm"),
    "age_16": _("Đủ 16 tuổi"),
    "age_22": _("Đủ 22 tuổi"),
    "studies_end": _("Thôi học"),
    "basis_end": _("Chấm dứt hoàn cảnh, mất, được nhận nuôi"),
    "basis_start": _("Thêm diện hưởng"),
    "standard_amount": _("Mức chuẩn mới"),
    "other": _("Thay đổi khác"),
}


def reason_label(code: str) -> str:
    return str(REASON_LABELS.get(code, REASON_LABELS["other"]))


def _scan_communes(user, commune_code: str | None) -> Q:
    if commune_code:
        if not access.can_view(user, commune_code):
            return Q(pk__in=[])
        return Q(commune_id=commune_code)
    j = user.jurisdiction
    if j.commune_codes:
        return Q(commune_id__in=j.commune_codes)
    if j.province_code:
        return Q(province_id=j.province_code)
    return Q(pk__in=[])


def entitlement_scan(*, user, commune_code: str | None, today: dt.date) -> list[Candidate]:
    """Children under 16 who appear to qualify (from the registry) but receive nothing and have no
    open dossier, with the reason. Only what the registry records can be found: a poor single
    parent is not recorded there, so that basis is never suggested."""
    if not access.can(user, access.Action.ASSISTANCE_VIEW):
        return []
    place = _scan_communes(user, commune_code)
    sixteen_ago = add_years(today, -16)
    three_ago = add_years(today, -3)
    receiving = Recipient.objects.filter(child_id=OuterRef("pk"), ended_on__isnull=True)
    open_dossier = Dossier.objects.filter(
        child_id=OuterRef("pk"),
        status__in=[Dossier.Status.DRAFT, Dossier.Status.REVIEWED, Dossier.Status.POSTED],
    )
    open_circ = SpecialCircumstance.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today), child_id=OuterRef("pk")
    )
    disadvantaged = DisadvantagedCommune.objects.filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=today),
        effective_from__lte=today,
    ).values("commune_id")
    qs = (
        Child.objects.filter(place, is_active=True, processing_restricted=False)
        .filter(birth_date_latest__gt=sixteen_ago)
        .filter(
            Exists(open_circ.filter(group__in=NO_SUPPORT_GROUPS))
            | Q(
                disability_severity__in=[
                    DisabilitySeverity.SEVERE,
                    DisabilitySeverity.ESPECIALLY_SEVERE,
                ]
            )
            | (
                Exists(open_circ.filter(group=CircumstanceGroup.DD))
                & Q(household__poverty_status=PovertyStatus.POOR)
            )
            | (
                Q(birth_date__gt=three_ago)
                & Q(household__poverty_status__in=[PovertyStatus.POOR, PovertyStatus.NEAR_POOR])
                & Q(commune_id__in=disadvantaged)
            )
        )
        .filter(~Exists(receiving), ~Exists(open_dossier))
        .annotate(
            no_support=Exists(open_circ.filter(group__in=NO_SUPPORT_GROUPS)),
            hiv=Exists(open_circ.filter(group=CircumstanceGroup.DD)),
        )
        .values(
            "pk",
            "full_name",
            "birth_date",
            "commune_id",
            "disability_severity",
            "household__poverty_status",
            "no_support",
            "hiv",
            "name_key",
        )
        # No ORDER BY: ordering in SQL makes PostgreSQL walk a million children through the
        # name index; the few thousand candidates are sorted here instead (same order).
        .order_by()
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The plan is a scan with hashed sub-plans; PostgreSQL's JIT compiles it for seconds
            # (measured: 5.5 s of a 31 s run at 1M children) and gains nothing back.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        rows = sorted(
            qs.iterator(chunk_size=5000),
            key=lambda r: (r["commune_id"], r["name_key"], r["pk"]),
        )
    out: list[Candidate] = []
    for row in rows:
        if row["disability_severity"] == DisabilitySeverity.ESPECIALLY_SEVERE:
            basis, reason = Basis.DISABILITY_ESPECIALLY_SEVERE, _("Khuyết tật đặc biệt nặng")
        elif row["hiv"] and row["household__poverty_status"] == PovertyStatus.POOR:
            basis, reason = Basis.HIV_POOR, _("Nhiễm HIV, thuộc hộ nghèo")
        elif row["disability_severity"] == DisabilitySeverity.SEVERE:
            basis, reason = Basis.DISABILITY_SEVERE, _("Khuyết tật nặng")
        elif row["no_support"]:
            basis, reason = (
                Basis.NO_SUPPORT,
                _("Mồ côi cả cha và mẹ, bị bỏ rơi hoặc không nơi nương tựa"),
            )
        else:
            basis, reason = (
                Basis.UNDER3_POOR_MOUNTAIN,
                _("Dưới 3 tuổi, hộ nghèo hoặc cận nghèo ở xã đặc biệt khó khăn"),
            )
        out.append(
            Candidate(
                row["pk"],
                row["full_name"],
                row["birth_date"],
                row["commune_id"],
                basis,
                str(reason),
            )
        )
    return out


def upcoming_changes(*, user, commune_code: str | None, month: Month) -> list[Upcoming]:
    """Recipients whose amount changes or ends next month (the event happens in `month`: a 3rd,
    4th, 16th or 22nd birthday, the end of studies), so the official acts before the next list."""
    if not access.can(user, access.Action.ASSISTANCE_VIEW):
        return []
    qs = access.recipients_for_user(user).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=month.first_day())
    )
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    # Only children with a birthday that matters or studies ending this month need computing.
    start, end = month.first_day(), month.last_day()
    birthday = Q()
    for years in (3, 4, 16, 22):
        birthday |= Q(
            birth_date__gte=add_years(start, -years), birth_date__lte=add_years(end, -years)
        )
    qs = qs.filter(birthday | Q(studying_until__range=(start, end))).select_related("child")
    rules_cache: dict[str, allowance.Rules] = {}
    nxt = month.next()
    out: list[Upcoming] = []
    for r in qs.order_by("commune_id", "child__name_key"):
        province = r.child.province_id
        rules_ = rules_cache.setdefault(province, rules.load_rules(province_code=province))
        case = recipient_case(r, to_month=nxt)
        months = {
            m.month: m for m in allowance.entitlement(case, rules_, window_from=month, check=False)
        }
        change = allowance.explain(case, nxt, months.get(month), months.get(nxt))
        if change is None or change.reason == "standard_amount":
            continue
        out.append(
            Upcoming(
                r.pk,
                r.child_id,
                r.child.full_name,
                r.commune_id,
                change.kind,
                reason_label(change.reason),
                months[month].amount if month in months else 0,
                months[nxt].amount if nxt in months else 0,
            )
        )
    return out


@dataclass
class ChangeRow:
    recipient_id: int
    full_name: str
    kind: str  # "increase" | "decrease" | "change"
    reason: str
    before: int
    after: int


def changes_report(payment_list: PaymentList) -> list[ChangeRow]:
    """Tăng, giảm: recipients new on this list, gone from it, or paid a different amount than
    the month before, with the reason."""
    previous_month = Month.of(payment_list.month).prev().first_day()
    now = {
        line.recipient_id: line
        for line in payment_list.lines.filter(kind=PaymentLine.Kind.PAYMENT).select_related(
            "recipient__child", "recipient__dossier"
        )
    }
    before = {
        line.recipient_id: line
        for line in PaymentLine.objects.filter(
            payment_list__commune_id=payment_list.commune_id,
            payment_list__month=previous_month,
            kind=PaymentLine.Kind.PAYMENT,
        ).select_related("recipient__child", "recipient__dossier")
    }
    month = Month.of(payment_list.month)
    rules_ = rules.load_rules(province_code=payment_list.commune.province_id)
    rows: list[ChangeRow] = []
    for rid in sorted(set(now) | set(before)):
        a, b = before.get(rid), now.get(rid)
        old = a.amount if a else 0
        new = b.amount if b else 0
        if old == new:
            continue
        recipient = (b or a).recipient
        case = recipient_case(recipient, to_month=month)
        months = {
            m.month: m
            for m in allowance.entitlement(case, rules_, window_from=month.prev(), check=False)
        }
        change = allowance.explain(case, month, months.get(month.prev()), months.get(month))
        if b and not a:
            kind = "increase"
            reason = (
                _("Quyết định %(n)s") % {"n": recipient.dossier.decision_number}
                if recipient.from_month >= previous_month
                else reason_label(change.reason if change else "other")
            )
        elif a and not b:
            kind = "decrease"
            reason = (
                recipient.end_reason
                if recipient.ended_on and Month.of(recipient.ended_on) < month
                else reason_label(change.reason if change else "other")
            )
        else:
            kind = "change"
            reason = reason_label(change.reason if change else "other")
        rows.append(ChangeRow(rid, recipient.child.full_name, kind, str(reason), old, new))
    return rows


@dataclass
class ProvinceFigures:
    by_commune: list[dict]
    by_group: list[dict]
    by_month: list[dict]


def province_figures(*, user, year: int) -> ProvinceFigures:
    """Recipients and amounts by commune, group and month from the payment lists (no names)."""
    if not access.can_view_aggregates(user) and not access.can(user, access.Action.ASSISTANCE_VIEW):
        return ProvinceFigures([], [], [])
    j = user.jurisdiction
    lines = PaymentLine.objects.filter(
        kind=PaymentLine.Kind.PAYMENT, payment_list__month__year=year
    )
    if j.commune_codes:
        lines = lines.filter(payment_list__commune_id__in=j.commune_codes)
    elif j.province_code:
        lines = lines.filter(payment_list__commune__province_id=j.province_code)
    else:
        lines = lines.none()
    by_commune = list(
        lines.values("payment_list__commune_id", "payment_list__commune__name")
        .annotate(recipients=Count("recipient", distinct=True), amount=Sum("total"))
        .order_by("payment_list__commune_id")
    )
    by_group = list(
        lines.values("basis")
        .annotate(recipients=Count("recipient", distinct=True), amount=Sum("total"))
        .order_by("basis")
    )
    labels = dict(Basis.choices)
    for row in by_group:
        row["label"] = str(labels.get(row["basis"], _("Chỉ truy lĩnh, chưa nhận tháng trước")))
    by_month = list(
        lines.values("payment_list__month")
        .annotate(recipients=Count("recipient", distinct=True), amount=Sum("total"))
        .order_by("payment_list__month")
    )
    return ProvinceFigures(by_commune, by_group, by_month)


def budget_estimate(*, user, year: int) -> dict:
    """Next year's cost from the current recipients and their known birthdays (coefficient
    changes and ends at 4, 16, 22), at the standard amount in force on 1 January of that year
    (a later raise is not known yet). Returns totals by month and by commune."""
    if not access.can_view_aggregates(user) and not access.can(user, access.Action.ASSISTANCE_VIEW):
        return {"total": 0, "by_month": [], "by_commune": [], "recipients": 0}
    j = user.jurisdiction
    qs = Recipient.objects.filter(ended_on__isnull=True)
    if j.commune_codes:
        qs = qs.filter(commune_id__in=j.commune_codes)
    elif j.province_code:
        qs = qs.filter(commune__province_id=j.province_code)
    else:
        qs = qs.none()
    first, last = Month(year, 1), Month(year, 12)
    by_month: dict[Month, int] = defaultdict(int)
    by_commune: dict[str, int] = defaultdict(int)
    count = 0
    rules_cache: dict[str, allowance.Rules] = {}
    for r in qs.select_related("commune").iterator(chunk_size=2000):
        province = r.commune.province_id
        rules_ = rules_cache.setdefault(province, rules.load_rules(province_code=province))
        months = allowance.entitlement(
            recipient_case(r, to_month=last), rules_, window_from=first, check=False
        )
        if months:
            count += 1
        for m in months:
            by_month[m.month] += m.amount
            by_commune[r.commune_id] += m.amount
    return {
        "total": sum(by_month.values()),
        "recipients": count,
        "by_month": [(m, by_month[m]) for m in sorted(by_month)],
        "by_commune": sorted(by_commune.items()),
    }
