"""The monthly social allowance for children, month by month (Decree 20/2021/NĐ-CP, Art. 5–8;
standard amount raised by Decree 76/2024/NĐ-CP). Pure Python, no Django: the rules (coefficients
per group and age band, standard amounts with their effective dates) come in as data, so this
module holds the *timing* rules only, and it can be tested, benchmarked and reused alone.

Timing (Decree 20/2021 Art. 7–8 as practised; see docs/assistance.md):
- payment starts in the first month of the decision (`from_month`, or the month it was signed);
- every later event — a birthday that changes the age band (4, 16, 22), a new or ended basis, the
  end of studies — takes effect from the month AFTER the month it happens in: the month of the
  event is still paid as before. Technically: the state that decides month M is the state at the
  end of the last day of month M-1, where an event dated d has happened once that day is ≥ d;
- a new standard amount applies from its effective month to everyone at once;
- a child in several groups is paid only the highest amount (Decree 20/2021 Art. 6; the clause
  is recorded as unverified in the data until someone checks the gazette text);
- amounts are whole đồng: coefficient × standard amount in exact decimal arithmetic, then rounded
  half up to the đồng (no rounding happens with the published coefficients and amounts, since
  every coefficient has one decimal and every standard amount is a multiple of 10 đồng).

Months before the month the decision is signed are arrears (truy lĩnh), paid with the first
payment; months paid after the entitlement ended are to be recovered. `reconcile` lists both and
never nets one against the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

# The bases of Decree 20/2021 Art. 5 the children's allowance uses; their coefficients are data.
BASES = (
    "no_support",
    "disability_severe",
    "disability_especially_severe",
    "hiv_poor",
    "under3_poor_mountain",
    "single_parent_poor",
)


class Month:
    """A calendar month. Compared and hashed by one integer (year × 12 + month − 1): a
    province's payment list compares hundreds of thousands of months."""

    __slots__ = ("key",)

    def __init__(self, year: int, month: int):
        self.key = year * 12 + month - 1

    @classmethod
    def _from_key(cls, key: int) -> Month:
        obj = cls.__new__(cls)
        obj.key = key
        return obj

    @property
    def year(self) -> int:
        return self.key // 12

    @property
    def month(self) -> int:
        return self.key % 12 + 1

    @classmethod
    def of(cls, day: dt.date) -> Month:
        return cls._from_key(day.year * 12 + day.month - 1)

    @classmethod
    def parse(cls, text: str) -> Month:
        """'YYYY-MM' → Month; raises ValueError on anything else."""
        text = text.strip()
        if len(text) != 7 or text[4] != "-":
            raise ValueError(text)
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12 or not 1900 <= year <= 2100:
            raise ValueError(text)
        return cls(year, month)

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def last_day(self) -> dt.date:
        # A province's payment list asks for the last day of the same few months 100,000 times.
        day = _LAST_DAYS.get(self.key)
        if day is None:
            day = self.next().first_day() - dt.timedelta(days=1)
            _LAST_DAYS[self.key] = day
        return day

    def next(self) -> Month:
        return Month._from_key(self.key + 1)

    def prev(self) -> Month:
        return Month._from_key(self.key - 1)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Month) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def __lt__(self, other: Month) -> bool:
        return self.key < other.key

    def __le__(self, other: Month) -> bool:
        return self.key <= other.key

    def __gt__(self, other: Month) -> bool:
        return self.key > other.key

    def __ge__(self, other: Month) -> bool:
        return self.key >= other.key

    def __repr__(self) -> str:
        return f"Month({self.year}, {self.month})"

    def __str__(self) -> str:
        text = _TEXTS.get(self.key)
        if text is None:
            text = _TEXTS[self.key] = f"{self.year:04d}-{self.month:02d}"
        return text


# Memos of the two derived values asked for most; a few thousand months at most (1900–2100).
_LAST_DAYS: dict[int, dt.date] = {}
_TEXTS: dict[int, str] = {}


def months_between(first: Month, last: Month) -> list[Month]:
    out: list[Month] = []
    m = first
    while m <= last:
        out.append(m)
        m = m.next()
    return out


def add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary; a 29 February birthday falls on 1 March in common years (a child born
    on 29/02 turns 4 on 01/03 of a common year, the usual civil reading)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def age_on(birth: dt.date, day: dt.date) -> int:
    years = day.year - birth.year
    return years - 1 if add_years(birth, years) > day else years


@dataclass(frozen=True)
class Band:
    """One coefficient of a basis for an age band [age_from, age_to) in whole years."""

    basis: str
    age_from: int
    age_to: int | None  # None: no upper age
    coefficient: Decimal
    requires_studying: bool = False


@dataclass(frozen=True)
class StandardAmount:
    effective_from: Month
    amount: int  # đồng


def _last_age(bands: list[Band]) -> int | None:
    ages = [band.age_to for band in bands]
    return None if None in ages else max(ages)


@dataclass(frozen=True)
class Rules:
    bands: Sequence[Band]
    # National amounts, and the province's own (applied only where higher).
    national: Sequence[StandardAmount]
    local: Sequence[StandardAmount] = ()
    # Where output stops when the case gives no `to_month` and nothing else ends it.
    default_last_age: int = 22

    def __post_init__(self) -> None:
        # Lookups done for every recipient and month: bands grouped by basis, amounts sorted.
        by_basis: dict[str, list[Band]] = {}
        for band in self.bands:
            by_basis.setdefault(band.basis, []).append(band)
        object.__setattr__(self, "_by_basis", by_basis)
        object.__setattr__(self, "_last_age", {k: _last_age(v) for k, v in by_basis.items()})
        object.__setattr__(self, "_standards", {})

    def bands_for(self, basis: str) -> list[Band]:
        return self._by_basis.get(basis, [])

    def last_age(self, basis: str) -> int | None:
        """The age at which every band of `basis` has ended (None: a band without an end)."""
        return self._last_age.get(basis)

    def standard_for(self, month: Month) -> int:
        # The rules are immutable: the amount of a month is computed once per Rules object.
        cached = self._standards.get(month.key)
        if cached is None:
            cached = self._standards[month.key] = self._standard_for(month)
        return cached

    def _standard_for(self, month: Month) -> int:
        def current(amounts: Sequence[StandardAmount]) -> int:
            best: StandardAmount | None = None
            for item in amounts:
                if item.effective_from <= month and (
                    best is None or item.effective_from > best.effective_from
                ):
                    best = item
            return best.amount if best else 0

        return max(current(self.national), current(self.local))


@dataclass(frozen=True)
class Basis:
    kind: str
    start: dt.date | None = None  # basis_from; None: known since birth
    end: dt.date | None = None  # basis_to: the day the circumstance ended (death, adoption…)


@dataclass(frozen=True)
class Case:
    case_id: str
    birth_date: dt.date
    bases: tuple[Basis, ...]
    decided_on: dt.date
    studying_until: dt.date | None = None
    from_month: Month | None = None
    to_month: Month | None = None

    @property
    def start_month(self) -> Month:
        return self.from_month or Month.of(self.decided_on)


@dataclass(frozen=True)
class MonthAmount:
    month: Month
    basis: str
    coefficient: Decimal
    standard_amount: int
    amount: int
    arrears: bool = False  # a month before the decision was signed, paid with the first payment


@dataclass(frozen=True)
class Adjustment:
    month: Month
    kind: str  # "arrears" | "recovery"
    amount: int  # always positive


class CaseError(ValueError):
    """A case that cannot be computed; `code` names the reason for translation."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def format_coefficient(value: Decimal) -> str:
    """2.50 → "2.5", 1.00 → "1.0": one decimal at least, no trailing zeros beyond it."""
    text = f"{value:.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


_AMOUNTS: dict[tuple[Decimal, int], int] = {}


def amount_of(coefficient: Decimal, standard: int) -> int:
    """Coefficient × standard amount in exact decimal arithmetic, rounded half up to the đồng.
    Few distinct pairs exist, so each is computed once."""
    key = (coefficient, standard)
    value = _AMOUNTS.get(key)
    if value is None:
        value = int((coefficient * Decimal(standard)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if len(_AMOUNTS) < 10_000:
            _AMOUNTS[key] = value
    return value


def _coefficient(rules: Rules, basis: str, age: int, studying: bool) -> Decimal | None:
    best: Decimal | None = None
    for band in rules.bands_for(basis):
        if age < band.age_from:
            continue
        if band.age_to is not None and age >= band.age_to:
            continue
        if band.requires_studying and not studying:
            continue
        if best is None or band.coefficient > best:
            best = band.coefficient
    return best


def validate(case: Case, rules: Rules) -> None:
    """Refuse a case that contradicts itself, with the reason (see `CaseError.code`)."""
    if not case.bases:
        raise CaseError("no_basis", "no basis")
    known = {band.basis for band in rules.bands}
    for basis in case.bases:
        if basis.kind not in known:
            raise CaseError("unknown_basis", basis.kind)
        if basis.start and basis.end and basis.end < basis.start:
            raise CaseError("basis_order", "basis ends before it starts")
    if case.birth_date > case.decided_on:
        raise CaseError("born_after_decision", "birth date after the decision")
    if case.to_month and case.to_month < case.start_month:
        raise CaseError("months_order", "to_month before from_month")
    first = case.start_month
    if all(b.end is not None and b.end < case.decided_on for b in case.bases):
        raise CaseError("basis_ended", "every basis ended before the decision")
    if age_on(case.birth_date, first.first_day()) >= max(
        (band.age_to or 200) for band in rules.bands if band.basis in {b.kind for b in case.bases}
    ):
        raise CaseError("too_old", "too old for every basis at the first month")


def entitlement(
    case: Case, rules: Rules, *, window_from: Month | None = None, check: bool = True
) -> list[MonthAmount]:
    """Every month with an amount, from the first month of the decision (or `window_from`, if
    later: a payment list needs only the months not yet listed) until the entitlement ends or
    `to_month`. Raises CaseError for a case that cannot be computed."""
    if check:
        validate(case, rules)
    first = case.start_month
    decision_month = Month.of(case.decided_on)
    last = case.to_month or Month.of(add_years(case.birth_date, rules.default_last_age))
    ages = [rules.last_age(b.kind) for b in case.bases]
    if ages and None not in ages:
        # Nothing is owed after the month of the last birthday any band reaches.
        last = min(last, Month.of(add_years(case.birth_date, max(ages))))
    out: list[MonthAmount] = []
    month = max(first, window_from) if window_from else first
    while month <= last:
        # The state that decides this month: at the end of the previous month's last day.
        ref = month.prev().last_day()
        age = age_on(case.birth_date, max(ref, case.birth_date))
        studying = case.studying_until is not None and ref < case.studying_until
        best: tuple[Decimal, str] | None = None
        for basis in case.bases:
            if basis.end is not None and ref >= basis.end:
                continue  # ended in an earlier month
            if basis.start is not None:
                started = basis.start <= month.last_day() if month == first else ref >= basis.start
                if not started:
                    continue
            coefficient = _coefficient(rules, basis.kind, age, studying)
            if coefficient is not None and (best is None or coefficient > best[0]):
                best = (coefficient, basis.kind)
        if best is not None:
            standard = rules.standard_for(month)
            amount = amount_of(best[0], standard)
            if amount:
                out.append(
                    MonthAmount(
                        month=month,
                        basis=best[1],
                        coefficient=best[0],
                        standard_amount=standard,
                        amount=amount,
                        arrears=month < decision_month,
                    )
                )
        month = month.next()
    return out


def reconcile(
    entitled: Iterable[MonthAmount] | dict[Month, int], paid: dict[Month, int]
) -> list[Adjustment]:
    """Arrears for months owed more than was paid, recovery for months paid more than owed (a
    payment after the end), one adjustment per month, in month order; never netted."""
    owed = (
        dict(entitled)
        if isinstance(entitled, dict)
        else {item.month: item.amount for item in entitled}
    )
    out: list[Adjustment] = []
    for month in sorted(set(owed) | set(paid)):
        diff = owed.get(month, 0) - paid.get(month, 0)
        if diff > 0:
            out.append(Adjustment(month, "arrears", diff))
        elif diff < 0:
            out.append(Adjustment(month, "recovery", -diff))
    return out


@dataclass
class Change:
    """What happens to a recipient between two months, for the changes report and the scan."""

    kind: str  # "start" | "end" | "change"
    reason: str  # "decision" | "age_4" | "age_16" | "age_22" | "studies_end" | "basis_end" | …
    before: MonthAmount | None = None
    after: MonthAmount | None = None
    details: dict = field(default_factory=dict)


def explain(case: Case, month: Month, before: MonthAmount | None, after: MonthAmount | None):
    """Why the amount of `month` differs from the month before (None if it does not). The event
    happened in the month before `month`, since events take effect the month after."""
    if before is None and after is None:
        return None
    same = before is not None and after is not None
    if same and (before.coefficient, before.basis) == (after.coefficient, after.basis):
        if before.standard_amount != after.standard_amount:
            return Change("change", "standard_amount", before, after)
        return None
    previous = month.prev()
    reason = "other"
    for years in (4, 16, 22, 3):
        if Month.of(add_years(case.birth_date, years)) == previous:
            reason = f"age_{years}"
            break
    else:
        if case.studying_until and Month.of(case.studying_until) == previous:
            reason = "studies_end"
        elif any(b.end and Month.of(b.end) == previous for b in case.bases):
            reason = "basis_end"
        elif any(b.start and Month.of(b.start) == previous for b in case.bases):
            reason = "basis_start"
    if before is None:
        return Change("start", "decision" if reason == "other" else reason, None, after)
    if after is None:
        return Change("end", reason, before, None)
    return Change("change", reason, before, after)
