from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "treem.protection"
    label = "protection"
    verbose_name = _("Quản lý ca bảo vệ trẻ em")
