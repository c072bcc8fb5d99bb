"""Refresh Việt Nam's public holidays from the `holidays` package (idempotent).

Rows an official added, removed or confirmed are never touched; the open cases whose due time the
refresh moves are recomputed and the change is written on their timelines."""

from django.core.management.base import BaseCommand

from treem.protection import calendar, services


class Command(BaseCommand):
    help = "Nạp ngày nghỉ lễ của Việt Nam từ gói holidays (chạy lại nhiều lần không sao)."

    def add_arguments(self, parser):
        parser.add_argument("--from-year", type=int, default=calendar.YEARS.start)
        parser.add_argument("--to-year", type=int, default=calendar.YEARS.stop - 1)

    def handle(self, *args, from_year: int, to_year: int, **options):
        result = services.holidays_load(years=range(from_year, to_year + 1))
        self.stdout.write(
            f"{calendar.package_source()}: {len(result.created)} new, {len(result.updated)} "
            f"updated, {len(result.withdrawn)} withdrawn, {result.kept_official} kept as "
            "officials decided"
        )
