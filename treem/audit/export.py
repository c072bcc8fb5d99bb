"""The audit log as a spreadsheet or CSV, in the same plain language as the page.

Every text cell goes through `safe_cell`: a name or a value typed as `=HYPERLINK(...)` must not run
as a formula when the file is opened.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from treem.audit.presentation import EntryView
from treem.lib.spreadsheet import safe_row

# Larger extracts belong to a database administrator, not to a page.
MAX_EXPORT_ROWS = 50_000


def headers() -> list[str]:
    return [
        _("Số thứ tự"),
        _("Thời điểm"),
        _("Người thực hiện"),
        _("Địa chỉ IP"),
        _("Hành động"),
        _("Hồ sơ"),
        _("Thay đổi"),
        _("Ghi chú"),
    ]


def _changes_text(row: EntryView) -> str:
    parts = []
    for change in row.changes:
        if change.hidden:
            parts.append(_("%(field)s (đã thay đổi)") % {"field": change.label})
        else:
            parts.append(
                _("%(field)s: %(before)s → %(after)s")
                % {"field": change.label, "before": change.before, "after": change.after}
            )
    return "; ".join(parts)


def row_values(row: EntryView) -> list[object]:
    return [
        row.event.seq,
        date_format(timezone.localtime(row.event.at), "d/m/Y H:i:s"),
        row.actor,
        row.event.ip_address or "",
        row.action,
        row.record,
        _changes_text(row),
        row.note,
    ]


def as_xlsx(rows: Iterable[EntryView]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Nhật ký"))
    sheet.append(headers())
    for row in rows:
        sheet.append(safe_row(row_values(row)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def as_csv(rows: Iterable[EntryView]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in rows:
        writer.writerow(safe_row(row_values(row)))
    # The byte-order mark makes Excel read the file as UTF-8 (Vietnamese diacritics).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
