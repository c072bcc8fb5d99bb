"""Time limits of a case: the working-day calendar and the settings in force on a date.

The decree's limits (12 hours for emergency protection, Decree 56/2017 Art. 31–32; a plan within 5
working days of the needs assessment, Art. 28(1)) are the defaults loaded into `DeadlineSetting`
by migration, and a commune may set a shorter internal limit, never a longer one. The chairman's 2
working days to decide on a plan (Art. 28(4)) and the 15 days of a temporary separation
(Art. 32(3)) are law, not settings. The other limits (initial assessment, detailed assessment,
review, alerts) are internal practice, marked as such in the data.

Working days (Civil Code 2015, Art. 147–148): the count starts the day after the event and ends at
the end of the last working day; Saturdays, Sundays and confirmed public holidays are skipped, and a
make-up working Saturday of a Government swap counts as a working day.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from treem.protection.models import DeadlineSetting

Key = DeadlineSetting.Key

# The values the data migration loads, and the fallback if a key has no row at all (an empty table
# must not stop a report from being received).
DEFAULTS: dict[str, tuple[int, str]] = {
    Key.EMERGENCY_HOURS: (12, "Nghị định 56/2017/NĐ-CP, Điều 31–32"),
    Key.INITIAL_ASSESSMENT_HOURS: (12, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.ASSESSMENT_WORKING_DAYS: (3, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.PLAN_WORKING_DAYS: (5, "Nghị định 56/2017/NĐ-CP, Điều 28 khoản 1"),
    Key.REVIEW_DAYS: (30, "Quy định nội bộ (chưa đối chiếu văn bản)"),
    Key.DUE_SOON_HOURS: (24, "Quy định nội bộ"),
    Key.ESCALATION_HOURS: (24, "Quy định nội bộ"),
}


# Law, not settings.
APPROVAL_WORKING_DAYS = 2  # Decree 56/2017, Art. 28(4): the chairman decides within 2 working days.
SEPARATION_DAYS = 15  # Decree 56/2017, Art. 32(3): temporary separation, at most 15 days.
# Upper bounds of the settings that carry a legal limit: a commune may be stricter, not laxer.
LEGAL_MAXIMUM = {Key.EMERGENCY_HOURS: 12, Key.PLAN_WORKING_DAYS: 5}


_SETTINGS_MEMO: ContextVar[list | None] = ContextVar("protection_settings", default=None)


def setting_value(key: str, *, commune_code: str | None, on: date) -> int:
    """The value of `key` in force on `on`: the commune's own row if it has one, else the
    province's, else the default."""
    rows = _SETTINGS_MEMO.get()
    if rows is not None:  # a batch: the (few) setting rows were read once
        in_force = sorted(
            (r for r in rows if r[0] == key and r[2] <= on and r[1] in {None, commune_code}),
            key=lambda r: r[2],
            reverse=True,
        )
        for _key, commune_id, _from, value in in_force:
            if commune_id:
                return value
        return in_force[0][3] if in_force else DEFAULTS[key][0]
    return _setting_value(key, commune_code=commune_code, on=on)


def _setting_value(key: str, *, commune_code: str | None, on: date) -> int:
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


_CACHE: ContextVar[tuple[set[date], set[date]] | None] = ContextVar(
    "protection_calendar", default=None
)


@contextmanager
def calendar_cache():
    """Read the whole calendar once (a few hundred rows), and each time limit once, for a batch of
    due-time computations such as recomputing thousands of open cases after a holiday changes."""
    from treem.protection.models import PublicHoliday as H

    off: set[date] = set()
    work: set[date] = set()
    rows = H.objects.filter(status=H.Status.CONFIRMED).values_list("date", "kind")
    for day, kind in rows:
        (work if kind == H.Kind.WORKING_DAY else off).add(day)
    token = _CACHE.set((off, work))
    memo_token = _SETTINGS_MEMO.set(
        list(DeadlineSetting.objects.values_list("key", "commune_id", "effective_from", "value"))
    )
    try:
        yield
    finally:
        _CACHE.reset(token)
        _SETTINGS_MEMO.reset(memo_token)


def calendar_between(start: date, end: date) -> tuple[set[date], set[date]]:
    """(days off, make-up working days) between `start` and `end`, confirmed rows only."""
    from treem.protection.models import PublicHoliday as H

    cached = _CACHE.get()
    if cached is not None:
        return (
            {d for d in cached[0] if start <= d <= end},
            {d for d in cached[1] if start <= d <= end},
        )
    off: set[date] = set()
    work: set[date] = set()
    rows = H.objects.filter(date__range=(start, end), status=H.Status.CONFIRMED).values_list(
        "date", "kind"
    )
    for day, kind in rows:
        (work if kind == H.Kind.WORKING_DAY else off).add(day)
    return off, work


# Apps above protection that store dates computed on this calendar (the programmes app's task
# deadlines) register here, in their AppConfig.ready(), to be told when days change; protection
# never imports them (layers point one way).
CalendarListener = Callable[..., object]
_calendar_listeners: list[CalendarListener] = []


def on_calendar_change(listener: CalendarListener) -> None:
    """Register `listener(days=[date, ...], actor=User | None, reason=str)`, called inside the
    transaction that changed the calendar, so what it recomputes commits or rolls back with the
    change."""
    if listener not in _calendar_listeners:
        _calendar_listeners.append(listener)


def calendar_changed(*, days: list[date], actor, reason: str) -> None:
    if days:
        for listener in list(_calendar_listeners):
            listener(days=sorted(days), actor=actor, reason=reason)


def holidays_between(start: date, end: date) -> set[date]:
    return calendar_between(start, end)[0]


def is_working_day(day: date, holidays: set[date], workdays: set[date] = frozenset()) -> bool:
    if day in workdays:
        return True
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: datetime, days: int) -> datetime:
    """The end (23:59:59 local time) of the `days`-th working day after the day of `start`.

    Civil Code 2015, Art. 147(1) and 148(1): counting starts the day after `start`, so a report
    received late on a Friday still gets five full working days, and the period ends at the end of
    its last day. Weekends and confirmed holidays are skipped; a make-up Saturday is worked.
    """
    local_day = timezone.localtime(start).date()
    # Three calendar days per working day plus 20 covers Tết's longest run; widen if needed.
    horizon = local_day + timedelta(days=days * 3 + 20)
    holidays, workdays = calendar_between(local_day, horizon)
    day = local_day
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if day > horizon:
            start_more = day
            horizon = day + timedelta(days=days * 3 + 20)
            more_off, more_work = calendar_between(start_more, horizon)
            holidays |= more_off
            workdays |= more_work
        if is_working_day(day, holidays, workdays):
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
    """Decree 56/2017 Art. 28(1): the plan within 5 working days of the needs assessment (Form 03
    and its case meeting, Art. 27), or of the moment a plan was asked for again."""
    return working_days_from(start, key=Key.PLAN_WORKING_DAYS, commune_code=commune_code)


def approval_due(*, submitted_at: datetime, commune_code: str = "") -> datetime:
    """Decree 56/2017 Art. 28(4): the chairman decides within 2 working days of submission."""
    return add_working_days(submitted_at, APPROVAL_WORKING_DAYS)


def separation_end(*, starts_at: datetime) -> datetime:
    """Decree 56/2017 Art. 32(3): at most 15 days (calendar days: the decree says days, not
    working days), to the same hour."""
    return starts_at + timedelta(days=SEPARATION_DAYS)


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
