from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treem.indicators.importers import WrongTemplate, import_catalogue


class Command(BaseCommand):
    help = (
        "Thêm chỉ tiêu của tỉnh từ .csv/.xlsx (cột code, name_vi, name_en, unit, period_type, "
        "source)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        try:
            result = import_catalogue(actor=None, content=path.read_bytes(), filename=path.name)
        except WrongTemplate as exc:
            raise CommandError(str(exc)) from exc
        for r in result.rejected:
            self.stderr.write(f"{r.sheet}!{r.cell} (row {r.row}): {r.message}")
        self.stdout.write(result.summary())
