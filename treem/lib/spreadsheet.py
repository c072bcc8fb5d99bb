"""Cells written to a spreadsheet or CSV must never run as formulas when an official opens them.

OWASP's advice for CSV/formula injection: a cell whose text starts with `=`, `+`, `-`, `@`, a tab or
a carriage return is prefixed with a single quote, so Excel, LibreOffice and Google Sheets show it
as text. Numbers, dates and other non-text values are returned unchanged (a negative number is a
number, not a formula).
"""

from __future__ import annotations

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """The value to write into a cell: text that could start a formula is neutralised."""
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list[object]:
    return [safe_cell(v) for v in values]
