"""Prepare the month's draft payment list of every commune of a province (for cron, at the start
of the month; the province specialist's page queues the same work for the task worker)."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from treem.assistance import payments
from treem.lib.allowance import Month


class Command(BaseCommand):
    help = "Lập dự thảo danh sách chi trả tháng của mọi xã trong tỉnh."

    def add_arguments(self, parser):
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--province", default=settings.TREEM_PROVINCE_CODE)

    def handle(self, *args, **options):
        try:
            month = Month.parse(options["month"]).first_day()
        except ValueError:
            raise CommandError(
                f"--month {options['month']!r}: expected YYYY-MM, e.g. 2026-06"
            ) from None

        def progress(done: int, total: int, outcomes) -> None:
            lines = sum(o.lines for o in outcomes)
            self.stdout.write(f"{done}/{total} communes ({lines} lines in this group)")
            for o in outcomes:
                if o.refused:
                    self.stdout.write(f"  {o.commune_code}: {o.refused}")

        outcomes = payments.payment_lists_prepare(
            actor=None, province_code=options["province"], month=month, progress=progress
        )
        prepared = [o for o in outcomes if not o.refused]
        self.stdout.write(
            f"{len(prepared)} lists prepared for {month:%m/%Y}, "
            f"{sum(o.lines for o in prepared)} lines, {len(outcomes) - len(prepared)} not prepared"
        )
        return None
