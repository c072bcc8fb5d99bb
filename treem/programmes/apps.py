from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "treem.programmes"
    label = "programmes"
    verbose_name = _("Chương trình, kế hoạch")

    def ready(self) -> None:
        pass
