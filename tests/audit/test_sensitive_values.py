"""The audit log never shows sensitive values to someone who may not open the record (issue 14,
item 4): sensitive fields are stored by name only, failed logins never keep what was typed."""

import re

import pytest
from django.test import Client

from treem.accounts.models import User
from treem.audit import services as audit_services
from treem.audit.models import AuditEvent
from treem.audit.sensitivity import REDACTED
from treem.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db

ID_NUMBER = "075215001234"


def test_a_sensitive_field_is_stored_by_name_only(demo):
    event = audit_record(
        actor=demo.users["canbo.a"],
        action="update",
        object_type="registry.child",
        object_id="4242",
        changes={
            "id_number": ["", ID_NUMBER],
            "disability_type": ["", "van_dong"],
            "ethnicity": ["01", "05"],
            "full_name": ["Nguyễn Văn A", "Nguyễn Văn An"],
        },
    )
    event.refresh_from_db()
    assert event.changes["id_number"] == REDACTED
    assert event.changes["disability_type"] == REDACTED
    assert event.changes["ethnicity"] == REDACTED
    assert event.changes["full_name"] == ["Nguyễn Văn A", "Nguyễn Văn An"]
    assert ID_NUMBER not in str(event.changes)
    _checked, problems = audit_verify()
    assert problems == []


def test_every_value_of_a_case_assessment_is_stored_by_name_only(demo):
    event = audit_record(
        actor=demo.users["canbo.a"],
        action="update",
        object_type="protection.initialassessment",
        object_id="7",
        changes={"summary": ["", "Trẻ bị bạo lực"]},
    )
    assert event.changes == {"summary": REDACTED}


def test_the_circumstance_group_is_not_kept_in_details(demo):
    event = audit_record(
        actor=demo.users["canbo.a"],
        action="create",
        object_type="registry.specialcircumstance",
        object_id="3",
        details={"child": 12, "group": "dd"},
    )
    assert event.details == {"child": 12, "group": REDACTED}


def test_failed_login_does_not_keep_what_was_typed(demo):
    typed = "Mat-khau-go-nham-o-o-ten"
    Client().post("/accounts/login/", {"username": typed, "password": "x"})
    event = AuditEvent.objects.filter(action="login_failed").order_by("-seq").first()
    assert typed not in str(event.changes) + str(event.details) + event.object_id
    assert event.details == {"known_account": False}


def test_failed_login_on_an_account_is_recorded_against_it(demo):
    Client().post("/accounts/login/", {"username": "canbo.a", "password": "sai-mat-khau"})
    event = AuditEvent.objects.filter(action="login_failed").order_by("-seq").first()
    assert event.object_type == "accounts.user"
    assert event.object_id == str(demo.users["canbo.a"].pk)
    assert event.details == {}


def test_the_admin_reads_the_log_without_child_names_or_sensitive_values(
    admin_client, demo, monkeypatch
):
    # An entry written before values were left out (the page must still hide them).
    monkeypatch.setattr(audit_services, "redact_changes", lambda _t, changes: changes)
    monkeypatch.setattr(audit_services, "redact_details", lambda _t, details: details)
    audit_record(
        actor=demo.users["canbo.a"],
        action="update",
        object_type="registry.child",
        object_id="4242",
        changes={"id_number": ["", ID_NUMBER], "full_name": ["Lê Thị Bí Mật", "Lê Thị Bí"]},
    )
    audit_record(actor=None, action="login_failed", details={"username": "typed-Secret-99"})
    monkeypatch.undo()

    body = admin_client.get("/app/audit/").content.decode()
    assert ID_NUMBER not in body
    assert "Bí Mật" not in body  # the admin may not open the child: no values at all
    assert "typed-Secret-99" not in body
    assert "Trẻ em #4242" in body
    assert "Số định danh cá nhân (đã thay đổi)" in body
    assert "Họ và tên (đã thay đổi)" in body
    text = re.sub(r"<[^>]+>", " ", body)  # what a reader sees, not the filter's option codes
    assert "id_number" not in text and "registry.child" not in text
    assert "Võ Thị Hồng Nhung (canbo.a)" in body


def test_user_changes_are_shown_with_labels_and_values_to_the_admin(admin_client, demo):
    target = demo.users["canbo.b"]
    audit_record(
        actor=demo.users["admin"],
        action="update",
        obj=target,
        changes={"phone": ["", "0912345678"], "password": ["***", "***"]},
    )
    response = admin_client.get(
        "/app/audit/", {"object_type": "accounts.user", "object_id": target.pk}
    )
    body = response.content.decode()
    assert "Điện thoại: — → 0912345678" in body
    assert "Mật khẩu (đã thay đổi)" in body
    assert "***" not in body


def test_user_access_log_link_opens_the_filtered_page(admin_client, demo):
    target = User.objects.get(username="canbo.b")
    response = admin_client.get(f"/accounts/users/{target.pk}/access-log/")
    assert response.status_code == 302
    assert "object_type=accounts.user" in response["Location"]
