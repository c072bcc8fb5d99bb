"""Printed documents of a decision: each certificate of merit as a PDF page, and the decision's
annex (the list of collectives and individuals awarded) as Word and Excel.

Certificates are set in Liberation Serif (metric-compatible with Times New Roman) registered by the
protection app's PDF module, which checks that the font carries the Vietnamese letters. The layout
follows the usual provincial certificate: the issuing authority and national title at the top, the
title "BẰNG KHEN" large and centred, the name, the unit, the achievement, then the place, date and
decision number on the left and the signature block on the right.
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from treem.core.pdffonts import FONT, register_fonts
from treem.lib.spreadsheet import safe_cell
from treem.people.models import AwardForm, Decision, Nomination


def _date_words(d) -> str:
    return _("ngày %(d)02d tháng %(m)02d năm %(y)d") % {"d": d.day, "m": d.month, "y": d.year}


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _centred(c, text: str, y: float, font: str, size: float, page_w: float, width: float) -> float:
    for line in _wrap(text, font, size, width):
        c.setFont(font, size)
        c.drawCentredString(page_w / 2, y, line)
        y -= size * 1.35
    return y


def _certificate_page(c, nomination: Nomination, decision: Decision, province_name: str) -> None:
    page_w, page_h = landscape(A4)
    form = decision.award_form
    # A double frame, as printed certificates have.
    c.setLineWidth(2)
    c.rect(12 * mm, 12 * mm, page_w - 24 * mm, page_h - 24 * mm)
    c.setLineWidth(0.6)
    c.rect(15 * mm, 15 * mm, page_w - 30 * mm, page_h - 30 * mm)
    width = page_w - 60 * mm
    y = page_h - 32 * mm
    y = _centred(c, _("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), y, f"{FONT}-Bold", 13, page_w, width)
    y = _centred(c, _("Độc lập - Tự do - Hạnh phúc"), y, f"{FONT}-Bold", 13, page_w, width)
    y -= 6 * mm
    # The issuing authority is completed with the unit's name as the geography holds it
    # ("THÀNH PHỐ ĐỒNG NAI" since 2025, "TỈNH …" elsewhere), never a hard-coded "TỈNH".
    issuer = form.issuer_title
    if form.level == AwardForm.Level.PROVINCE:
        issuer = f"{issuer} {decision.province.name.upper()}"
    elif form.level == AwardForm.Level.COMMUNE and nomination.commune_id:
        issuer = f"{issuer} {nomination.commune.name.upper()}"
    y = _centred(c, issuer, y, f"{FONT}-Bold", 15, page_w, width)
    y = _centred(c, _("TẶNG"), y - 2 * mm, f"{FONT}-Bold", 14, page_w, width)
    y -= 4 * mm
    c.setFillColorRGB(0.75, 0.05, 0.05)
    y = _centred(c, form.certificate_title, y - 8 * mm, f"{FONT}-Bold", 34, page_w, width)
    c.setFillColorRGB(0, 0, 0)
    y -= 4 * mm
    y = _centred(c, nomination.nominee_name, y, f"{FONT}-Bold", 22, page_w, width)
    y = _centred(c, nomination.nominee_unit, y - 1 * mm, f"{FONT}-Italic", 14, page_w, width)
    y -= 3 * mm
    y = _centred(c, nomination.achievement_line, y, FONT, 15, page_w, width)
    _centred(c, nomination.movement.title, y, f"{FONT}-Italic", 13, page_w, width)
    # Bottom: decision number on the left, place, date and signature on the right.
    left_x = 32 * mm
    c.setFont(FONT, 12)
    c.drawString(
        left_x,
        38 * mm,
        _("Quyết định số %(n)s") % {"n": decision.number},
    )
    right_x = page_w * 0.70
    c.setFont(f"{FONT}-Italic", 12)
    c.drawCentredString(right_x, 62 * mm, f"{province_name}, {_date_words(decision.signed_on)}")
    c.setFont(f"{FONT}-Bold", 12)
    c.drawCentredString(right_x, 55 * mm, decision.signer_title.upper())
    c.drawCentredString(right_x, 30 * mm, decision.signer_name)


def certificates_pdf(decision: Decision, nominations: list[Nomination]) -> bytes:
    """One landscape A4 page per certificate."""
    register_fonts()
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=landscape(A4), pageCompression=1)
    c.setTitle(_("Bằng khen theo Quyết định số %(n)s") % {"n": decision.number})
    province_name = decision.province.name.replace("Tỉnh ", "").replace("Thành phố ", "")
    for nomination in nominations:
        _certificate_page(c, nomination, decision, province_name)
        c.showPage()
    c.save()
    return buffer.getvalue()


def _annex_rows(nominations: list[Nomination]) -> tuple[list, list]:
    collectives = [n for n in nominations if n.nominee_kind == Nomination.NomineeKind.COLLECTIVE]
    individuals = [n for n in nominations if n.nominee_kind == Nomination.NomineeKind.INDIVIDUAL]
    return collectives, individuals


def annex_docx(decision: Decision, nominations: list[Nomination]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    head = doc.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = head.add_run(_("DANH SÁCH"))
    run.bold = True
    sub = doc.add_paragraph()
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sub.add_run(
        _("Tập thể, cá nhân được tặng %(form)s") % {"form": decision.award_form.name}
    ).bold = True
    note = doc.add_paragraph()
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note.add_run(
        _("(Kèm theo Quyết định số %(n)s %(date)s)")
        % {"n": decision.number, "date": _date_words(decision.signed_on)}
    ).italic = True
    collectives, individuals = _annex_rows(nominations)
    for title, group in ((_("I. TẬP THỂ"), collectives), (_("II. CÁ NHÂN"), individuals)):
        if not group:
            continue
        doc.add_paragraph().add_run(f"{title} ({len(group)})").bold = True
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        cells = table.rows[0].cells
        for cell, label in zip(
            cells, [_("STT"), _("Tên tập thể, cá nhân"), _("Chức vụ, đơn vị")], strict=True
        ):
            cell.text = label
            cell.paragraphs[0].runs[0].bold = True
        for i, n in enumerate(group, 1):
            row = table.add_row().cells
            row[0].text = str(i)
            row[1].text = n.nominee_name
            row[2].text = n.nominee_unit
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def annex_xlsx(decision: Decision, nominations: list[Nomination]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _("Danh sách")
    ws.append(
        [
            safe_cell(
                _("Danh sách kèm theo Quyết định số %(n)s %(date)s")
                % {"n": decision.number, "date": _date_words(decision.signed_on)}
            )
        ]
    )
    ws["A1"].font = Font(bold=True)
    ws.append([])
    ws.append(
        [
            _("STT"),
            _("Đối tượng"),
            _("Tên tập thể, cá nhân"),
            _("Chức vụ, đơn vị"),
            _("Thành tích"),
            _("Đơn vị đề nghị"),
        ]
    )
    for cell in ws[3]:
        cell.font = Font(bold=True)
    collectives, individuals = _annex_rows(nominations)
    for i, n in enumerate([*collectives, *individuals], 1):
        ws.append(
            [
                i,
                safe_cell(n.get_nominee_kind_display()),
                safe_cell(n.nominee_name),
                safe_cell(n.nominee_unit),
                safe_cell(n.achievement_line),
                safe_cell(n.nominating_unit.name),
            ]
        )
    for col, width in zip("ABCDEF", [6, 10, 34, 44, 50, 34], strict=True):
        ws.column_dimensions[col].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
