from django.core.management.base import BaseCommand, CommandError

from treem.lib.dedup import DEFAULT_THRESHOLD, scan_csv


class Command(BaseCommand):
    help = (
        "Find likely duplicate pairs in any CSV with columns record_id, full_name, birth_date, "
        "sex, commune_code, address, mother_name, father_name, id_number. Writes "
        "record_id_a, record_id_b, score."
    )

    def add_arguments(self, parser):
        parser.add_argument("--input", required=True)
        parser.add_argument("--output", required=True)
        parser.add_argument(
            "--threshold",
            type=float,
            default=None,
            help=f"score from 0 to 1 (default {DEFAULT_THRESHOLD}, fixed in the engine)",
        )

    def handle(self, *args, **options):
        try:
            n = scan_csv(options["input"], options["output"], threshold=options["threshold"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{n} pairs written to {options['output']}")
