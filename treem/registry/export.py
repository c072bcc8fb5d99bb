"""Exporting the filtered list to CSV or XLSX, with only the columns the user's role may see.

Column sets follow need-to-know (DOMAIN.md, "Personal data"): names, birth dates and places go to
everyone allowed to export; sensitive data (ethnicity, disability, nutrition, special
circumstances) needs `CHILD_VIEW_SENSITIVE`; identification numbers (personal ID, health insurance
card), which let a file be joined with other registers, need `CHILD_EXPORT_IDENTIFIERS` (commune
staff, who work with the families).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from treem.accounts.policy import Action, can
from treem.lib.spreadsheet import safe_cell, safe_row
from treem.registry.models import Child, ChildCarer, SpecialCircumstance
from treem.registry.validation import age_on


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    value: Callable[[Child, dt.date], object]
    needs: Action | None = None
    width: int = 14
    # Health and harm (disability, HIV, violence, abuse: the special-circumstance groups) are
    # sensitive personal data (Law 91/2025/QH15): exported only when the official ticks the box
    # for it, and the export's audit entry says so.
    sensitive: bool = False


def _fmt_date(c: Child, _today) -> str:
    if c.birth_date_precision == "year":
        return str(c.birth_date.year)
    if c.birth_date_precision == "month":
        return c.birth_date.strftime("%m/%Y")
    return c.birth_date.strftime("%d/%m/%Y")


def _carer(rel: str):
    def get(c: Child, _today) -> str:
        return next((k.person.full_name for k in c.carers.all() if k.relationship == rel), "")

    return get


def _circumstances(c: Child, today: dt.date) -> str:
    """The groups by name, as the law words them ("đ) Trẻ em nhiễm HIV/AIDS")."""
    return "; ".join(
        str(s.get_group_display())
        for s in c.circumstances.all()
        if s.start_date <= today and (s.end_date is None or s.end_date >= today)
    )


def _birth_cell(c: Child, _today):
    """A full birth date is a date cell; a month or a year alone is written as known."""
    if c.birth_date_precision == "year":
        return c.birth_date.year
    if c.birth_date_precision == "month":
        return c.birth_date.strftime("%m/%Y")
    return c.birth_date


COLUMNS: list[Column] = [
    Column("id", _("Mã hồ sơ"), lambda c, t: c.pk, width=9),
    Column("full_name", _("Họ và tên"), lambda c, t: c.full_name, width=26),
    Column("birth_date", _("Ngày sinh"), _birth_cell, width=12),
    Column("age", _("Tuổi"), lambda c, t: age_on(c.birth_date, t), width=6),
    Column("sex", _("Giới tính"), lambda c, t: c.get_sex_display(), width=9),
    Column("commune", _("Xã, phường"), lambda c, t: c.commune.name, width=20),
    Column("village", _("Thôn, ấp"), lambda c, t: c.village.name if c.village else "", width=16),
    Column("address", _("Địa chỉ"), lambda c, t: c.address, width=30),
    Column("school_status", _("Đi học"), lambda c, t: c.get_school_status_display(), width=14),
    Column("grade", _("Lớp"), lambda c, t: c.get_grade_display() if c.grade else "", width=8),
    Column("mother", _("Họ tên mẹ"), _carer("mother"), width=24),
    Column("father", _("Họ tên cha"), _carer("father"), width=24),
    Column(
        "ethnicity",
        _("Dân tộc"),
        lambda c, t: c.get_ethnicity_display() if c.ethnicity else "",
        Action.CHILD_VIEW_SENSITIVE,
    ),
    Column(
        "disability",
        _("Khuyết tật"),
        lambda c, t: (
            f"{c.get_disability_type_display()} ({c.get_disability_severity_display()})"
            if c.disability_type
            else ""
        ),
        Action.CHILD_VIEW_SENSITIVE,
        width=28,
        sensitive=True,
    ),
    Column(
        "nutrition",
        _("Dinh dưỡng"),
        lambda c, t: c.get_nutrition_status_display(),
        Action.CHILD_VIEW_SENSITIVE,
    ),
    Column(
        "circumstances",
        _("Hoàn cảnh đặc biệt"),
        _circumstances,
        Action.CHILD_VIEW_SENSITIVE,
        width=45,
        sensitive=True,
    ),
    Column(
        "id_number",
        _("Số định danh cá nhân"),
        lambda c, t: c.id_number,
        Action.CHILD_EXPORT_IDENTIFIERS,
    ),
    Column(
        "health_insurance_number",
        _("Số thẻ BHYT"),
        lambda c, t: c.health_insurance_number,
        Action.CHILD_EXPORT_IDENTIFIERS,
    ),
]


def columns_for(user, *, sensitive: bool = False) -> list[Column]:
    """The columns the user's role may export; sensitive ones only when asked for."""
    return [
        c
        for c in COLUMNS
        if (c.needs is None or can(user, c.needs)) and (sensitive or not c.sensitive)
    ]


def may_export_sensitive(user) -> bool:
    return any(c.sensitive and (c.needs is None or can(user, c.needs)) for c in COLUMNS)


# Exports are read in chunks so a province-wide file does not hold every row in memory.
_CHUNK = 2000


def _rows(qs, columns: list[Column], today: dt.date) -> Iterable[list]:
    qs = qs.select_related("commune", "village").prefetch_related(
        Prefetch("carers", queryset=ChildCarer.objects.select_related("person")),
        Prefetch(
            "circumstances",
            queryset=SpecialCircumstance.objects.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today)
            ),
        ),
    )
    for child in qs.iterator(chunk_size=_CHUNK):
        yield [col.value(child, today) for col in columns]


def export_csv(qs, columns: list[Column], today: dt.date) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(safe_row(str(c.label) for c in columns))
    n = 0
    for row in _rows(qs, columns, today):
        w.writerow(safe_row(_text(v) for v in row))
        n += 1
    return ("\ufeff" + buf.getvalue()).encode("utf-8"), n


def _text(value):
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def export_xlsx(qs, columns: list[Column], today: dt.date, *, place: str = "") -> tuple[bytes, int]:
    """The list in the layout communes file: a title block (unit, title, date), the header row
    frozen below it, column widths, dates as date cells shown dd/mm/yyyy."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(_("Danh sách trẻ em"))[:31])
    for k, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(k)].width = col.width
    # Title block (4 rows), then the header on row 5: frozen, so it stays while scrolling.
    ws.freeze_panes = "C6"
    bold = Font(bold=True)

    def text(value, **style):
        cell = WriteOnlyCell(ws, value=safe_cell(value))
        for k, v in style.items():
            setattr(cell, k, v)
        return cell

    ws.append([text(place.upper() if place else "", font=bold)])
    ws.append([text(str(_("DANH SÁCH TRẺ EM")), font=Font(bold=True, size=14))])
    ws.append([text(str(_("Ngày lập: %(d)s")) % {"d": today.strftime("%d/%m/%Y")})])
    ws.append([])
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.append([text(str(c.label), font=bold, alignment=wrap) for c in columns])
    n = 0
    for row in _rows(qs, columns, today):
        out = []
        for v in row:
            if isinstance(v, dt.date):
                cell = WriteOnlyCell(ws, value=v)
                cell.number_format = "dd/mm/yyyy"
                out.append(cell)
            else:
                out.append(safe_cell(v))
        ws.append(out)
        n += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), n
