"""Overdue and due soon on the working-day calendar: a deadline on a weekend or public holiday
runs to the end of the next working day (Civil Code 2015, Art. 148(5))."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from treem.programmes import notify, selectors, services
from treem.programmes.models import TaskNotification
from treem.protection.models import PublicHoliday

pytestmark = pytest.mark.django_db


@pytest.fixture
def saturday_task(plan, specialist, demo):
    # 2026-10-17 is a Saturday.
    return services.task_add(
        actor=specialist,
        plan=plan,
        title="Kiểm tra điểm vui chơi",
        lead_organisation=demo.users["doitac"].organisation,
        due_on=date(2026, 10, 17),
    )


def test_task_due_on_a_saturday_is_overdue_only_after_the_monday(saturday_task, specialist):
    assert saturday_task.deadline_on == date(2026, 10, 19)
    for today, overdue in [
        (date(2026, 10, 16), False),  # Friday
        (date(2026, 10, 18), False),  # Sunday: the deadline runs to Monday
        (date(2026, 10, 19), False),  # Monday: still due today
        (date(2026, 10, 20), True),  # Tuesday
    ]:
        board = selectors.plan_board(user=specialist, today=today, year=2026)
        assert (saturday_task in board.overdue) is overdue, today
        assert board.overdue_count == int(overdue)


def test_due_soon_counts_working_days_across_the_weekend(saturday_task, specialist):
    # On Friday 9 October the fifth working day ahead is Friday 16; Monday 19 is not yet due soon.
    assert selectors.plan_board(user=specialist, today=date(2026, 10, 9), year=2026).due_soon == []
    # On Monday 12 the fifth working day ahead is Monday 19.
    board = selectors.plan_board(user=specialist, today=date(2026, 10, 12), year=2026)
    assert board.due_soon == [saturday_task]


def test_public_holiday_moves_the_deadline(plan, specialist):
    PublicHoliday.objects.get_or_create(date=date(2026, 9, 2), defaults={"name": "Quốc khánh"})
    PublicHoliday.objects.get_or_create(date=date(2026, 9, 1), defaults={"name": "Quốc khánh"})
    task = services.task_add(
        actor=specialist,
        plan=plan,
        title="Báo cáo",
        lead_organisation=specialist.organisation,
        due_on=date(2026, 9, 1),
    )
    assert task.deadline_on == date(2026, 9, 3)


def test_board_page_and_notifications_across_a_weekend(saturday_task, partner_client, demo):
    assert notify.scan(today=date(2026, 10, 19))["overdue"] == 0
    counts = notify.scan(today=date(2026, 10, 20))
    # The lead agency's officer, and the province's specialist who follows the province plan.
    assert counts["overdue"] == 2
    assert notify.scan(today=date(2026, 10, 20))["overdue"] == 0  # once only
    users = set(TaskNotification.objects.values_list("user__username", flat=True))
    assert users == {"doitac", "chuyenvien"}
    page = partner_client.get(reverse("programmes:notifications")).content.decode()
    assert saturday_task.title in page and "Nhiệm vụ quá hạn" in page


def test_board_queries_do_not_grow_with_tasks(
    plan, specialist, specialist_client, django_assert_max_num_queries
):
    for i in range(15):
        services.task_add(
            actor=specialist,
            plan=plan,
            title=f"Nhiệm vụ {i}",
            lead_organisation=specialist.organisation,
            due_on=date(2026, 2, 2),
        )
    with django_assert_max_num_queries(25):
        response = specialist_client.get(reverse("programmes:board") + "?year=2026")
    assert response.status_code == 200
