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


# ---- a holiday decided after the task was set


def _task(plan, specialist, demo, due_on, title="Tổng hợp số liệu Tháng hành động"):
    return services.task_add(
        actor=specialist,
        plan=plan,
        title=title,
        lead_organisation=demo.users["doitac"].organisation,
        due_on=due_on,
    )


def test_a_holiday_added_later_moves_the_stored_deadline_and_is_recorded(
    plan, specialist, demo, specialist_client
):
    from treem.programmes.models import Task, TaskEvent, TaskStatus
    from treem.protection import services as calendar

    thursday = _task(plan, specialist, demo, date(2026, 10, 15))
    saturday = _task(plan, specialist, demo, date(2026, 10, 17), title="Kiểm tra điểm vui chơi")
    finished = _task(plan, specialist, demo, date(2026, 10, 19), title="Đã xong")
    Task.objects.filter(pk=finished.pk).update(status=TaskStatus.DONE, percent=100)
    assert (thursday.deadline_on, saturday.deadline_on) == (date(2026, 10, 15), date(2026, 10, 19))
    version = saturday.version

    # The province gives Thursday 15 and Monday 19 October off (a decision published late).
    calendar.holiday_add(actor=specialist, date_=date(2026, 10, 15), name="Nghỉ bù sự kiện")
    calendar.holiday_add(actor=specialist, date_=date(2026, 10, 19), name="Nghỉ theo quyết định")
    thursday.refresh_from_db()
    saturday.refresh_from_db()
    finished.refresh_from_db()
    assert thursday.deadline_on == date(2026, 10, 16)  # Friday
    assert saturday.deadline_on == date(2026, 10, 20)  # over the weekend and the Monday off
    assert finished.deadline_on == date(2026, 10, 19)  # a done task keeps its deadline
    assert saturday.version == version + 1  # an edit form opened before is refused
    # On Monday 19 the Saturday task is no longer overdue; on Wednesday 21 it is.
    board = selectors.plan_board(user=specialist, today=date(2026, 10, 20), year=2026)
    assert saturday not in board.overdue and thursday in board.overdue
    board = selectors.plan_board(user=specialist, today=date(2026, 10, 21), year=2026)
    assert saturday in board.overdue

    moves = list(TaskEvent.objects.filter(task=saturday, kind=TaskEvent.Kind.DEADLINE))
    assert [(m.details["from"], m.details["to"]) for m in moves] == [("2026-10-19", "2026-10-20")]
    assert moves[0].actor == specialist and moves[0].details["reason"] == "holiday_added"
    page = specialist_client.get(reverse("programmes:task_detail", args=[saturday.pk]))
    assert "Hạn tính đến dời từ 19/10/2026 sang 20/10/2026" in page.content.decode()

    # The day off is withdrawn: the deadline comes back, and that move is recorded too.
    holiday = PublicHoliday.objects.get(date=date(2026, 10, 19))
    calendar.holiday_set_status(
        actor=specialist, holiday=holiday, status=PublicHoliday.Status.REMOVED
    )
    saturday.refresh_from_db()
    assert saturday.deadline_on == date(2026, 10, 19)
    history = [
        (m.details["from"], m.details["to"], m.details["reason"])
        for m in TaskEvent.objects.filter(task=saturday, kind=TaskEvent.Kind.DEADLINE)
    ]
    assert history == [
        ("2026-10-19", "2026-10-20", "holiday_added"),
        ("2026-10-20", "2026-10-19", "holiday_removed"),
    ]


def test_a_make_up_working_saturday_ends_the_deadline_that_day(plan, specialist, demo):
    from treem.protection import services as calendar

    saturday = _task(plan, specialist, demo, date(2026, 10, 17))
    calendar.holiday_add(
        actor=specialist,
        date_=date(2026, 10, 17),
        name="Làm bù",
        kind=PublicHoliday.Kind.WORKING_DAY,
    )
    saturday.refresh_from_db()
    assert saturday.deadline_on == date(2026, 10, 17)


def test_a_refused_holiday_moves_nothing(plan, specialist, demo):
    from django.core.exceptions import ValidationError

    from treem.protection import services as calendar

    saturday = _task(plan, specialist, demo, date(2026, 10, 17))
    with pytest.raises(ValidationError):
        # A Saturday cannot be "given off": refused, and the task keeps its deadline.
        calendar.holiday_add(actor=specialist, date_=date(2026, 10, 18), name="Chủ nhật")
    saturday.refresh_from_db()
    assert saturday.deadline_on == date(2026, 10, 19)


# ---- work carried over from earlier years' plans


def test_board_shows_open_tasks_of_earlier_years_plans_labelled_with_their_year(
    specialist, demo, specialist_client, partner_client
):
    from treem.programmes.models import Plan, Task, TaskStatus

    old = services.plan_create(
        actor=specialist,
        title="Kế hoạch bảo vệ trẻ em năm 2025",
        number="12/KH-UBND",
        level=Plan.Level.PROVINCE,
        year_from=2025,
        year_to=2025,
        starts_on=date(2025, 1, 1),
        ends_on=date(2025, 12, 31),
    )
    agency = demo.users["doitac"].organisation
    late = services.task_add(
        actor=specialist,
        plan=old,
        title="Rà soát điểm vui chơi còn dang dở",
        lead_organisation=agency,
        due_on=date(2025, 11, 28),
    )
    done = services.task_add(
        actor=specialist,
        plan=old,
        title="Tập huấn đã xong",
        lead_organisation=agency,
        due_on=date(2025, 6, 30),
    )
    Task.objects.filter(pk=done.pk).update(status=TaskStatus.DONE, percent=100)
    mine = services.task_add(
        actor=specialist,
        plan=old,
        title="Việc của sở khác",
        lead_organisation=specialist.organisation,
        due_on=date(2025, 12, 15),
    )

    board = selectors.plan_board(user=specialist, today=date(2026, 3, 2), year=2026)
    assert board.earlier == [late, mine]
    assert (board.earlier_count, board.earlier_overdue_count) == (2, 2)
    # Not counted in 2026's figures.
    assert late not in board.overdue and board.total == 0
    # Viewing 2025 itself, the plan is the year's, not "earlier".
    assert selectors.plan_board(user=specialist, today=date(2026, 3, 2), year=2025).earlier == []

    page = specialist_client.get(reverse("programmes:board") + "?year=2026").content.decode()
    assert "Nhiệm vụ còn tồn của kế hoạch các năm trước" in page
    assert "Kế hoạch năm 2025" in page and "Rà soát điểm vui chơi còn dang dở" in page
    assert "Tập huấn đã xong" not in page
    # A partner agency sees its own carried-over task only.
    page = partner_client.get(reverse("programmes:board") + "?year=2026").content.decode()
    assert "Rà soát điểm vui chơi còn dang dở" in page and "Việc của sở khác" not in page
