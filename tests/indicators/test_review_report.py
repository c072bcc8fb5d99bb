from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from treem.indicators import hooks, review, services
from treem.indicators.models import NarrativeRevision, ReviewReportJob


@pytest.fixture
def data(catalogue, put_value, demo, specialist):
    vax = catalogue["YT_TIEMCHUNG_U1"]
    for year, (a, b) in {2013: (80, 900), 2022: (95, 980)}.items():
        put_value(vax, demo.commune_a, year, a, 100)
        put_value(vax, demo.commune_b, year, b, 1000)
    put_value(catalogue["YT_DUOINUOC"], demo.commune_a, 2020, 3)
    services.narrative_save(
        actor=specialist,
        section="shortcomings",
        unit_code=demo.province.code,
        year_from=2012,
        year_to=2022,
        html="<p>Nguồn lực cho công tác trẻ em ở cấp xã còn <strong>hạn chế</strong>.</p>"
        "<script>alert(1)</script><ul><li>Thiếu cộng tác viên ở ấp</li></ul>",
    )
    return catalogue


def _docx_text(content: bytes) -> str:
    from docx import Document

    d = Document(io.BytesIO(content))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_docx_and_pdf_carry_vietnamese_headings_and_figures(data, demo):
    doc = review.build(demo.province.code, 2012, 2022)
    docx_text = _docx_text(review.to_docx(doc))
    pdf_text = _pdf_text(review.to_pdf(doc))
    for text in (docx_text, pdf_text):
        flat = " ".join(text.split())
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat
        assert "Độc lập - Tự do - Hạnh phúc" in flat
        assert "Chỉ thị số 20-CT/TW" in flat
        assert "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU" in flat
        assert "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ" in flat
        # 2022: (95 + 980) / 1100 = 97,73%; 2013: 980 / 1100 = 89,09%.
        assert "97,73" in flat and "89,09" in flat
        assert "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN" in flat
        assert "Nguồn lực cho công tác trẻ em ở cấp xã còn hạn chế" in flat
        assert "alert(1)" not in flat
        assert "Chưa có dữ liệu" in flat  # hook sections nobody filled
        assert "Số trẻ em bị đuối nước" in flat


def test_hook_sections_are_merged(data, demo):
    def budget(scope):
        return hooks.ReportSection(
            title="Kinh phí thực hiện",
            paragraphs=[f"Tổng kinh phí giai đoạn {scope.year_from}–{scope.year_to}."],
            tables=[
                hooks.ReportTable("Bảng kinh phí", ["Năm", "Số tiền (đồng)"], [[2020, 1500000]])
            ],
        )

    # Another app (programmes) may have registered the real section: put it back afterwards.
    previous = hooks._SECTIONS.get("budget")
    hooks.register_report_section("budget", budget)
    try:
        doc = review.build(demo.province.code, 2012, 2022)
        text = _docx_text(review.to_docx(doc))
        assert "Tổng kinh phí giai đoạn 2012–2022." in text
        assert "1.500.000" in text or "1500000" in text
    finally:
        hooks._SECTIONS.pop("budget", None)
        if previous is not None:
            hooks._SECTIONS["budget"] = previous


def test_directive_28_title_from_2023(catalogue, demo):
    doc = review.build(demo.province.code, 2023, 2025)
    assert "Chỉ thị số 28-CT/TW" in doc.title


def test_command_writes_each_format(data, demo, tmp_path):
    for ext in ("docx", "pdf", "xlsx"):
        path = tmp_path / f"r.{ext}"
        call_command(
            "review_report",
            "--unit",
            "75",
            "--from",
            "2012",
            "--to",
            "2022",
            "--output",
            str(path),
            stdout=io.StringIO(),
        )
        assert path.stat().st_size > 1000
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "r.xlsx")
    assert len(wb.sheetnames) >= 2


def test_button_generates_in_background_and_leader_can_download(
    data, demo, client_for, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    c = client_for("chuyenvien")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("indicators:review_generate"),
            {"unit": "75", "from": 2012, "to": 2022, "format": "pdf"},
        )
    assert response.status_code == 302
    job = ReviewReportJob.objects.get()
    assert job.status == "done" and job.progress == 100
    assert (
        client_for("lanhdao")
        .post(reverse("indicators:review_generate"), {"unit": "75"})
        .status_code
        == 403
    )
    download = client_for("lanhdao").get(reverse("indicators:review_download", args=[job.pk]))
    assert download.status_code == 200
    assert (
        client_for("canbo.a").get(reverse("indicators:review_download", args=[job.pk])).status_code
        == 404
    )


def test_narrative_revisions_are_kept(data, demo, specialist):
    services.narrative_save(
        actor=specialist,
        section="shortcomings",
        unit_code="75",
        year_from=2012,
        year_to=2022,
        html="<p>Bản hai</p>",
    )
    assert NarrativeRevision.objects.filter(section="shortcomings").count() == 2
    assert services.narrative_current("shortcomings", "75", 2012, 2022) == "<p>Bản hai</p>"
