"""The list of every dossier a user may see: filters, search, Vietnamese order, export.

Rows come from `access.dossiers_for_user` only (role and jurisdiction). Search folds the typed text
(`treem.lib.text.fold`), so "nguyen" finds "Nguyễn"; a 10-character tracking code finds its
dossier. Children are listed in Vietnamese alphabetical order (the registry's `name_sort` key:
"Dương" before "Đặng"), then by dossier.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from treem.assistance import access
from treem.assistance.models import Basis, Dossier, DossierBasis
from treem.lib.spreadsheet import safe_cell, safe_row
from treem.lib.text import fold
from treem.registry.keys import byte_order

EXPORT_LIMIT = 20_000


@dataclass(frozen=True)
class DossierFilter:
    status: str = ""
    commune: str = ""
    basis: str = ""
    applied_from: dt.date | None = None
    applied_to: dt.date | None = None
    query: str = ""


def dossier_list(*, user, f: DossierFilter) -> QuerySet[Dossier]:
    qs = access.dossiers_for_user(user)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.basis:
        qs = qs.filter(
            Exists(DossierBasis.objects.filter(dossier_id=OuterRef("pk"), basis=f.basis))
        )
    if f.applied_from:
        qs = qs.filter(applied_on__gte=f.applied_from)
    if f.applied_to:
        qs = qs.filter(applied_on__lte=f.applied_to)
    text = f.query.strip()
    if text:
        code = "".join(ch for ch in text.upper() if ch.isalnum())
        key = fold(text)
        by_code = qs.filter(tracking_code=code)
        if len(code) == 10 and by_code.exists():
            qs = by_code
        else:
            qs = qs.filter(child__name_key__contains=key) | qs.filter(
                child__name_key_given_first__prefix=key
            )
    return qs.select_related("child", "commune").order_by(
        byte_order("child__name_sort"), "child_id", "-applied_on", "-id"
    )


def bases_of(dossiers: list[Dossier]) -> dict[int, list[str]]:
    labels = dict(Basis.choices)
    out: dict[int, list[str]] = {d.pk: [] for d in dossiers}
    for row in DossierBasis.objects.filter(dossier__in=dossiers).values("dossier_id", "basis"):
        out[row["dossier_id"]].append(str(labels.get(row["basis"], "")))
    return out


def dossiers_xlsx(qs: QuerySet[Dossier], *, title: str) -> bytes:
    """Every dossier of the filtered list (up to EXPORT_LIMIT), text cells through safe_cell."""
    rows = list(qs[:EXPORT_LIMIT])
    bases = bases_of(rows)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Hồ sơ")[:31]
    ws.append([safe_cell(title)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(
        safe_row(
            [
                _("STT"),
                _("Mã tra cứu"),
                _("Họ và tên trẻ"),
                _("Ngày sinh"),
                _("Xã, phường"),
                _("Diện hưởng"),
                _("Người làm đơn"),
                _("Ngày nộp đơn"),
                _("Trạng thái"),
                _("Số quyết định"),
                _("Ngày ký quyết định"),
            ]
        )
    )
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for n, d in enumerate(rows, start=1):
        ws.append(
            safe_row(
                [
                    n,
                    d.tracking_code,
                    d.child.full_name,
                    d.child.birth_date.strftime("%d/%m/%Y"),
                    d.commune.name,
                    "; ".join(bases[d.pk]),
                    d.applicant_name,
                    d.applied_on.strftime("%d/%m/%Y"),
                    str(d.get_status_display()),
                    d.decision_number,
                    d.decided_on.strftime("%d/%m/%Y") if d.decided_on else "",
                ]
            )
        )
    for column, width in zip(
        "ABCDEFGHIJK", (6, 12, 28, 12, 20, 36, 24, 12, 24, 16, 14), strict=True
    ):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
