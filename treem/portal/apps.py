from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "treem.portal"
    label = "portal"
    verbose_name = _("Cổng thông tin")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.portal import dashboard  # noqa: F401 - registers the dashboard card

        nav_register(
            order=70,
            label=_("Cổng thông tin"),
            url_name="portal:staff_home",
            action=Action.ARTICLE_APPROVE,
        )
