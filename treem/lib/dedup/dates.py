"""Birth dates that may be partial or mistyped.

A date is held as three small integers (year, month, day) with 0 for "unknown", so that
"2015", "2015-06" and "2015-06-12" are all one shape and can be compared in bulk with numpy.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ISO = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?\s*$")
# Vietnamese paperwork writes dd/mm/yyyy; accept it so a pasted date is not lost.
_VN = re.compile(r"^\s*(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})\s*$")

EMPTY: tuple[int, int, int] = (0, 0, 0)


@lru_cache(maxsize=100_000)
def parse_date(value: str | None) -> tuple[int, int, int]:
    """Parse "YYYY-MM-DD", "YYYY-MM", "YYYY" or "DD/MM/YYYY" into (year, month, day).

    Unknown parts are 0. An impossible month or day is dropped rather than the whole date:
    the year alone still narrows the search.
    """
    if not value:
        return EMPTY
    m = _ISO.match(value)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    else:
        m = _VN.match(value)
        if not m:
            return EMPTY
        d, mo, y = int(m.group(1) or 0), int(m.group(2)), int(m.group(3))
    if not 1800 <= y <= 2200:
        return EMPTY
    if not 1 <= mo <= 12:
        return (y, 0, 0)
    if not 1 <= d <= 31:
        d = 0
    return (y, mo, d)


def format_date(y: int, m: int, d: int) -> str:
    """Inverse of :func:`parse_date` for display ("" when nothing is known)."""
    if not y:
        return ""
    if not m:
        return "%04d" % y
    if not d:
        return "%04d-%02d" % (y, m)
    return "%04d-%02d-%02d" % (y, m, d)
