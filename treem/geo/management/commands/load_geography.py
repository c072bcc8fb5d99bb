from django.core.management.base import BaseCommand

from treem.geo.services import geography_load


class Command(BaseCommand):
    help = (
        "Load or refresh provinces and communes (July-2025 map), the legacy map and the 2025 "
        "conversion table from the vietnam-provinces package. Safe to run again."
    )

    def handle(self, *args, **options):
        counts = geography_load()
        self.stdout.write(
            f"geography loaded: {counts.provinces} provinces, {counts.communes} communes; legacy "
            f"{counts.legacy_provinces} provinces, {counts.legacy_districts} districts, "
            f"{counts.legacy_communes} communes; {counts.conversions} conversion rows"
        )
