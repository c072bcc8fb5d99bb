"""Word and Excel files as officials use them: an administrative heading, labels in Vietnamese,
dates dd/mm/yyyy, amounts in whole đồng; every text cell neutralised against formulas."""

from __future__ import annotations

import io
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from treem.lib.spreadsheet import safe_cell, safe_row
from treem.programmes.models import Activity, Audience, Campaign, Source
from treem.programmes.selectors import CommRollup, PlanReport

MONEY = "#,##0"


def dmy(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def money(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _authority(province) -> tuple[str, str]:
    """The issuing body's two lines of the administrative heading (Decree 30/2020, Annex I):
    "ỦY BAN NHÂN DÂN" over the province's name in capitals."""
    # The province's name already carries its kind ("Tỉnh …", "Thành phố …").
    return _("ỦY BAN NHÂN DÂN"), (province.name if province else "").upper()


def _place(province) -> str:
    """The place before the date ("Đồng Nai, ngày …"): the name without its kind."""
    name = province.name if province else ""
    for prefix in ("Tỉnh ", "Thành phố "):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def _word_document(*, province, title_lines: list[str]):
    """A Word document in the administrative layout: the issuing body left and the national
    motto right (a borderless two-column table), place and date in italics, then the centred
    title. Headings use Word's own heading styles in Times New Roman, so the file stays editable
    (a navigation pane, a table of contents) like one an official types."""
    doc = WordDocument()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        heading_style = doc.styles[name]
        heading_style.font.name = "Times New Roman"
        heading_style.font.size = Pt(13)
        heading_style.font.color.rgb = RGBColor(0, 0, 0)
    authority = _authority(province)
    head = doc.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    left.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    left.paragraphs[0].add_run(authority[0]).bold = False
    left.paragraphs[0].add_run("\n" + authority[1]).bold = True
    right.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].add_run(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")).bold = True
    right.paragraphs[0].add_run("\n" + _("Độc lập - Tự do - Hạnh phúc")).bold = True
    today = timezone.localdate()
    dated = doc.add_paragraph()
    dated.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    dated.add_run(
        _("%(place)s, ngày %(d)s tháng %(m)s năm %(y)s")
        % {
            "place": _place(province),
            "d": f"{today.day:02d}",
            "m": f"{today.month:02d}",
            "y": today.year,
        }
    ).italic = True
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run("\n".join(title_lines)).bold = True
    return doc


def _word_table(doc, columns: list[str], rows: list[list[object]], *, bold_last: bool = False):
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, columns, strict=True):
        cell.text = label
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = money(value) if isinstance(value, int) else str(value)
            if isinstance(value, int):
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if bold_last and rows:
        for cell in table.rows[-1].cells:
            for run in cell.paragraphs[0].runs:
                run.bold = True
    return table


def _save_word(doc) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plan_report_docx(report: PlanReport, *, kind_label: str) -> bytes:
    plan = report.plan
    doc = _word_document(
        province=plan.province,
        title_lines=[
            _("BÁO CÁO %(kind)s") % {"kind": kind_label.upper()},
            _("Kết quả thực hiện %(plan)s") % {"plan": str(plan)},
        ],
    )
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
    return _save_word(doc)


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


THIN = Side(style="thin")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _sheet_start(
    ws,
    *,
    province,
    title: str,
    subtitle: str,
    columns: list[str],
    widths: list[int],
    unit: str = "",
) -> int:
    """The layout of an official table: the issuing body (left) and the national motto (right)
    on rows 1–2, the title and its period merged across the table on rows 3–4, the unit on row 5,
    the column headings on row 6, frozen so they stay in view while scrolling. Returns the
    heading row's number."""
    ncols = len(columns)
    half = max(1, ncols // 2)
    authority = _authority(province)
    motto = (_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), _("Độc lập - Tự do - Hạnh phúc"))
    for row, (left, right) in enumerate(zip(authority, motto, strict=True), start=1):
        ws.cell(row, 1, safe_cell(left)).font = Font(bold=row == 2)
        ws.cell(row, half + 1, safe_cell(right)).font = Font(bold=True)
        if ncols > 2:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=half)
            ws.merge_cells(start_row=row, start_column=half + 1, end_row=row, end_column=ncols)
        for col in (1, half + 1):
            ws.cell(row, col).alignment = Alignment(horizontal="center")
    ws.cell(3, 1, safe_cell(title)).font = Font(bold=True, size=14)
    ws.cell(4, 1, safe_cell(subtitle)).font = Font(italic=True)
    for row in (3, 4):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        ws.cell(row, 1).alignment = Alignment(horizontal="center", wrap_text=True)
    ws.row_dimensions[3].height = 36
    if unit:
        ws.cell(5, ncols, safe_cell(unit)).font = Font(italic=True)
        ws.cell(5, ncols).alignment = Alignment(horizontal="right")
    header_row = 6
    for col, label in enumerate(columns, start=1):
        cell = ws.cell(header_row, col, safe_cell(label))
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = GRID
    ws.freeze_panes = f"A{header_row + 1}"
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    return header_row


def _sheet_rows(ws, rows: list[list[object]], *, bold_last: bool = False) -> None:
    """Data rows with a grid; whole numbers formatted 1.234.567 by the reader's locale."""
    for values in rows:
        ws.append(safe_row(values))
        for cell in ws[ws.max_row]:
            cell.border = GRID
            if isinstance(cell.value, int):
                cell.number_format = MONEY
            else:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if bold_last and rows:
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)


def _save_book(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def plan_report_xlsx(report: PlanReport, *, kind_label: str) -> bytes:
    """One row per task and a total row, the figures achieved one column each; the budget by
    source on a second sheet when the reader may see budgets."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Nhiệm vụ")
    figure_labels = list(report.figures)
    _sheet_start(
        ws,
        province=report.plan.province,
        title=_("BÁO CÁO %(kind)s: %(plan)s")
        % {"kind": kind_label.upper(), "plan": str(report.plan)},
        subtitle=_("Từ %(start)s đến %(end)s")
        % {"start": dmy(report.date_from), "end": dmy(report.date_to)},
        columns=[
            _("TT"),
            _("Nhiệm vụ"),
            _("Đơn vị chủ trì"),
            _("Hạn"),
            _("Tình trạng"),
            _("Tỷ lệ (%)"),
            _("Kết quả"),
            *figure_labels,
        ],
        widths=[5, 50, 30, 12, 18, 10, 50, *[16] * len(figure_labels)],
    )
    rows: list[list[object]] = [
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
        for row in report.rows
    ]
    rows.append(
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
    _sheet_rows(ws, rows, bold_last=True)
    if report.show_budget:
        budget = wb.create_sheet(_("Kinh phí"))
        _sheet_start(
            budget,
            province=report.plan.province,
            title=_("KINH PHÍ THỰC HIỆN %(plan)s") % {"plan": str(report.plan).upper()},
            subtitle=_("Năm %(start)s – %(end)s")
            % {"start": report.date_from.year, "end": report.date_to.year},
            columns=[_("Nguồn kinh phí"), _("Dự toán"), _("Được giao"), _("Đã chi")],
            widths=[40, 18, 18, 18],
            unit=_("Đơn vị tính: đồng"),
        )
        _sheet_rows(
            budget,
            [[str(label), e, a, sp] for label, e, a, sp in report.by_source]
            + [
                [
                    _("Tổng cộng"),
                    report.budget["estimate"],
                    report.budget["allocated"],
                    report.budget["spent"],
                ]
            ],
            bold_last=True,
        )
    return _save_book(wb)


def budget_xlsx(lines, *, title: str, province=None) -> bytes:
    """One row per line, grouped by source with a subtotal after each source and a grand total:
    the layout of a finance officer's estimate table (dự toán)."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Kinh phí")
    _sheet_start(
        ws,
        province=province,
        title=title,
        subtitle="",
        unit=_("Đơn vị tính: đồng"),
        widths=[5, 7, 40, 40, 40, 22, 30, 16, 16, 16],
        columns=[
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
    for row in ws.iter_rows(min_row=7, min_col=8, max_col=10):
        for cell in row:
            cell.number_format = MONEY
    return _save_book(wb)


# ---- the summary report of a campaign (the Action Month for Children)


def _campaign_title(campaign: Campaign) -> list[str]:
    if campaign.kind == Campaign.Kind.ACTION_MONTH:
        return [
            _("BÁO CÁO"),
            _("Kết quả tổ chức Tháng hành động vì trẻ em năm %(year)s") % {"year": campaign.year},
        ]
    return [_("BÁO CÁO"), _("Kết quả %(title)s") % {"title": campaign.title}]


def _campaign_period(campaign: Campaign) -> str:
    text = _("Từ %(start)s đến %(end)s") % {
        "start": dmy(campaign.starts_on),
        "end": dmy(campaign.ends_on),
    }
    if campaign.theme:
        text = _("Chủ đề: “%(theme)s”. %(period)s") % {"theme": campaign.theme, "period": text}
    return text


def _kind_rows(rollup: CommRollup) -> list[list[object]]:
    return [
        [str(r["label"]), r["n"], r["reached"], r["children"], r["cost"]] for r in rollup.by_kind
    ]


def _commune_rows(rollup: CommRollup) -> list[list[object]]:
    return [[r["label"], r["n"], r["reached"], r["children"], r["cost"]] for r in rollup.by_commune]


def _total_row(rollup: CommRollup) -> list[object]:
    return [_("Tổng cộng"), rollup.activities, rollup.reached, rollup.children, rollup.cost]


def _audiences(activity) -> str:
    labels = dict(Audience.choices)
    return ", ".join(str(labels.get(a, "")) for a in activity.audiences if a in labels)


def _activity_rows(activities) -> list[list[object]]:
    return [
        [
            number,
            dmy(a.held_on),
            a.title,
            str(a.get_kind_display()),
            a.commune.name if a.commune_id else "",
            a.organiser.name if a.organiser_id else "",
            _audiences(a),
            a.people_reached,
            a.children_reached,
            a.materials,
            a.cost,
        ]
        for number, a in enumerate(activities, start=1)
    ]


def _figure_columns() -> list[str]:
    return [_("Hoạt động"), _("Người được tiếp cận"), _("Trong đó trẻ em"), _("Kinh phí (đồng)")]


def _activity_columns() -> list[str]:
    return [
        _("TT"),
        _("Ngày"),
        _("Hoạt động"),
        _("Hình thức"),
        _("Địa điểm"),
        _("Đơn vị tổ chức"),
        _("Đối tượng"),
        _("Người được tiếp cận"),
        _("Trong đó trẻ em"),
        _("Sản phẩm truyền thông"),
        _("Kinh phí (đồng)"),
    ]


def campaign_report_docx(campaign: Campaign, rollup: CommRollup, activities) -> bytes:
    """The campaign's summary report as the page shows it: the totals, by kind, by commune and
    the list of activities. Figures are counts and đồng only: no child is named."""
    doc = _word_document(province=campaign.province, title_lines=_campaign_title(campaign))
    doc.add_paragraph(_campaign_period(campaign)).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(_("I. Kết quả chung"), level=2)
    doc.add_paragraph(
        _(
            "Tổ chức %(n)s hoạt động truyền thông, tiếp cận %(reached)s người, trong đó "
            "%(children)s trẻ em; kinh phí %(cost)s đồng."
        )
        % {
            "n": money(rollup.activities),
            "reached": money(rollup.reached),
            "children": money(rollup.children),
            "cost": money(rollup.cost),
        }
    )
    doc.add_heading(_("II. Kết quả theo hình thức"), level=2)
    if rollup.by_kind:
        _word_table(
            doc,
            [_("Hình thức"), *_figure_columns()],
            [*_kind_rows(rollup), _total_row(rollup)],
            bold_last=True,
        )
    else:
        doc.add_paragraph(_("Chưa có hoạt động."))
    doc.add_heading(_("III. Kết quả theo xã, phường"), level=2)
    if rollup.by_commune:
        _word_table(doc, [_("Xã, phường"), *_figure_columns()], _commune_rows(rollup))
    else:
        doc.add_paragraph(_("Chưa có hoạt động tại xã, phường."))
    doc.add_heading(_("IV. Danh sách hoạt động"), level=2)
    activity_rows = _activity_rows(activities)
    if activity_rows:
        # The list without the audiences and materials columns: a portrait page holds seven.
        _word_table(
            doc,
            [
                _("TT"),
                _("Ngày"),
                _("Hoạt động"),
                _("Hình thức"),
                _("Địa điểm"),
                _("Người được tiếp cận"),
                _("Kinh phí (đồng)"),
            ],
            [[r[0], r[1], r[2], r[3], r[4], r[7], r[10]] for r in activity_rows],
        )
    else:
        doc.add_paragraph(_("Chưa có hoạt động."))
    doc.add_heading(_("V. Đánh giá chung, đề xuất"), level=2)
    doc.add_paragraph(_("(Đơn vị báo cáo bổ sung nhận xét, tồn tại và đề xuất.)"))
    return _save_word(doc)


def campaign_report_xlsx(campaign: Campaign, rollup: CommRollup, activities) -> bytes:
    """Three sheets in the official table layout: by kind (with the total), by commune, and
    one row per activity."""
    wb = Workbook()
    title = " ".join(_campaign_title(campaign)).upper()
    period = _campaign_period(campaign)
    sheets = [
        (
            _("Theo hình thức"),
            [_("Hình thức"), *_figure_columns()],
            [*_kind_rows(rollup), _total_row(rollup)],
            [40, 14, 20, 18, 20],
        ),
        (
            _("Theo xã, phường"),
            [_("Xã, phường"), *_figure_columns()],
            [*_commune_rows(rollup)],
            [40, 14, 20, 18, 20],
        ),
        (
            _("Hoạt động"),
            _activity_columns(),
            _activity_rows(activities),
            [5, 12, 45, 24, 24, 28, 24, 14, 14, 30, 16],
        ),
    ]
    for index, (name, columns, rows, widths) in enumerate(sheets):
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = name
        _sheet_start(
            ws,
            province=campaign.province,
            title=title,
            subtitle=period,
            columns=columns,
            widths=widths,
            unit=_("Đơn vị tính: người; đồng"),
        )
        _sheet_rows(ws, rows, bold_last=index == 0)
    return _save_book(wb)
