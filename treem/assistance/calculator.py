"""The calculator's file form, shared by `manage.py assistance_calculate` and the API: read the
cases of a CSV (one row per basis), compute them, write one row per month. A bad row is reported
with its line and reason; the good ones are still computed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from treem.lib.allowance import (
    BASES,
    Adjustment,
    Basis,
    Case,
    CaseError,
    Month,
    MonthAmount,
    Rules,
    entitlement,
    format_coefficient,
    reconcile,
)
from treem.lib.spreadsheet import safe_cell

INPUT_COLUMNS = [
    "case_id",
    "birth_date",
    "basis",
    "basis_from",
    "basis_to",
    "studying_until",
    "decided_on",
    "from_month",
    "to_month",
]
OUTPUT_COLUMNS = ["case_id", "month", "coefficient", "standard_amount", "amount"]


@dataclass
class RowError:
    line: int
    case_id: str
    message: str


@dataclass
class Result:
    months: list[tuple[str, MonthAmount]] = field(default_factory=list)
    adjustments: list[tuple[str, Adjustment]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    cases: int = 0


def _case_error_message(code: str) -> str:
    return {
        "no_basis": _("Không có diện hưởng nào."),
        "unknown_basis": _("Diện hưởng không có trong danh mục."),
        "basis_order": _("Ngày kết thúc diện hưởng trước ngày bắt đầu."),
        "born_after_decision": _("Ngày sinh sau ngày ký quyết định: hãy kiểm tra lại ngày sinh."),
        "months_order": _("Tháng kết thúc (to_month) trước tháng bắt đầu hưởng."),
        "basis_ended": _(
            "Diện hưởng đã kết thúc trước ngày ký quyết định: không thể quyết định trợ cấp."
        ),
        "too_old": _(
            "Theo ngày sinh, trẻ đã quá tuổi của diện hưởng ở tháng bắt đầu: không đủ điều kiện."
        ),
    }.get(code, _("Không tính được trường hợp này."))


def _date(value: str, column: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
        if not 1900 <= day.year <= 2100:
            raise ValueError(value)
        return day
    except ValueError:
        raise ValueError(
            _("Cột %(column)s: “%(value)s” không phải ngày dạng YYYY-MM-DD.")
            % {"column": column, "value": value}
        ) from None


def _month(value: str, column: str) -> Month | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return Month.parse(value)
    except ValueError:
        raise ValueError(
            _("Cột %(column)s: “%(value)s” không phải tháng dạng YYYY-MM.")
            % {"column": column, "value": value}
        ) from None


def read_cases(text: str) -> tuple[list[Case], list[RowError], dict[str, list[int]]]:
    """Group the rows by case_id. A case with one bad row is refused whole (its other rows would
    give a wrong amount), with every bad line named."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [
        c
        for c in ("case_id", "birth_date", "basis", "decided_on")
        if c not in (reader.fieldnames or [])
    ]
    if missing:
        return [], [RowError(1, "", _("Thiếu cột: %(cols)s.") % {"cols": ", ".join(missing)})], {}
    raw: dict[str, list[tuple[int, dict]]] = {}
    errors: list[RowError] = []
    for index, row in enumerate(reader, start=2):
        case_id = (row.get("case_id") or "").strip()
        if not case_id:
            errors.append(RowError(index, "", _("Cột case_id trống.")))
            continue
        raw.setdefault(case_id, []).append((index, row))
    cases: list[Case] = []
    lines: dict[str, list[int]] = {}
    for case_id, rows in raw.items():
        bases: list[Basis] = []
        head: dict = {}
        bad = False
        for line, row in rows:
            try:
                kind = (row.get("basis") or "").strip()
                if kind not in BASES:
                    raise ValueError(
                        _("Cột basis: “%(value)s” không phải một diện hưởng (%(allowed)s).")
                        % {"value": kind, "allowed": ", ".join(BASES)}
                    )
                values = {
                    "birth_date": _date(row.get("birth_date", ""), "birth_date"),
                    "decided_on": _date(row.get("decided_on", ""), "decided_on"),
                    "studying_until": _date(row.get("studying_until", ""), "studying_until"),
                    "from_month": _month(row.get("from_month", ""), "from_month"),
                    "to_month": _month(row.get("to_month", ""), "to_month"),
                }
                if values["birth_date"] is None:
                    raise ValueError(_("Cột birth_date trống: hãy ghi ngày sinh."))
                if values["decided_on"] is None:
                    raise ValueError(_("Cột decided_on trống: hãy ghi ngày ký quyết định."))
                if head and any(head[k] != v for k, v in values.items()):
                    raise ValueError(
                        _(
                            "Các dòng cùng case_id phải có cùng ngày sinh, ngày quyết định, "
                            "tháng bắt đầu, tháng kết thúc và ngày thôi học."
                        )
                    )
                head = head or values
                bases.append(
                    Basis(
                        kind,
                        _date(row.get("basis_from", ""), "basis_from"),
                        _date(row.get("basis_to", ""), "basis_to"),
                    )
                )
            except ValueError as exc:
                errors.append(RowError(line, case_id, str(exc)))
                bad = True
        if bad:
            continue
        cases.append(Case(case_id=case_id, bases=tuple(bases), **head))
        lines[case_id] = [line for line, _row in rows]
    return cases, errors, lines


def read_payments(text: str) -> dict[str, dict[Month, int]]:
    """Optional payments already made: columns case_id, month, amount."""
    paid: dict[str, dict[Month, int]] = {}
    for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))):
        month = Month.parse(row["month"])
        case = paid.setdefault(row["case_id"].strip(), {})
        case[month] = case.get(month, 0) + int(row["amount"])
    return paid


def calculate(
    text: str, rules: Rules, payments: dict[str, dict[Month, int]] | None = None
) -> Result:
    cases, errors, lines = read_cases(text)
    result = Result(errors=errors)
    for case in cases:
        try:
            months = entitlement(case, rules)
        except CaseError as exc:
            result.errors.append(
                RowError(lines[case.case_id][0], case.case_id, _case_error_message(exc.code))
            )
            continue
        result.cases += 1
        result.months.extend((case.case_id, m) for m in months)
        if payments is not None:
            paid = payments.get(case.case_id, {})
        else:
            # Without a payment file, a back-dated decision's earlier months are owed as arrears.
            paid = {m.month: m.amount for m in months if not m.arrears}
        result.adjustments.extend((case.case_id, a) for a in reconcile(months, paid))
    result.errors.sort(key=lambda e: e.line)
    return result


def month_rows(result: Result) -> Iterable[list]:
    for case_id, m in result.months:
        yield [
            safe_cell(case_id),
            str(m.month),
            format_coefficient(m.coefficient),
            m.standard_amount,
            m.amount,
        ]


def write_months(result: Result, out) -> None:
    writer = csv.writer(out)
    writer.writerow(OUTPUT_COLUMNS)
    writer.writerows(month_rows(result))


def write_adjustments(result: Result, out) -> None:
    writer = csv.writer(out)
    writer.writerow(["case_id", "month", "kind", "amount"])
    for case_id, a in result.adjustments:
        writer.writerow([safe_cell(case_id), str(a.month), a.kind, a.amount])
