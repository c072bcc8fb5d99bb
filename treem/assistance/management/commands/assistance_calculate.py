"""Compute the monthly allowance of cases in a CSV file (see docs/assistance.md)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treem.assistance.calculator import (
    calculate,
    read_payments,
    write_adjustments,
    write_months,
)
from treem.assistance.rules import load_rules


class Command(BaseCommand):
    help = "Compute monthly allowances: one input row per basis, one output row per month."

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument("--province", default=None, help="province code for its own amount")
        parser.add_argument("--payments", default=None, help="CSV case_id,month,amount paid")
        parser.add_argument("--adjustments", default=None, help="write arrears and recovery here")

    def handle(self, *args, **opts):
        try:
            text = Path(opts["input"]).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        payments = None
        if opts["payments"]:
            payments = read_payments(Path(opts["payments"]).read_text(encoding="utf-8"))
        result = calculate(text, load_rules(province_code=opts["province"]), payments)
        with open(opts["output"], "w", newline="", encoding="utf-8") as out:
            write_months(result, out)
        if opts["adjustments"]:
            with open(opts["adjustments"], "w", newline="", encoding="utf-8") as out:
                write_adjustments(result, out)
        for error in result.errors:
            self.stderr.write(f"line {error.line} ({error.case_id}): {error.message}")
        arrears = sum(a.amount for _c, a in result.adjustments if a.kind == "arrears")
        recovery = sum(a.amount for _c, a in result.adjustments if a.kind == "recovery")
        self.stdout.write(
            f"{result.cases} cases, {len(result.months)} months, {len(result.errors)} bad rows; "
            f"arrears {arrears} đ, recovery {recovery} đ"
        )
