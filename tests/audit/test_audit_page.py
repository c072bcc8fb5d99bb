"""The audit page: who viewed or changed a record, in plain language, filtered, exported."""

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from treem.audit.models import AuditEvent
from treem.audit.services import audit_record
from treem.geo.models import Village

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_a(demo, register):
    return register(full_name="Trần Thị Bích Ngọc")


@pytest.fixture
def register(demo):
    from treem.registry import dedup, services

    def make(**raw):
        values = {
            "full_name": "Nguyễn Văn An",
            "birth_date": "05/03/2018",
            "sex": "M",
            "commune": demo.commune_a.code,
        }
        values.update(raw)
        return services.child_register(
            actor=demo.users["canbo.a"], raw=values, carers=[], decision="new"
        ).child

    dedup.index_forget()
    yield make
    dedup.index_forget()


def test_a_chairman_sees_who_viewed_a_child_of_their_commune_by_name(client_for, demo, child_a):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=child_a)
    client = client_for("chutich.a")
    response = client.get("/app/audit/", {"object_type": "registry.child", "object_id": child_a.pk})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ai đã xem, sửa: Trần Thị Bích Ngọc" in body
    assert "Võ Thị Hồng Nhung (canbo.a)" in body
    assert "<td>Xem</td>" in body


def test_the_admin_sees_the_child_as_a_number_only(admin_client, demo, child_a):
    audit_record(actor=demo.users["canbo.a"], action="view", obj=child_a)
    body = admin_client.get(
        "/app/audit/", {"object_type": "registry.child", "object_id": child_a.pk}
    ).content.decode()
    assert f"Trẻ em #{child_a.pk}" in body
    assert "Bích Ngọc" not in body


def test_another_communes_chairman_gets_404_for_the_childs_log(client_for, child_a):
    response = client_for("chutich.b").get(
        "/app/audit/", {"object_type": "registry.child", "object_id": child_a.pk}
    )
    assert response.status_code == 404


def test_filters_by_person_action_and_date(admin_client, demo):
    officer_b = demo.users["canbo.b"]
    audit_record(actor=demo.users["canbo.a"], action="view", obj=officer_b)
    audit_record(actor=demo.users["ctv.a"], action="export", object_type="registry.child")
    rows = admin_client.get(
        "/app/audit/", {"actor": demo.users["ctv.a"].pk, "action": "export"}
    ).context["rows"]
    assert rows and all(r.event.actor_id == demo.users["ctv.a"].pk for r in rows)
    assert all(r.event.action == "export" for r in rows)

    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert admin_client.get("/app/audit/", {"date_from": tomorrow}).context["rows"] == []
    assert admin_client.get("/app/audit/", {"date_to": today.strftime("%d/%m/%Y")}).context["rows"]


def test_reversed_dates_are_a_form_error(admin_client):
    response = admin_client.get("/app/audit/", {"date_from": "02/01/2026", "date_to": "01/01/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()


def test_export_xlsx_and_csv_neutralise_formulas(admin_client, demo):
    from treem.accounts.services import user_create

    evil = user_create(
        actor=None,
        username="ctv.evil",
        password="Mot-mat-khau-du-dai",
        full_name='=HYPERLINK("http://evil.example","Bấm")',
        role="village_collaborator",
        villages=[Village.objects.filter(commune=demo.commune_a).first()],
    )
    audit_record(actor=evil, action="view", obj=demo.users["canbo.b"])

    response = admin_client.get("/app/audit/", {"actor": evil.pk, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Người thực hiện" in values
    assert any(isinstance(v, str) and v.startswith("'=HYPERLINK") for v in values)
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)

    response = admin_client.get("/app/audit/", {"actor": evil.pk, "export": "csv"})
    text = response.content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert any(cell.startswith("'=HYPERLINK") for cell in cells)
    assert not any(cell.startswith("=") for cell in cells)
    assert (
        AuditEvent.objects.filter(
            action="export", object_type="audit.auditevent", actor=demo.users["admin"]
        ).count()
        == 2
    )


def test_the_page_runs_a_bounded_number_of_queries(
    admin_client, demo, django_assert_max_num_queries
):
    for user in list(demo.users.values())[:8]:
        audit_record(actor=demo.users["admin"], action="view", obj=user)
        audit_record(
            actor=demo.users["canbo.a"], action="view", object_type="registry.child", object_id="1"
        )
    with django_assert_max_num_queries(20):
        assert admin_client.get("/app/audit/").status_code == 200
