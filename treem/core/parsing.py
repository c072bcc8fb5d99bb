"""Numbers, ids and moments typed into a query string or a form, parsed once and safely.

Anything a client sends can be `99999999999999999999999` (too large for a database integer:
SQLite raises OverflowError, PostgreSQL a DataError inside `IN (...)`), `1e30`, `²` (which
`str.isdigit()` accepts and `int()` refuses) or a date with a time-zone offset. Views parse through
these helpers; a bad value raises `InvalidParameter`, a `BadRequest`, which Django answers with
400 (and the API with the one error shape) instead of a 500.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _

# The largest primary key a BigAutoField can hold (signed 64-bit).
MAX_ID = 2**63 - 1
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


class InvalidParameter(BadRequest):
    def __init__(self, name: str, message: str):
        super().__init__(message)
        self.name = name
        self.message = message


def _as_id(raw: str) -> int | None:
    text = raw.strip()
    if not _ASCII_DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_ID else None


def parse_id(raw: str | None, *, name: str = "id") -> int | None:
    """A record id from a query string or form: None when absent; InvalidParameter unless it is a
    whole number a database id can be."""
    if raw is None or raw.strip() == "":
        return None
    value = _as_id(raw)
    if value is None:
        raise InvalidParameter(
            name, _("“%(name)s” phải là một số nguyên dương, ví dụ 125.") % {"name": name}
        )
    return value


def parse_version(raw: str | None) -> int:
    """The record version a form was drawn from (optimistic locking): 0 when absent; a
    non-number or an impossible one is a bad request, never a 500."""
    if raw is None or raw.strip() == "":
        return 0
    text = raw.strip()
    if text == "0":
        return 0
    value = _as_id(text)
    if value is None:
        raise InvalidParameter(
            "version", _("Trang này đã cũ hoặc bị sửa. Hãy tải lại trang rồi làm lại.")
        )
    return value


def parse_ids(values: Iterable[str], *, name: str = "ids") -> list[int]:
    """The ids of a bulk action (checkboxes): every one must be valid, or none is used."""
    ids = []
    for raw in values:
        value = _as_id(raw)
        if value is None:
            raise InvalidParameter(
                name,
                _("Danh sách đã chọn có mục không hợp lệ. Hãy tải lại trang và chọn lại."),
            )
        ids.append(value)
    return ids


def safe_ids(values: Iterable[str]) -> list[int]:
    """The valid ids among `values`, the others dropped (for lookups where a bad id simply
    matches nothing)."""
    return [value for raw in values if (value := _as_id(str(raw))) is not None]


def parse_page(raw: str | None, *, maximum: int = 1_000_000) -> int:
    """A page number: 1 when absent; InvalidParameter unless a whole number from 1 to maximum."""
    if raw is None or raw.strip() == "":
        return 1
    value = _as_id(raw)
    if value is None or value > maximum:
        raise InvalidParameter(
            "page",
            _("Số trang phải là số nguyên từ 1 đến %(max)s.") % {"max": maximum},
        )
    return value


def parse_local_datetime(raw: str | None, *, name: str = "datetime") -> dt.datetime:
    """A moment typed into a form (`datetime-local`, ISO 8601), as an aware datetime.

    A value without an offset is read in Treem's time zone; a value with one (`…+07:00`, `…Z`)
    is kept as the moment it names. `timezone.make_aware` on an aware value raises ValueError,
    which is how such a date used to become a 500."""
    text = (raw or "").strip()
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidParameter(
            name, _("Hãy nhập ngày giờ hợp lệ, ví dụ 25/06/2026 08:30.")
        ) from None
    try:
        if timezone.is_naive(value):
            value = timezone.make_aware(value, timezone.get_current_timezone())
        # The database stores UTC: a moment that has none (year 10000) is refused here.
        value.astimezone(dt.UTC)
    except (ValueError, OverflowError):
        raise InvalidParameter(name, _("Hãy nhập ngày giờ hợp lệ.")) from None
    return value
