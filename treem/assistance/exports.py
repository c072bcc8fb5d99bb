"""The payment list as officials keep it: a spreadsheet (.xlsx) and a PDF in the administrative
layout (Decree 30/2020/NĐ-CP: issuing body left, national title right, title centred, signature
blocks), grouped by payment channel with subtotals, and a column for the recipient's signature.

No internal names: labels in the user's language, dates dd/mm/yyyy, amounts with thousands
separators in the PDF and as numbers in the spreadsheet. Text cells go through `safe_cell`.
"""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from treem.assistance.models import PaymentChannel, PaymentLine, PaymentList
from treem.core.pdffonts import FONT, register_fonts
from treem.lib.allowance import format_coefficient
from treem.lib.spreadsheet import safe_cell


def money(value: int) -> str:
    """1250000 → "1.250.000" (Vietnamese thousands separator)."""
    return f"{int(value):,}".replace(",", ".")


def _columns() -> list[str]:
    return [
        _("STT"),
        _("Họ và tên trẻ"),
        _("Ngày sinh"),
        _("Diện hưởng"),
        _("Hệ số"),
        _("Mức chuẩn"),
        _("Trợ cấp tháng"),
        _("Truy lĩnh"),
        _("Chưa nhận tháng trước"),
        _("Cộng được hưởng"),
        _("Khấu trừ"),
        _("Lý do khấu trừ"),
        _("Thực nhận"),
        _("Ký nhận"),
    ]


def _reason(line: PaymentLine) -> str:
    """The deduction's reason as the official wrote it, and a note when less was deducted than
    recorded (the gross fell after the deduction was entered)."""
    deduction = line.deduction
    if not deduction:
        return ""
    text = deduction.get("reason", "")
    if deduction.get("recorded", line.deductions) != line.deductions:
        text += " " + _("(đã ghi %(rec)s đồng, chỉ trừ bằng số được hưởng)") % {
            "rec": money(deduction["recorded"])
        }
    return text


def list_lines(payment_list: PaymentList):
    return (
        payment_list.lines.filter(kind=PaymentLine.Kind.PAYMENT)
        .select_related("recipient__child")
        .order_by("channel", "recipient__child__name_key", "id")
    )


def recovery_lines(payment_list: PaymentList):
    return (
        payment_list.lines.filter(kind=PaymentLine.Kind.RECOVERY)
        .select_related("recipient__child")
        .order_by("recipient__child__name_key", "id")
    )


def _groups(payment_list: PaymentList):
    """The lines by channel in the layout's order (cash, post office, bank), one channel in memory
    at a time, read in chunks: a city ward's list has thousands of lines."""
    for channel, label in PaymentChannel.choices:
        rows = list(list_lines(payment_list).filter(channel=channel).iterator(chunk_size=2000))
        if rows:
            yield label, rows


def _title(payment_list: PaymentList) -> str:
    return _("DANH SÁCH CHI TRẢ TRỢ CẤP XÃ HỘI HẰNG THÁNG CHO TRẺ EM — THÁNG %(m)s") % {
        "m": payment_list.month.strftime("%m/%Y")
    }


def payment_list_xlsx(payment_list: PaymentList) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = payment_list.month.strftime("%m-%Y")
    commune = payment_list.commune.name
    ws.append([safe_cell(_("ỦY BAN NHÂN DÂN %(c)s") % {"c": commune.upper()})])
    ws.append([safe_cell(_title(payment_list))])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=14)
    ws["A2"].font = Font(bold=True, size=13)
    ws["A2"].alignment = Alignment(horizontal="center")
    status = (
        _("Đã phê duyệt ngày %(d)s")
        % {"d": timezone.localtime(payment_list.approved_at).strftime("%d/%m/%Y")}
        if payment_list.approved_at
        else _("Dự thảo, chưa phê duyệt")
    )
    ws.append([safe_cell(status)])
    ws.append([])
    ws.append([safe_cell(c) for c in _columns()])
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    n = 0
    for label, rows in _groups(payment_list):
        ws.append([safe_cell(str(label))])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, italic=True)
        for line in rows:
            n += 1
            child = line.recipient.child
            ws.append(
                [
                    n,
                    safe_cell(child.full_name),
                    safe_cell(child.birth_date.strftime("%d/%m/%Y")),
                    safe_cell(line.get_basis_display() if line.basis else ""),
                    float(line.coefficient) if line.coefficient else None,
                    line.standard_amount or None,
                    line.amount,
                    line.arrears,
                    line.carried,
                    line.gross,
                    line.deductions,
                    safe_cell(_reason(line)),
                    line.total,
                    "",
                ]
            )
        ws.append(
            [
                None,
                safe_cell(_("Cộng %(label)s") % {"label": label}),
                *[None] * 4,
                sum(x.amount for x in rows),
                sum(x.arrears for x in rows),
                sum(x.carried for x in rows),
                sum(x.gross for x in rows),
                sum(x.deductions for x in rows),
                None,
                sum(x.total for x in rows),
            ]
        )
    ws.append(
        [
            None,
            safe_cell(_("TỔNG CỘNG")),
            *[None] * 4,
            payment_list.total_amount,
            payment_list.total_arrears,
            payment_list.total_carried,
            payment_list.total_amount + payment_list.total_arrears + payment_list.total_carried,
            payment_list.total_deductions,
            None,
            payment_list.total_payable,
        ]
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    recoveries = list(recovery_lines(payment_list))
    if recoveries:
        ws.append([])
        ws.append([safe_cell(_("Khoản phải thu hồi (đã chi sau khi thôi hưởng)"))])
        for line in recoveries:
            months = ", ".join(
                f"{k[5:]}/{k[:4]}" for k in sorted((line.details or {}).get("months", {}))
            )
            ws.append(
                [
                    None,
                    safe_cell(line.recipient.child.full_name),
                    safe_cell(months),
                    *[None] * 9,
                    line.recovery,
                ]
            )
    for col, width in zip(
        "ABCDEFGHIJKLMN", [5, 28, 12, 34, 7, 11, 13, 12, 13, 14, 11, 30, 14, 16], strict=True
    ):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=6):
        for cell in (*row[5:11], *row[12:13]):
            cell.number_format = "#,##0"
    ws.append([])
    ws.append(
        [
            None,
            safe_cell(_("Người lập biểu")),
            None,
            None,
            None,
            None,
            None,
            None,
            safe_cell(_("CHỦ TỊCH")),
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def payment_list_pdf(payment_list: PaymentList) -> bytes:
    register_fonts()
    base = ParagraphStyle("b", fontName=FONT, fontSize=10, leading=12)
    center = ParagraphStyle("c", parent=base, alignment=1)
    bold_center = ParagraphStyle("bc", parent=center, fontName=f"{FONT}-Bold")
    title = ParagraphStyle("t", parent=bold_center, fontSize=13, leading=16, spaceAfter=4)
    cell = ParagraphStyle("cell", parent=base, fontSize=9, leading=11)
    num = ParagraphStyle("num", parent=cell, alignment=2)
    head = ParagraphStyle("head", parent=cell, fontName=f"{FONT}-Bold", alignment=1)

    def p(text, style=cell):
        return Paragraph(escape(str(text)), style)

    commune = payment_list.commune
    header = Table(
        [
            [
                [
                    p(_("ỦY BAN NHÂN DÂN"), center),
                    p(commune.name.upper(), bold_center),
                    p("———", center),
                ],
                [
                    p(_("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), bold_center),
                    p(_("Độc lập - Tự do - Hạnh phúc"), bold_center),
                    p("———", center),
                ],
            ]
        ],
        colWidths=[90 * mm, 170 * mm],
    )
    story: list = [header, Spacer(1, 4 * mm), p(_title(payment_list), title)]
    if payment_list.status != PaymentList.Status.APPROVED:
        story.append(p(_("(Dự thảo, chưa phê duyệt)"), center))
    story.append(Spacer(1, 3 * mm))
    data = [[p(c, head) for c in _columns()]]
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("REPEATROWS", (0, 0), (-1, 0)),
    ]
    n = 0
    for label, rows in _groups(payment_list):
        data.append([p(label, ParagraphStyle("g", parent=cell, fontName=f"{FONT}-BoldItalic"))])
        style.append(("SPAN", (0, len(data) - 1), (-1, len(data) - 1)))
        for line in rows:
            n += 1
            child = line.recipient.child
            data.append(
                [
                    p(n, num),
                    p(child.full_name),
                    p(child.birth_date.strftime("%d/%m/%Y")),
                    p(line.get_basis_display() if line.basis else "—"),
                    p(format_coefficient(line.coefficient) if line.coefficient else "—", num),
                    p(money(line.standard_amount) if line.standard_amount else "—", num),
                    p(money(line.amount), num),
                    p(money(line.arrears), num),
                    p(money(line.carried), num),
                    p(money(line.gross), num),
                    p(money(line.deductions), num),
                    p(_reason(line)),
                    p(money(line.total), ParagraphStyle("tb", parent=num, fontName=f"{FONT}-Bold")),
                    "",
                ]
            )
        data.append(
            [
                "",
                p(_("Cộng %(label)s") % {"label": label}, head),
                "",
                "",
                "",
                "",
                p(money(sum(x.amount for x in rows)), num),
                p(money(sum(x.arrears for x in rows)), num),
                p(money(sum(x.carried for x in rows)), num),
                p(money(sum(x.gross for x in rows)), num),
                p(money(sum(x.deductions for x in rows)), num),
                "",
                p(money(sum(x.total for x in rows)), num),
                "",
            ]
        )
    data.append(
        [
            "",
            p(_("TỔNG CỘNG"), head),
            "",
            "",
            "",
            "",
            p(money(payment_list.total_amount), num),
            p(money(payment_list.total_arrears), num),
            p(money(payment_list.total_carried), num),
            p(
                money(
                    payment_list.total_amount
                    + payment_list.total_arrears
                    + payment_list.total_carried
                ),
                num,
            ),
            p(money(payment_list.total_deductions), num),
            "",
            p(
                money(payment_list.total_payable),
                ParagraphStyle("tt", parent=num, fontName=f"{FONT}-Bold"),
            ),
            "",
        ]
    )
    widths = [8, 34, 16, 34, 9, 15, 17, 16, 17, 18, 15, 30, 18, 23]
    table = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle(style))
    story.append(table)
    recoveries = list(recovery_lines(payment_list))
    if recoveries:
        story += [
            Spacer(1, 4 * mm),
            p(
                _("Khoản phải thu hồi (đã chi sau khi thôi hưởng; không trừ vào danh sách trên)"),
                ParagraphStyle("rh", parent=base, fontName=f"{FONT}-Bold"),
            ),
        ]
        rows = [[p(_("Họ và tên trẻ"), head), p(_("Các tháng"), head), p(_("Số tiền"), head)]]
        for line in recoveries:
            months = ", ".join(
                f"{k[5:]}/{k[:4]}" for k in sorted((line.details or {}).get("months", {}))
            )
            rows.append(
                [p(line.recipient.child.full_name), p(months), p(money(line.recovery), num)]
            )
        t = Table(rows, colWidths=[70 * mm, 80 * mm, 30 * mm])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story.append(t)
    story.append(Spacer(1, 6 * mm))
    when = timezone.localtime(payment_list.approved_at) if payment_list.approved_at else None
    date_line = (
        _("%(place)s, ngày %(d)02d tháng %(m)02d năm %(y)d")
        % {"place": commune.name, "d": when.day, "m": when.month, "y": when.year}
        if when
        else _("%(place)s, ngày ..... tháng ..... năm .....") % {"place": commune.name}
    )
    approver = payment_list.approved_by.full_name if payment_list.approved_by else ""
    preparer = payment_list.prepared_by.full_name if payment_list.prepared_by else ""
    sign = Table(
        [
            ["", p(date_line, ParagraphStyle("d", parent=center, fontName=f"{FONT}-Italic"))],
            [p(_("NGƯỜI LẬP BIỂU"), bold_center), p(_("CHỦ TỊCH UBND XÃ"), bold_center)],
            [p(_("(Ký, ghi rõ họ tên)"), center), p(_("(Ký, ghi rõ họ tên, đóng dấu)"), center)],
            [Spacer(1, 16 * mm), Spacer(1, 16 * mm)],
            [p(preparer, bold_center), p(approver, bold_center)],
        ],
        colWidths=[130 * mm, 130 * mm],
    )
    story.append(sign)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=15 * mm,
        rightMargin=10 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=_title(payment_list),
    )
    doc.build(story)
    return buffer.getvalue()
