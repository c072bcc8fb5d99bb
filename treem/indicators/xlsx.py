"""Spreadsheets: the commune report template (download, fill, upload) and table exports.

Every text cell goes through `treem.lib.spreadsheet.safe_cell`, so nothing an official opens runs
as a formula. The report template keeps each cell's key in a hidden first column; officials see
only labels.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from treem.indicators.forms_spec import Block
from treem.lib.spreadsheet import safe_cell, safe_row

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KEY_HEADER = "key"


def _number(value):
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def tables_workbook(tables: list[tuple[str, list[str], list[list]]]) -> bytes:
    """One sheet per table: (title, header, rows)."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for title, header, rows in tables:
        name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28] or "Bang"
        base, n = name, 2
        while name in used:
            name = f"{base[:25]} {n}"
            n += 1
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([safe_cell(title)])
        ws["A1"].font = Font(bold=True)
        ws.append(safe_row(header))
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append([safe_cell(_number(v)) for v in row])
        ws.column_dimensions["A"].width = 40
    if not wb.sheetnames:
        wb.create_sheet("Trống")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_template(report, blocks: list[Block], initial: dict[str, str]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    ws.append(
        [
            KEY_HEADER,
            safe_cell(
                _("Báo cáo của %(commune)s, kỳ %(period)s")
                % {"commune": report.commune.name, "period": report.period}
            ),
        ]
    )
    ws.append(["", _("Chỉ tiêu"), _("Phân tổ"), _("Tử số hoặc số lượng"), _("Mẫu số")])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for block in blocks:
        for i, row in enumerate(block.rows):
            n_key = row.key(block.indicator.code, "n")
            d_key = row.key(block.indicator.code, "d")
            ws.append(
                [
                    n_key,
                    safe_cell(block.indicator.name_vi if i == 0 else ""),
                    safe_cell(row.label),
                    _to_number(initial.get(n_key)),
                    _to_number(initial.get(d_key)) if block.has_denominator else None,
                ]
            )
            if not block.has_denominator:
                ws.cell(row=ws.max_row, column=5).fill = grey
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 16
    ws.column_dimensions["D"].width = 20
    ws.column_dimensions["E"].width = 14
    for r in ws.iter_rows(min_row=3):
        r[1].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _to_number(text):
    if text in (None, ""):
        return None
    try:
        value = Decimal(str(text).replace(",", "."))
    except (ArithmeticError, ValueError):
        return text
    return _number(value)


def _as_text(value) -> str:
    """A cell as the form would post it: numbers with a decimal comma, so 0.125 is never read as
    the thousands-separated 125."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return format(Decimal(str(value)), "f").replace(".", ",")
    return str(value)


class TemplateError(ValueError):
    pass


def read_report_template(content: bytes) -> dict[str, str]:
    """Cells from a filled template, as the form would post them. A file that is not the
    template raises TemplateError and nothing is read."""
    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise TemplateError(_("Tệp không đọc được như một tệp Excel (.xlsx).")) from exc
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    if not rows or not rows[0] or rows[0][0] != KEY_HEADER:
        raise TemplateError(
            _("Tệp không phải mẫu báo cáo của Treem: hãy tải mẫu từ trang báo cáo rồi điền vào.")
        )
    data: dict[str, str] = {}
    for row in rows[2:]:
        if not row or not row[0] or not str(row[0]).startswith("c|"):
            continue
        key_n = str(row[0])
        key_d = key_n[:-1] + "d"
        values = list(row) + [None] * 5
        data[key_n] = _as_text(values[3])
        data[key_d] = _as_text(values[4])
    return data
