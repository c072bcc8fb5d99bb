"""The 12-hour and 5-working-day clocks, across a weekend and a public holiday; settings by
effective date and commune."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.protection import flow
from treem.protection import deadlines
from treem.protection.models import DeadlineSetting, PublicHoliday

pytestmark = pytest.mark.django_db


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_current_timezone())


def test_emergency_clock_runs_12_hours_through_a_weekend_and_a_holiday(demo):
    # Saturday 21:00 → Sunday 09:00: hours are counted round the clock.
    due = deadlines.emergency_due(received_at=local(2026, 5, 2, 21, 0), commune_code="26041")
    assert due == local(2026, 5, 3, 9, 0)
    # 30 April (holiday) 18:00 → 1 May (holiday) 06:00.
    due = deadlines.emergency_due(received_at=local(2026, 4, 30, 18, 0), commune_code="26041")
    assert due == local(2026, 5, 1, 6, 0)


def test_plan_due_in_5_working_days_skips_weekend_and_holidays(demo):
    assert PublicHoliday.objects.filter(date=date(2026, 4, 30)).exists()
    assert PublicHoliday.objects.filter(date=date(2026, 5, 1)).exists()
    # Friday 24 April 2026: Mon 27, Tue 28, Wed 29, (Thu 30 and Fri 1 May holidays, weekend),
    # Mon 4, Tue 5 May.
    due = deadlines.plan_due(start=local(2026, 4, 24, 10, 0), commune_code="26041")
    assert due == local(2026, 5, 5, 23, 59, 59)


def test_a_holiday_entered_as_data_moves_the_deadline(demo):
    start = local(2026, 6, 5, 9, 0)  # Friday
    before = deadlines.plan_due(start=start, commune_code="26041")
    assert before == local(2026, 6, 12, 23, 59, 59)
    PublicHoliday.objects.create(date=date(2026, 6, 9), name="Ngày nghỉ thử")
    assert deadlines.plan_due(start=start, commune_code="26041") == local(2026, 6, 15, 23, 59, 59)


def test_commune_setting_and_effective_date(demo):
    code = demo.commune_a.code
    DeadlineSetting.objects.create(
        key="emergency_hours", value=6, effective_from=date(2026, 1, 1), commune=demo.commune_a
    )
    DeadlineSetting.objects.create(key="emergency_hours", value=10, effective_from=date(2026, 3, 1))
    assert deadlines.setting_value("emergency_hours", commune_code=code, on=date(2026, 2, 1)) == 6
    other = demo.commune_b.code
    assert deadlines.setting_value("emergency_hours", commune_code=other, on=date(2026, 2, 1)) == 12
    assert deadlines.setting_value("emergency_hours", commune_code=other, on=date(2026, 3, 1)) == 10


def test_case_due_times_follow_the_clocks(make_report, users):
    received = local(2026, 4, 24, 10, 0)  # Friday before the 30/4-1/5 holidays
    case = make_report(received_at=received).case
    assert case.due_at == local(2026, 4, 24, 22, 0)  # initial assessment: 12 hours
    case = flow.assess(case, users, in_danger=True)
    assert case.emergency_due_at == local(2026, 4, 24, 22, 0)
    case = flow.detail(case, users)
    # Planning: 5 working days from the report, whatever the date of the assessment.
    assert case.step_due_at == local(2026, 5, 5, 23, 59, 59)
