"""Budget lines offered to other apps, without those apps importing the one that keeps them.

The programmes app keeps plans and their budget lines; the people app records training courses
that a budget line pays for. The two are sibling apps on one layer and may not import each other
(import-linter's "layers" contract), so the programmes app registers a source here in its
AppConfig.ready() and the people app reads through it. A site without the source (or a line since
deleted) simply has no line to offer: the course keeps its free-text note, nothing is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class BudgetLineRef:
    id: int
    # Shown to the user, e.g. "2026 · Ngân sách địa phương · Tập huấn kỹ năng bảo vệ trẻ em".
    label: str
    year: int
    province_code: str
    commune_code: str | None = None
    url: str = ""


@dataclass(frozen=True)
class BudgetLineSource:
    # The lines a unit may charge in the given years (province_code; commune_code None = the
    # province's own lines and those of every commune of it).
    choices: Callable[[str, Iterable[int]], list[BudgetLineRef]]
    # The lines with these ids, whichever province; an id not found is absent from the answer.
    describe: Callable[[Iterable[int]], dict[int, BudgetLineRef]]


_SOURCE: list[BudgetLineSource] = []


def register_source(source: BudgetLineSource) -> None:
    _SOURCE[:] = [source]


def unregister_source() -> None:
    _SOURCE.clear()


def available() -> bool:
    return bool(_SOURCE)


def choices(province_code: str, years: Iterable[int]) -> list[BudgetLineRef]:
    return _SOURCE[0].choices(province_code, list(years)) if _SOURCE else []


def describe(ids: Iterable[int]) -> dict[int, BudgetLineRef]:
    ids = [i for i in ids if i is not None]
    if not _SOURCE or not ids:
        return {}
    return _SOURCE[0].describe(ids)
