from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "treem.people"
    label = "people"
    verbose_name = _("Nhân lực và thi đua, khen thưởng")

    def ready(self) -> None:
        pass
