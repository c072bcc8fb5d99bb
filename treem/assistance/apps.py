from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "treem.assistance"
    label = "assistance"
    verbose_name = _("Trợ giúp xã hội")

    def ready(self) -> None:
        pass
