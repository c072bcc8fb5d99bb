from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "treem.protection"
    label = "protection"
    verbose_name = _("Quản lý ca bảo vệ trẻ em")

    def ready(self) -> None:
        from treem.accounts.policy import Action
        from treem.core.context_processors import nav_register
        from treem.protection import dashboard  # noqa: F401 - registers the dashboard cards

        nav_register(
            order=30, label=_("Ca bảo vệ"), url_name="protection:board", action=Action.CASE_VIEW
        )
        nav_register(
            order=29,
            label=_("Việc cần làm"),
            url_name="protection:todo",
            action=Action.CASE_VIEW,
            badge=_todo_count,
        )
        nav_register(
            order=31,
            label=_("Báo tin"),
            url_name="protection:report_new",
            action=Action.CASE_RECEIVE,
        )
        nav_register(
            order=32,
            label=_("Chuyển gửi"),
            url_name="protection:referral_list",
            action=Action.REFERRAL_RESPOND,
        )
        nav_register(
            order=33,
            label=_("Thời hạn, ngày lễ"),
            url_name="protection:settings",
            action=Action.CASE_SUPERVISE,
        )


def _todo_count(user) -> int:
    from treem.protection.selectors import todo_count

    return todo_count(user)
