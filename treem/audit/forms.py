from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import User
from treem.audit.models import AuditEvent
from treem.audit.presentation import registered_record_types

_DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


class _PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} ({obj.username})" if obj.full_name else obj.username


class AuditFilterForm(forms.Form):
    actor = _PersonChoice(
        label=_("Người thực hiện"),
        queryset=User.objects.order_by("full_name", "username"),
        required=False,
        empty_label=_("Mọi người"),
    )
    object_type = forms.ChoiceField(label=_("Loại hồ sơ"), required=False)
    object_id = forms.RegexField(
        label=_("Số hồ sơ"),
        regex=r"^[0-9]{1,18}$",
        required=False,
        error_messages={"invalid": _("Số hồ sơ chỉ gồm chữ số, ví dụ 125.")},
    )
    action = forms.ChoiceField(
        label=_("Hành động"),
        required=False,
        choices=[("", _("Mọi hành động")), *AuditEvent.Action.choices],
    )
    date_from = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        input_formats=_DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["object_type"].choices = [
            ("", _("Mọi loại hồ sơ")),
            *registered_record_types(),
        ]

    def clean(self):
        data = super().clean()
        if data.get("object_id") and not data.get("object_type"):
            self.add_error("object_type", _("Hãy chọn loại hồ sơ của số hồ sơ đã nhập."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data
