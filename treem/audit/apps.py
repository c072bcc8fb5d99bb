from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "treem.audit"
    label = "audit"
    verbose_name = _("Nhật ký truy cập")

    def ready(self) -> None:
        from treem.audit import records

        records.register()
