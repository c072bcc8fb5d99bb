"""Consent withdrawal, role-restricted exports and the REST API by persona."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from treem.audit.models import AuditEvent
from treem.registry import selectors, services
from treem.registry.models import Consent

from .conftest import TODAY

# --- consent ------------------------------------------------------------------------------


def test_consent_withdrawal_is_recorded_and_restricts_consent_based_processing(demo, register):
    officer = demo.users["canbo.a"]
    child = register(full_name="Đồng Ý Rồi", legal_basis="consent")
    consent = services.consent_record(
        actor=officer,
        child=child,
        given_by="guardian",
        given_by_name="Trần Thị Hoa",
        scope="registry",
        given_on=dt.date(2025, 1, 10),
    )
    child.refresh_from_db()
    assert not child.processing_restricted
    services.consent_withdraw(
        actor=officer,
        consent=consent,
        withdrawn_on=dt.date(2026, 5, 1),
        reason="gia đình chuyển đi",
    )
    consent.refresh_from_db()
    child.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 5, 1)
    assert consent.withdrawal_recorded_by == officer
    assert child.processing_restricted
    assert AuditEvent.objects.filter(
        object_type="registry.consent", object_id=str(consent.pk), action="update"
    ).exists()
    # Acted on: gone from lists and searches, edits refused, record kept.
    assert child.pk not in selectors.children_for_user(user=officer, today=TODAY).values_list(
        "pk", flat=True
    )
    with pytest.raises(ValidationError):
        services.circumstance_add(
            actor=officer,
            child=child,
            group="a",
            start_date=dt.date(2026, 1, 1),
            confirmed_by="UBND",
        )


def test_withdrawal_under_legal_duty_is_recorded_but_processing_continues(demo, register):
    officer = demo.users["canbo.a"]
    child = register(full_name="Nghĩa Vụ Luật", legal_basis="legal_duty")
    consent = services.consent_record(
        actor=officer,
        child=child,
        given_by="guardian",
        given_by_name="Trần Thị Hoa",
        scope="registry",
        given_on=dt.date(2025, 1, 10),
    )
    services.consent_withdraw(actor=officer, consent=consent, withdrawn_on=dt.date(2026, 5, 1))
    child.refresh_from_db()
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is not None
    assert not child.processing_restricted


def test_child_consent_only_from_age_seven(demo, register):
    officer = demo.users["canbo.a"]
    young = register(full_name="Bé Năm Tuổi", birth_date="01/01/2021")
    with pytest.raises(ValidationError) as exc:
        services.consent_record(
            actor=officer,
            child=young,
            given_by="child",
            given_by_name="Bé Năm Tuổi",
            scope="registry",
            given_on=dt.date(2026, 1, 1),
        )
    assert "given_by" in exc.value.message_dict
    older = register(full_name="Anh Chín Tuổi", birth_date="01/01/2017")
    services.consent_record(
        actor=officer,
        child=older,
        given_by="child",
        given_by_name="Anh Chín Tuổi",
        scope="registry",
        given_on=dt.date(2026, 1, 1),
    )


def test_withdraw_through_the_page(officer_a_client, demo, register):
    child = register(full_name="Qua Trang", legal_basis="consent")
    consent = services.consent_record(
        actor=demo.users["canbo.a"],
        child=child,
        given_by="guardian",
        given_by_name="Mẹ",
        scope="registry",
        given_on=dt.date(2025, 1, 1),
    )
    r = officer_a_client.post(
        f"/app/registry/{child.pk}/consents/{consent.pk}/withdraw/",
        {"withdrawn_on": "2026-05-01", "reason": "không muốn"},
    )
    assert r.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == dt.date(2026, 5, 1)


# --- export ---------------------------------------------------------------------------------


@pytest.fixture
def exported_child(register):
    return register(
        full_name="Xuất Dữ Liệu",
        id_number="075218123456",
        health_insurance_number="TE1750123456789",
        ethnicity="Tày",
        carers=[{"full_name": "Mẹ Của Bé", "relationship": "mother"}],
    )


def _csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_commune_officer_export_has_identifiers(officer_a_client, exported_child):
    rows = _csv(officer_a_client.get("/app/registry/export.csv"))
    assert "Số định danh cá nhân" in rows[0] and "Dân tộc" in rows[0]
    assert "075218123456" in rows[1] and "Mẹ Của Bé" in rows[1]
    event = AuditEvent.objects.filter(action="export").latest("seq")
    assert event.details["rows"] == 1 and "id_number" in event.details["columns"]


def test_province_specialist_export_has_no_identifiers(specialist_client, exported_child):
    rows = _csv(specialist_client.get("/app/registry/export.csv"))
    assert "Số định danh cá nhân" not in rows[0] and "Số thẻ BHYT" not in rows[0]
    assert "Dân tộc" in rows[0]
    assert "075218123456" not in ",".join(rows[1])


def test_xlsx_export_in_the_layout_officials_file(officer_a_client, exported_child, demo):
    r = officer_a_client.get(f"/app/registry/export.xlsx?q=xuat&commune={demo.commune_a.code}")
    ws = load_workbook(io.BytesIO(r.content)).active
    values = list(ws.values)
    # Title block: the commune, the title, the date; then the header row, frozen.
    assert values[0][0] == demo.commune_a.name.upper()
    assert values[1][0] == "DANH SÁCH TRẺ EM" and values[2][0].startswith("Ngày lập: ")
    assert values[4][:3] == ("Mã hồ sơ", "Họ và tên", "Ngày sinh")
    assert ws.freeze_panes == "C6"
    assert ws.column_dimensions["B"].width == 26
    assert values[5][1] == "Xuất Dữ Liệu"
    born = ws.cell(row=6, column=3)
    assert born.is_date and born.number_format == "dd/mm/yyyy"


def test_sensitive_columns_need_a_deliberate_choice_and_are_audited(
    officer_a_client, exported_child
):
    from treem.registry import services

    services.circumstance_add(
        actor=exported_child.created_by, child=exported_child, group="dd",
        start_date=dt.date(2024, 1, 1), confirmed_by="Trạm y tế",
    )  # fmt: skip
    plain = _csv(officer_a_client.get("/app/registry/export.csv"))
    assert "Hoàn cảnh đặc biệt" not in plain[0] and "Khuyết tật" not in plain[0]
    assert not AuditEvent.objects.filter(action="export").latest("seq").details["sensitive"]
    chosen = _csv(officer_a_client.get("/app/registry/export.csv?sensitive=1"))
    assert "Hoàn cảnh đặc biệt" in chosen[0]
    # Groups by name, as the law words them.
    assert "HIV" in chosen[1][chosen[0].index("Hoàn cảnh đặc biệt")]
    event = AuditEvent.objects.filter(action="export").latest("seq")
    assert event.details["sensitive"] is True and "circumstances" in event.details["columns"]


def test_export_refused_without_the_right(collaborator_a_client, leader_client):
    assert collaborator_a_client.get("/app/registry/export.csv").status_code == 403
    assert leader_client.get("/app/registry/export.csv").status_code == 403


# --- API --------------------------------------------------------------------------------------

PAYLOAD = {
    "full_name": "Phạm Gia Huy",
    "birth_date": "12/08/2019",
    "sex": "Nam",
    "commune": "26041",
    "carers": [{"full_name": "Đỗ Thị Hằng", "relationship": "mother"}],
}


def test_api_register_then_409_on_likely_duplicate_then_decide(officer_a_client):
    r = officer_a_client.post("/api/registry/children/register/", PAYLOAD, "application/json")
    assert r.status_code == 201, r.content
    first = r.json()["id"]
    r = officer_a_client.post(
        "/api/registry/children/register/",
        {**PAYLOAD, "full_name": "PHAM GIA HUY"},
        "application/json",
    )
    assert r.status_code == 409
    body = r.json()
    assert body["error"]["code"] == "likely_duplicates"
    assert body["matches"][0]["child_id"] == first
    r = officer_a_client.post(
        "/api/registry/children/register/",
        {**PAYLOAD, "decision": "linked", "link_to": first},
        "application/json",
    )
    assert r.status_code == 200 and r.json() == {**r.json(), "id": first, "created": False}


def test_api_validation_errors_use_the_one_error_shape(officer_a_client):
    r = officer_a_client.post(
        "/api/registry/children/register/",
        {**PAYLOAD, "birth_date": "31/02/2019", "id_number": "123"},
        "application/json",
    )
    assert r.status_code == 400
    fields = r.json()["error"]["fields"]
    assert "birth_date" in fields and "id_number" in fields


def test_api_check_duplicates(officer_a_client, register):
    register(full_name="Phạm Gia Huy", birth_date="12/08/2019")
    r = officer_a_client.post(
        "/api/registry/children/check-duplicates/", PAYLOAD, "application/json"
    )
    assert r.status_code == 200 and r.json()["matches"]


@pytest.mark.parametrize(
    ("client_name", "list_status", "detail_status", "register_status"),
    [
        ("officer_a_client", 200, 200, 201),
        ("chairman_a_client", 200, 200, 201),
        ("specialist_client", 200, 200, 201),
        ("officer_b_client", 200, 404, 400),
        ("collaborator_a_client", 200, 404, 403),
        ("leader_client", 403, 403, 403),
        ("partner_client", 403, 403, 403),
        ("admin_client", 403, 403, 403),
        ("anon_client", 401, 401, 401),
    ],
)
def test_api_personas(request, register, client_name, list_status, detail_status, register_status):
    child = register(full_name="Người Thứ Nhất")
    client = request.getfixturevalue(client_name)
    assert client.get("/api/registry/children/").status_code == list_status
    assert client.get(f"/api/registry/children/{child.pk}/").status_code == detail_status
    r = client.post(
        "/api/registry/children/register/",
        {**PAYLOAD, "full_name": "Người Khác Hẳn", "birth_date": "01/01/2015"},
        "application/json",
    )
    assert r.status_code == register_status, r.content


def test_api_list_is_scoped_and_hides_sensitive_fields_from_collaborators(
    officer_a_client, officer_b_client, register
):
    child = register(full_name="Trong Phạm Vi", id_number="075218123456")
    assert [c["id"] for c in officer_a_client.get("/api/registry/children/").json()["results"]] == [
        child.pk
    ]
    assert officer_b_client.get("/api/registry/children/").json()["results"] == []
    detail = officer_a_client.get(f"/api/registry/children/{child.pk}/").json()
    assert detail["id_number"] == "075218123456"


def test_api_list_query_count_is_bounded(officer_a_client, register, django_assert_max_num_queries):
    for i in range(12):
        register(full_name=f"Danh Sách {chr(65 + i)}")
    with django_assert_max_num_queries(8):
        r = officer_a_client.get("/api/registry/children/?sex=M")
    assert len(r.json()["results"]) == 12
