"""The one door to the working-day calendar, which belongs to the protection app
(`treem.protection.deadlines`: weekends and the public holidays it knows). The protection app is
changing how it loads holidays, so the assistance app calls it only here."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from treem.protection import deadlines


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The `days`-th working day after `start` (counting starts the next day)."""
    moment = timezone.make_aware(dt.datetime.combine(start, dt.time(12, 0)))
    return timezone.localtime(deadlines.add_working_days(moment, days)).date()
