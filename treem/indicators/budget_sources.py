"""Budget estimates that one business app computes and another shows, without either importing
the other (they sit on one layer; see the import-linter contract in pyproject.toml).

The app that knows a cost registers a function here in its AppConfig.ready() (assistance: next
year's monthly allowances from the current recipients and their birthdays); the programmes app
reads `estimates()` and shows the rows beside its own budget lines. Nothing is stored: the figure
is computed from the owner's records each time, so it never drifts from them. An app that has not
registered contributes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class EstimateRow:
    """One commune's estimate for a year from one source of funds."""

    label: str  # shown to the user, e.g. "Trợ cấp xã hội hằng tháng cho trẻ em"
    year: int
    commune_code: str
    # A source of funds, with the codes of the programmes app's budget lines ("central",
    # "provincial", "commune", "socialised", "international").
    source: str
    amount: int  # đồng
    people: int = 0  # how many people the estimate covers (recipients), 0 if not counted
    note: str = ""  # how the figure was made, shown beside it


# (year, province code, commune codes or None for the whole province) -> rows
EstimateFunction = Callable[[int, str, Sequence[str] | None], list[EstimateRow]]

_SOURCES: dict[str, EstimateFunction] = {}


def register_estimate_source(key: str, fn: EstimateFunction) -> None:
    _SOURCES[key] = fn


def estimates(
    year: int, province_code: str, commune_codes: Sequence[str] | None = None
) -> list[EstimateRow]:
    rows: list[EstimateRow] = []
    for key in sorted(_SOURCES):
        rows.extend(_SOURCES[key](year, province_code, commune_codes))
    return rows
