from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treem.indicators.importers import WrongTemplate, import_values


class Command(BaseCommand):
    help = (
        "Nhập số liệu chỉ tiêu (bảng dài: indicator, period, unit, numerator, denominator, "
        "sex, age_group) từ .csv hoặc .xlsx."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--map",
            choices=["legacy", "current"],
            default=None,
            help="Bản đồ của mã đơn vị; mặc định: cũ cho kỳ trước 7/2025, hiện hành cho kỳ sau.",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        try:
            result = import_values(
                actor=None, content=path.read_bytes(), filename=path.name, mapping=options["map"]
            )
        except WrongTemplate as exc:
            raise CommandError(str(exc)) from exc
        for r in result.rejected:
            self.stderr.write(f"{r.sheet}!{r.cell} (row {r.row}): {r.message}")
        self.stdout.write(result.summary())
