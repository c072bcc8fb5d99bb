"""Each transition of a case, allowed and refused (wrong state, wrong role, wrong commune)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.protection import flow
from treem.protection import services
from treem.protection.models import Case, CaseEvent, Plan, Review
from treem.protection.services import TransitionError

pytestmark = pytest.mark.django_db
S = Case.Status


def test_report_is_routed_at_once_to_the_commune_where_it_happened(make_report, demo):
    report = make_report(commune=demo.commune_b)
    case = report.case
    assert case.commune_id == demo.commune_b.code
    assert case.status == S.RECEIVED
    assert case.events.get().kind == CaseEvent.Kind.RECEIVED


def test_collaborator_and_partner_may_report_leader_may_not(make_report, users):
    assert make_report(actor=users.collaborator_a).case.status == S.RECEIVED
    assert make_report(actor=users.partner).case.status == S.RECEIVED
    with pytest.raises(PermissionDenied):
        make_report(actor=users.leader)


def test_anonymous_report_keeps_no_identity(make_report):
    report = make_report(is_anonymous=True)
    assert report.reporter_name == "" and report.reporter_phone == ""


def test_full_walk_from_receipt_to_closure(case_a, users):
    case = flow.to_implementation(case_a, users)
    assert case.status == S.IMPLEMENTATION
    case = flow.close(case, users)
    assert case.status == S.CLOSED
    assert case.closed_at is not None and case.due_at is None
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == [
        "received",
        "initial_assessed",
        "detailed_assessed",
        "plan_submitted",
        "plan_approved",
        # The plan's service given to the health station became its referral on approval.
        "referral_sent",
        "service_done",
        "service_done",
        "closed",
    ]


def test_initial_assessment_refused_in_wrong_state(case_a, users):
    flow.assess(case_a, users)
    with pytest.raises(TransitionError):
        flow.assess(case_a, users)


def test_initial_assessment_refused_for_wrong_commune(case_a, users):
    with pytest.raises(PermissionDenied):
        services.case_initial_assess(
            actor=users.officer_b, case=case_a, in_danger=False, findings="x"
        )


def test_initial_assessment_refused_for_wrong_role(case_a, users):
    for actor in (users.collaborator_a, users.partner, users.leader):
        with pytest.raises(PermissionDenied):
            services.case_initial_assess(actor=actor, case=case_a, in_danger=False, findings="x")


def test_detailed_assessment_needs_the_initial_one_first(case_a, users):
    with pytest.raises(TransitionError):
        flow.detail(case_a, users)


def test_detailed_assessment_needs_participants(case_a, users):
    case = flow.assess(case_a, users)
    with pytest.raises(ValidationError):
        services.case_detailed_assess(
            actor=users.officer_a,
            case=case,
            child_needs="a",
            family_situation="b",
            meeting_at=case.opened_at,
            meeting_place="UBND",
            participants=[],
        )


def test_plan_refused_before_detailed_assessment(case_a, users):
    case = flow.assess(case_a, users)
    with pytest.raises(TransitionError):
        flow.submit_plan(case, users)


def test_only_the_communes_chairman_approves(case_a, users):
    case = flow.submit_plan(flow.detail(flow.assess(case_a, users), users), users)
    for actor in (users.officer_a, users.chairman_b, users.specialist):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=actor, case=case)
    case = flow.approve(case, users)
    assert case.status == S.IMPLEMENTATION
    plan = case.plans.get()
    assert plan.status == Plan.Status.APPROVED and plan.decided_by == users.chairman_a


def test_approval_refused_in_wrong_state(case_a, users):
    case = flow.detail(flow.assess(case_a, users), users)
    with pytest.raises(TransitionError):
        services.plan_approve(actor=users.chairman_a, case=case)


def test_refused_approval_needs_a_reason_and_returns_to_planning(case_a, users):
    case = flow.submit_plan(flow.detail(flow.assess(case_a, users), users), users)
    with pytest.raises(ValidationError):
        services.plan_refuse(actor=users.chairman_a, case=case, reason="  ")
    plan = services.plan_refuse(
        actor=users.chairman_a, case=case, reason="Thiếu dịch vụ trợ giúp pháp lý."
    )
    case.refresh_from_db()
    assert case.status == S.PLANNING
    assert plan.status == Plan.Status.REFUSED
    assert plan.refusal_reason == "Thiếu dịch vụ trợ giúp pháp lý."
    # A second plan can be submitted and approved.
    case = flow.approve(flow.submit_plan(case, users), users)
    assert [p.status for p in case.plans.order_by("number")] == ["refused", "approved"]


def test_review_can_return_to_planning(case_a, users):
    case = flow.to_implementation(case_a, users)
    services.case_review(
        actor=users.officer_a,
        case=case,
        results="Chưa đạt",
        child_situation="Còn nguy cơ",
        outcome=Review.Outcome.REPLAN,
        reason="Cần thêm hỗ trợ",
    )
    case.refresh_from_db()
    assert case.status == S.PLANNING


def test_review_refused_before_implementation(case_a, users):
    with pytest.raises(TransitionError):
        flow.close(case_a, users)


def test_closed_case_reopens_with_a_reason(case_a, users):
    case = flow.close(flow.to_implementation(case_a, users), users)
    with pytest.raises(ValidationError):
        services.case_reopen(actor=users.officer_a, case=case, reason="")
    with pytest.raises(PermissionDenied):
        services.case_reopen(actor=users.officer_b, case=case, reason="Tái diễn")
    services.case_reopen(actor=users.officer_a, case=case, reason="Tái diễn bạo lực")
    case.refresh_from_db()
    assert case.status == S.ASSESSMENT and case.closed_at is None and case.due_at is not None


def test_reopen_refused_for_an_open_case(case_a, users):
    with pytest.raises(TransitionError):
        services.case_reopen(actor=users.officer_a, case=case_a, reason="x")


def test_visit_recorded_during_implementation_only(case_a, users):
    from django.utils import timezone

    with pytest.raises(TransitionError):
        services.visit_record(
            actor=users.officer_a, case=case_a, visited_on=timezone.localdate(), notes="x"
        )
    case = flow.to_implementation(case_a, users)
    visit = services.visit_record(
        actor=users.officer_a, case=case, visited_on=timezone.localdate(), notes="Trẻ ổn."
    )
    assert visit.case_id == case.pk


def test_assignment_only_to_staff_of_the_case_commune(case_a, users):
    with pytest.raises(ValidationError):
        services.case_assign(actor=users.officer_a, case=case_a, worker=users.officer_b)
    with pytest.raises(PermissionDenied):
        services.case_assign(actor=users.officer_b, case=case_a, worker=users.officer_b)
    case = services.case_assign(actor=users.chairman_a, case=case_a, worker=users.officer_a)
    assert case.assigned_to == users.officer_a


def test_emergency_measure_stops_the_emergency_clock(case_a, users):
    case = flow.assess(case_a, users, in_danger=True)
    assert case.is_emergency and case.due_at == case.emergency_due_at
    services.emergency_measure_record(
        actor=users.officer_a,
        case=case,
        kind="temporary_separation",
        description="Đưa trẻ về nhà bà ngoại.",
    )
    case.refresh_from_db()
    assert case.emergency_met_at is not None
    assert case.due_at == case.step_due_at
