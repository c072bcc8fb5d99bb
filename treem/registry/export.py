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
from treem.lib.spreadsheet import safe_row
from treem.registry.models import Child, ChildCarer, SpecialCircumstance
from treem.registry.validation import age_on


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    value: Callable[[Child, dt.date], object]
    needs: Action | None = None


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
    return ", ".join(
        s.get_group_display().split(")")[0] + ")"
        for s in c.circumstances.all()
        if s.start_date <= today and (s.end_date is None or s.end_date >= today)
    )


COLUMNS: list[Column] = [
    Column("id", _("Mã hồ sơ"), lambda c, t: c.pk),
    Column("full_name", _("Họ và tên"), lambda c, t: c.full_name),
    Column("birth_date", _("Ngày sinh"), _fmt_date),
    Column("age", _("Tuổi"), lambda c, t: age_on(c.birth_date, t)),
    Column("sex", _("Giới tính"), lambda c, t: c.get_sex_display()),
    Column("commune", _("Xã, phường"), lambda c, t: c.commune.name),
    Column("village", _("Thôn, ấp"), lambda c, t: c.village.name if c.village else ""),
    Column("address", _("Địa chỉ"), lambda c, t: c.address),
    Column("school_status", _("Đi học"), lambda c, t: c.get_school_status_display()),
    Column("grade", _("Lớp"), lambda c, t: c.get_grade_display() if c.grade else ""),
    Column("mother", _("Họ tên mẹ"), _carer("mother")),
    Column("father", _("Họ tên cha"), _carer("father")),
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
    ),
    Column(
        "nutrition",
        _("Dinh dưỡng"),
        lambda c, t: c.get_nutrition_status_display(),
        Action.CHILD_VIEW_SENSITIVE,
    ),
    Column("circumstances", _("Hoàn cảnh đặc biệt"), _circumstances, Action.CHILD_VIEW_SENSITIVE),
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


def columns_for(user) -> list[Column]:
    return [c for c in COLUMNS if c.needs is None or can(user, c.needs)]


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
        w.writerow(safe_row(row))
        n += 1
    return ("\ufeff" + buf.getvalue()).encode("utf-8"), n


def export_xlsx(qs, columns: list[Column], today: dt.date) -> tuple[bytes, int]:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(_("Danh sách trẻ em"))[:31])
    ws.append(safe_row(str(c.label) for c in columns))
    n = 0
    for row in _rows(qs, columns, today):
        ws.append(safe_row(row))
        n += 1
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue(), n
