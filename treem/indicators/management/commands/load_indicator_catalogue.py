from django.core.management.base import BaseCommand

from treem.indicators.catalogue import load_catalogue


class Command(BaseCommand):
    help = (
        "Nạp danh mục chỉ tiêu, chỉ tiêu quốc gia và tiêu chí xã phù hợp với trẻ em (không ghi đè)."
    )

    def handle(self, *args, **options):
        created = load_catalogue()
        self.stdout.write(
            "indicators %(indicators)s, targets %(targets)s, criteria %(criteria)s created"
            % created
        )
