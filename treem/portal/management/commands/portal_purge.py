from django.core.management.base import BaseCommand

from treem.portal.services import personal_data_purge


class Command(BaseCommand):
    help = (
        "Clear commenters' emails and addresses, and concern senders' addresses, older than the "
        "retention period set by moderators."
    )

    def handle(self, *args, **options):
        result = personal_data_purge()
        self.stdout.write("comments=%(comments)s concerns=%(concerns)s" % result)
