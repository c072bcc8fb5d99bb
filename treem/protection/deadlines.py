"""Time limits of a case: the working-day calendar and the settings in force on a date.

The decree's limits (12 hours for emergency protection, Decree 56/2017 Art. 31–32; a plan within 5
working days, Art. 29) are the defaults loaded into `DeadlineSetting` by migration; the other limits
(initial assessment, detailed assessment, approval, review, alerts) are internal practice, not law,
and are marked as such in the data. Everything is read from the table, so a commune's shorter limit
or a later change applies from its effective date without a release.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from treem.protection.models import DeadlineSetting, PublicHoliday

Key = DeadlineSetting.Key

# The values the data migration loads, and the fallback if a key has no row at all (an empty table
# must not stop a report from being received).
DEFAULTS: dict[str, tuple[int, str]] = {
    Key.EMERGENCY_HOURS: (12, "Nghị định 56/2017/NĐ-CP, Điều 31–32"),
    Key.INITIAL_ASSESSMENT_HOURS: (12, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.ASSESSMENT_WORKING_DAYS: (3, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.PLAN_WORKING_DAYS: (5, "Nghị định 56/2017/NĐ-CP, Điều 29"),
    Key.APPROVAL_WORKING_DAYS: (2, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.REVIEW_DAYS: (30, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.DUE_SOON_HOURS: (24, "Quy định nội bộ"),
    Key.ESCALATION_HOURS: (24, "Quy định nội bộ"),
}


def setting_value(key: str, *, commune_code: str | None, on: date) -> int:
    """The value of `key` in force on `on`: the commune's own row if it has one, else the
    province's, else the default."""
    place = Q(commune__isnull=True)
    if commune_code:
        place |= Q(commune_id=commune_code)
    rows = list(
        DeadlineSetting.objects.filter(place, key=key, effective_from__lte=on)
        .order_by("-effective_from")
        .values_list("commune_id", "value")
    )
    for commune_id, value in rows:
        if commune_id:
            return value
    return rows[0][1] if rows else DEFAULTS[key][0]


def holidays_between(start: date, end: date) -> set[date]:
    return set(
        PublicHoliday.objects.filter(date__range=(start, end)).values_list("date", flat=True)
    )


def is_working_day(day: date, holidays: set[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (23:59:59 local time) of the `days`-th working day after the day of `start`.

    Saturdays, Sundays and the public holidays in the table are skipped. Counting starts the day
    after `start`, so a report received late on a Friday still gets five full working days.
    """
    local_day = timezone.localtime(start).date()
    # Ten calendar days per five working days is ample even around Tết; widen if a long run of
    # holidays is entered.
    horizon = local_day + timedelta(days=days * 3 + 20)
    holidays = holidays_between(local_day, horizon)
    day = local_day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day > horizon:
            horizon = day + timedelta(days=days * 3 + 20)
            holidays |= holidays_between(day, horizon)
        if is_working_day(day, holidays):
            counted += 1
    end = datetime.combine(day, time(23, 59, 59))
    return timezone.make_aware(end, timezone.get_current_timezone())


def add_hours(start: datetime, *, key: str, commune_code: str) -> datetime:
    """Limits counted in hours run round the clock: nights, weekends and holidays included
    (hotline 111 and emergency protection do not stop)."""
    hours = setting_value(key, commune_code=commune_code, on=timezone.localtime(start).date())
    return start + timedelta(hours=hours)


def working_days_from(start: datetime, *, key: str, commune_code: str) -> datetime:
    days = setting_value(key, commune_code=commune_code, on=timezone.localtime(start).date())
    return add_working_days(start, days)


def emergency_due(*, received_at: datetime, commune_code: str) -> datetime:
    return add_hours(received_at, key=Key.EMERGENCY_HOURS, commune_code=commune_code)


def initial_assessment_due(*, received_at: datetime, commune_code: str) -> datetime:
    return add_hours(received_at, key=Key.INITIAL_ASSESSMENT_HOURS, commune_code=commune_code)


def assessment_due(*, received_at: datetime, commune_code: str) -> datetime:
    return working_days_from(
        received_at, key=Key.ASSESSMENT_WORKING_DAYS, commune_code=commune_code
    )


def plan_due(*, start: datetime, commune_code: str) -> datetime:
    """Decree 56/2017 Art. 29: the plan within 5 working days of the report (or of the moment the
    case went back to planning)."""
    return working_days_from(start, key=Key.PLAN_WORKING_DAYS, commune_code=commune_code)


def approval_due(*, submitted_at: datetime, commune_code: str) -> datetime:
    return working_days_from(submitted_at, key=Key.APPROVAL_WORKING_DAYS, commune_code=commune_code)


def review_due(*, approved_at: datetime, commune_code: str) -> datetime:
    days = setting_value(
        Key.REVIEW_DAYS, commune_code=commune_code, on=timezone.localtime(approved_at).date()
    )
    return approved_at + timedelta(days=days)


def due_soon_window(*, commune_code: str | None = None, on: date | None = None) -> timedelta:
    on = on or timezone.localdate()
    return timedelta(hours=setting_value(Key.DUE_SOON_HOURS, commune_code=commune_code, on=on))


def escalation_delay(*, commune_code: str | None = None, on: date | None = None) -> timedelta:
    on = on or timezone.localdate()
    return timedelta(hours=setting_value(Key.ESCALATION_HOURS, commune_code=commune_code, on=on))
