from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from treem.accounts.models import Organisation
from treem.core.concurrency import ConcurrentEditError
from treem.programmes import services
from treem.programmes.models import Plan, PlanTarget, Task

pytestmark = pytest.mark.django_db


def _org(demo, username):
    return demo.users[username].organisation


def test_task_for_an_agency_outside_a_commune_plan_is_refused_and_nothing_saved(demo):
    chairman_a = demo.users["chutich.a"]
    plan = services.plan_create(
        actor=chairman_a,
        title="Kế hoạch bảo vệ trẻ em phường Trấn Biên 2026",
        level=Plan.Level.COMMUNE,
        commune=demo.commune_a,
        year_from=2026,
        year_to=2026,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    health_b = Organisation.objects.get(commune=demo.commune_b, kind="health_station")
    with pytest.raises(ValidationError) as exc:
        services.task_add(
            actor=chairman_a,
            plan=plan,
            title="Khám sức khỏe cho trẻ",
            lead_organisation=health_b,
            due_on=date(2026, 6, 1),
        )
    assert "không thuộc phạm vi" in exc.value.message_dict["lead_organisation"][0]
    with pytest.raises(ValidationError) as exc:
        services.task_add(
            actor=chairman_a,
            plan=plan,
            title="Phối hợp với xã khác",
            lead_commune=demo.commune_b,
            due_on=date(2026, 6, 1),
        )
    assert "lead_commune" in exc.value.message_dict
    assert Task.objects.count() == 0


def test_due_date_before_the_plan_starts_is_refused_and_nothing_saved(plan, specialist):
    with pytest.raises(ValidationError) as exc:
        services.task_add(
            actor=specialist,
            plan=plan,
            title="Tập huấn",
            lead_organisation=specialist.organisation,
            due_on=date(2025, 12, 31),
        )
    assert "trước ngày bắt đầu kế hoạch (01/01/2026)" in exc.value.message_dict["due_on"][0]
    assert not plan.tasks.exists()


def test_task_form_shows_the_error_and_keeps_the_input(plan, specialist, specialist_client):
    response = specialist_client.post(
        reverse("programmes:task_create", args=[plan.pk]),
        {
            "title": "Tập huấn cán bộ",
            "lead_organisation": specialist.organisation_id,
            "due_on": "2025-06-01",
            "recurrence": "none",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "trước ngày bắt đầu kế hoạch" in body and "Tập huấn cán bộ" in body
    assert not plan.tasks.exists()


def test_concurrent_edit_of_a_plan_is_refused(plan, specialist):
    version = plan.version
    services.plan_update(actor=specialist, plan=plan, expected_version=version, title="Tên mới")
    stale = Plan.objects.get(pk=plan.pk)
    with pytest.raises(ConcurrentEditError):
        services.plan_update(
            actor=specialist, plan=stale, expected_version=version, title="Tên khác"
        )
    assert Plan.objects.get(pk=plan.pk).title == "Tên mới"


def test_copy_for_next_year_shifts_tasks_and_targets(plan, specialist, demo):
    services.task_add(
        actor=specialist,
        plan=plan,
        title="Tháng hành động vì trẻ em",
        lead_organisation=specialist.organisation,
        due_on=date(2026, 6, 30),
    )
    services.target_set(
        actor=specialist,
        plan=plan,
        indicator_code="birth_reg_u5",
        label="Tỷ lệ đăng ký khai sinh",
        unit_code=demo.province.code,
        year=2026,
        value=98,
    )
    new = services.plan_copy_next_year(actor=specialist, plan=plan)
    assert (new.year_from, new.starts_on, new.copied_from_id) == (2027, date(2027, 1, 1), plan.pk)
    task = new.tasks.get()
    assert task.due_on == date(2027, 6, 30) and task.status == "not_started"
    assert PlanTarget.objects.get(plan=new).year == 2027


def test_commune_plan_derived_from_the_province_inherits_its_tasks(plan, specialist, demo):
    police_a = _org(demo, "doitac")
    parent_tasks = [
        services.task_add(
            actor=specialist,
            plan=plan,
            title="Tập huấn kỹ năng bảo vệ trẻ em",
            lead_organisation=specialist.organisation,
            due_on=date(2026, 5, 29),
        ),
        services.task_add(
            actor=specialist,
            plan=plan,
            title="Tuyên truyền phòng, chống xâm hại",
            lead_organisation=police_a,
            due_on=date(2026, 11, 27),
            recurrence=Task.Recurrence.QUARTERLY,
        ),
    ]
    services.target_set(
        actor=specialist,
        plan=plan,
        indicator_code="KS_DUOI5",
        label="Tỷ lệ đăng ký khai sinh",
        unit_code=demo.commune_a.code,
        year=2026,
        value=99,
    )
    worker_a = demo.users["canbo.a"]
    derived = services.plan_derive_for_commune(actor=worker_a, plan=plan, commune=demo.commune_a)
    assert derived.level == Plan.Level.COMMUNE and derived.commune == demo.commune_a
    assert derived.derived_from == plan
    tasks = list(derived.tasks.order_by("order"))
    assert [t.inherited_from_id for t in tasks] == [t.pk for t in parent_tasks]
    assert all(t.lead_commune_id == demo.commune_a.code for t in tasks)
    # The commune's own police stays as lead; the province department co-operates.
    assert tasks[1].lead_organisation == police_a
    assert specialist.organisation in tasks[0].partner_organisations.all()
    assert tasks[1].recurrence == Task.Recurrence.QUARTERLY
    assert derived.targets.get().value == 99
    # A second derivation for the same commune is refused; commune B's worker may not derive A's.
    with pytest.raises(ValidationError):
        services.plan_derive_for_commune(actor=specialist, plan=plan, commune=demo.commune_a)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.plan_derive_for_commune(
            actor=demo.users["canbo.b"], plan=plan, commune=demo.commune_a
        )


def test_commune_staff_manage_their_own_plans_only(demo, officer_a_client, officer_b_client):
    response = officer_a_client.post(
        reverse("programmes:plan_create"),
        {
            "title": "Kế hoạch phường Trấn Biên 2026",
            "level": "commune",
            "commune": demo.commune_a.code,
            "year_from": 2026,
            "year_to": 2026,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(title="Kế hoạch phường Trấn Biên 2026")
    assert (
        officer_b_client.get(reverse("programmes:plan_detail", args=[plan.pk])).status_code == 404
    )
    # Commune B's worker cannot create a plan for commune A, nor a province plan.
    response = officer_b_client.post(
        reverse("programmes:plan_create"),
        {
            "title": "x",
            "level": "province",
            "year_from": 2026,
            "year_to": 2026,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    assert response.status_code == 200 and Plan.objects.filter(title="x").count() == 0


@pytest.mark.parametrize(
    ("username", "board", "create"),
    [
        ("chuyenvien", 200, 200),
        ("lanhdao", 200, 403),
        ("chutich.a", 200, 200),
        ("canbo.a", 200, 200),
        ("doitac", 200, 403),
        ("ctv.a", 403, 403),
        ("bientap", 403, 403),
        ("admin", 403, 403),
    ],
)
def test_persona_matrix(client_for, username, board, create):
    client = client_for(username)
    assert client.get(reverse("programmes:board")).status_code == board
    assert client.get(reverse("programmes:plan_create")).status_code == create


def test_anonymous_is_sent_to_login(anon_client):
    assert anon_client.get(reverse("programmes:board")).status_code == 302


def test_task_edit_is_checked_like_a_new_task_and_stale_edits_refused(plan, specialist, demo):
    task = services.task_add(
        actor=specialist,
        plan=plan,
        title="Tập huấn",
        lead_organisation=specialist.organisation,
        due_on=date(2026, 5, 29),
    )
    values = {
        "title": "Tập huấn kỹ năng",
        "due_on": date(2026, 10, 17),  # a Saturday
        "lead_organisation": demo.users["doitac"].organisation,
    }
    services.task_update(actor=specialist, task=task, expected_version=1, **values)
    task.refresh_from_db()
    assert (task.title, task.deadline_on, task.version) == (
        "Tập huấn kỹ năng",
        date(2026, 10, 19),
        2,
    )
    with pytest.raises(ConcurrentEditError):
        services.task_update(actor=specialist, task=task, expected_version=1, **values)
    with pytest.raises(ValidationError):
        services.task_update(
            actor=specialist,
            task=task,
            expected_version=2,
            **(values | {"due_on": date(2025, 1, 1)}),
        )
    task.refresh_from_db()
    assert task.due_on == date(2026, 10, 17)
