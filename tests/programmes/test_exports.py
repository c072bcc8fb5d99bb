"""The Action Month summary report and the plan report as Word and Excel files: opened with
python-docx and openpyxl, their figures compared with the page's."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from treem.programmes import selectors, services
from treem.programmes.models import Audience, Campaign, CommActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def action_month(specialist, demo):
    campaign = services.campaign_create(
        actor=specialist,
        kind=Campaign.Kind.ACTION_MONTH,
        title="Tháng hành động vì trẻ em năm 2026",
        theme="Hành động thiết thực, ưu tiên nguồn lực cho trẻ em",
        year=2026,
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 30),
    )
    rows = [
        (demo.commune_a, CommActivity.Kind.FORUM, "Diễn đàn trẻ em phường", 250, 200, 12_500_000),
        (demo.commune_a, CommActivity.Kind.RADIO, "Phát thanh chuyên đề", 4_000, 0, 1_200_000),
        (demo.commune_b, CommActivity.Kind.FORUM, "=Diễn đàn (công thức?)", 180, 150, 9_000_000),
        (None, CommActivity.Kind.EVENT, "Lễ phát động cấp tỉnh", 1_500, 600, 85_000_000),
    ]
    for day, (commune, kind, title, reached, children, cost) in enumerate(rows, start=1):
        services.activity_create(
            actor=specialist,
            campaign=campaign,
            commune=commune,
            kind=kind,
            title=title,
            held_on=date(2026, 6, day),
            people_reached=reached,
            children_reached=children,
            cost=cost,
            audiences=[Audience.CHILDREN, Audience.PARENTS],
        )
    return campaign


def _number(text: str) -> int:
    return int(text.replace(".", "").strip())


def _page_figures(client, campaign) -> dict[str, int]:
    body = client.get(reverse("programmes:campaign_detail", args=[campaign.pk])).content.decode()
    cards = re.findall(r'<div class="value"[^>]*>([\d.]+)</div>', body)
    return {
        "activities": _number(cards[0]),
        "reached": _number(cards[1]),
        "cost": _number(cards[2]),
    }


def _word(response):
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    return WordDocument(io.BytesIO(response.content))


def _book(response):
    assert response.status_code == 200
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.content))


def test_action_month_word_report_matches_the_page(action_month, specialist_client):
    page = _page_figures(specialist_client, action_month)
    assert page == {"activities": 4, "reached": 5_930, "cost": 107_700_000}
    doc = _word(
        specialist_client.get(reverse("programmes:campaign_report_docx", args=[action_month.pk]))
    )
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "I. Kết quả chung",
        "II. Kết quả theo hình thức",
        "III. Kết quả theo xã, phường",
        "IV. Danh sách hoạt động",
        "V. Đánh giá chung, đề xuất",
    ]
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tháng hành động vì trẻ em năm 2026" in text
    assert "Hành động thiết thực, ưu tiên nguồn lực cho trẻ em" in text
    assert "Tổ chức 4 hoạt động truyền thông, tiếp cận 5.930 người" in text
    assert "107.700.000 đồng" in text
    # The administrative heading: issuing body left, national motto right.
    heading = doc.tables[0].rows[0].cells
    assert "ỦY BAN NHÂN DÂN" in heading[0].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in heading[1].text
    by_kind = doc.tables[1]
    total = [c.text for c in by_kind.rows[-1].cells]
    assert total[0] == "Tổng cộng"
    assert [_number(v) for v in total[1:]] == [4, 5_930, 950, 107_700_000]
    forum = next(r for r in by_kind.rows if r.cells[0].text == "Diễn đàn trẻ em")
    assert [_number(c.text) for c in forum.cells[1:]] == [2, 430, 350, 21_500_000]
    by_commune = doc.tables[2]
    assert len(by_commune.rows) == 3  # heading and the two communes (the province's own event
    # has no commune)
    listed = doc.tables[3]
    assert len(listed.rows) == 5
    assert listed.rows[1].cells[2].text == "Diễn đàn trẻ em phường"


def test_action_month_excel_report_matches_the_page_in_the_official_layout(
    action_month, specialist_client, specialist
):
    book = _book(
        specialist_client.get(reverse("programmes:campaign_report_xlsx", args=[action_month.pk]))
    )
    assert book.sheetnames == ["Theo hình thức", "Theo xã, phường", "Hoạt động"]
    ws = book["Theo hình thức"]
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN"
    assert ws["A2"].value == action_month.province.name.upper()  # "TỈNH …", the kind once
    assert ws["C1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert "THÁNG HÀNH ĐỘNG VÌ TRẺ EM NĂM 2026" in ws["A3"].value
    assert "A3:E3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A7"
    assert [c.value for c in ws[6]] == [
        "Hình thức",
        "Hoạt động",
        "Người được tiếp cận",
        "Trong đó trẻ em",
        "Kinh phí (đồng)",
    ]
    assert ws.column_dimensions["A"].width == 40
    rows = [list(r) for r in ws.iter_rows(min_row=7, values_only=True)]
    assert rows[-1] == ["Tổng cộng", 4, 5_930, 950, 107_700_000]
    # The lines add up to the total, and the total is the page's.
    assert [sum(r[i] for r in rows[:-1]) for i in range(1, 5)] == rows[-1][1:]
    page = _page_figures(specialist_client, action_month)
    assert (rows[-1][1], rows[-1][2], rows[-1][4]) == (
        page["activities"],
        page["reached"],
        page["cost"],
    )
    assert ws.cell(8, 5).number_format == "#,##0"
    listed = book["Hoạt động"]
    assert listed.freeze_panes == "A7"
    titles = [r[2] for r in listed.iter_rows(min_row=7, values_only=True)]
    # A title that would start a formula is neutralised.
    assert "'=Diễn đàn (công thức?)" in titles and len(titles) == 4
    audiences = {r[6] for r in listed.iter_rows(min_row=7, values_only=True)}
    assert audiences == {"Trẻ em, Cha mẹ, người chăm sóc"}


def test_a_commune_worker_exports_the_figures_of_their_commune_only(
    action_month, officer_b_client, demo
):
    rollup = selectors.comm_rollup(user=demo.users["canbo.b"], campaign=action_month)
    assert (rollup.activities, rollup.reached) == (1, 180)
    book = _book(
        officer_b_client.get(reverse("programmes:campaign_report_xlsx", args=[action_month.pk]))
    )
    total = list(book["Theo hình thức"].iter_rows(min_row=7, values_only=True))[-1]
    assert total == ("Tổng cộng", 1, 180, 150, 9_000_000)
    assert _page_figures(officer_b_client, action_month)["reached"] == 180
    titles = [r[2] for r in book["Hoạt động"].iter_rows(min_row=7, values_only=True)]
    assert titles == ["'=Diễn đàn (công thức?)"]


def test_plan_report_excel_has_the_official_layout_and_the_budget_sheet(
    plan, specialist, specialist_client
):
    from treem.programmes.models import Source

    services.task_add(
        actor=specialist,
        plan=plan,
        title="Tập huấn kỹ năng",
        lead_organisation=specialist.organisation,
        due_on=date(2026, 5, 29),
    )
    services.budget_line_create(
        actor=specialist,
        plan=plan,
        year=2026,
        label="Tập huấn",
        source=Source.PROVINCIAL,
        activity="training",
        estimate=50_000_000,
        allocated=40_000_000,
        spent=30_000_000,
        reason="Giao dự toán",
    )
    query = "?from=2026-01-01&to=2026-12-31"
    url = reverse("programmes:plan_report_xlsx", args=[plan.pk])
    book = _book(specialist_client.get(url + query))
    tasks = book["Nhiệm vụ"]
    assert tasks.freeze_panes == "A7" and tasks["A6"].value == "TT"
    assert tasks["A3"].value.startswith("BÁO CÁO TỔNG KẾT")
    assert tasks.column_dimensions["B"].width == 50
    budget = list(book["Kinh phí"].iter_rows(min_row=7, values_only=True))
    assert budget == [
        ("Ngân sách tỉnh", 50_000_000, 40_000_000, 30_000_000),
        ("Tổng cộng", 50_000_000, 40_000_000, 30_000_000),
    ]
    page = specialist_client.get(reverse("programmes:plan_report", args=[plan.pk]) + query)
    assert "30.000.000" in page.content.decode()
    url = reverse("programmes:plan_report_docx", args=[plan.pk])
    doc = _word(specialist_client.get(url + query))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings == ["I. Kết quả chung", "III. Kết quả từng nhiệm vụ", "IV. Kinh phí"]
    assert "Dự toán: 50.000.000 đồng; được giao: 40.000.000 đồng; đã chi: 30.000.000 đồng." in (
        "\n".join(p.text for p in doc.paragraphs)
    )
