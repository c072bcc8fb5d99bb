"""Due dates of tasks on the working-day calendar the protection app keeps (public holidays as
data, entered and corrected by officials).

A time limit whose last day is a Saturday, Sunday or public holiday ends at the end of the next
working day (Civil Code 2015, Art. 148(5)); so a task due on a Saturday is not overdue on the
Sunday nor on the Monday, only from the Tuesday.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from treem.protection.deadlines import calendar_between, is_working_day

DUE_SOON_WORKING_DAYS = 5


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it. A make-up
    working Saturday of a Government swap is a working day."""
    holidays, workdays = calendar_between(day, day + timedelta(days=30))
    while not is_working_day(day, holidays, workdays):
        day += timedelta(days=1)
    return day


def due_soon_until(today: date, working_days: int = DUE_SOON_WORKING_DAYS) -> date:
    """The last deadline counted as "due soon" on `today`: the end of the n-th working day."""
    holidays, workdays = calendar_between(today, today + timedelta(days=working_days * 3 + 20))
    day, counted = today, 0
    while counted < working_days:
        day += timedelta(days=1)
        if is_working_day(day, holidays, workdays):
            counted += 1
    return day


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def shift_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)
