from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "treem.programmes"
    label = "programmes"
    verbose_name = _("Chương trình, kế hoạch")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.programmes import (
            budget_source,
            dashboard,  # noqa: F401 - registers the dashboard card
            indicators,
            linked_estimates,
        )

        nav_register(
            order=50,
            label=_("Kế hoạch"),
            url_name="programmes:board",
            action=Action.PROGRAMME_VIEW,
        )
        indicators.register()
        budget_source.register()
        linked_estimates.register_hooks()

        from treem.programmes.services import task_deadlines_recompute
        from treem.protection.deadlines import on_calendar_change

        # Task deadlines are stored on the protection app's working-day calendar: moved when
        # an official adds, removes or confirms a day, in the same transaction.
        on_calendar_change(task_deadlines_recompute)
