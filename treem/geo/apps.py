from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GeoConfig(AppConfig):
    name = "treem.geo"
    label = "geo"
    verbose_name = _("Địa giới hành chính")

    def ready(self) -> None:
        from treem.core.context_processors import nav_register
        from treem.geo import actions, dashboard  # noqa: F401 - registers the dashboard cards

        nav_register(
            order=80,
            label=pgettext_lazy("navigation", "Thôn, ấp"),
            url_name="geo:village_list",
            action=actions.VILLAGE_VIEW,
        )
