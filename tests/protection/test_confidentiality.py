"""Who sees what: transfer keeps history, partners see only their referral, reporter identity and
restricted notes, concurrent edits refused, audited views."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests.protection import flow
from treem.audit.models import AuditEvent
from treem.core.concurrency import ConcurrentEditError
from treem.protection import access, services
from treem.protection.models import Case, CaseEvent, Referral, Transfer

pytestmark = pytest.mark.django_db


def test_transfer_keeps_history_and_moves_the_case(
    case_a, users, demo, officer_b_client, officer_a_client
):
    case = flow.assess(case_a, users)
    services.note_add(actor=users.officer_a, case=case, text="Ghi chú trước khi chuyển")
    services.case_transfer(
        actor=users.officer_a, case=case, to_commune=demo.commune_b, reason="Gia đình chuyển nhà"
    )
    case.refresh_from_db()
    assert case.commune_id == demo.commune_b.code and case.assigned_to is None
    assert case.status == Case.Status.ASSESSMENT
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[:2] == ["received", "initial_assessed"] and kinds[-1] == "transferred"
    assert Transfer.objects.get(case=case).from_commune_id == demo.commune_a.code
    # The new commune sees the whole history; the old one no longer sees the case.
    url = reverse("protection:case_timeline", args=[case.pk])
    page = officer_b_client.get(url)
    assert page.status_code == 200
    assert "Ghi chú trước khi chuyển" in page.content.decode()
    assert officer_a_client.get(url).status_code == 404


def test_transfer_refused_for_another_commune(case_a, users, demo):
    with pytest.raises(PermissionDenied):
        services.case_transfer(
            actor=users.officer_b, case=case_a, to_commune=demo.commune_b, reason="x"
        )


def _referral(case_a, users, demo):
    from treem.accounts.models import Organisation

    case = flow.to_implementation(case_a, users)
    police = Organisation.objects.get(name__startswith="Công an")
    other = Organisation.objects.get(name__startswith="Trạm Y tế Xã")
    mine = services.referral_send(
        actor=users.officer_a, case=case, organisation=police, kind="legal_aid", request="Hỗ trợ"
    )
    theirs = services.referral_send(
        actor=users.officer_a, case=case, organisation=other, kind="medical", request="Khám"
    )
    return case, mine, theirs


def test_partner_sees_only_its_referral(case_a, users, demo, partner_client):
    case, mine, theirs = _referral(case_a, users, demo)
    assert partner_client.get(reverse("protection:case_detail", args=[case.pk])).status_code == 404
    listing = partner_client.get(reverse("protection:referral_list")).content.decode()
    mine_url = reverse("protection:referral_detail", args=[mine.pk])
    theirs_url = reverse("protection:referral_detail", args=[theirs.pk])
    assert f'href="{mine_url}"' in listing and f'href="{theirs_url}"' not in listing
    # The case code and who sent it, never the child's full name or the case's detail.
    assert case.code in listing and str(users.officer_a) in listing
    assert "Nguyễn Văn An" not in listing
    assert (
        partner_client.get(reverse("protection:referral_detail", args=[mine.pk])).status_code == 200
    )
    assert (
        partner_client.get(reverse("protection:referral_detail", args=[theirs.pk])).status_code
        == 404
    )


def test_partner_accepts_records_service_and_closes_its_part(case_a, users, demo):
    case, mine, theirs = _referral(case_a, users, demo)
    with pytest.raises(PermissionDenied):
        services.referral_accept(actor=users.partner, referral=theirs)
    r = services.referral_accept(actor=users.partner, referral=mine)
    r = services.referral_record_service(
        actor=users.partner,
        referral=r,
        service_given="Đã tư vấn pháp lý",
        expected_version=r.version,
    )
    r = services.referral_close(actor=users.partner, referral=r)
    assert r.status == Referral.Status.CLOSED
    kinds = set(case.events.values_list("kind", flat=True))
    assert {"referral_accepted", "referral_service", "referral_closed"} <= kinds


def test_partner_decline_needs_a_reason(case_a, users, demo):
    from django.core.exceptions import ValidationError

    _case, mine, _theirs = _referral(case_a, users, demo)
    with pytest.raises(ValidationError):
        services.referral_decline(actor=users.partner, referral=mine, reason="")
    r = services.referral_decline(actor=users.partner, referral=mine, reason="Không đúng địa bàn")
    assert r.status == Referral.Status.DECLINED


def test_concurrent_edit_of_the_same_step_is_refused(case_a, users):
    case = flow.assess(case_a, users)
    stale = case.initial_assessment
    copy = type(stale).objects.get(pk=stale.pk)
    services.initial_assessment_update(
        actor=users.officer_a, assessment=copy, expected_version=1, findings="Bản sửa thứ nhất"
    )
    with pytest.raises(ConcurrentEditError):
        services.initial_assessment_update(
            actor=users.chairman_a, assessment=stale, expected_version=1, findings="Bản thứ hai"
        )
    stale.refresh_from_db()
    assert stale.findings == "Bản sửa thứ nhất" and stale.version == 2


def test_concurrent_edit_through_the_page_shows_a_clear_message(case_a, users, officer_a_client):
    case = flow.assess(case_a, users)
    url = reverse("protection:initial_edit", args=[case.pk])
    data = {"findings": "Một", "immediate_needs": "", "version": 1}
    officer_a_client.post(url, data)
    page = officer_a_client.post(url, {**data, "findings": "Hai"}, follow=True)
    assert "vừa được người khác sửa" in page.content.decode()
    case.initial_assessment.refresh_from_db()
    assert case.initial_assessment.findings == "Một"


def test_reporter_identity_only_for_those_handling_the_case(case_a, users, client_for):
    services.case_assign(actor=users.chairman_a, case=case_a, worker=users.officer_a)
    case = Case.objects.get(pk=case_a.pk)
    assert access.handles(users.officer_a, case)
    assert access.handles(users.chairman_a, case)
    assert not access.handles(users.specialist, case)
    page = client_for("chuyenvien").get(reverse("protection:case_detail", args=[case.pk]))
    assert page.status_code == 200 and "Trần Thị Bình" not in page.content.decode()
    page = client_for("chutich.a").get(reverse("protection:case_detail", args=[case.pk]))
    assert "Trần Thị Bình" in page.content.decode()


def test_restricted_note_hidden_from_other_commune_workers(case_a, users, demo):
    from treem.accounts.models import Role, User
    from treem.accounts.services import user_create

    services.case_assign(actor=users.chairman_a, case=case_a, worker=users.officer_a)
    note = services.note_add(
        actor=users.officer_a, case=case_a, text="Thông tin nhạy cảm", is_restricted=True
    )
    colleague = user_create(
        actor=None,
        username="canbo.a2",
        password="Mat-khau-dai-12345",
        full_name="Cán bộ thứ hai",
        role=Role.COMMUNE_WORKER,
        commune=demo.commune_a,
    )
    colleague = User.objects.get(pk=colleague.pk)
    case = Case.objects.get(pk=case_a.pk)
    assert access.can_view(colleague, case)
    assert not access.can_read_note(colleague, note, case)
    assert access.can_read_note(users.chairman_a, note, case)
    assert access.can_read_note(users.specialist, note, case)


def test_every_view_is_audited_and_shown_on_the_timeline(case_a, officer_a_client, users):
    url = reverse("protection:case_detail", args=[case_a.pk])
    before = AuditEvent.objects.filter(object_type="protection.case", action="view").count()
    officer_a_client.get(url)
    assert (
        AuditEvent.objects.filter(
            object_type="protection.case", object_id=str(case_a.pk), action="view"
        ).count()
        == before + 1
    )
    timeline = officer_a_client.get(reverse("protection:case_timeline", args=[case_a.pk]))
    assert 'class="tl-view"' in timeline.content.decode()
    assert CaseEvent.objects.filter(case=case_a).exists()
