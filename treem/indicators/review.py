"""The review report (sơ kết, tổng kết) a province presents at its review conference: built once
as a document model, then written as .docx (python-docx), PDF (reportlab) or an .xlsx annex.

Layout follows Decree 30/2020/NĐ-CP on administrative documents: issuing body and number on the
left, national title and motto on the right, place and date in italics, the title centred in
capitals, Times New Roman 13 pt (in the PDF: Liberation Serif, metric-compatible, embedded with
every Vietnamese letter), the signature block on the right.

Sections: situation of children; results per indicator (every indicator with data in the period,
with a table and a chart); the sections other apps provide through `hooks.report_section`
("Chưa có dữ liệu" when they provide none); shortcomings and causes; proposals. The narrative
sections are written in Treem (`NarrativeRevision`) and merged in.
"""

from __future__ import annotations

import datetime
import html as html_lib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from treem.core.pdffonts import FONT, font_file, register_fonts
from treem.indicators import figures, hooks, rollup, services
from treem.indicators.figures import fmt
from treem.indicators.models import Indicator, NarrativeRevision, Unit

NO_DATA = "Chưa có dữ liệu"
MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
HOOK_TITLES = {
    "plans": "Kết quả thực hiện kế hoạch, nhiệm vụ",
    "budget": "Kinh phí thực hiện",
    "staff": "Đội ngũ cán bộ, cộng tác viên",
    "communication": "Công tác truyền thông",
    "commendation": "Khen thưởng",
    "assistance": "Trợ giúp xã hội cho trẻ em",
}
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


@dataclass
class Chart:
    title: str
    years: list[int]
    values: list[float | None]
    targets: list[float | None]


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[hooks.ReportTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class Document:
    issuer_parent: str
    issuer: str
    number: str
    place_date: str
    kind: str
    title: str
    sections: list[Section]
    recipients: list[str]
    signer_title: str
    tables: list[hooks.ReportTable] = field(default_factory=list)  # every table, for the annex


def _title(scope: rollup.Scope, year_from: int, year_to: int) -> tuple[str, str]:
    if year_from >= 2012 and year_to <= 2022:
        return (
            "BÁO CÁO",
            f"Tổng kết thực hiện Chỉ thị số 20-CT/TW ngày 05/11/2012 của Bộ Chính trị về tăng "
            f"cường sự lãnh đạo của Đảng đối với công tác chăm sóc, giáo dục và bảo vệ trẻ em, "
            f"giai đoạn {year_from}–{year_to}",
        )
    if year_from >= 2023:
        return (
            "BÁO CÁO",
            f"Sơ kết thực hiện Chỉ thị số 28-CT/TW ngày 25/12/2023 của Ban Bí thư về tăng cường "
            f"công tác chăm sóc, giáo dục và bảo vệ trẻ em đáp ứng yêu cầu phát triển đất nước "
            f"trong giai đoạn mới, giai đoạn {year_from}–{year_to}",
        )
    return ("BÁO CÁO", f"Kết quả công tác trẻ em giai đoạn {year_from}–{year_to}")


def html_to_paragraphs(text: str) -> list[str]:
    """The sanitised rich text of a narrative section as plain paragraphs (lists as "- ")."""
    text = re.sub(r"(?i)<li[^>]*>", "\n- ", text or "")
    text = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h[34]>|</blockquote>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    return [html_lib.unescape(p).strip() for p in text.split("\n") if p.strip()]


def _narrative(section: str, scope: rollup.Scope, y0: int, y1: int) -> list[str]:
    return html_to_paragraphs(services.narrative_current(section, scope.code, y0, y1))


def build(
    unit_code: str,
    year_from: int,
    year_to: int,
    *,
    progress: Callable[[int], None] | None = None,
    today: datetime.date | None = None,
) -> Document:
    scope = rollup.scope_for(unit_code)
    today = today or timezone.localdate()
    years = list(range(year_from, year_to + 1))
    report = progress or (lambda pct: None)
    all_tables: list[hooks.ReportTable] = []

    # I. Situation of children.
    situation = Section("Tình hình trẻ em")
    indicators = {i.code: i for i in Indicator.objects.filter(is_active=True)}
    auto = []
    pop = indicators.get("TE_DANSO")
    if pop:
        last = rollup.total(pop, scope, [year_to])
        if last.numerator:
            auto.append(
                f"Năm {year_to}, {scope.name} có {fmt(last.numerator)} trẻ em dưới 16 tuổi "
                f"(theo sổ theo dõi trẻ em)."
            )
    special = indicators.get("TE_HCDB")
    if special:
        fig = rollup.total(special, scope, [year_to])
        if fig.numerator:
            auto.append(f"Số trẻ em có hoàn cảnh đặc biệt năm {year_to}: {fmt(fig.numerator)}.")
    situation.paragraphs = auto + _narrative(
        NarrativeRevision.Section.SITUATION, scope, year_from, year_to
    )
    if not situation.paragraphs:
        situation.paragraphs = [NO_DATA]
    report(10)

    # II. Results per indicator: every indicator with data in the period.
    results = Section("Kết quả thực hiện các chỉ tiêu")
    summary = hooks.ReportTable(
        title="Bảng 1. Kết quả các chỉ tiêu về trẻ em",
        columns=[
            "Chỉ tiêu",
            "Đơn vị tính",
            f"Năm {year_from}",
            f"Năm {year_to}",
            "Kế hoạch",
            "Đánh giá",
        ],
        rows=[],
    )
    results.tables.append(summary)
    all_tables.append(summary)
    items = list(indicators.values())
    n_table = 2
    for i, ind in enumerate(items):
        points = figures.series(ind, scope, years)
        with_data = [p for p in points if p.value is not None and (p.numerator or p.denominator)]
        report(10 + int(70 * (i + 1) / max(len(items), 1)))
        if not with_data:
            continue
        first, last = points[0], points[-1]
        target = next((p.target for p in reversed(points) if p.target), None)
        met = rollup.progress(ind, last.value, target)["met"] if target else None
        unit_label = str(ind.get_unit_display())
        summary.rows.append(
            [
                ind.name_vi,
                unit_label,
                fmt(first.value, ind.unit),
                fmt(last.value, ind.unit),
                fmt(target.value, ind.unit) if target else "—",
                "Đạt" if met is True else "Chưa đạt" if met is False else "—",
            ]
        )
        sub = Section(ind.name_vi)
        table = hooks.ReportTable(
            title=f"Bảng {n_table}. {ind.name_vi}",
            columns=["Năm"]
            + (["Tử số", "Mẫu số"] if ind.unit != Unit.COUNT else [])
            + ["Giá trị", "Kế hoạch"],
            rows=[
                [p.year]
                + ([fmt(p.numerator), fmt(p.denominator)] if ind.unit != Unit.COUNT else [])
                + [fmt(p.value, ind.unit), fmt(p.target_value, ind.unit)]
                for p in points
            ],
        )
        n_table += 1
        sub.tables.append(table)
        all_tables.append(table)
        sub.charts.append(
            Chart(
                ind.name_vi,
                [p.year for p in points],
                [float(p.value) if p.value is not None else None for p in points],
                [float(p.target_value) if p.target_value is not None else None for p in points],
            )
        )
        change = ""
        if first.value is not None and last.value is not None and first.year != last.year:
            change = f" (năm {first.year}: {fmt(first.value, ind.unit)}{_suffix(ind)})"
        sentence = f"Năm {last.year}: {fmt(last.value, ind.unit)}{_suffix(ind)}{change}."
        if target:
            sentence += (
                f" Chỉ tiêu kế hoạch {fmt(target.value, ind.unit)}{_suffix(ind)} "
                f"({target.source_label}): {'đạt' if met else 'chưa đạt'}."
            )
        sub.paragraphs.append(sentence)
        results.subsections.append(sub)
    if not summary.rows:
        results.paragraphs.append(NO_DATA)

    sections = [situation, results]
    # Sections other apps fill.
    hook_scope = hooks.ReportScope(unit_code=scope.code, year_from=year_from, year_to=year_to)
    for key in hooks.SECTION_KEYS:
        provided = hooks.report_section(key, hook_scope)
        if provided is None:
            sections.append(Section(HOOK_TITLES[key], paragraphs=[NO_DATA]))
            continue
        sec = Section(
            provided.title or HOOK_TITLES[key], list(provided.paragraphs), list(provided.tables)
        )
        all_tables.extend(provided.tables)
        if not sec.paragraphs and not sec.tables:
            sec.paragraphs = [NO_DATA]
        sections.append(sec)
    report(85)
    for key, title in (
        (NarrativeRevision.Section.SHORTCOMINGS, "Tồn tại, hạn chế và nguyên nhân"),
        (NarrativeRevision.Section.PROPOSALS, "Đề xuất, kiến nghị"),
    ):
        sections.append(Section(title, _narrative(key, scope, year_from, year_to) or [NO_DATA]))
    if scope.level in ("province", "commune"):
        # "Thành phố Đồng Nai" → "ỦY BAN NHÂN DÂN THÀNH PHỐ ĐỒNG NAI", dated "Đồng Nai, ngày …".
        name = scope.name
        kinds = ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu ")
        if scope.level == "province" and not name.startswith(kinds):
            name = f"Tỉnh {name}"
        parent, issuer = "", f"ỦY BAN NHÂN DÂN {name.upper()}"
        place = next((name[len(k) :] for k in kinds if name.startswith(k)), name)
        signer = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
    else:
        parent, issuer, place, signer = "", "BỘ Y TẾ", "Hà Nội", "BỘ TRƯỞNG"
    kind, title = _title(scope, year_from, year_to)
    return Document(
        issuer_parent=parent,
        issuer=issuer,
        number="Số:        /BC-UBND",
        place_date=f"{place}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
        kind=kind,
        title=title,
        sections=sections,
        recipients=["Như trên;", "Lưu: VT."],
        signer_title=signer,
        tables=all_tables,
    )


def _suffix(ind: Indicator) -> str:
    return "%" if ind.unit == Unit.PERCENT else "‰" if ind.unit == Unit.PER_1000 else ""


def _cell(value) -> str:
    if isinstance(value, Decimal):
        return fmt(value)
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


# ---- charts (reportlab.graphics: vector in the PDF, PNG in the docx through renderPM) ----


def chart_drawing(chart: Chart, width: float = 440, height: float = 170):
    from reportlab.graphics.charts.linecharts import HorizontalLineChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    drawing = Drawing(width, height)
    lc = HorizontalLineChart()
    lc.x, lc.y = 40, 30
    lc.width, lc.height = width - 60, height - 50
    values = list(chart.values)
    targets = list(chart.targets)
    data = [tuple(v if v is not None else None for v in values)]
    if any(t is not None for t in targets):
        data.append(tuple(targets))
    lc.data = data
    lc.categoryAxis.categoryNames = [str(y) for y in chart.years]
    lc.categoryAxis.labels.fontSize = 7
    lc.categoryAxis.labels.angle = 0
    present = [v for row in data for v in row if v is not None]
    top = max(present) if present else 1
    lc.valueAxis.valueMin = 0
    lc.valueAxis.valueMax = top * 1.15 if top > 0 else 1
    lc.valueAxis.labels.fontSize = 7
    lc.lines[0].strokeColor = colors.HexColor("#1565c0")
    lc.lines[0].strokeWidth = 1.5
    if len(data) > 1:
        lc.lines[1].strokeColor = colors.HexColor("#c62828")
        lc.lines[1].strokeDashArray = [4, 3]
    drawing.add(lc)
    drawing.add(
        String(40, height - 12, "— Giá trị   - - Kế hoạch", fontSize=7, fontName=_chart_font())
    )
    return drawing


def _chart_font() -> str:
    try:
        register_fonts()
        return FONT
    except RuntimeError:
        return "Helvetica"


def chart_png(chart: Chart) -> bytes | None:
    """The chart as a PNG for the docx. reportlab's renderPM needs a C backend that is not
    installed here, so the PNG is drawn with Pillow (the same lines as the PDF's vector chart)."""
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # the docx then carries the table only
        return None
    w, h, left, right, top, bottom = 1200, 460, 110, 30, 50, 60
    img = Image.new("RGB", (w, h), "white")
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(str(font_file()), 22)
    except (RuntimeError, OSError):
        font = ImageFont.load_default()
    present = [v for v in chart.values + chart.targets if v is not None]
    top_value = max(present) * 1.15 if present and max(present) > 0 else 1.0
    plot_w, plot_h = w - left - right, h - top - bottom
    n = max(len(chart.years), 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * (i + 0.5) / n, top + plot_h * (1 - v / top_value)

    draw.line(
        [(left, top), (left, top + plot_h), (left + plot_w, top + plot_h)], fill="black", width=2
    )
    for k in range(5):
        v = top_value * k / 4
        y = top + plot_h * (1 - k / 4)
        draw.line([(left - 6, y), (left + plot_w, y)], fill="#dddddd" if k else "black", width=1)
        label = fmt(Decimal(str(round(v, 2))), Unit.PERCENT if top_value < 1000 else Unit.COUNT)
        draw.text((left - 10, y), label, fill="black", font=font, anchor="rm")
    for i, year in enumerate(chart.years):
        draw.text((xy(i, 0)[0], top + plot_h + 12), str(year), fill="black", font=font, anchor="ma")
    for series, colour, dashed in (
        (chart.values, "#1565c0", False),
        (chart.targets, "#c62828", True),
    ):
        points = [xy(i, v) for i, v in enumerate(series) if v is not None]
        if dashed:
            for x, y in points:
                draw.ellipse([x - 6, y - 6, x + 6, y + 6], outline=colour, width=3)
        else:
            if len(points) > 1:
                draw.line(points, fill=colour, width=4)
            for x, y in points:
                draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=colour)
    draw.text((left, 12), "— Giá trị    ○ Kế hoạch", fill="black", font=font)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


# ---- writers ----


def to_docx(doc: Document) -> bytes:
    from docx import Document as Docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    d = Docx()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    if fonts is not None:
        fonts.set(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia",
            "Times New Roman",
        )
    for section in d.sections:
        section.left_margin = Cm(3)
        section.right_margin = Cm(2)
        section.top_margin = Cm(2)
        section.bottom_margin = Cm(2)

    head = d.add_table(rows=1, cols=2)
    head.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = head.rows[0].cells
    _docx_par(left, doc.issuer, bold=True, center=True, size=12)
    _docx_par(left, doc.number, center=True, size=13)
    _docx_par(right, MOTTO_1, bold=True, center=True, size=12)
    _docx_par(right, MOTTO_2, bold=True, center=True, size=13)
    _docx_par(right, doc.place_date, italic=True, center=True, size=13)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(doc.kind)
    run.bold = True
    run.font.size = Pt(14)
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(doc.title)
    run.bold = True
    run.font.size = Pt(14)
    for i, section in enumerate(doc.sections):
        h = d.add_paragraph()
        r = h.add_run(f"{ROMAN[i]}. {section.title.upper()}")
        r.bold = True
        _docx_section_body(d, section)
        for j, sub in enumerate(section.subsections, start=1):
            h = d.add_paragraph()
            r = h.add_run(f"{j}. {sub.title}")
            r.bold = True
            _docx_section_body(d, sub)
    sig = d.add_table(rows=1, cols=2)
    left, right = sig.rows[0].cells
    _docx_par(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in doc.recipients:
        _docx_par(left, "- " + line, size=11)
    for line in doc.signer_title.split("\n"):
        _docx_par(right, line, bold=True, center=True, size=13)
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def _docx_par(cell, text, *, bold=False, italic=False, center=False, size=13):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = (
        cell.paragraphs[0]
        if not cell.paragraphs[0].text and len(cell.paragraphs) == 1
        else cell.add_paragraph()
    )
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold, run.italic = bold, italic
    run.font.size = Pt(size)
    run.font.name = "Times New Roman"
    return p


def _docx_section_body(d, section: Section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Inches, Pt

    for text in section.paragraphs:
        p = d.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for chart in section.charts:
        png = chart_png(chart)
        if png:
            d.add_picture(io.BytesIO(png), width=Inches(6))
    for table in section.tables:
        cap = d.add_paragraph()
        r = cap.add_run(table.title)
        r.italic = True
        t = d.add_table(rows=1, cols=len(table.columns))
        t.style = "Table Grid"
        for k, name in enumerate(table.columns):
            t.rows[0].cells[k].text = name
            for run in t.rows[0].cells[k].paragraphs[0].runs:
                run.bold = True
                run.font.size = Pt(11)
        for row in table.rows:
            cells = t.add_row().cells
            for k, value in enumerate(row):
                cells[k].text = _cell(value)
                for run in cells[k].paragraphs[0].runs:
                    run.font.size = Pt(11)


def to_pdf(doc: Document) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        KeepTogether,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    register_fonts()
    base = ParagraphStyle(
        "b", fontName=FONT, fontSize=13, leading=17, alignment=TA_JUSTIFY, spaceAfter=4
    )
    center = ParagraphStyle("c", parent=base, alignment=TA_CENTER)
    bold_c = ParagraphStyle("bc", parent=center, fontName=f"{FONT}-Bold")
    italic_c = ParagraphStyle("ic", parent=center, fontName=f"{FONT}-Italic")
    head = ParagraphStyle(
        "h", parent=base, fontName=f"{FONT}-Bold", alignment=TA_LEFT, spaceBefore=8
    )
    title = ParagraphStyle("t", parent=bold_c, fontSize=14, leading=18)
    cell = ParagraphStyle(
        "cell", parent=base, fontSize=11, leading=13, alignment=TA_LEFT, spaceAfter=0
    )
    cell_b = ParagraphStyle("cellb", parent=cell, fontName=f"{FONT}-Bold")
    caption = ParagraphStyle("cap", parent=base, fontName=f"{FONT}-Italic", fontSize=12)

    def P(text, style):
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = []
    header = Table(
        [
            [
                [
                    P(doc.issuer, ParagraphStyle("i", parent=bold_c, fontSize=12)),
                    P("―――――", center),
                    P(doc.number, center),
                ],
                [
                    P(MOTTO_1, ParagraphStyle("m", parent=bold_c, fontSize=12)),
                    P(MOTTO_2, bold_c),
                    P("―――――――――――", center),
                    P(doc.place_date, italic_c),
                ],
            ]
        ],
        colWidths=[65 * mm, 100 * mm],
    )
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [header, Spacer(1, 8 * mm), P(doc.kind, title), P(doc.title, title), Spacer(1, 6 * mm)]

    def body(section: Section):
        for text in section.paragraphs:
            story.append(P(text, base))
        for chart in section.charts:
            story.append(chart_drawing(chart))
        for table in section.tables:
            rows = [[P(c, cell_b) for c in table.columns]] + [
                [P(_cell(v), cell) for v in row] for row in table.rows
            ]
            width = 165 * mm
            first = width * (0.4 if len(table.columns) > 3 else 0.3)
            rest = (width - first) / max(len(table.columns) - 1, 1)
            t = Table(rows, colWidths=[first] + [rest] * (len(table.columns) - 1), repeatRows=1)
            t.setStyle(
                TableStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                    ]
                )
            )
            story.append(KeepTogether([P(table.title, caption)]))
            story.append(t)
            story.append(Spacer(1, 3 * mm))

    for i, section in enumerate(doc.sections):
        story.append(P(f"{ROMAN[i]}. {section.title.upper()}", head))
        body(section)
        for j, sub in enumerate(section.subsections, start=1):
            story.append(P(f"{j}. {sub.title}", head))
            body(sub)
    sign = Table(
        [
            [
                [
                    P(
                        "Nơi nhận:",
                        ParagraphStyle(
                            "nn", parent=head, fontName=f"{FONT}-BoldItalic", fontSize=12
                        ),
                    )
                ]
                + [
                    P("- " + r, ParagraphStyle("r", parent=base, fontSize=11))
                    for r in doc.recipients
                ],
                [P(doc.signer_title, bold_c)],
            ]
        ],
        colWidths=[80 * mm, 85 * mm],
    )
    sign.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    story += [Spacer(1, 8 * mm), sign]
    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=30 * mm,
        rightMargin=15 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=doc.title,
    ).build(story)
    return out.getvalue()


def to_xlsx(doc: Document) -> bytes:
    from treem.indicators.xlsx import tables_workbook

    return tables_workbook(
        [(t.title, t.columns, [[_cell(v) for v in row] for row in t.rows]) for t in doc.tables]
    )


WRITERS = {"docx": to_docx, "pdf": to_pdf, "xlsx": to_xlsx}
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def generate(unit_code: str, year_from: int, year_to: int, fmt_: str, *, progress=None) -> bytes:
    doc = build(unit_code, year_from, year_to, progress=progress)
    return WRITERS[fmt_](doc)
