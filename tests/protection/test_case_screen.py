"""The case screen that leads: stepper, plan services that become referrals and are marked done,
closing with open services, the chairman's and the worker's to-do lists (with the menu count),
notifications that say what is asked, the partner's referral list, the plain-language timeline."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.protection import flow
from treem.protection import selectors, services
from treem.protection.models import CaseEvent, Notification, PlanService, Referral, Review
from treem.registry import services as registry_services

pytestmark = pytest.mark.django_db


def link_child(case, users, demo, *, born="05/03/2017"):
    child = registry_services.child_register(
        actor=users.officer_a,
        raw={
            "full_name": "Nguyễn Văn An",
            "birth_date": born,
            "sex": "M",
            "commune": demo.commune_a.code,
        },
        decision="new",
    ).child
    services.case_link_child(actor=users.officer_a, case=case, child=child)
    return child


def test_plan_services_become_referrals_on_approval_one_entry_each(
    case_a, users, django_capture_on_commit_callbacks
):
    case = flow.submit_plan(flow.detail(flow.assess(case_a, users), users), users)
    assert not Referral.objects.filter(case=case).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = flow.approve(case, users)
    assert len(callbacks) == 1  # the referral's notification to the agency
    referrals = list(Referral.objects.filter(case=case))
    # One service went to the health station, the other to the worker herself: one referral.
    assert len(referrals) == 1
    medical = PlanService.objects.get(plan__case=case, kind="medical")
    assert referrals[0].service == medical and referrals[0].organisation == medical.organisation
    assert referrals[0].sent_by == users.officer_a  # the plan's author is the partner's contact


def test_case_page_shows_each_service_once_with_its_referral(case_a, users, officer_a_client):
    case = flow.to_implementation(case_a, users)
    page = officer_a_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert page.count("Khám sức khỏe tổng quát") == 1
    assert "Chuyển gửi: Đã chuyển gửi" in page
    assert "Chuyển gửi ngoài kế hoạch" not in page


def test_a_partner_closing_its_referral_marks_the_service_done(case_a, users):
    from treem.accounts.models import Role, User

    case = flow.to_implementation(case_a, users)
    referral = Referral.objects.get(case=case)
    partner = User.objects.create_user(
        username="tramyte.a",
        password="x",
        full_name="Lê Thị Thu",
        role=Role.PARTNER_OFFICER,
        organisation=referral.organisation,
        province=case.commune.province,
    )
    services.referral_accept(actor=partner, referral=referral)
    services.referral_record_service(
        actor=partner, referral=referral, service_given="Đã khám tổng quát ngày 10/6."
    )
    services.referral_close(actor=partner, referral=referral)
    service = referral.service
    service.refresh_from_db()
    assert service.done_at is not None and service.done_note == "Đã khám tổng quát ngày 10/6."
    assert [s.kind for s in services.open_plan_services(case)] == ["psychological"]


def test_closing_with_open_services_asks_for_a_reason_and_names_them(case_a, users):
    case = flow.to_implementation(case_a, users)
    with pytest.raises(ValidationError) as exc:
        flow.close(case, users, finish=False)
    message = " ".join(exc.value.messages)
    assert "Còn 2 dịch vụ chưa hoàn thành" in message and "Chăm sóc y tế" in message
    case = flow.close(
        case, users, finish=False, open_services_reason="Gia đình chuyển đi tỉnh khác."
    )
    assert case.status == "closed"
    assert "Gia đình chuyển đi tỉnh khác." in case.close_reason
    assert case.events.get(kind=CaseEvent.Kind.CLOSED).details["open_services"]


def test_marking_a_service_done_is_done_once(case_a, users, officer_a_client):
    case = flow.to_implementation(case_a, users)
    service = PlanService.objects.get(plan__case=case, kind="psychological")
    url = reverse("protection:service_done", args=[case.pk])
    for _ in range(2):  # a double submit
        officer_a_client.post(url, {"service": service.pk, "note": "Đã tư vấn 4 buổi"})
    service.refresh_from_db()
    assert service.done_at is not None and service.done_note == "Đã tư vấn 4 buổi"
    assert case.events.filter(kind=CaseEvent.Kind.SERVICE_DONE).count() == 1


def test_services_cannot_be_marked_done_by_another_commune(case_a, users, officer_b_client):
    case = flow.to_implementation(case_a, users)
    service = PlanService.objects.get(plan__case=case, kind="psychological")
    response = officer_b_client.post(
        reverse("protection:service_done", args=[case.pk]), {"service": service.pk}
    )
    assert response.status_code == 404
    service.refresh_from_db()
    assert service.done_at is None


def test_chairman_todo_lists_plans_awaiting_decision_with_a_menu_count(
    case_a, users, chairman_a_client, client_for, django_capture_on_commit_callbacks
):
    case = flow.detail(flow.assess(case_a, users), users)
    with django_capture_on_commit_callbacks(execute=True):
        case = flow.submit_plan(case, users)
    page = chairman_a_client.get(reverse("protection:todo")).content.decode()
    assert "Kế hoạch chờ tôi quyết định (1)" in page and case.code in page
    # The menu shows the count next to "Việc cần làm".
    assert '<mark class="nav-badge">1</mark>' in page
    note = Notification.objects.get(user=users.chairman_a, kind=Notification.Kind.PLAN_DECISION)
    assert "Kế hoạch chờ ông/bà quyết định" in selectors.notification_message(note)
    # Another commune's chairman has nothing to decide.
    other = client_for("chutich.b").get(reverse("protection:todo")).content.decode()
    assert case.code not in other and "Kế hoạch chờ tôi quyết định (0)" in other
    flow.approve(case, users)
    assert not selectors.plans_awaiting_decision(user=users.chairman_a).exists()


def test_worker_todo_lists_my_cases_due_in_the_coming_week(case_a, users, officer_a_client):
    case = flow.assess(case_a, users)  # assigned to the worker who assessed it
    assert case.assigned_to == users.officer_a
    due = list(selectors.my_cases_due_this_week(user=users.officer_a))
    assert case in due
    page = officer_a_client.get(reverse("protection:todo")).content.decode()
    assert "Ca của tôi đến hạn trong 7 ngày tới" in page and case.code in page


def test_stepper_shows_done_current_and_upcoming_with_the_due_time(case_a, users):
    case = flow.detail(flow.assess(case_a, users), users)
    steps = selectors.case_steps(case)
    assert [s.state for s in steps] == [
        "done",
        "done",
        "done",
        "current",
        "upcoming",
        "upcoming",
        "upcoming",
    ]
    assert steps[3].due_at == case.step_due_at


def test_closed_case_has_no_edit_button_and_no_empty_headings(case_a, users, officer_a_client):
    case = flow.close(flow.to_implementation(case_a, users), users)
    page = officer_a_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert "Sửa đánh giá ban đầu" not in page
    assert "initial-edit-form" not in page
    assert "Mở lại ca" in page
    with pytest.raises(ValidationError):
        services.initial_assessment_update(
            actor=users.officer_a,
            assessment=case.initial_assessment,
            expected_version=case.initial_assessment.version,
            findings="x",
        )
    fresh = flow.assess(
        services.report_receive(
            actor=users.officer_a,
            channel="hotline_111",
            commune=case.commune,
            what_happened="Trẻ bị bỏ đói.",
        ).case,
        users,
    )
    page = officer_a_client.get(reverse("protection:case_detail", args=[fresh.pk])).content.decode()
    # Steps to come have no heading of their own yet.
    assert "Rà soát, đánh giá (Mẫu số 06)" not in page
    assert "Kế hoạch hỗ trợ, can thiệp (Mẫu số 04, 05)" not in page


def test_forms_02_to_06_are_shown_on_the_page(case_a, users, officer_a_client):
    case = flow.assess(case_a, users)
    case = flow.detail(case, users, risks="Cha dượng uống rượu.", strengths="Bà ngoại gần nhà.")
    case = flow.close(flow.approve(flow.submit_plan(case, users), users), users)
    page = officer_a_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    for text in (
        "Trẻ có vết bầm ở tay.",  # Form 02
        "Cha dượng uống rượu.",  # Form 03 risks
        "Bà ngoại gần nhà.",  # Form 03 strengths
        "Võ Thị Hồng Nhung",  # Form 03 participants
        "Trẻ được an toàn, được khám và tư vấn tâm lý.",  # Form 04
        "12/QĐ-UBND",  # Form 05
        "Trẻ an toàn, đi học đều.",  # Form 06
    ):
        assert text in page, text


def test_partner_list_shows_case_code_first_name_age_and_sender(case_a, users, demo, client_for):
    from treem.accounts.models import Role, User

    link_child(case_a, users, demo, born="05/03/2017")
    case = flow.to_implementation(case_a, users)
    referral = Referral.objects.get(case=case)
    partner = User.objects.create_user(
        username="tramyte.a",
        password="x",
        full_name="Lê Thị Thu",
        role=Role.PARTNER_OFFICER,
        organisation=referral.organisation,
        province=case.commune.province,
    )
    page = client_for(partner.username).get(reverse("protection:referral_list")).content.decode()
    today = timezone.localdate()
    age = today.year - 2017 - ((today.month, today.day) < (3, 5))
    assert case.code in page and f"An, {age} tuổi" in page
    assert "Nguyễn Văn An" not in page and str(users.officer_a) in page


def test_timeline_reads_like_a_register_and_folds_views(case_a, users, officer_a_client):
    case = flow.to_implementation(case_a, users)
    for _ in range(3):
        officer_a_client.get(reverse("protection:case_detail", args=[case.pk]))
    items = selectors.case_timeline(user=users.officer_a, case=case)
    texts = [item.text for item in items]
    assert any(t.startswith("Chuyển gửi dịch vụ chăm sóc y tế đến Trạm Y tế") for t in texts)
    meeting = next(i for i in items if i.kind == CaseEvent.Kind.DETAILED_ASSESSED)
    assert meeting.lines == ["Võ Thị Hồng Nhung (Công chức)"]
    views = [i for i in items if i.kind == "view"]
    assert len(views) == 1 and "Xem hồ sơ ca 3 lần" in views[0].text
    page = officer_a_client.get(reverse("protection:case_timeline", args=[case.pk]))
    html = page.content.decode()
    assert "Thành phần tham dự: Võ Thị Hồng Nhung (Công chức)" in html
    assert "details" not in html and "{" not in html.split("<tbody>")[1].split("</tbody>")[0]


def test_replan_after_review_uses_the_review_as_the_plan_clock(case_a, users):
    case = flow.to_implementation(case_a, users)
    services.case_review(
        actor=users.officer_a,
        case=case,
        results="Chưa đạt.",
        child_situation="Còn nguy cơ.",
        outcome=Review.Outcome.REPLAN,
        reason="Cần kế hoạch mới.",
    )
    case.refresh_from_db()
    assert case.status == "planning"
    review = case.reviews.get()
    assert case.step_started_at == review.reviewed_at
    assert case.step_due_at.date() > date.fromordinal(review.reviewed_at.date().toordinal())
