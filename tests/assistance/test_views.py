"""Pages and API: allowed and denied for every persona, exports, scan, hooks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from treem.assistance import services
from treem.assistance.models import Dossier, PaymentList
from treem.indicators import hooks
from treem.registry.models import SpecialCircumstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def listed(decided, users, demo, make_child):
    decided()
    decided(make_child(name="Lê Thị =Hoa", birth="2023-03-01"))
    return services.payment_list_prepare(
        actor=users.officer_a, commune_code=demo.commune_a.code, month=dt.date(2025, 2, 1)
    )


@pytest.mark.parametrize(
    "client_name,status",
    [
        ("officer_a_client", 200),
        ("chairman_a_client", 200),
        ("specialist_client", 200),
        ("officer_b_client", 404),
        ("leader_client", 404),
        ("partner_client", 404),
        ("collaborator_a_client", 404),
    ],
)
def test_payment_list_page_scoped(request, listed, client_name, status):
    client = request.getfixturevalue(client_name)
    response = client.get(reverse("assistance:payment_list", args=[listed.pk]))
    assert response.status_code == status
    if status == 200:
        assert "Lê Thị =Hoa" in response.content.decode()
        assert "1.250.000" in response.content.decode()


@pytest.mark.parametrize(
    "client_name,status",
    [
        ("officer_a_client", 200),
        ("chairman_a_client", 200),
        ("specialist_client", 200),
        ("leader_client", 302),  # aggregates only: sent to the figures page
        ("partner_client", 403),
        ("collaborator_a_client", 403),
    ],
)
def test_index_by_persona(request, client_name, status):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("assistance:index")).status_code == status


def test_anonymous_is_sent_to_login(anon_client):
    response = anon_client.get(reverse("assistance:index"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_leader_sees_figures_without_names(leader_client, listed, users):
    services.payment_list_approve(
        actor=users.chairman_a, payment_list=listed, expected_version=listed.version
    )
    response = leader_client.get(reverse("assistance:province") + "?year=2025")
    body = response.content.decode()
    assert response.status_code == 200
    assert "2.000.000" in body  # February: 750,000 + 1,250,000
    assert "Lê Thị" not in body


def test_exports_have_totals_and_neutralised_cells(officer_a_client, listed):
    xlsx = officer_a_client.get(reverse("assistance:payment_list_export", args=[listed.pk, "xlsx"]))
    assert xlsx.status_code == 200
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "'Lê Thị =Hoa" not in values  # starts with "L": not a formula, kept as typed
    assert "Lê Thị =Hoa" in values
    assert 2_000_000 in values  # the grand total of the month
    pdf = officer_a_client.get(reverse("assistance:payment_list_export", args=[listed.pk, "pdf"]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "DANH SÁCH CHI TRẢ" in text and "2.000.000" in text and "Ký nhận" in text


def test_worker_cannot_approve_and_chairman_of_b_gets_404(officer_a_client, client_for, listed):
    response = officer_a_client.post(
        reverse("assistance:payment_list_approve", args=[listed.pk]), {"version": listed.version}
    )
    assert response.status_code == 403
    assert PaymentList.objects.get(pk=listed.pk).status == "draft"
    other = client_for("chutich.b")
    response = other.post(
        reverse("assistance:payment_list_approve", args=[listed.pk]), {"version": 1}
    )
    assert response.status_code == 404


def test_chairman_approves_through_the_page(chairman_a_client, listed):
    response = chairman_a_client.post(
        reverse("assistance:payment_list_approve", args=[listed.pk]),
        {"version": listed.version},
        follow=True,
    )
    assert "Đã phê duyệt" in response.content.decode()
    assert PaymentList.objects.get(pk=listed.pk).status == "approved"


def test_dossier_created_through_the_page(officer_a_client, make_child):
    child = make_child()
    response = officer_a_client.post(
        reverse("assistance:dossier_new") + f"?child={child.pk}",
        {
            "child": child.pk,
            "applicant_name": "Trần Thị Bình",
            "applicant_relation": "Bà ngoại",
            "applied_on": "2025-01-06",
            "basis": ["no_support"],
            "payment_channel": "bank",
            "bank_name": "Agribank",
            "account_number": "12-ab",
        },
    )
    assert response.status_code == 200
    assert "Số tài khoản chỉ gồm chữ số" in response.content.decode()
    assert not Dossier.objects.exists()


def test_public_tracking_shows_no_personal_data(anon_client, decided):
    recipient = decided()
    code = recipient.dossier.tracking_code
    response = anon_client.post(reverse("assistance:track"), {"code": code.lower()})
    body = response.content.decode()
    assert "Đã có quyết định trợ cấp" in body
    assert recipient.child.full_name not in body and "Trần Thị Bình" not in body
    api = anon_client.get(f"/api/assistance/track/{code}/")
    assert api.status_code == 200 and api.json()["status"] == "decided"
    assert anon_client.get("/api/assistance/track/NOPE/").status_code == 404


def test_calculator_api_same_as_command(officer_a_client, partner_client):
    rows = [
        {
            "case_id": "A",
            "birth_date": "2022-01-01",
            "basis": "no_support",
            "decided_on": "2024-05-15",
            "to_month": "2024-07",
        },
        {"case_id": "B", "birth_date": "bad", "basis": "no_support", "decided_on": "2024-05-15"},
    ]
    response = officer_a_client.post(
        "/api/assistance/calculate/", {"rows": rows}, content_type="application/json"
    )
    assert response.status_code == 200
    data = response.json()
    assert [(m["month"], m["coefficient"], m["amount"]) for m in data["months"]] == [
        ("2024-05", "2.5", 900_000),
        ("2024-06", "2.5", 900_000),
        ("2024-07", "2.5", 1_250_000),
    ]
    assert data["errors"][0]["line"] == 3 and data["errors"][0]["case_id"] == "B"
    denied = partner_client.post(
        "/api/assistance/calculate/", {"rows": rows}, content_type="application/json"
    )
    assert denied.status_code == 403
    assert "error" in denied.json()


def test_api_lists_scoped_and_second_approval_told(client_for, listed, users):
    a = client_for("chutich.a")
    b = client_for("canbo.b")
    assert b.get(f"/api/assistance/lists/{listed.pk}/").status_code == 404
    assert [x["id"] for x in b.get("/api/assistance/lists/").json()["results"]] == []
    detail = a.get(f"/api/assistance/lists/{listed.pk}/").json()
    assert detail["total_payable"] == sum(x["total"] for x in detail["lines"])
    ok = a.post(
        f"/api/assistance/lists/{listed.pk}/approve/",
        {"version": listed.version},
        content_type="application/json",
    )
    assert ok.status_code == 200
    again = a.post(
        f"/api/assistance/lists/{listed.pk}/approve/",
        {"version": listed.version},
        content_type="application/json",
    )
    assert again.status_code == 400
    assert "đã được" in again.json()["error"]["message"] or "đã được" in str(again.json())


def test_command_writes_months_and_reports_bad_lines(tmp_path):
    from django.core.management import call_command

    src = tmp_path / "cases.csv"
    src.write_text(
        "case_id,birth_date,basis,basis_from,basis_to,studying_until,decided_on,from_month,to_month\n"
        "A,2022-01-01,no_support,,,,2024-05-15,,2024-07\n"
        "B,2015-01-10,hiv_poor,,,,2025-13-01,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "months.csv"
    err = io.StringIO()
    call_command(
        "assistance_calculate", input=str(src), output=str(out), stderr=err, stdout=io.StringIO()
    )
    assert out.read_text().splitlines() == [
        "case_id,month,coefficient,standard_amount,amount",
        "A,2024-05,2.5,360000,900000",
        "A,2024-06,2.5,360000,900000",
        "A,2024-07,2.5,500000,1250000",
    ]
    assert "line 3 (B)" in err.getvalue()


def test_scan_finds_orphan_without_allowance_and_not_recipient(
    officer_a_client, make_child, decided
):
    orphan = make_child(name="Đỗ Văn Mồ Côi", birth="2016-05-05")
    SpecialCircumstance.objects.create(child=orphan, group="a", start_date=dt.date(2020, 1, 1))
    paid = make_child(name="Phan Thị Đã Hưởng", birth="2016-05-05")
    SpecialCircumstance.objects.create(child=paid, group="a", start_date=dt.date(2020, 1, 1))
    decided(paid)
    body = officer_a_client.get(reverse("assistance:scan")).content.decode()
    assert "Đỗ Văn Mồ Côi" in body
    assert "Phan Thị Đã Hưởng" not in body


def test_indicator_hooks_count_approved_lists(listed, users, demo):
    services.payment_list_approve(
        actor=users.chairman_a, payment_list=listed, expected_version=listed.version
    )
    request = hooks.ComputeRequest(
        "ALLOWANCE_RECIPIENTS", dt.date(2025, 1, 1), dt.date(2025, 12, 31), None
    )
    assert hooks.computed_function("ALLOWANCE_RECIPIENTS")(request) == [
        hooks.CommuneFigure(demo.commune_a.code, 2)
    ]
    amount = hooks.computed_function("ALLOWANCE_AMOUNT")(request)
    assert amount == [hooks.CommuneFigure(demo.commune_a.code, 2_000_000)]
    section = hooks.report_section("assistance", hooks.ReportScope(demo.province.code, 2025, 2025))
    assert section is not None and section.tables[0].rows == [[2025, 2, 2_000_000]]


def test_rules_page_marks_unverified_and_only_specialist_adds(specialist_client, officer_a_client):
    body = specialist_client.get(reverse("assistance:rules")).content.decode()
    assert "500.000" in body and "chưa đối chiếu" in body
    response = officer_a_client.post(
        reverse("assistance:rules"),
        {
            "scope": "province",
            "amount": 600000,
            "effective_from": "2027-01",
            "legal_basis": "NQ HĐND",
        },
    )
    assert response.status_code == 403
    response = specialist_client.post(
        reverse("assistance:rules"),
        {
            "scope": "province",
            "amount": 600000,
            "effective_from": "2027-01",
            "legal_basis": "NQ HĐND",
        },
    )
    assert response.status_code == 302


def test_dossier_page_shows_the_next_step_only_to_who_may_take_it(
    officer_a_client, chairman_a_client, users, make_child
):
    dossier = services.dossier_create(
        actor=users.officer_a,
        child=make_child(),
        applicant_name="A",
        applicant_relation="Mẹ",
        applied_on=dt.date(2025, 1, 6),
        bases=[{"basis": "no_support"}],
    )
    url = reverse("assistance:dossier_detail", args=[dossier.pk])
    worker_page = officer_a_client.get(url).content.decode()
    assert "Hội đồng xét duyệt" in worker_page and "Còn thiếu" in worker_page
    chairman_page = chairman_a_client.get(url).content.decode()
    assert (
        'action="' + reverse("assistance:dossier_action", args=[dossier.pk, "review"])
        not in chairman_page
    )


def test_schema_is_served(admin_client, specialist_client):
    response = specialist_client.get("/api/schema/")
    assert response.status_code == 200
    assert "/api/assistance/calculate/" in response.content.decode()


def test_payment_list_page_queries_do_not_grow_with_lines(
    officer_a_client, decided, users, demo, make_child, django_assert_max_num_queries
):
    for i in range(6):
        decided(make_child(name=f"Trẻ Số {i}", birth="2016-01-01"))
    payment_list = services.payment_list_prepare(
        actor=users.officer_a, commune_code=demo.commune_a.code, month=dt.date(2025, 2, 1)
    )
    with django_assert_max_num_queries(20):
        response = officer_a_client.get(reverse("assistance:payment_list", args=[payment_list.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert officer_a_client.get("/api/assistance/lists/").status_code == 200


def test_upcoming_changes_names_the_fourth_birthday(decided, make_child, users):
    from treem.assistance import selectors
    from treem.lib.allowance import Month

    # Born 2021-05-20, paid 2.5 from 02/2025; the 4th birthday is in May 2025, so June is 1.5:
    # 1,250,000 this month, 750,000 next month.
    decided(make_child(name="Bé Sắp Bốn Tuổi", birth="2021-05-20"))
    rows = selectors.upcoming_changes(user=users.officer_a, commune_code=None, month=Month(2025, 5))
    assert [(r.full_name, r.reason, r.before, r.after) for r in rows] == [
        ("Bé Sắp Bốn Tuổi", "Đủ 4 tuổi: hệ số giảm", 1_250_000, 750_000)
    ]
    assert (
        selectors.upcoming_changes(user=users.officer_b, commune_code=None, month=Month(2025, 5))
        == []
    )


def test_xlsx_neutralises_a_name_that_would_run_as_a_formula(
    officer_a_client, decided, make_child, users, demo
):
    decided(make_child(name='=HYPERLINK("http://x")', birth="2016-01-01"))
    payment_list = services.payment_list_prepare(
        actor=users.officer_a, commune_code=demo.commune_a.code, month=dt.date(2025, 2, 1)
    )
    xlsx = officer_a_client.get(
        reverse("assistance:payment_list_export", args=[payment_list.pk, "xlsx"])
    )
    values = [
        c
        for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert '\'=HYPERLINK("http://x")' in values
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)


def test_api_refuses_a_payment_month_out_of_range_with_a_400(officer_a_client):
    rows = [
        {
            "case_id": "A",
            "birth_date": "2022-01-01",
            "basis": "no_support",
            "decided_on": "2024-05-15",
            "to_month": "2024-07",
        }
    ]
    response = officer_a_client.post(
        "/api/assistance/calculate/",
        {"rows": rows, "payments": [{"case_id": "A", "month": "7670-05", "amount": 1}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "error" in response.json()
