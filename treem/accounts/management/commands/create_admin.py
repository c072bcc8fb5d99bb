import getpass
import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from treem.accounts.models import Role
from treem.accounts.services import user_create
from treem.geo.models import Province


class Command(BaseCommand):
    help = "Create a system administrator for the province this installation serves."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env", help="name of an environment variable holding the password"
        )

    def handle(self, *args, **options):
        province = Province.objects.filter(code=settings.TREEM_PROVINCE_CODE).first()
        if province is None:
            raise CommandError("Run `manage.py load_geography` first: the province is not loaded.")
        if options["password_env"]:
            password = os.environ.get(options["password_env"], "")
        else:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            user = user_create(
                actor=None,
                username=options["username"],
                password=password,
                full_name=options["full_name"],
                email=options["email"],
                role=Role.SYSTEM_ADMIN,
                province=province,
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(f"created administrator {user.username} for {province.name}")
