from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "treem.geo"
    label = "geo"
    verbose_name = _("Địa giới hành chính")

    def ready(self) -> None:
        from treem.geo import dashboard  # noqa: F401 - registers the dashboard cards
