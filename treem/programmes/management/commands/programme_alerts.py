from datetime import date

from django.core.management.base import BaseCommand, CommandError

from treem.programmes.notify import scan
from treem.programmes.tasks import scan_task_deadlines


class Command(BaseCommand):
    help = (
        "Notify due-soon and overdue plan tasks to the agencies and communes leading them, in the "
        "app and by e-mail. Run once a day from cron; --enqueue hands the scan to the background "
        "worker (manage.py db_worker) instead of running it here. Running it twice a day sends "
        "nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")
        parser.add_argument(
            "--date",
            help="Scan as on this day (YYYY-MM-DD), to catch up a day the schedule missed.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = scan_task_deadlines.enqueue()
            self.stdout.write(f"task deadline scan queued as task {result.id}")
            return
        today = None
        if options["date"]:
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date must be YYYY-MM-DD, e.g. 2026-10-20") from exc
        counts = scan(today=today)
        self.stdout.write(
            f"due soon {counts['due_soon']}, overdue {counts['overdue']}, "
            f"e-mail lines {counts['emails']}"
        )
