from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation, Role, User
from treem.core.forms import IdModelChoiceField, IdModelMultipleChoiceField
from treem.geo.models import Commune, Province, Village


class LoginForm(forms.Form):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    password = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput, strip=False)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 chữ số"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UserForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    organisation = IdModelChoiceField(
        label=_("Tổ chức"), queryset=Organisation.objects.all(), required=False
    )
    province = IdModelChoiceField(
        label=_("Tỉnh phụ trách"), queryset=Province.objects.all(), required=False
    )
    commune = IdModelChoiceField(
        label=_("Xã, phường phụ trách"),
        queryset=Commune.objects.none(),
        required=False,
    )
    villages = IdModelMultipleChoiceField(
        label=_("Thôn, ấp phụ trách"), queryset=Village.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Đang hoạt động"), required=False, initial=True)
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_code)
        self.fields["villages"].queryset = Village.objects.filter(
            commune__province_id=province_code
        ).select_related("commune")
        self.fields["province"].initial = province_code


class UserCreateForm(UserForm):
    username = forms.RegexField(
        label=_("Tên đăng nhập"),
        regex=r"^[a-z0-9_.-]{3,150}$",
        error_messages={
            "invalid": _(
                "Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (3 ký tự trở lên)."
            )
        },
    )
    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput, strip=False)
    field_order = ["username", "password"]

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username=username).exists():
            raise forms.ValidationError(_("Tên đăng nhập này đã có người dùng. Hãy chọn tên khác."))
        return username


class PasswordResetForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput, strip=False)
