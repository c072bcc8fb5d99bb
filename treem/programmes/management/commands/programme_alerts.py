from django.core.management.base import BaseCommand

from treem.programmes.notify import scan


class Command(BaseCommand):
    help = "Notify due-soon and overdue plan tasks to the agencies and communes leading them."

    def handle(self, *args, **options):
        counts = scan()
        self.stdout.write(f"due soon {counts['due_soon']}, overdue {counts['overdue']}")
