from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "treem.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và tổ chức")

    def ready(self) -> None:
        from treem.accounts.policy import Action, can
        from treem.core import permissions
        from treem.core.context_processors import nav_register

        # The kernel's permission door asks this app's policy (see treem.core.permissions).
        permissions.set_policy(can)
        nav_register(
            order=90,
            label=_("Người dùng"),
            url_name="accounts:user_list",
            action=Action.USER_MANAGE,
        )
