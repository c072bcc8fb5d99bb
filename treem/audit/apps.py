from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "treem.audit"
    label = "audit"
    verbose_name = _("Nhật ký truy cập")

    def ready(self) -> None:
        from treem.audit import records, services
        from treem.core import auditing
        from treem.core.context_processors import nav_register

        auditing.set_writer(services.audit_record)
        records.register()
        nav_register(
            order=95, label=_("Nhật ký truy cập"), url_name="audit:event_list", action="audit.view"
        )
