from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from treem.registry import importer


class Command(BaseCommand):
    help = (
        "Import children from an .xlsx or .csv file into one commune. Columns are recognised by "
        "their headers (or a remembered template). Ends with 'imported N, updated U, rejected R'."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--commune", required=True, help="commune code (July-2025 map)")
        parser.add_argument("--dry-run", action="store_true", help="validate and match only")
        parser.add_argument("--rejects", help="write rejected rows with reasons to this CSV file")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} does not exist")
        headers, rows = importer.read_table(path)
        mapping = importer.guess_mapping(headers)
        if "full_name" not in mapping.values():
            raise CommandError(
                "no column is recognised as the child's full name; "
                f"headers found: {', '.join(headers)}"
            )
        try:
            report = importer.run_import(
                actor=None,
                headers=headers,
                rows=rows,
                mapping=mapping,
                commune_code=options["commune"],
                dry_run=options["dry_run"],
                file_name=path.name,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["rejects"]:
            Path(options["rejects"]).write_bytes(importer.rejects_csv(headers, report.rejects))
        if options["verbosity"] > 1:
            for r in report.rejects[:50]:
                for e in r.errors:
                    self.stdout.write(e)
        self.stdout.write(
            f"unchanged {report.unchanged}"
            + (" (dry run: nothing written)" if options["dry_run"] else "")
        )
        self.stdout.write(report.summary())
