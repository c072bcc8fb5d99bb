from django.core.management.base import BaseCommand

from treem.portal.services import concerns_forward_pending


class Command(BaseCommand):
    help = "Hand to case management every portal concern not yet forwarded (retry)."

    def handle(self, *args, **options):
        result = concerns_forward_pending()
        self.stdout.write("pending=%(pending)s forwarded=%(forwarded)s failed=%(failed)s" % result)
