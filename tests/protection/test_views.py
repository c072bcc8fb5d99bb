"""Pages and API, allowed and denied for each persona, with query counts on the boards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.protection import flow
from treem.protection.models import Case, Notification
from treem.protection.tasks import deadline_scan, send_notification_emails

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("canbo.a", 200),
        ("chutich.a", 200),
        ("chuyenvien", 200),
        ("canbo.b", 404),
        ("chutich.b", 404),
        ("doitac", 404),
        ("ctv.a", 404),
        ("lanhdao", 404),
    ],
)
def test_case_page_persona_matrix(case_a, client_for, username, expected):
    response = client_for(username).get(reverse("protection:case_detail", args=[case_a.pk]))
    assert response.status_code == expected


def test_anonymous_visitor_is_sent_to_login(case_a, anon_client):
    response = anon_client.get(reverse("protection:case_detail", args=[case_a.pk]))
    assert response.status_code == 302


def test_commune_board_lists_only_its_cases_in_constant_queries(
    make_report, demo, officer_a_client, django_assert_max_num_queries
):
    for _ in range(3):
        make_report(received_at=timezone.now() - timedelta(hours=20))
    other = make_report(commune=demo.commune_b, child_description="Trẻ ở xã B tên Lê Thị Cúc")
    with django_assert_max_num_queries(20):
        page = officer_a_client.get(reverse("protection:board"))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count("Nguyễn Văn An") == 3  # the three overdue cases of commune A
    assert other.case.code not in body and "Lê Thị Cúc" not in body


def test_province_board_counts_by_commune(make_report, demo, client_for):
    make_report(received_at=timezone.now() - timedelta(hours=20))
    make_report(commune=demo.commune_b, received_at=timezone.now() - timedelta(hours=20))
    page = client_for("chuyenvien").get(reverse("protection:board"))
    body = page.content.decode()
    assert demo.commune_a.name in body and demo.commune_b.name in body


def test_leader_sees_figures_but_no_case_list(make_report, leader_client):
    make_report()
    assert leader_client.get(reverse("protection:board")).status_code == 403
    dashboard = leader_client.get(reverse("core:dashboard")).content.decode()
    assert "Ca bảo vệ đang mở" in dashboard and "Nguyễn Văn An" not in dashboard


def test_export_has_no_child_names(make_report, officer_a_client):
    make_report()
    response = officer_a_client.get(reverse("protection:case_export"))
    text = response.content.decode("utf-8")
    assert "BV-" in text and "Nguyễn Văn An" not in text and "Trần Thị Bình" not in text


def test_report_form_creates_a_case(officer_a_client, demo):
    response = officer_a_client.post(
        reverse("protection:report_new"),
        {
            "channel": "walk_in",
            "commune": demo.commune_a.code,
            "what_happened": "Trẻ bị bỏ rơi trước cổng chùa.",
            "abuse_types": ["abandonment"],
            "child_description": "Bé sơ sinh",
            "is_anonymous": "on",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{case.pk}/")
    assert case.report.is_anonymous and case.commune_id == demo.commune_a.code


def test_step_posted_by_wrong_commune_is_not_found(case_a, officer_b_client):
    response = officer_b_client.post(
        reverse("protection:initial_assess", args=[case_a.pk]),
        {"in_danger": "no", "findings": "x"},
    )
    assert response.status_code == 404
    case_a.refresh_from_db()
    assert case_a.status == Case.Status.RECEIVED


def test_chairman_refuses_a_plan_through_the_page(case_a, users, chairman_a_client):
    case = flow.submit_plan(flow.detail(flow.assess(case_a, users), users), users)
    page = chairman_a_client.post(
        reverse("protection:plan_refuse", args=[case.pk]),
        {"reason": "Thiếu trợ giúp pháp lý"},
        follow=True,
    )
    assert "Đã trả lại kế hoạch" in page.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.PLANNING


def test_attachment_type_is_sniffed_and_served_only_to_authorised(
    case_a, officer_a_client, officer_b_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("protection:attachment", args=[case_a.pk])
    fake = SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not really a jpeg", "image/jpeg")
    page = officer_a_client.post(url, {"file": fake}, follow=True)
    assert "Chỉ nhận tệp PDF, JPEG, PNG, TIFF, WebP" in page.content.decode()
    assert not case_a.attachments.exists()
    real = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%test\n", "application/pdf")
    officer_a_client.post(url, {"file": real, "description": "Biên bản"})
    attachment = case_a.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert str(tmp_path) in attachment.file.path and "bien-ban" not in attachment.file.name
    download = reverse("protection:attachment_download", args=[attachment.pk])
    assert officer_a_client.get(download).status_code == 200
    assert officer_b_client.get(download).status_code == 404


def test_oversized_attachment_is_refused(case_a, users, settings, tmp_path):
    from django.core.exceptions import ValidationError

    from treem.protection import services

    settings.MEDIA_ROOT = tmp_path
    settings.TREEM_CASE_UPLOAD_MAX_BYTES = 100
    big = SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200, "image/png")
    with pytest.raises(ValidationError):
        services.attachment_add(actor=users.officer_a, case=case_a, upload=big)


def test_deadline_task_notifies_and_escalates_overdue_cases(make_report, users, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    case = make_report(received_at=timezone.now() - timedelta(hours=50)).case
    counts = deadline_scan()
    assert counts["overdue"] == 1 and counts["escalated"] == 1
    case.refresh_from_db()
    assert case.escalated_at is not None
    kinds = set(Notification.objects.filter(case=case).values_list("kind", "user__username"))
    assert ("overdue", "canbo.a") in kinds
    assert ("escalated", "chutich.a") in kinds and ("escalated", "chuyenvien") in kinds
    assert len(mail.outbox) >= 3 and "Nguyễn Văn An" not in mail.outbox[0].body
    # Running again notifies nobody twice.
    assert deadline_scan() == {"due_soon": 0, "overdue": 0, "escalated": 0}
    assert (
        send_notification_emails.call(list(Notification.objects.values_list("pk", flat=True))) == 0
    )


# --- API ------------------------------------------------------------------------------------------


def _token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_partner_system_files_a_report_with_its_token(users, demo):
    client = _token_client(users.partner)
    response = client.post(
        "/api/protection/reports/",
        {
            "channel": "hotline_111",
            "commune": demo.commune_b.code,
            "what_happened": "Tổng đài nhận cuộc gọi về trẻ bị đánh.",
            "abuse_types": ["physical"],
            "child_description": "Bé trai 10 tuổi",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["progress"] == "received" and body["commune"] == demo.commune_b.code
    case = Case.objects.get(pk=body["case_id"])
    assert case.commune_id == demo.commune_b.code
    status = client.get(f"/api/protection/reports/{body['id']}/status/")
    assert status.json() == {"id": body["id"], "progress": "received"}
    # The partner system cannot read the case itself.
    assert client.get(f"/api/protection/cases/{case.pk}/").status_code in (403, 404)


def test_api_report_refused_without_permission_or_with_bad_input(users, demo):
    client = _token_client(users.leader)
    payload = {"commune": demo.commune_a.code, "what_happened": "x"}
    assert client.post("/api/protection/reports/", payload, format="json").status_code == 403
    client = _token_client(users.officer_a)
    bad = client.post("/api/protection/reports/", {"commune": "99999"}, format="json")
    assert bad.status_code == 400 and "fields" in bad.json()["error"]
    assert APIClient().post("/api/protection/reports/", payload, format="json").status_code in (
        401,
        403,
    )


def test_case_status_api_scoped_as_in_the_ui(case_a, users, django_assert_max_num_queries):
    url = f"/api/protection/cases/{case_a.pk}/"
    body = _token_client(users.officer_a).get(url).json()
    assert body["step"] == "received" and "child" not in body
    assert _token_client(users.officer_b).get(url).status_code == 404
    client = _token_client(users.specialist)
    with django_assert_max_num_queries(8):
        listing = client.get("/api/protection/cases/")
    assert listing.json()["count"] == 1
    assert _token_client(users.officer_b).get("/api/protection/cases/").json()["count"] == 0
