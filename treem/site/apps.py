from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top of the layers: the pages and data that span every app (home dashboard, demo data,
    error pages, how business records are named on the audit page)."""

    name = "treem.site"
    label = "site"
    verbose_name = _("Trang chung")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.site import records

        nav_register(
            order=10, label=_("Tổng quan"), url_name="core:dashboard", action=Action.DASHBOARD_VIEW
        )
        records.register()
