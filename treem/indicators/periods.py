"""Reporting periods written as officials write them: `2015` (year), `2015-H1` (half-year),
`2015-Q3` (quarter), `2015-06` (month). Pure functions, no Django."""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

YEAR = "year"
HALF = "half"
QUARTER = "quarter"
MONTH = "month"
PERIOD_TYPES = (YEAR, HALF, QUARTER, MONTH)

_PATTERN = re.compile(r"^\s*(\d{4})(?:-(H[12]|Q[1-4]|\d{2}))?\s*$", re.IGNORECASE)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, order=True)
class Period:
    year: int
    kind: str
    index: int  # 1 for a year, 1–2 half, 1–4 quarter, 1–12 month

    @property
    def code(self) -> str:
        if self.kind == YEAR:
            return f"{self.year}"
        if self.kind == HALF:
            return f"{self.year}-H{self.index}"
        if self.kind == QUARTER:
            return f"{self.year}-Q{self.index}"
        return f"{self.year}-{self.index:02d}"

    @property
    def months(self) -> tuple[int, int]:
        span = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}[self.kind]
        first = (self.index - 1) * span + 1
        return first, first + span - 1

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.months[0], 1)

    @property
    def end(self) -> datetime.date:
        last = self.months[1]
        return datetime.date(self.year, last, calendar.monthrange(self.year, last)[1])

    def previous(self) -> Period:
        if self.kind == YEAR:
            return Period(self.year - 1, YEAR, 1)
        count = {HALF: 2, QUARTER: 4, MONTH: 12}[self.kind]
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, count)

    def label(self) -> str:
        """As printed on a page: "2015", "6 tháng đầu năm 2015", "Quý III/2015", "Tháng 06/2015"."""
        if self.kind == YEAR:
            return f"{self.year}"
        if self.kind == HALF:
            return f"{'6 tháng đầu năm' if self.index == 1 else '6 tháng cuối năm'} {self.year}"
        if self.kind == QUARTER:
            return f"Quý {('I', 'II', 'III', 'IV')[self.index - 1]}/{self.year}"
        return f"Tháng {self.index:02d}/{self.year}"

    def __str__(self) -> str:
        return self.code


# The ways a province's sheet writes a period in words (compared folded, so "Quý" is "quy"):
# "Năm 2015", "6 tháng đầu năm 2015", "Quý 3/2015", "Quý III năm 2015", "Tháng 6/2015", "6/2015".
_SEP = r"\s*(?:/|-|nam)\s*"
_WORDS = (
    (re.compile(r"^nam\s*(\d{4})$"), YEAR),
    (re.compile(r"^6 thang (dau|cuoi)" + _SEP + r"(\d{4})$"), HALF),
    (re.compile(r"^quy\s*([1-4]|iv|i{1,3})" + _SEP + r"(\d{4})$"), QUARTER),
    (re.compile(r"^(?:thang|t)?\s*(\d{1,2})" + _SEP + r"(\d{4})$"), MONTH),
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _parse_words(text: str) -> Period | None:
    from treem.lib.text import fold

    key = " ".join(fold(text).split())
    for pattern, kind in _WORDS:
        match = pattern.match(key)
        if not match:
            continue
        if kind == YEAR:
            return Period(int(match.group(1)), YEAR, 1)
        part, year = match.group(1), int(match.group(2))
        if kind == HALF:
            return Period(year, HALF, 1 if part == "dau" else 2)
        number = _ROMAN.get(part) or int(part)
        if kind == MONTH and not 1 <= number <= 12:
            return None
        return Period(year, kind, number)
    return None


def parse_period(text: object) -> Period:
    """`2015`, `2015-H1`, `2015-Q3`, `2015-06` (also an Excel number 2015 or 2015.0), or the
    same in words as officials write them: "Năm 2015", "6 tháng đầu năm 2015", "Quý 3/2015",
    "Quý III năm 2015", "Tháng 6/2015"."""
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    match = _PATTERN.match(str(text or ""))
    if not match:
        period = _parse_words(str(text or ""))
        if period is None or not 1990 <= period.year <= 2100:
            raise PeriodError(str(text))
        return period
    year = int(match.group(1))
    if not 1990 <= year <= 2100:
        raise PeriodError(str(text))
    part = (match.group(2) or "").upper()
    if not part:
        return Period(year, YEAR, 1)
    if part.startswith("H"):
        return Period(year, HALF, int(part[1]))
    if part.startswith("Q"):
        return Period(year, QUARTER, int(part[1]))
    month = int(part)
    if not 1 <= month <= 12:
        raise PeriodError(str(text))
    return Period(year, MONTH, month)


def periods_of_year(year: int, kind: str) -> list[Period]:
    count = {YEAR: 1, HALF: 2, QUARTER: 4, MONTH: 12}[kind]
    return [Period(year, kind, i) for i in range(1, count + 1)]


def current_period(kind: str, today: datetime.date) -> Period:
    """The last period that has ended by `today`: what a commune reports on now."""
    candidates = [p for p in periods_of_year(today.year, kind) if p.end < today]
    if candidates:
        return candidates[-1]
    return periods_of_year(today.year - 1, kind)[-1]
