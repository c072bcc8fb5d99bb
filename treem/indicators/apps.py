from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "treem.indicators"
    label = "indicators"
    verbose_name = _("Chỉ tiêu và báo cáo")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.indicators import dashboard  # noqa: F401 - registers the dashboard card

        nav_register(
            order=60,
            label=_("Chỉ tiêu"),
            url_name="indicators:home",
            action=Action.INDICATOR_VIEW,
        )
        nav_register(
            order=61,
            label=_("Báo cáo định kỳ"),
            url_name="indicators:report_list",
            action=Action.INDICATOR_ENTER,
        )
