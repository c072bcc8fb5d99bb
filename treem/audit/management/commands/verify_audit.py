from django.core.management.base import BaseCommand, CommandError

from treem.audit.services import audit_verify


class Command(BaseCommand):
    help = "Check the hash chain of the audit log; exit non-zero if any entry was tampered with."

    def handle(self, *args, **options):
        checked, problems = audit_verify()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(
                f"audit log tampered: {len(problems)} problem(s) in {checked} entries"
            )
        self.stdout.write(f"audit log intact: {checked} entries verified")
