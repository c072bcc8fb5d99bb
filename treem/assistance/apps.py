from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "treem.assistance"
    label = "assistance"
    verbose_name = _("Trợ giúp xã hội")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.assistance import budget, dashboard, indicators  # noqa: F401 - cards, figures
        from treem.core.context_processors import nav_register

        nav_register(
            order=40,
            label=_("Trợ cấp xã hội"),
            url_name="assistance:index",
            action=Action.ASSISTANCE_VIEW,
        )
        nav_register(
            order=41,
            label=_("Số liệu trợ cấp"),
            url_name="assistance:province",
            action=Action.ASSISTANCE_AGGREGATES,
        )
        indicators.register()
        budget.register()
