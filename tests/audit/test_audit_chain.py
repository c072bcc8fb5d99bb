import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from treem.audit.models import AuditEvent
from treem.audit.services import audit_record, audit_verify

pytestmark = pytest.mark.django_db


def _drop_triggers():
    """What an intruder with database access would do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_event_no_change ON audit_auditevent")
        else:
            cursor.execute("DROP TRIGGER audit_event_no_update")
            cursor.execute("DROP TRIGGER audit_event_no_delete")


def test_entries_chain_and_verify(demo):
    first = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    second = audit_record(
        actor=demo.users["canbo.a"], action="search", object_type="registry.child"
    )
    assert second.prev_hash == first.hash
    assert second.seq == first.seq + 1
    checked, problems = audit_verify()
    assert checked >= 2 and problems == []
    call_command("verify_audit")


def test_the_database_refuses_to_update_an_entry(demo):
    event = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="create")


def test_the_database_refuses_to_delete_an_entry(demo):
    event = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_editing_the_table_directly_is_detected_by_verify_audit(demo):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    victim = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["ctv.a"])
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["doitac"])
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET actor_username = %s WHERE id = %s", ["someone", victim.pk]
        )
    _checked, problems = audit_verify()
    assert any(f"#{victim.seq} was altered" in p for p in problems)
    with pytest.raises(CommandError, match="tampered"):
        call_command("verify_audit")


def test_deleting_an_entry_is_detected(demo):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    victim = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["ctv.a"])
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["doitac"])
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [victim.pk])
    _checked, problems = audit_verify()
    assert any(f"#{victim.seq} is missing" in p for p in problems)


def test_removing_the_newest_entries_is_detected(demo):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    last = audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["ctv.a"])
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [last.pk])
    _checked, problems = audit_verify()
    assert any("removed from the end" in p for p in problems)


def test_the_client_address_comes_from_the_socket_not_a_header(officer_a_client, demo):
    officer_a_client.get(
        f"/accounts/users/{demo.users['canbo.b'].pk}/",
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    officer_a_client.post(
        "/app/geo/villages/new/",
        {"commune": demo.commune_a.code, "kind": "thon", "name": "Thôn Địa Chỉ"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    event = AuditEvent.objects.filter(action="create", object_type="geo.village").first()
    assert event.ip_address == "203.0.113.7"


def test_a_trusted_proxy_may_name_the_client(officer_a_client, demo, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.5"]
    officer_a_client.post(
        "/app/geo/villages/new/",
        {"commune": demo.commune_a.code, "kind": "thon", "name": "Thôn Qua Proxy"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9",
    )
    event = AuditEvent.objects.filter(action="create", object_type="geo.village").first()
    assert event.ip_address == "203.0.113.9"


@pytest.mark.parametrize("persona", ["officer_a_client", "partner_client", "leader_client"])
def test_only_administrators_and_supervisors_read_the_audit_log(persona, request):
    assert request.getfixturevalue(persona).get("/app/audit/").status_code == 403


def test_a_supervisor_reads_only_the_entries_of_a_record_they_may_open(specialist_client, demo):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=demo.users["canbo.b"])
    body = specialist_client.get("/app/audit/").content.decode()
    assert "Chưa có mục nào." in body and "<td>Võ Thị Hồng Nhung" not in body
    # A staff account is not a record a specialist may open: 404, as on its own page.
    response = specialist_client.get(
        "/app/audit/", {"object_type": "accounts.user", "object_id": demo.users["canbo.b"].pk}
    )
    assert response.status_code == 404


def test_administrator_reads_the_audit_log(admin_client):
    assert admin_client.get("/app/audit/").status_code == 200
