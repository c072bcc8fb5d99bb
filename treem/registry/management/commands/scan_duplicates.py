from django.conf import settings
from django.core.management.base import BaseCommand

from treem.registry.tasks import scan_duplicates_task


class Command(BaseCommand):
    help = "List likely duplicate children across the province for review (queues a task)."

    def add_arguments(self, parser):
        parser.add_argument("--province", default=settings.TREEM_PROVINCE_CODE)
        parser.add_argument(
            "--now", action="store_true", help="run here instead of queueing for the worker"
        )

    def handle(self, *args, **options):
        if options["now"]:
            n = scan_duplicates_task.call(options["province"])
            self.stdout.write(f"{n} new pairs to review")
        else:
            result = scan_duplicates_task.enqueue(options["province"])
            self.stdout.write(f"queued scan {result.id}")
