from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "treem.people"
    label = "people"
    verbose_name = _("Nhân lực và thi đua, khen thưởng")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.people import dashboard, feeds  # noqa: F401 - registers the dashboard card

        feeds.register()
        nav_register(
            order=60, label=_("Nhân lực"), url_name="people:coverage", action=Action.COVERAGE_VIEW
        )
        nav_register(
            order=62,
            label=_("Khen thưởng"),
            url_name="people:movement_list",
            action=Action.NOMINATION_VIEW,
        )
