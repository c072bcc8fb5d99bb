"""Helpers that walk a case through its steps with the services (not fixtures: tests call them
to reach the state they start from)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from treem.accounts.models import Organisation
from treem.protection import services
from treem.protection.models import Case, Review


def assess(case, users, *, in_danger=False):
    services.case_initial_assess(
        actor=users.officer_a, case=case, in_danger=in_danger, findings="Trẻ có vết bầm ở tay."
    )
    return Case.objects.get(pk=case.pk)


def detail(case, users, *, meeting_at=None, **values):
    services.case_detailed_assess(
        actor=users.officer_a,
        case=case,
        child_needs="Cần khám sức khỏe và hỗ trợ tâm lý.",
        family_situation="Sống với mẹ và cha dượng; kinh tế khó khăn.",
        meeting_at=meeting_at or timezone.now(),
        meeting_place="UBND phường Trấn Biên",
        participants=[{"name": "Võ Thị Hồng Nhung", "role": "Công chức"}],
        **values,
    )
    return Case.objects.get(pk=case.pk)


def submit_plan(case, users):
    org = Organisation.objects.get(name__startswith="Trạm Y tế Phường")
    services.plan_submit(
        actor=users.officer_a,
        case=case,
        goals="Trẻ được an toàn, được khám và tư vấn tâm lý.",
        services=[
            {
                "kind": "medical",
                "description": "Khám sức khỏe tổng quát",
                "organisation": org,
                "due_on": timezone.localdate() + timedelta(days=7),
            },
            {
                "kind": "psychological",
                "description": "Tư vấn tâm lý hằng tuần",
                "responsible_user": users.officer_a,
                "due_on": timezone.localdate() + timedelta(days=30),
            },
        ],
    )
    return Case.objects.get(pk=case.pk)


def approve(case, users):
    services.plan_approve(actor=users.chairman_a, case=case, decision_number="12/QĐ-UBND")
    return Case.objects.get(pk=case.pk)


def to_implementation(case, users):
    return approve(submit_plan(detail(assess(case, users), users), users), users)


def finish_services(case, users):
    for service in services.open_plan_services(case):
        services.plan_service_done(actor=users.officer_a, service=service, note="Đã thực hiện.")


def close(case, users, *, finish=True, **values):
    if finish:
        finish_services(case, users)
    services.case_review(
        actor=users.officer_a,
        case=case,
        results="Đã khám và tư vấn đủ 4 buổi.",
        child_situation="Trẻ an toàn, đi học đều.",
        outcome=Review.Outcome.CLOSE,
        reason="Trẻ đã an toàn, ổn định.",
        **values,
    )
    return Case.objects.get(pk=case.pk)
