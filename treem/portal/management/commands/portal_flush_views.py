from django.core.management.base import BaseCommand

from treem.portal.readcount import flush


class Command(BaseCommand):
    help = (
        "Move the article reads counted in the shared cache into the database (one row per "
        "article and day). Run every few minutes (cron, or the flush_article_views task)."
    )

    def handle(self, *args, **options):
        self.stdout.write("views=%s" % flush())
