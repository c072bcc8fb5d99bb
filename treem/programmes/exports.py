"""Word and Excel files as officials use them: an administrative heading, labels in Vietnamese,
dates dd/mm/yyyy, amounts in whole đồng; every text cell neutralised against formulas."""

from __future__ import annotations

import io
from datetime import date

from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from treem.lib.spreadsheet import safe_cell, safe_row
from treem.programmes.models import Activity, Source
from treem.programmes.selectors import PlanReport

MONEY = "#,##0"


def dmy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def plan_report_docx(report: PlanReport, *, kind_label: str) -> bytes:
    plan = report.plan
    doc = WordDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    heading = doc.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"))
    run.bold = True
    heading.add_run("\n" + _("Độc lập - Tự do - Hạnh phúc")).bold = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_run = title.add_run(
        _("BÁO CÁO %(kind)s") % {"kind": kind_label.upper()}
        + "\n"
        + _("Kết quả thực hiện %(plan)s") % {"plan": str(plan)}
    )
    title_run.bold = True
    doc.add_paragraph(
        _("Thời gian: từ %(start)s đến %(end)s.")
        % {"start": dmy(report.date_from), "end": dmy(report.date_to)}
    )
    doc.add_heading(_("I. Kết quả chung"), level=2)
    doc.add_paragraph(
        _(
            "Tổng số nhiệm vụ: %(total)s; hoàn thành: %(done)s (%(rate)s%%); đang thực hiện: "
            "%(progress)s; chưa triển khai: %(not_started)s; quá hạn: %(overdue)s."
        )
        % {
            "total": report.total,
            "done": report.done,
            "rate": report.rate,
            "progress": report.in_progress,
            "not_started": report.not_started,
            "overdue": report.overdue,
        }
    )
    if report.figures:
        doc.add_heading(_("II. Số liệu đạt được"), level=2)
        table = doc.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        table.rows[0].cells[0].text = _("Nội dung")
        table.rows[0].cells[1].text = _("Số lượng")
        for label, value in report.figures.items():
            cells = table.add_row().cells
            cells[0].text = label
            cells[1].text = money(value)
    doc.add_heading(_("III. Kết quả từng nhiệm vụ"), level=2)
    table = doc.add_table(rows=1, cols=6)
    table.style = "Table Grid"
    for cell, label in zip(
        table.rows[0].cells,
        [_("TT"), _("Nhiệm vụ"), _("Đơn vị chủ trì"), _("Hạn"), _("Tình trạng"), _("Kết quả")],
        strict=True,
    ):
        cell.text = label
    for row in report.rows:
        cells = table.add_row().cells
        cells[0].text = str(row.number)
        cells[1].text = row.task.title
        cells[2].text = row.task.lead_label
        cells[3].text = dmy(row.task.due_on)
        cells[4].text = f"{row.status_label} ({row.percent}%)"
        cells[5].text = row.done_text
    if report.show_budget:
        _docx_budget(doc, report)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _docx_budget(doc, report: PlanReport) -> None:
    doc.add_heading(_("IV. Kinh phí"), level=2)
    doc.add_paragraph(
        _("Dự toán: %(e)s đồng; được giao: %(a)s đồng; đã chi: %(s)s đồng.")
        % {
            "e": money(report.budget["estimate"]),
            "a": money(report.budget["allocated"]),
            "s": money(report.budget["spent"]),
        }
    )
    if report.by_source:
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        for cell, label in zip(
            table.rows[0].cells,
            [_("Nguồn"), _("Dự toán"), _("Được giao"), _("Đã chi")],
            strict=True,
        ):
            cell.text = label
        for label, e, a, s in report.by_source:
            cells = table.add_row().cells
            cells[0].text = str(label)
            cells[1].text, cells[2].text, cells[3].text = money(e), money(a), money(s)


def _header(ws, title: str, subtitle: str, columns: list[str]) -> None:
    ws.append([safe_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([safe_cell(subtitle)])
    ws.append([])
    ws.append(safe_row(columns))
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def plan_report_xlsx(report: PlanReport, *, kind_label: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Nhiệm vụ")
    figure_labels = list(report.figures)
    _header(
        ws,
        _("Báo cáo %(kind)s: %(plan)s") % {"kind": kind_label, "plan": str(report.plan)},
        _("Từ %(start)s đến %(end)s")
        % {"start": dmy(report.date_from), "end": dmy(report.date_to)},
        [
            _("TT"),
            _("Nhiệm vụ"),
            _("Đơn vị chủ trì"),
            _("Hạn"),
            _("Tình trạng"),
            _("Tỷ lệ (%)"),
            _("Kết quả"),
            *figure_labels,
        ],
    )
    for row in report.rows:
        ws.append(
            safe_row(
                [
                    row.number,
                    row.task.title,
                    row.task.lead_label,
                    dmy(row.task.due_on),
                    row.status_label,
                    row.percent,
                    row.done_text,
                    *[row.figures.get(label, 0) for label in figure_labels],
                ]
            )
        )
    ws.append(
        safe_row(
            [
                "",
                _("Cộng"),
                "",
                "",
                _("%(done)s/%(total)s hoàn thành") % {"done": report.done, "total": report.total},
                report.rate,
                "",
                *[report.figures[label] for label in figure_labels],
            ]
        )
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 35
    ws.column_dimensions["G"].width = 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def budget_xlsx(lines, *, title: str) -> bytes:
    """One row per line, grouped by source with a subtotal after each source and a grand total:
    the layout of a finance officer's estimate table (dự toán)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Kinh phí")
    _header(
        ws,
        title,
        _("Đơn vị tính: đồng"),
        [
            _("TT"),
            _("Năm"),
            _("Kế hoạch"),
            _("Nhiệm vụ"),
            _("Nội dung chi"),
            _("Loại hoạt động"),
            _("Đơn vị"),
            _("Dự toán"),
            _("Được giao"),
            _("Đã chi"),
        ],
    )
    activity_labels = dict(Activity.choices)
    grand = [0, 0, 0]
    rows = list(
        lines.select_related("plan", "task", "organisation", "commune").order_by(
            "source", "year", "plan_id", "id"
        )
    )
    number = 0
    for source, source_label in Source.choices:
        group = [line for line in rows if line.source == source]
        if not group:
            continue
        ws.append(safe_row([str(source_label)]))
        ws.cell(ws.max_row, 1).font = Font(bold=True)
        sub = [0, 0, 0]
        for line in group:
            number += 1
            unit = line.organisation.name if line.organisation_id else ""
            if not unit and line.commune_id:
                unit = line.commune.name
            ws.append(
                safe_row(
                    [
                        number,
                        line.year,
                        str(line.plan),
                        line.task.title if line.task_id else "",
                        line.label,
                        str(activity_labels.get(line.activity, "")),
                        unit,
                        line.estimate,
                        line.allocated,
                        line.spent,
                    ]
                )
            )
            sub = [sub[0] + line.estimate, sub[1] + line.allocated, sub[2] + line.spent]
        ws.append(
            safe_row(
                [
                    "",
                    "",
                    "",
                    "",
                    _("Cộng %(source)s") % {"source": source_label},
                    "",
                    "",
                    *sub,
                ]
            )
        )
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        grand = [g + s for g, s in zip(grand, sub, strict=True)]
    ws.append(safe_row(["", "", "", "", _("Tổng cộng"), "", "", *grand]))
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=5, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = MONEY
    for col, width in zip("ABCDEFGHIJ", (5, 7, 40, 40, 40, 22, 30, 16, 16, 16), strict=True):
        ws.column_dimensions[col].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
