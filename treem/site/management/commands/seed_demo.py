from django.core.management.base import BaseCommand

from treem.site.demo import DEMO_ADMIN_TOTP_HEX, DEMO_PASSWORD, DEMO_USERS, demo_seed


class Command(BaseCommand):
    help = "Create the deterministic demo data (Đồng Nai) and print the demo accounts. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-accounts", action="store_true", help="do not print accounts")

    def handle(self, *args, **options):
        ctx = demo_seed()
        if options["quiet_accounts"]:
            return
        import base64

        secret = base64.b32encode(bytes.fromhex(DEMO_ADMIN_TOTP_HEX)).decode()
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for username, *_rest in DEMO_USERS:
            user = ctx.users[username]
            where = (
                user.commune or (", ".join(str(v) for v in user.villages.all())) or user.province
            )
            self.stdout.write(f"  {username:<11} {user.get_role_display():<34} {where}")
        self.stdout.write(
            f"  admin needs a TOTP code: add key {secret} to an authenticator app, "
            "or run `.venv/bin/python manage.py demo_totp`"
        )
