"""Child-friendly criteria that map to an indicator are scored from the commune's figure by the
rule stored on the criterion; the evaluator may change the points only with a reason; the
province's evaluation sheet (title block, header, signature block) uploads row by row."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from treem.indicators import importers, services
from treem.indicators.child_friendly import auto_scores, rule_score
from treem.indicators.models import (
    ChildFriendlyCriterion,
    ChildFriendlyEvaluation,
    ChildFriendlyScore,
    ImportBatch,
)

RULE = {"bands": [[100, 80], [98.5, 70], [95, 50], [90, 30]], "met_at": 98.5}


@pytest.mark.parametrize(
    "value,points,met",
    [
        ("100", 80, True),
        ("99.2", 70, True),  # reaches 98.5, not 100
        ("98.5", 70, True),  # a threshold reached exactly counts
        ("98.49", 50, False),
        ("90", 30, False),
        ("89.99", 0, False),  # below every band: 0, which fails the criterion
    ],
)
def test_rule_gives_the_points_of_the_best_band_reached(value, points, met):
    assert rule_score(RULE, "higher", Decimal(value), 80) == (points, met)


def test_rule_for_a_lower_is_better_indicator_reads_the_other_way():
    rule = {"bands": [[10, 80], [15, 60], [20, 40]], "met_at": 15}
    assert rule_score(rule, "lower", Decimal("9.9"), 80) == (80, True)
    assert rule_score(rule, "lower", Decimal("15"), 80) == (60, True)
    assert rule_score(rule, "lower", Decimal("18"), 80) == (40, False)
    assert rule_score(rule, "lower", Decimal("21"), 80) == (0, False)
    # Points never exceed the criterion's maximum, whatever the rule says.
    assert rule_score({"bands": [[0, 500]]}, "higher", Decimal(1), 80)[0] == 80


@pytest.fixture
def figures(catalogue, put_value, demo):
    """Commune A, 2025: birth registration 980/1000 = 98% (criterion 2: 50 points, not met);
    full immunisation 291/300 = 97% (criterion 7: 70 points, met)."""
    put_value(catalogue["KS_DUOI5"], demo.commune_a, 2025, 980, 1000)
    put_value(catalogue["YT_TIEMCHUNG_U1"], demo.commune_a, 2025, 291, 300)
    return catalogue


def test_auto_scores_follow_the_communes_figures(figures, demo):
    criteria = list(ChildFriendlyCriterion.objects.select_related("indicator"))
    auto = auto_scores(demo.commune_a.code, 2025, criteria)
    assert auto[2].value == Decimal("98.00") and auto[2].points == 50 and auto[2].met is False
    assert auto[7].value == Decimal("97.00") and auto[7].points == 70 and auto[7].met is True
    assert 1 not in auto  # entered by hand: no indicator
    assert 10 not in auto  # kindergarten: no figure for the commune this year


def _hand_points() -> dict[int, int]:
    return {c.number: c.max_points for c in ChildFriendlyCriterion.objects.all()}


def test_changing_an_automatic_score_needs_a_reason(figures, demo):
    points = _hand_points()  # criterion 2 at 80 and 7 at 80: both differ from the rule
    with pytest.raises(ValidationError) as exc:
        services.child_friendly_save(
            actor=demo.users["canbo.a"],
            commune=demo.commune_a,
            year=2025,
            kind="other",
            points=points,
            met={},
        )
    assert set(exc.value.message_dict) == {"c2", "c7"}
    assert not ChildFriendlyEvaluation.objects.filter(commune=demo.commune_a, year=2025).exists()
    points[7] = 70  # keep the automatic points of 7; change 2 with a reason
    ev = services.child_friendly_save(
        actor=demo.users["canbo.a"],
        commune=demo.commune_a,
        year=2025,
        kind="other",
        points=points,
        met={},
        reasons={2: "Số liệu hộ tịch của xã cập nhật sau ngày chốt: 100%"},
    )
    s2 = ChildFriendlyScore.objects.get(evaluation=ev, criterion__number=2)
    assert (s2.points, s2.auto_points, s2.auto_value) == (80, 50, Decimal("98.00"))
    assert s2.override_reason.startswith("Số liệu hộ tịch")
    s7 = ChildFriendlyScore.objects.get(evaluation=ev, criterion__number=7)
    assert (s7.points, s7.auto_points, s7.override_reason) == (70, 70, "")


def test_evaluation_page_prefills_automatic_points_and_formats_the_figure(
    figures, demo, client_for
):
    url = reverse("indicators:evaluation", args=[demo.commune_a.code]) + "?year=2025"
    html = client_for("canbo.a").get(url).content.decode()
    assert re.search(r'name="c2" value="50"', html)
    assert re.search(r'name="c7" value="70"', html)
    assert "<strong>98,00%</strong>" in html and "<strong>97,00%</strong>" in html
    assert "0.00" not in html and "98.00" not in html
    assert 'name="r2"' in html and 'name="r1"' not in html  # a reason only where auto-scored


def test_a_zero_rate_reference_figure_is_a_vietnamese_percentage(
    catalogue, put_value, demo, client_for
):
    put_value(catalogue["TG_LAYYKIEN"], demo.commune_a, 2025, 0, 400)
    url = reverse("indicators:evaluation", args=[demo.commune_a.code]) + "?year=2025"
    html = client_for("canbo.a").get(url).content.decode()
    assert "<strong>0,00%</strong>" in html and ": 0.00" not in html


def test_second_evaluator_on_a_stale_page_is_refused(figures, demo, client_for):
    url = reverse("indicators:evaluation", args=[demo.commune_a.code]) + "?year=2025"
    points = _hand_points()
    points[2], points[7] = 50, 70
    form = {f"c{n}": p for n, p in points.items()} | {"kind": "other", "year": 2025}
    c = client_for("canbo.a")
    c.post(url, form)
    ev = ChildFriendlyEvaluation.objects.get(commune=demo.commune_a, year=2025)
    stale = form | {"version": ev.version, "c13": 60}
    c.post(url, form | {"version": ev.version, "c13": 70})  # the first save wins
    response = c.post(url, stale, follow=True)
    assert "người khác sửa" in response.content.decode()
    assert ChildFriendlyScore.objects.get(evaluation=ev, criterion__number=13).points == 70


def _sheet(rows: list[list], *, year_col: bool = True) -> bytes:
    """The sheet as a province keeps it: issuing body, merged title, header, rows, signature."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Cham diem"
    ws.append(["UBND TỈNH ĐỒNG NAI"])
    ws.append(["SỞ Y TẾ"])
    ws.append(["BẢNG TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ XÃ, PHƯỜNG PHÙ HỢP VỚI TRẺ EM NĂM 2025"])
    ws.merge_cells("A3:H3")
    ws.append([])
    header = ["STT", "Xã, phường", "Năm", "Tiêu chí", "Điểm", "Đạt", "Lý do điều chỉnh"]
    if not year_col:
        header.remove("Năm")
    ws.append(header)
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
    ws.append([])
    ws.append(["", "", "", "", "NGƯỜI LẬP BIỂU", "", "GIÁM ĐỐC"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_evaluation_sheet_upload_keeps_good_rows_rejects_bad_ones_and_is_idempotent(figures, demo):
    a, b = demo.commune_a.name, demo.commune_b.name
    rows = [
        [a, 2025, 1, 100, "Có", ""],  # row 6
        [a, 2025, 2, None, "", ""],  # row 7: blank points on an auto criterion -> 50
        [a, 2025, 7, 80, "Có", ""],  # row 8: differs from auto (70), no reason -> rejected
        [a, 2025, 3, "mười", "", ""],  # row 9: text -> rejected
        [a, 2025, 4, 61, "", ""],  # row 10: above the maximum of 60 -> rejected
        [a, 2025, 14, 10, "", ""],  # row 11: no criterion 14 -> rejected
        ["Xã Không Có", 2025, 5, 10, "", ""],  # row 12: unknown commune -> rejected
        [a, 2025, 1, 90, "", ""],  # row 13: second row for a criterion -> rejected
        [a, 2025, 9, 55, "Không", ""],  # row 14
        ['@HYPERLINK("http://x")', 2025, 9, 1, "", ""],  # row 15: formula text -> rejected
        [b, 2025, 12, 70, "x", ""],  # row 16
    ]
    content = _sheet(rows)
    user = demo.users["chuyenvien"]
    result = importers.import_child_friendly(actor=user, content=content, filename="cham.xlsx")
    assert (result.imported, result.updated) == (4, 0)
    assert [(r.row, r.cell[0]) for r in result.rejected] == [
        (8, "G"),
        (9, "E"),
        (10, "E"),
        (11, "D"),
        (12, "B"),
        (13, "D"),
        (15, "B"),
    ]
    messages = {r.row: r.message for r in result.rejected}
    assert "ghi lý do" in messages[8] and "từ 0 đến 60" in messages[10]
    ev = ChildFriendlyEvaluation.objects.get(commune=demo.commune_a, year=2025)
    scores = {s.criterion.number: s for s in ev.scores.select_related("criterion")}
    assert scores[2].points == 50 and scores[2].auto_points == 50
    assert scores[9].met is False and scores[1].points == 100
    # The same file again changes nothing and rejects the same rows.
    again = importers.import_child_friendly(actor=user, content=content, filename="cham.xlsx")
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 4)
    assert len(again.rejected) == 7
    assert ev.scores.count() == 3  # criteria 1, 2 and 9 of commune A; one row of B


def test_evaluation_sheet_in_english_reports_rejections_in_english(figures, demo):
    from django.utils import translation

    with translation.override("en"):
        result = importers.import_child_friendly(
            actor=demo.users["chuyenvien"],
            content=_sheet([[demo.commune_a.name, 2025, 4, 61, "", ""]]),
            filename="cham.xlsx",
        )
    assert result.rejected[0].row == 6
    assert result.rejected[0].message != "Điểm phải từ 0 đến 60."


def test_wrong_sheet_saves_nothing(figures, demo):
    wb = Workbook()
    wb.active.append(["Họ tên", "Địa chỉ"])
    wb.active.append(["Nguyễn Văn A", "Biên Hòa"])
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(importers.WrongTemplate):
        importers.import_child_friendly(
            actor=demo.users["chuyenvien"], content=out.getvalue(), filename="sai.xlsx"
        )
    assert not ChildFriendlyEvaluation.objects.exists()
    assert not ImportBatch.objects.exists()


def test_submitted_evaluation_is_not_overwritten_by_an_upload(figures, demo):
    rows = [[demo.commune_a.name, 2025, 1, 100, "", ""]]
    user = demo.users["chuyenvien"]
    importers.import_child_friendly(actor=user, content=_sheet(rows), filename="a.xlsx")
    ChildFriendlyEvaluation.objects.filter(commune=demo.commune_a).update(status="submitted")
    rows = [[demo.commune_a.name, 2025, 1, 90, "", ""]]
    result = importers.import_child_friendly(actor=user, content=_sheet(rows), filename="b.xlsx")
    assert len(result.rejected) == 1 and "đã gửi" in result.rejected[0].message
    assert ChildFriendlyScore.objects.get(criterion__number=1).points == 100


def test_commune_officer_uploads_for_their_commune_only(figures, demo, client_for):
    rows = [
        [demo.commune_a.code, 2025, 1, 100, "", ""],
        [demo.commune_b.code, 2025, 1, 100, "", ""],
    ]
    c = client_for("canbo.a")
    upload = io.BytesIO(_sheet(rows))
    upload.name = "cham.xlsx"
    response = c.post(reverse("indicators:evaluation_import"), {"file": upload, "year": 2025})
    assert response.status_code == 302
    batch = ImportBatch.objects.get(kind="child_friendly")
    assert (batch.imported, batch.rejected) == (1, 1)
    assert batch.rejected_rows[0]["row"] == 7
    # The uploader reads the result and downloads the rejected rows; formulas are neutralised.
    detail = c.get(reverse("indicators:import_detail", args=[batch.pk]))
    assert detail.status_code == 200
    xlsx = c.get(reverse("indicators:import_detail", args=[batch.pk]) + "?format=xlsx")
    ws = load_workbook(io.BytesIO(xlsx.content)).active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not any(v.startswith("=") for v in values)
    assert client_for("canbo.b").get(
        reverse("indicators:import_detail", args=[batch.pk])
    ).status_code in (403, 404)


def test_rejected_formula_cell_is_neutralised_in_the_download(figures, demo, client_for):
    # A cell an attacker typed to run as a formula when the official opens the rejected rows
    # ("@" and "+" start formulas in Excel; openpyxl keeps them as text in the upload).
    rows = [['@HYPERLINK("http://x")', 2025, 1, 100, "", ""]]
    c = client_for("chuyenvien")
    upload = io.BytesIO(_sheet(rows))
    upload.name = "cham.xlsx"
    c.post(reverse("indicators:evaluation_import"), {"file": upload, "year": 2025})
    batch = ImportBatch.objects.get(kind="child_friendly")
    content = c.get(reverse("indicators:import_detail", args=[batch.pk]) + "?format=xlsx").content
    ws = load_workbook(io.BytesIO(content)).active
    cells = [c.value for row in ws.iter_rows() for c in row if c.value]
    assert '\'@HYPERLINK("http://x")' in cells
