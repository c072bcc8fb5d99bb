"""The case clocks against Việt Nam's calendar, with the expected dates worked out by hand.

Rules applied by hand (and by `treem.protection.deadlines`):
- Civil Code 2015, Art. 147(1), 148(1): a period in days starts the day after the event and ends at
  the end (23:59:59) of its last day; working days skip Saturdays, Sundays and public holidays.
- Labour Code 2019, Art. 112(1): 1/1; Tết (eve + 4 days of the lunar year); Hùng Kings' day
  (10/3 lunar); 30/4; 1/5; 2/9 and one adjacent day. Art. 112(3): a holiday on a weekend gives a
  compensatory day off. The Government's swaps move a day off and make a Saturday a working day.
- Decree 56/2017, Art. 28(1): the plan within 5 working days of the needs assessment;
  Art. 28(4): the chairman's decision within 2 working days; hours run round the clock.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.protection import flow
from treem.protection import deadlines, services
from treem.protection.models import CaseEvent, DeadlineSetting, PublicHoliday

pytestmark = pytest.mark.django_db
CODE = "26041"


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_current_timezone())


def end_of(y, m, d) -> datetime:
    return local(y, m, d, 23, 59, 59)


def plan_due(*args):
    return deadlines.plan_due(start=local(*args), commune_code=CODE)


def approval_due(*args):
    return deadlines.approval_due(submitted_at=local(*args), commune_code=CODE)


def test_emergency_clock_runs_12_hours_through_a_weekend_and_a_holiday(demo):
    # Saturday 21:00 → Sunday 09:00: hours are counted round the clock.
    due = deadlines.emergency_due(received_at=local(2026, 5, 2, 21, 0), commune_code=CODE)
    assert due == local(2026, 5, 3, 9, 0)
    # 30 April (holiday) 18:00 → 1 May (holiday) 06:00.
    due = deadlines.emergency_due(received_at=local(2026, 4, 30, 18, 0), commune_code=CODE)
    assert due == local(2026, 5, 1, 6, 0)


def test_hung_kings_day_2026_and_its_compensatory_monday(demo):
    # 10/3 lunar = Sunday 26 April 2026, so Monday 27 April is the compensatory day off.
    assert PublicHoliday.objects.get(date=date(2026, 4, 26)).counts
    assert PublicHoliday.objects.get(date=date(2026, 4, 27)).counts
    # From Friday 24 April: Sat 25, Sun 26 (Hùng Kings), Mon 27 (compensatory) are not counted;
    # Tue 28 (1), Wed 29 (2), Thu 30/4 and Fri 1/5 holidays, weekend, Mon 4 (3), Tue 5 (4),
    # Wed 6 May (5). The old answer, 5 May, counted Monday 27 April as a working day.
    assert plan_due(2026, 4, 24, 10, 0) == end_of(2026, 5, 6)
    # The chairman's 2 working days from the same Friday: Tue 28 (1), Wed 29 (2).
    assert approval_due(2026, 4, 24, 10, 0) == end_of(2026, 4, 29)


def test_tet_2026(demo):
    # Tết Bính Ngọ: 1/1 lunar = Tuesday 17 February 2026; eve Monday 16 and days 2–4 (18, 19,
    # 20): Monday 16 to Friday 20 February are off. From Thursday 12 February: Fri 13 (1),
    # weekend, 16–20 off, weekend, Mon 23 (2), Tue 24 (3), Wed 25 (4), Thu 26 (5).
    for day in range(16, 21):
        assert PublicHoliday.objects.get(date=date(2026, 2, day)).counts
    assert plan_due(2026, 2, 12, 15, 0) == end_of(2026, 2, 26)
    # Submitted on Friday 13: the decision is due Mon 23 (1), Tue 24 (2).
    assert approval_due(2026, 2, 13, 9, 0) == end_of(2026, 2, 24)


def test_tet_2027(demo):
    # Tết Đinh Mùi: 1/1 lunar = Saturday 6 February 2027. The five days are the eve (Fri 5) and
    # Sat 6, Sun 7, Mon 8, Tue 9; Sat 6 and Sun 7 fall on the weekly rest, so two compensatory
    # days are due (Art. 112(3)). The package places them as the Government has done since 2014:
    # Saturday's before Tết (Thu 4, "29 Tết") and Sunday's after (Wed 10). Read literally
    # ("the next working days") they would be Wed 10 and Thu 11. From Wednesday 3 February both
    # readings give the same end: Thu 4 is off or is day 1, then nothing is counted until
    # Thu 11/Fri 12, and the fifth working day is Wednesday 17 February:
    # package: Thu 11 (1), Fri 12 (2), Mon 15 (3), Tue 16 (4), Wed 17 (5);
    # literal: Thu 4 (1), Fri 12 (2), Mon 15 (3), Tue 16 (4), Wed 17 (5).
    for day in (4, 5, 8, 9, 10):
        assert PublicHoliday.objects.get(date=date(2027, 2, day)).counts
    assert plan_due(2027, 2, 3, 10, 0) == end_of(2027, 2, 17)


def test_national_day_2026_with_its_adjacent_day_and_the_swapped_monday(demo):
    # 2/9/2026 is a Wednesday; the adjacent day is Tuesday 1/9 (Art. 112(1)(đ)). The Government
    # swapped Monday 31/8 off for Saturday 22/8 worked. From Thursday 27 August: Fri 28 (1),
    # weekend, Mon 31 (swapped off), Tue 1 and Wed 2 (National Day), Thu 3 (2), Fri 4 (3),
    # Mon 7 (4), Tue 8 September (5).
    assert PublicHoliday.objects.get(date=date(2026, 9, 1)).counts
    assert PublicHoliday.objects.get(date=date(2026, 8, 31)).counts
    assert plan_due(2026, 8, 27, 10, 0) == end_of(2026, 9, 8)
    assert approval_due(2026, 8, 28, 10, 0) == end_of(2026, 9, 4)


def test_a_swapped_day_2025(demo):
    # 2025: Friday 2 May off, worked on Saturday 26 April. From Thursday 24 April: Fri 25 (1),
    # Sat 26 (make-up working day, 2), Sun 27, Mon 28 (3), Tue 29 (4), Wed 30/4, Thu 1/5 and
    # Fri 2/5 (swapped) off, weekend, Mon 5 May (5).
    assert PublicHoliday.objects.get(date=date(2025, 5, 2)).counts
    assert plan_due(2025, 4, 24, 10, 0) == end_of(2025, 5, 5)


def test_a_make_up_saturday_counts_as_a_working_day(demo):
    make_up = PublicHoliday.objects.get(date=date(2026, 8, 22))
    assert make_up.kind == PublicHoliday.Kind.WORKING_DAY and make_up.counts
    # Submitted Thursday 20 August 2026: Fri 21 (1), Sat 22 (make-up working day, 2).
    assert approval_due(2026, 8, 20, 16, 0) == end_of(2026, 8, 22)
    # Without the make-up day it would be Monday 24.
    services.holiday_set_status(
        actor=make_up_actor(), holiday=make_up, status=PublicHoliday.Status.REMOVED
    )
    assert approval_due(2026, 8, 20, 16, 0) == end_of(2026, 8, 24)


def make_up_actor():
    from treem.accounts.models import User

    return User.objects.get(username="chuyenvien")


def test_a_day_without_an_enacted_law_is_unconfirmed_until_an_official_confirms_it(demo):
    # 24/11 "Ngày Văn hóa Việt Nam" from 2026 follows a Party resolution; the Labour Code has not
    # been amended. From Friday 20 November 2026: Mon 23 (1), Tue 24 (2) while unconfirmed.
    day = PublicHoliday.objects.get(date=date(2026, 11, 24))
    assert day.status == PublicHoliday.Status.UNCONFIRMED and not day.counts
    assert approval_due(2026, 11, 20, 10, 0) == end_of(2026, 11, 24)
    services.holiday_set_status(
        actor=make_up_actor(), holiday=day, status=PublicHoliday.Status.CONFIRMED
    )
    assert approval_due(2026, 11, 20, 10, 0) == end_of(2026, 11, 25)


def test_refresh_is_idempotent_and_keeps_officials_decisions(demo):
    from treem.protection import calendar

    official = make_up_actor()
    removed = PublicHoliday.objects.get(date=date(2027, 4, 16))  # Hùng Kings' day 2027
    services.holiday_set_status(
        actor=official, holiday=removed, status=PublicHoliday.Status.REMOVED
    )
    added = services.holiday_add(actor=official, date_=date(2027, 6, 1), name="Nghỉ thử")
    count = PublicHoliday.objects.count()
    result = calendar.load_package_days()
    again = calendar.load_package_days()
    assert not result.created and not again.created and not again.updated
    assert PublicHoliday.objects.count() == count
    removed.refresh_from_db()
    assert removed.status == PublicHoliday.Status.REMOVED
    assert PublicHoliday.objects.get(pk=added.pk).status == PublicHoliday.Status.CONFIRMED
    assert removed.source.startswith("holidays ")


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


def test_a_setting_cannot_exceed_the_decree(demo):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.deadline_setting_add(
            actor=make_up_actor(), key="plan_working_days", value=7, effective_from=date(2026, 1, 1)
        )


def test_the_plan_clock_runs_from_the_case_meeting_not_the_report(make_report, users):
    received = local(2026, 4, 24, 10, 0)  # Friday before Hùng Kings' compensatory Monday
    case = make_report(received_at=received).case
    assert case.due_at == local(2026, 4, 24, 22, 0)  # initial assessment: 12 hours
    case = flow.assess(case, users, in_danger=True)
    assert case.emergency_due_at == local(2026, 4, 24, 22, 0)
    # The case meeting was on Tuesday 5 May 09:00: Wed 6 (1), Thu 7 (2), Fri 8 (3), Mon 11 (4),
    # Tue 12 May (5).
    case = flow.detail(case, users, meeting_at=local(2026, 5, 5, 9, 0))
    assert case.step_due_at == end_of(2026, 5, 12)


def test_a_meeting_before_the_report_is_refused(make_report, users):
    from django.core.exceptions import ValidationError

    case = flow.assess(make_report(received_at=local(2026, 4, 24, 10, 0)).case, users)
    with pytest.raises(ValidationError) as exc:
        flow.detail(case, users, meeting_at=local(2026, 4, 23, 9, 0))
    assert "meeting_at" in exc.value.message_dict


def test_open_cases_are_recomputed_when_a_holiday_changes(make_report, users):
    case = flow.assess(make_report(received_at=local(2026, 6, 1, 9, 0)).case, users)
    # Meeting Friday 5 June 2026: Mon 8 (1), Tue 9 (2), Wed 10 (3), Thu 11 (4), Fri 12 (5).
    case = flow.detail(case, users, meeting_at=local(2026, 6, 5, 9, 0))
    assert case.step_due_at == end_of(2026, 6, 12)
    services.holiday_add(actor=users.specialist, date_=date(2026, 6, 9), name="Ngày nghỉ thử")
    case.refresh_from_db()
    assert case.step_due_at == end_of(2026, 6, 15)
    event = case.events.get(kind=CaseEvent.Kind.DUE_RECOMPUTED)
    assert event.details["days"] == ["2026-06-09"]
    assert event.details["to"].startswith("2026-06-15")
    # Removing the day brings the due time back, and says so again.
    services.holiday_set_status(
        actor=users.specialist,
        holiday=PublicHoliday.objects.get(date=date(2026, 6, 9)),
        status=PublicHoliday.Status.REMOVED,
    )
    case.refresh_from_db()
    assert case.step_due_at == end_of(2026, 6, 12)
    assert case.events.filter(kind=CaseEvent.Kind.DUE_RECOMPUTED).count() == 2


def test_open_cases_are_recomputed_when_a_time_limit_changes(make_report, users, demo):
    case = flow.assess(make_report(received_at=local(2026, 6, 1, 9, 0)).case, users)
    case = flow.detail(case, users, meeting_at=local(2026, 6, 5, 9, 0))
    other = make_report(
        commune=demo.commune_b, actor=users.officer_b, received_at=local(2026, 6, 1, 9, 0)
    ).case
    services.case_initial_assess(actor=users.officer_b, case=other, in_danger=False, findings="x")
    services.case_detailed_assess(
        actor=users.officer_b,
        case=other,
        child_needs="Khám sức khỏe",
        family_situation="Sống với bà",
        meeting_at=local(2026, 6, 5, 9, 0),
        meeting_place="UBND xã Trảng Bom",
        participants=[{"name": "Lê Văn Tư", "role": "Công chức"}],
    )
    services.deadline_setting_add(
        actor=users.specialist,
        key="plan_working_days",
        value=3,
        effective_from=date(2026, 1, 1),
        commune=demo.commune_a,
    )
    case.refresh_from_db()
    # Mon 8 (1), Tue 9 (2), Wed 10 June (3).
    assert case.step_due_at == end_of(2026, 6, 10)
    assert case.events.filter(kind=CaseEvent.Kind.DUE_RECOMPUTED).exists()
    assert not other.events.filter(kind=CaseEvent.Kind.DUE_RECOMPUTED).exists()


def test_settings_page_lets_the_province_confirm_remove_and_add_days(
    demo, specialist_client, officer_a_client
):
    url = reverse("protection:settings") + "?year=2026"
    page = specialist_client.get(url).content.decode()
    assert "Ngày Văn hóa Việt Nam" in page and "Chưa xác nhận" in page
    assert "holidays 0.109" in page or "holidays " in page
    day = PublicHoliday.objects.get(date=date(2026, 11, 24))
    specialist_client.post(url, {"holiday": day.pk, "status": "confirmed"})
    day.refresh_from_db()
    assert day.counts and day.by_official and day.changed_by.username == "chuyenvien"
    response = specialist_client.post(
        url, {"h-date": "2026-12-19", "h-name": "Làm bù thử", "h-kind": "working_day"}
    )
    assert response.status_code == 302
    assert PublicHoliday.objects.get(date=date(2026, 12, 19)).kind == "working_day"
    # A commune worker cannot touch the calendar.
    assert officer_a_client.post(url, {"holiday": day.pk, "status": "removed"}).status_code == 403
    day.refresh_from_db()
    assert day.status == PublicHoliday.Status.CONFIRMED
