"""Forms of the assistance pages: parsing only; the rules are in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.assistance.models import Basis, Deduction, DocumentKind, PaymentChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (the browser's month input) or a date; stored as its first day."""

    widget = MONTH

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m", "%m/%Y", "%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class DossierForm(forms.Form):
    child = forms.IntegerField(widget=forms.HiddenInput)
    applicant_name = forms.CharField(label=_("Người làm đơn"), max_length=150)
    applicant_relation = forms.CharField(label=_("Quan hệ với trẻ"), max_length=60)
    applied_on = forms.DateField(label=_("Ngày nộp đơn"), widget=DATE)
    basis = forms.MultipleChoiceField(
        label=_("Diện hưởng"),
        choices=Basis.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chọn mọi diện trẻ thuộc; trẻ chỉ được hưởng mức cao nhất."),
    )
    basis_from = forms.DateField(label=_("Hoàn cảnh từ ngày"), required=False, widget=DATE)
    studying_until = forms.DateField(
        label=_("Đi học đến ngày (nếu từ 16 tuổi)"), required=False, widget=DATE
    )
    payment_channel = forms.ChoiceField(
        label=_("Hình thức nhận tiền"), choices=PaymentChannel.choices
    )
    bank_name = forms.CharField(label=_("Ngân hàng"), max_length=100, required=False)
    account_number = forms.CharField(label=_("Số tài khoản"), max_length=30, required=False)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại giấy tờ"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("Tệp (PDF, JPEG, PNG)"))


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(VersionForm):
    reviewed_on = forms.DateField(label=_("Ngày họp Hội đồng xét duyệt"), widget=DATE)
    review_note = forms.CharField(
        label=_("Kết luận"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    minutes = forms.FileField(label=_("Biên bản họp Hội đồng (PDF, ảnh)"))


class PostForm(VersionForm):
    posted_on = forms.DateField(label=_("Ngày niêm yết"), widget=DATE)


class DecideForm(VersionForm):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40)
    decided_on = forms.DateField(label=_("Ngày ký"), widget=DATE)
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    from_month = MonthField(
        label=_("Hưởng từ tháng"),
        required=False,
        help_text=_("Để trống: từ tháng ký quyết định. Tháng trước đó được truy lĩnh."),
    )


class RefuseForm(VersionForm):
    reason = forms.CharField(
        label=_("Lý do không đồng ý"), widget=forms.Textarea(attrs={"rows": 2})
    )


class EndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ngày thôi hưởng (ngày xảy ra sự việc)"), widget=DATE)
    reason = forms.CharField(label=_("Lý do"), max_length=255)


class PrepareForm(forms.Form):
    month = MonthField(label=_("Tháng"))


class RunForm(forms.Form):
    month = MonthField(label=_("Tháng"))


class MarkForm(forms.Form):
    paid = forms.TypedChoiceField(
        label=_("Tình trạng"),
        choices=[("1", _("Đã nhận")), ("0", _("Không nhận được"))],
        coerce=lambda v: v == "1",
    )
    paid_on = forms.DateField(label=_("Ngày chi"), required=False, widget=DATE)


class DeductionForm(forms.Form):
    # Blank for a new deduction; the version of the one being changed otherwise.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    kind = forms.ChoiceField(label=_("Loại khấu trừ"), choices=Deduction.Kind.choices)
    # Kept as text: the service refuses "1.500.000" or "1,5" with a clear message instead of the
    # browser or a number field guessing what the dot meant.
    amount = forms.CharField(
        label=_("Số tiền khấu trừ (đồng)"),
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text=_("Số nguyên đồng, chỉ gồm chữ số, ví dụ 500000."),
    )
    reason = forms.CharField(
        label=_("Lý do khấu trừ"),
        max_length=255,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Bắt buộc với khấu trừ khác. Với thu hồi, để trống sẽ ghi “Thu hồi tiền trợ cấp đã chi "
            "sai”."
        ),
    )


class CalculatorForm(forms.Form):
    file = forms.FileField(label=_("Tệp CSV các trường hợp"))


class StandardAmountForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Phạm vi"),
        choices=[("national", _("Mức toàn quốc")), ("province", _("Mức riêng của tỉnh"))],
    )
    amount = forms.IntegerField(label=_("Mức chuẩn (đồng)"), min_value=1)
    effective_from = MonthField(label=_("Áp dụng từ tháng"))
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), max_length=255)


class TrackForm(forms.Form):
    code = forms.CharField(label=_("Mã tra cứu hồ sơ"), max_length=12)


# ---- Dossier list, changes of a recipient, health-insurance cards --------------------------


class DossierFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm tên trẻ hoặc mã hồ sơ"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trạng thái"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)
    basis = forms.ChoiceField(label=_("Diện hưởng"), required=False)
    applied_from = forms.DateField(label=_("Nộp từ ngày"), required=False, widget=DATE)
    applied_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DATE)

    def __init__(self, *args, communes=(), **kwargs):
        from treem.assistance.models import Dossier

        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        self.fields["status"].choices = everything + list(Dossier.Status.choices)
        self.fields["basis"].choices = everything + list(Basis.choices)
        self.fields["commune"].choices = everything + list(communes)

    def clean(self):
        data = super().clean()
        start, end = data.get("applied_from"), data.get("applied_to")
        if start and end and end < start:
            raise forms.ValidationError(_("Ngày “đến” trước ngày “từ”: hãy sửa lại khoảng ngày."))
        return data


class RecipientChangeForm(VersionForm):
    kind = forms.ChoiceField(
        label=_("Thay đổi"),
        choices=[
            ("disability_level", _("Mức độ khuyết tật")),
            ("studies", _("Việc đi học (từ 16 đến dưới 22 tuổi)")),
        ],
    )
    event_on = forms.DateField(
        label=_("Ngày phát sinh (ngày xác định lại mức khuyết tật, ngày thôi học)"), widget=DATE
    )
    disability = forms.ChoiceField(
        label=_("Mức độ khuyết tật mới"),
        required=False,
        choices=[
            ("disability_severe", _("Khuyết tật nặng")),
            ("disability_especially_severe", _("Khuyết tật đặc biệt nặng")),
            ("", _("Không còn khuyết tật nặng (thôi hưởng theo diện này)")),
        ],
    )
    studying_until = forms.DateField(
        label=_("Đi học đến ngày (theo giấy xác nhận của nhà trường; để trống nếu đã thôi học)"),
        required=False,
        widget=DATE,
    )
    decision_number = forms.CharField(label=_("Số quyết định điều chỉnh"), max_length=40)
    decided_on = forms.DateField(label=_("Ngày ký quyết định"), widget=DATE)
    signer = forms.CharField(label=_("Người ký"), max_length=150)
    reason = forms.CharField(
        label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class CardRequestForm(forms.Form):
    requested_on = forms.DateField(label=_("Ngày đề nghị"), widget=DATE)


class CardIssueForm(VersionForm):
    card_number = forms.CharField(label=_("Số thẻ BHYT"), max_length=20)
    issued_on = forms.DateField(label=_("Ngày cấp thẻ"), widget=DATE)
    valid_from = forms.DateField(label=_("Thẻ có giá trị từ"), widget=DATE)
    valid_to = forms.DateField(label=_("Thẻ có giá trị đến"), widget=DATE)


class CardDeliverForm(VersionForm):
    delivered_on = forms.DateField(label=_("Ngày phát thẻ"), widget=DATE)
    received_by = forms.CharField(label=_("Người nhận thẻ"), max_length=150)


class CardCancelForm(VersionForm):
    reason = forms.CharField(label=_("Lý do huỷ"), max_length=255)
