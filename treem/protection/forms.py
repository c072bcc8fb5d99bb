"""Forms of the case pages: they parse and validate input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation, Role, User
from treem.geo.models import Commune, Village
from treem.protection.models import (
    AbuseType,
    Channel,
    DeadlineSetting,
    EmergencyMeasure,
    PublicHoliday,
    Review,
    ServiceKind,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_TEXT = forms.Textarea(attrs={"rows": 3})


class ReportForm(forms.Form):
    """Form 01."""

    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=Channel.choices)
    commune = forms.ModelChoiceField(
        label=_("Xã, phường nơi xảy ra"), queryset=Commune.objects.none()
    )
    village = forms.ModelChoiceField(
        label=_("Thôn, ấp"), queryset=Village.objects.none(), required=False
    )
    happened_on = forms.DateField(label=_("Ngày xảy ra"), required=False, widget=_DATE)
    what_happened = forms.CharField(label=_("Nội dung sự việc"), widget=forms.Textarea)
    abuse_types = forms.MultipleChoiceField(
        label=_("Hình thức xâm hại"),
        choices=AbuseType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    suspected_person = forms.CharField(
        label=_("Người bị nghi gây hại"), required=False, max_length=300
    )
    child_description = forms.CharField(
        label=_("Thông tin về trẻ (họ tên, tuổi, giới tính, trường)"), widget=_TEXT
    )
    is_anonymous = forms.BooleanField(label=_("Người báo tin giấu tên"), required=False)
    reporter_name = forms.CharField(label=_("Họ tên người báo tin"), required=False, max_length=150)
    reporter_phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=30)
    reporter_email = forms.EmailField(label=_("Thư điện tử"), required=False)
    reporter_relation = forms.CharField(label=_("Quan hệ với trẻ"), required=False, max_length=100)

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_code)
        self.fields["village"].queryset = Village.objects.filter(
            commune__province_id=province_code
        ).select_related("commune")
        self.fields["village"].label_from_instance = lambda v: f"{v.name} — {v.commune.name}"


class AssignForm(forms.Form):
    worker = forms.ModelChoiceField(label=_("Người phụ trách"), queryset=User.objects.none())

    def __init__(self, *args, commune_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["worker"].queryset = User.objects.filter(
            is_active=True,
            commune_id=commune_code,
            role__in=[Role.COMMUNE_WORKER, Role.COMMUNE_CHAIRMAN],
        )


class InitialAssessmentForm(forms.Form):
    """Form 02."""

    in_danger = forms.TypedChoiceField(
        label=_("Trẻ có đang gặp nguy hiểm không?"),
        choices=[("yes", _("Có: cần biện pháp khẩn cấp")), ("no", _("Không"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(label=_("Nhận định ban đầu"), widget=_TEXT)
    immediate_needs = forms.CharField(
        label=_("Nhu cầu cần đáp ứng ngay"), widget=_TEXT, required=False
    )


class InitialAssessmentEditForm(forms.Form):
    findings = forms.CharField(label=_("Nhận định ban đầu"), widget=_TEXT)
    immediate_needs = forms.CharField(
        label=_("Nhu cầu cần đáp ứng ngay"), widget=_TEXT, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class EmergencyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Biện pháp"), choices=EmergencyMeasure.Kind.choices)
    description = forms.CharField(label=_("Mô tả"), widget=_TEXT)


class DetailedAssessmentForm(forms.Form):
    """Form 03."""

    child_needs = forms.CharField(label=_("Nhu cầu của trẻ"), widget=_TEXT)
    family_situation = forms.CharField(label=_("Hoàn cảnh gia đình"), widget=_TEXT)
    risks = forms.CharField(label=_("Nguy cơ"), widget=_TEXT, required=False)
    strengths = forms.CharField(label=_("Điểm mạnh, nguồn lực"), widget=_TEXT, required=False)
    meeting_at = forms.DateTimeField(
        label=_("Thời điểm họp"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    meeting_place = forms.CharField(label=_("Địa điểm họp"), max_length=200)
    participants = forms.CharField(
        label=_("Thành phần tham dự"),
        help_text=_("Mỗi dòng một người: Họ tên - Chức vụ"),
        widget=_TEXT,
    )

    def clean_participants(self) -> list[dict[str, str]]:
        rows = []
        for line in self.cleaned_data["participants"].splitlines():
            name, _sep, role = line.partition(" - ")
            if name.strip():
                rows.append({"name": name.strip(), "role": role.strip()})
        return rows


class PlanForm(forms.Form):
    """Form 04: goals; the services come from `PlanServiceFormSet`."""

    goals = forms.CharField(label=_("Mục tiêu"), widget=_TEXT)


class PlanServiceForm(forms.Form):
    # An empty first choice, so that untouched extra rows of the formset post nothing and are
    # skipped instead of failing validation.
    kind = forms.ChoiceField(label=_("Dịch vụ"), choices=[("", "—"), *ServiceKind.choices])
    description = forms.CharField(label=_("Nội dung"), max_length=500)
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan thực hiện"), queryset=Organisation.objects.none(), required=False
    )
    responsible_user = forms.ModelChoiceField(
        label=_("Người thực hiện"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Hạn hoàn thành"), widget=_DATE)

    def __init__(self, *args, province_code: str = "", commune_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            province_id=province_code, is_active=True
        )
        self.fields["responsible_user"].queryset = User.objects.filter(
            is_active=True, commune_id=commune_code
        )

    def clean(self):
        data = super().clean()
        if not data.get("organisation") and not data.get("responsible_user"):
            raise forms.ValidationError(
                _("Hãy chọn người hoặc cơ quan chịu trách nhiệm cho dịch vụ này.")
            )
        return data


PlanServiceFormSet = forms.formset_factory(PlanServiceForm, extra=3, min_num=1, validate_min=True)


class ApproveForm(forms.Form):
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=_TEXT)


class ReferralForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Đơn vị nhận"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Dịch vụ"), choices=ServiceKind.choices)
    request = forms.CharField(label=_("Nội dung đề nghị"), widget=_TEXT)

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            province_id=province_code, is_active=True
        )


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Ngày thăm"), widget=_DATE)
    notes = forms.CharField(label=_("Ghi chép"), widget=_TEXT)


class ReviewForm(forms.Form):
    """Form 06."""

    results = forms.CharField(label=_("Kết quả thực hiện kế hoạch"), widget=_TEXT)
    child_situation = forms.CharField(label=_("Tình trạng hiện tại của trẻ"), widget=_TEXT)
    outcome = forms.ChoiceField(
        label=_("Kết luận"), choices=Review.Outcome.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("Lý do"), widget=_TEXT)
    open_services_reason = forms.CharField(
        label=_("Lý do đóng ca khi còn dịch vụ chưa hoàn thành"),
        widget=_TEXT,
        required=False,
        help_text=_("Chỉ cần ghi khi đóng ca mà còn dịch vụ trong kế hoạch chưa hoàn thành."),
    )


class ServiceDoneForm(forms.Form):
    service = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Kết quả"), widget=_TEXT, required=False)


class SeparationForm(forms.Form):
    """Form 07 (Decree 56/2017, Art. 32)."""

    decision_number = forms.CharField(label=_("Số quyết định"), max_length=40)
    starts_at = forms.DateTimeField(
        label=_("Bắt đầu cách ly"), widget=_DATETIME, input_formats=["%Y-%m-%dT%H:%M"]
    )
    separated_from = forms.CharField(label=_("Cách ly khỏi (người gây hại)"), max_length=200)
    placement = forms.CharField(label=_("Nơi, người chăm sóc tạm thời"), max_length=300)
    reason = forms.CharField(label=_("Lý do"), widget=_TEXT)


class SeparationEndForm(forms.Form):
    separation = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ghi chú"), widget=_TEXT, required=False)


class TransferForm(forms.Form):
    to_commune = forms.ModelChoiceField(
        label=_("Chuyển đến xã, phường"), queryset=Commune.objects.none()
    )
    reason = forms.CharField(label=_("Lý do"), widget=_TEXT)

    def __init__(self, *args, province_code: str, exclude: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_commune"].queryset = Commune.objects.filter(
            province_id=province_code
        ).exclude(code=exclude)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Ghi chú"), widget=_TEXT)
    is_restricted = forms.BooleanField(
        label=_("Hạn chế: chỉ người phụ trách, Chủ tịch UBND xã và cấp tỉnh được đọc"),
        required=False,
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Tệp (ảnh, bản quét, PDF)"))
    description = forms.CharField(label=_("Mô tả"), max_length=200, required=False)


class ServiceGivenForm(forms.Form):
    service_given = forms.CharField(label=_("Dịch vụ đã cung cấp"), widget=_TEXT)
    version = forms.IntegerField(widget=forms.HiddenInput)


class HolidayForm(forms.ModelForm):
    class Meta:
        model = PublicHoliday
        fields = ["date", "name", "kind"]
        widgets = {"date": _DATE}

    def validate_unique(self):
        # A date the package loaded is taken over by the official's decision (the service does).
        pass


class HolidayStatusForm(forms.Form):
    holiday = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=PublicHoliday.Status.choices)


class DeadlineSettingForm(forms.ModelForm):
    class Meta:
        model = DeadlineSetting
        fields = ["key", "value", "effective_from", "commune", "note"]
        widgets = {"effective_from": _DATE}

    def __init__(self, *args, province_code: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = Commune.objects.filter(province_id=province_code)


class ChildPickForm(forms.Form):
    """Link the case to a child already in the registry, picked from a search (radio buttons
    named `child_id`), never typed: the id is checked again on the server (`access`)."""

    child_id = forms.IntegerField(
        label=_("Trẻ đã có trong sổ"),
        min_value=1,
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Hãy tìm rồi chọn một trẻ trong danh sách."),
            "invalid": _("Hãy tìm rồi chọn một trẻ trong danh sách."),
            "min_value": _("Hãy tìm rồi chọn một trẻ trong danh sách."),
        },
    )


class ChildRegisterForm(forms.Form):
    """Register the reported child in the registry (with its duplicate check) and link the case."""

    full_name = forms.CharField(
        label=_("Họ và tên trẻ"),
        max_length=150,
        error_messages={"required": _("Hãy nhập họ và tên của trẻ để đăng ký trẻ mới.")},
    )
    birth_date = forms.CharField(
        label=_("Ngày sinh"),
        required=False,
        help_text=_("Ngày đầy đủ (25/03/2017), tháng/năm hoặc chỉ năm nếu không rõ."),
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))], required=False
    )
    decision = forms.CharField(widget=forms.HiddenInput, required=False)
    link_to = forms.IntegerField(widget=forms.HiddenInput, required=False)
