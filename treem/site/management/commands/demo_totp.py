from django.core.management.base import BaseCommand
from django_otp.oath import totp

from treem.site.demo import DEMO_ADMIN_TOTP_HEX


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo administrator (demo data only)."

    def handle(self, *args, **options):
        self.stdout.write(f"{totp(bytes.fromhex(DEMO_ADMIN_TOTP_HEX)):06d}")
