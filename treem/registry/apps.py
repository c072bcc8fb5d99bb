from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "treem.registry"
    label = "registry"
    verbose_name = _("Sổ theo dõi trẻ em")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.registry import dashboard, keys  # noqa: F401 - cards and the prefix lookup

        nav_register(
            order=20, label=_("Trẻ em"), url_name="registry:child_list", action=Action.CHILD_VIEW
        )
