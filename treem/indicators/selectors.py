"""Reads of the indicators app that pages, the API, exports and the report generator share."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.indicators import access
from treem.indicators.models import CommuneReport, Indicator
from treem.indicators.periods import parse_period
from treem.indicators.services import DUE_DAYS


def reports_for_user(user, *, year: int | None = None, status: str = "") -> QuerySet[CommuneReport]:
    communes = access.communes_for_user(user)
    qs = CommuneReport.objects.filter(commune__in=communes).select_related("commune")
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-year", "period", "commune__name_folded")


@dataclass
class Completeness:
    commune_code: str
    commune_name: str
    status: str
    status_label: str
    submitted_on_time: bool | None
    report_id: int | None
    # Past its due date and still not sent (never opened, or a draft): late like any other.
    overdue: bool = False


def completeness(user, period: str) -> tuple[list[Completeness], dict]:
    """For each commune in the user's reach: the report of the period, whether it was sent on time.
    Timeliness counts the first submission against the due date; a report not sent by its due
    date (never opened, or left as a draft) is overdue, whether or not the commune opened it."""
    today = timezone.localdate()
    period_due = parse_period(period).end + datetime.timedelta(days=DUE_DAYS)
    reports = {
        r.commune_id: r
        for r in CommuneReport.objects.filter(
            period=period, commune__in=access.communes_for_user(user)
        )
    }
    rows = []
    for commune in access.communes_for_user(user).order_by("name_folded"):
        r = reports.get(commune.code)
        on_time = None
        if r and r.submitted_at:
            on_time = timezone.localtime(r.submitted_at).date() <= r.due_on
        due = r.due_on if r else period_due
        overdue = (r is None or r.submitted_at is None) and today > due
        if r is not None:
            label = r.get_status_display()
        elif overdue:
            label = _("Quá hạn, chưa mở báo cáo")
        else:
            label = _("Chưa mở")
        rows.append(
            Completeness(
                commune.code,
                commune.name,
                r.status if r else "",
                label,
                False if overdue else on_time,
                r.pk if r else None,
                overdue,
            )
        )
    n = len(rows)
    sent = sum(1 for r in rows if r.status and r.status != CommuneReport.Status.DRAFT)
    approved = sum(1 for r in rows if r.status == CommuneReport.Status.APPROVED)
    on_time = sum(1 for r in rows if r.submitted_on_time)
    overdue = sum(1 for r in rows if r.overdue)
    summary = {
        "communes": n,
        "sent": sent,
        "approved": approved,
        "on_time": on_time,
        "overdue": overdue,
        "sent_pct": round(100 * sent / n, 1) if n else 0,
        "on_time_pct": round(100 * on_time / sent, 1) if sent else 0,
    }
    return rows, summary


def active_indicators() -> QuerySet[Indicator]:
    return Indicator.objects.filter(is_active=True)
