from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Province, Village
from treem.portal import security
from treem.portal.models import Article, Category, PortalSettings
from treem.portal.services import SETTINGS_FIELDS


def validate_visible(value: str) -> None:
    """Refuse invisible and direction-changing characters in a name (see
    `security.invisible_chars`); the service checks again for every other way in."""
    codes = security.invisible_chars(value)
    if codes:
        raise forms.ValidationError(
            _(
                "Tên có ký tự ẩn hoặc ký tự đảo chiều văn bản (%(chars)s). Hãy gõ lại tên bằng "
                "bàn phím, không dán từ nơi khác, rồi gửi lại."
            ),
            params={"chars": ", ".join(codes)},
            code="invisible",
        )


class _BotTrapMixin(forms.Form):
    """A field hidden from people (bots fill it) and the signed time the form was shown."""

    # Named like a real field so that form-filling bots complete it.
    homepage = forms.CharField(required=False, label=_("Để trống ô này"))
    ts = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["homepage"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["ts"] = security.form_timestamp()

    def form_age(self) -> float | None:
        return security.form_age_seconds(self.cleaned_data.get("ts"))


class VoteForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Số sao"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn từ 1 đến 5 sao rồi gửi lại.")},
    )


class CommentForm(_BotTrapMixin):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    author_name = forms.CharField(label=_("Tên"), max_length=80, validators=[validate_visible])
    author_email = forms.EmailField(
        label=_("Email"), help_text=_("Không hiển thị công khai."), max_length=254
    )
    author_website = forms.URLField(
        label=_("Trang web"), required=False, max_length=200, assume_scheme="https"
    )
    body = forms.CharField(
        label=_("Nội dung bình luận"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    notify_replies = forms.BooleanField(
        label=_("Gửi email cho tôi khi có người trả lời"), required=False
    )

    field_order = [
        "parent",
        "body",
        "author_name",
        "author_email",
        "author_website",
        "notify_replies",
        "homepage",
        "ts",
    ]


class ConcernForm(_BotTrapMixin):
    # A signed token good for one submission (security.concern_form_token); it replaces the
    # plain timestamp of the other forms.
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    what_happened = forms.CharField(
        label=_("Chuyện gì đã xảy ra?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Kể ngắn gọn những gì bạn thấy hoặc được biết."),
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"), queryset=Province.objects.all(), empty_label=_("— Chọn tỉnh —")
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=Commune.objects.none(), empty_label=_("— Chọn xã, phường —")
    )
    village = forms.ModelChoiceField(
        label=_("Thôn, ấp, khu phố"),
        queryset=Village.objects.none(),
        required=False,
        empty_label=_("— Không rõ —"),
    )
    happened_on = forms.DateField(
        label=_("Ngày xảy ra"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Để trống nếu không rõ."),
    )
    child_description = forms.CharField(
        label=_("Tên hoặc đặc điểm của trẻ (nếu biết)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    is_anonymous = forms.BooleanField(
        label=_("Tôi muốn báo tin ẩn danh (không để lại thông tin liên hệ)"), required=False
    )
    reporter_name = forms.CharField(
        label=_("Tên của bạn"), required=False, max_length=120, validators=[validate_visible]
    )
    reporter_phone = forms.RegexField(
        label=_("Số điện thoại"),
        required=False,
        regex=r"^[0-9+ .()-]{8,20}$",
        error_messages={"invalid": _("Hãy nhập số điện thoại gồm 8–20 chữ số.")},
    )
    reporter_email = forms.EmailField(label=_("Email"), required=False)

    def __init__(
        self, *args, province_code: str | None = None, commune_code: str | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        del self.fields["ts"]
        if not self.is_bound:
            self.initial["token"] = security.concern_form_token()
        if self.is_bound:
            province_code = self.data.get("province") or None
            commune_code = self.data.get("commune") or None
        if province_code:
            self.initial.setdefault("province", province_code)
            self.fields["commune"].queryset = Commune.objects.filter(province_id=province_code)
        if commune_code:
            self.initial.setdefault("commune", commune_code)
            self.fields["village"].queryset = Village.objects.filter(commune_id=commune_code)
        # htmx replaces the dependent select when a place is chosen; without JavaScript the
        # "Cập nhật danh sách" button posts the form back to refresh the lists.
        self.fields["province"].widget.attrs.update(
            {
                "hx-get": reverse("portal:concern_communes"),
                "hx-target": "#id_commune",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )
        self.fields["commune"].widget.attrs.update(
            {
                "hx-get": reverse("portal:concern_villages"),
                "hx-target": "#id_village",
                "hx-swap": "outerHTML",
                "hx-trigger": "change",
            }
        )

    def clean_happened_on(self):
        value = self.cleaned_data.get("happened_on")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("Ngày xảy ra không thể ở tương lai; hãy chọn lại."))
        return value

    def clean(self):
        data = super().clean()
        if not data.get("is_anonymous") and not (
            data.get("reporter_phone") or data.get("reporter_email")
        ):
            raise forms.ValidationError(
                _(
                    "Hãy để lại số điện thoại hoặc email để cán bộ liên hệ lại, hoặc đánh dấu "
                    "“báo tin ẩn danh”."
                )
            )
        commune = data.get("commune")
        province = data.get("province")
        if commune and province and commune.province_id != province.code:
            self.add_error("commune", _("Xã này không thuộc tỉnh đã chọn; hãy chọn lại."))
        return data


class TrackingForm(forms.Form):
    code = forms.CharField(
        label=_("Mã theo dõi"),
        max_length=30,
        help_text=_("Mã gồm 12 ký tự bạn nhận được khi gửi tin báo, ví dụ ABCD-EFGH-JKMN."),
    )


class ArticleForm(forms.ModelForm):
    tag_names = forms.CharField(
        label=_("Thẻ"),
        required=False,
        help_text=_("Các thẻ cách nhau bằng dấu phẩy."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "category",
            "excerpt",
            "body",
            "cover_image",
            "cover_alt",
            "publish_at",
            "unpublish_at",
            "comments_enabled",
        ]
        widgets = {
            "excerpt": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 18}),
            "publish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
            "unpublish_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }
        help_texts = {
            "body": _(
                "Có thể dùng HTML đơn giản (đoạn văn, tiêu đề, danh sách, liên kết, bảng). Mã "
                "kịch bản và thuộc tính sự kiện sẽ bị loại bỏ khi lưu."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()
        if self.instance.pk:
            self.initial["tag_names"] = ", ".join(t.name for t in self.instance.tags.all())
            self.initial["version"] = self.instance.version

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tag_names", "").split(",") if t.strip()]


class TransitionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
    publish_at = forms.DateTimeField(
        label=_("Xuất bản lúc (để trống: ngay)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )


class PortalSettingsForm(forms.ModelForm):
    class Meta:
        model = PortalSettings
        fields = SETTINGS_FIELDS
        widgets = {
            "watch_words": forms.Textarea(attrs={"rows": 4}),
            "block_words": forms.Textarea(attrs={"rows": 4}),
        }
