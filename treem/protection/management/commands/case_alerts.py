from django.core.management.base import BaseCommand

from treem.protection.tasks import deadline_scan, scan_deadlines


class Command(BaseCommand):
    help = (
        "Notify due-soon and overdue case steps and escalate late ones. Run from cron every few "
        "minutes; --enqueue hands the scan to the background worker instead of running it here."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true")

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = scan_deadlines.enqueue()
            self.stdout.write(f"deadline scan queued as task {result.id}")
            return
        counts = deadline_scan()
        self.stdout.write(
            f"due soon {counts['due_soon']}, overdue {counts['overdue']}, "
            f"escalated {counts['escalated']}"
        )
