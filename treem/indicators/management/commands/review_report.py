from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treem.geo.models import Commune, Province
from treem.indicators import review


class Command(BaseCommand):
    help = "Tạo báo cáo sơ kết, tổng kết (.docx, .pdf hoặc .xlsx theo phần mở rộng của tệp)."

    def add_arguments(self, parser):
        parser.add_argument("--unit", required=True, help="Mã tỉnh (75) hoặc xã; VN: toàn quốc")
        parser.add_argument("--from", dest="year_from", type=int, required=True)
        parser.add_argument("--to", dest="year_to", type=int, required=True)
        parser.add_argument("--output", required=True)

    def handle(self, *args, **options):
        unit = options["unit"]
        if unit != "VN" and not (
            Province.objects.filter(code=unit).exists()
            or Commune.objects.filter(code=unit).exists()
        ):
            raise CommandError(f"Unknown unit code {unit}")
        if options["year_from"] > options["year_to"]:
            raise CommandError("--from must not be after --to")
        path = Path(options["output"])
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in review.WRITERS:
            raise CommandError("The output must end in .docx, .pdf or .xlsx")
        content = review.generate(unit, options["year_from"], options["year_to"], fmt)
        path.write_bytes(content)
        self.stdout.write(f"{path} ({len(content)} bytes)")
