"""How other apps feed the indicators app without the indicators app importing them.

Layers point one way: programmes, people and assistance sit above indicators and register here, in
their AppConfig.ready(); indicators never imports them. A source that has not registered (an app not
yet built, or with no data) simply contributes nothing, and the review report shows "no data yet"
for its section.

Four kinds of contribution:
- computed figures: numerator and denominator per commune for an indicator code and a period,
  computed from the app's own records (allowance recipients, staff coverage, budget per child...);
- targets set by the app's records (a plan's target for an indicator, a unit and a year);
- review-report sections (plans and tasks, budget, staff, communication, commendation, assistance);
- the plans a target can be linked to (a label and the page of the plan), so a target the province
  enters here names the plan that set it and every page showing the target links to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Number = int | Decimal


@dataclass(frozen=True)
class CommuneFigure:
    """One commune's figure for a period: a count has no denominator."""

    commune_code: str
    numerator: Number
    denominator: Number | None = None
    # Optional disaggregation, e.g. {"sex": "F", "age_group": "0-2"}; empty for the total.
    disaggregation: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class ComputeRequest:
    indicator_code: str
    period_start: datetime.date  # first day of the period
    period_end: datetime.date  # last day of the period (inclusive)
    commune_codes: Sequence[str] | None  # None: every commune the source holds


ComputeFunction = Callable[[ComputeRequest], list[CommuneFigure]]


@dataclass(frozen=True)
class TargetRow:
    indicator_code: str
    unit_code: str  # a current province or commune code
    year: int
    value: Decimal
    source_label: str  # shown to the user, e.g. "Kế hoạch 144-KH/TU"
    url: str = ""


TargetFunction = Callable[[str, Sequence[str], Sequence[int]], list[TargetRow]]


@dataclass
class ReportTable:
    title: str
    columns: list[str]
    rows: list[list[object]]  # cells: str, int, Decimal or date; formatted by the report writer


@dataclass
class ReportSection:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)


@dataclass(frozen=True)
class ReportScope:
    unit_code: str  # a current province or commune code
    year_from: int
    year_to: int


SectionFunction = Callable[[ReportScope], ReportSection | None]


@dataclass(frozen=True)
class PlanRef:
    """A plan another app holds, as the indicators app may show and link it."""

    key: str  # the providing app's own id for the plan
    label: str  # shown to the user, e.g. "Kế hoạch 144-KH/TU"
    url: str = ""  # the plan's page


PlanFunction = Callable[[Sequence[str]], list[PlanRef]]
_PLAN_SOURCES: list[PlanFunction] = []

_COMPUTED: dict[str, ComputeFunction] = {}
_TARGET_SOURCES: list[TargetFunction] = []
_SECTIONS: dict[str, tuple[int, SectionFunction]] = {}

# The sections of a review report that other apps fill, in the order of the report.
SECTION_KEYS = ("plans", "budget", "staff", "communication", "commendation", "assistance")


def register_computed(indicator_code: str, fn: ComputeFunction) -> None:
    _COMPUTED[indicator_code] = fn


def computed_function(indicator_code: str) -> ComputeFunction | None:
    return _COMPUTED.get(indicator_code)


def computed_codes() -> list[str]:
    return sorted(_COMPUTED)


def register_target_source(fn: TargetFunction) -> None:
    if fn not in _TARGET_SOURCES:
        _TARGET_SOURCES.append(fn)


def targets_from_sources(
    indicator_code: str, unit_codes: Sequence[str], years: Sequence[int]
) -> list[TargetRow]:
    rows: list[TargetRow] = []
    for fn in _TARGET_SOURCES:
        rows.extend(fn(indicator_code, unit_codes, years))
    return rows


def register_report_section(key: str, fn: SectionFunction) -> None:
    if key not in SECTION_KEYS:
        raise ValueError(f"unknown review-report section {key!r}; expected one of {SECTION_KEYS}")
    _SECTIONS[key] = (SECTION_KEYS.index(key), fn)


def report_section(key: str, scope: ReportScope) -> ReportSection | None:
    """The section an app provides for this scope, or None (the report then says "no data yet")."""
    entry = _SECTIONS.get(key)
    if entry is None:
        return None
    return entry[1](scope)


def register_plan_source(fn: PlanFunction) -> None:
    if fn not in _PLAN_SOURCES:
        _PLAN_SOURCES.append(fn)


def plans_for_units(unit_codes: Sequence[str]) -> list[PlanRef]:
    """The plans of these units (province or commune codes) that a target may be linked to;
    empty when no app provides plans."""
    refs: list[PlanRef] = []
    for fn in _PLAN_SOURCES:
        refs.extend(fn(unit_codes))
    return refs
