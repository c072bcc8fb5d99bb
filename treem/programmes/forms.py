"""Forms only parse input; every rule is checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation
from treem.geo.models import Commune
from treem.programmes.models import (
    Activity,
    Audience,
    BudgetLine,
    Campaign,
    CommActivity,
    Document,
    DocumentLink,
    Plan,
    ReportingPeriod,
    Source,
    Task,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class OrgMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CommuneChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CommuneMultiple(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _orgs(province_code):
    return Organisation.objects.filter(province_id=province_code, is_active=True).order_by(
        "commune_id", "name"
    )


def _communes(province_code):
    return Commune.objects.filter(province_id=province_code).order_by("name")


class AmountField(forms.CharField):
    """Kept as text: the service refuses a decimal point or comma with a clear message instead of
    the browser silently rounding."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        kwargs.setdefault("help_text", _("Số nguyên đồng, chỉ gồm chữ số."))
        super().__init__(**kwargs)


class DocumentForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    kind = forms.ChoiceField(label=_("Loại văn bản"), choices=Document.Kind.choices)
    title = forms.CharField(label=_("Trích yếu"), max_length=400)
    issuing_body = forms.CharField(label=_("Cơ quan ban hành"), max_length=200)
    signer = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DATE)
    effective_on = forms.DateField(label=_("Ngày hiệu lực"), widget=DATE, required=False)
    expires_on = forms.DateField(label=_("Ngày hết hiệu lực"), widget=DATE, required=False)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    upload = forms.FileField(
        label=_("Tệp văn bản (PDF hoặc Word .docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )


class DocumentLinkForm(forms.Form):
    kind = forms.ChoiceField(label=_("Văn bản này"), choices=DocumentLink.Kind.choices)
    target = forms.ModelChoiceField(label=_("Văn bản"), queryset=Document.objects.none())

    def __init__(self, *args, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = documents if documents is not None else Document.objects
        self.fields["target"].label_from_instance = lambda d: f"{d.number} – {d.title}"


class PlanForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    level = forms.ChoiceField(label=_("Cấp"), choices=Plan.Level.choices)
    commune = CommuneChoice(
        label=_("Xã, phường (kế hoạch cấp xã)"), queryset=Commune.objects.none(), required=False
    )
    owner = OrgChoice(
        label=_("Cơ quan chủ trì (kế hoạch của sở, ngành)"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    implements = forms.ModelChoiceField(
        label=_("Thực hiện văn bản"), queryset=Document.objects.none(), required=False
    )
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE)
    ends_on = forms.DateField(label=_("Ngày kết thúc"), widget=DATE)
    objectives = forms.CharField(
        label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, province_code=None, communes=None, documents=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = (
            communes if communes is not None else _communes(province_code)
        )
        self.fields["owner"].queryset = _orgs(province_code).filter(commune__isnull=True)
        if documents is not None:
            self.fields["implements"].queryset = documents
        self.fields["implements"].label_from_instance = lambda d: f"{d.number} – {d.title}"


class PlanEditForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tên kế hoạch"), max_length=300)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(label=_("Đến năm"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Ngày bắt đầu"), widget=DATE)
    ends_on = forms.DateField(label=_("Ngày kết thúc"), widget=DATE)
    objectives = forms.CharField(
        label=_("Mục tiêu"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class TaskForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=400)
    description = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    lead_organisation = OrgChoice(
        label=_("Cơ quan chủ trì"), queryset=Organisation.objects.none(), required=False
    )
    lead_commune = CommuneChoice(
        label=_("Hoặc xã, phường chủ trì"), queryset=Commune.objects.none(), required=False
    )
    partner_organisations = OrgMultiple(
        label=_("Cơ quan phối hợp"), queryset=Organisation.objects.none(), required=False
    )
    partner_communes = CommuneMultiple(
        label=_("Xã, phường phối hợp"), queryset=Commune.objects.none(), required=False
    )
    due_on = forms.DateField(label=_("Hạn hoàn thành"), widget=DATE)
    recurrence = forms.ChoiceField(label=_("Lặp lại"), choices=Task.Recurrence.choices)

    def __init__(self, *args, province_code=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = _orgs(province_code)
        communes = _communes(province_code)
        self.fields["lead_organisation"].queryset = orgs
        self.fields["partner_organisations"].queryset = orgs
        self.fields["lead_commune"].queryset = communes
        self.fields["partner_communes"].queryset = communes


class TargetForm(forms.Form):
    indicator_code = forms.CharField(
        label=_("Mã chỉ tiêu"),
        max_length=60,
        help_text=_("Mã của chỉ tiêu trong bộ chỉ tiêu thống kê, ví dụ KS_DUOI5."),
    )
    label = forms.CharField(label=_("Tên chỉ tiêu"), max_length=300)
    unit_code = forms.ChoiceField(label=_("Đơn vị"))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    value = forms.DecimalField(label=_("Giá trị"), max_digits=14, decimal_places=2)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_code"].choices = units


class DeriveForm(forms.Form):
    commune = CommuneChoice(label=_("Xã, phường"), queryset=Commune.objects.none())

    def __init__(self, *args, communes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes


class ProgressForm(forms.Form):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    period = forms.ModelChoiceField(label=_("Kỳ báo cáo"), queryset=ReportingPeriod.objects.none())
    status = forms.ChoiceField(label=_("Tình trạng"))
    percent = forms.IntegerField(label=_("Tỷ lệ hoàn thành (%)"), min_value=0, max_value=100)
    done_text = forms.CharField(
        label=_("Kết quả thực hiện trong kỳ"), widget=forms.Textarea(attrs={"rows": 4})
    )
    figure_label_1 = forms.CharField(label=_("Số liệu đạt được 1 – nội dung"), required=False)
    figure_value_1 = forms.IntegerField(label=_("Số liệu 1 – số"), required=False, min_value=0)
    figure_label_2 = forms.CharField(label=_("Số liệu đạt được 2 – nội dung"), required=False)
    figure_value_2 = forms.IntegerField(label=_("Số liệu 2 – số"), required=False, min_value=0)
    files = MultipleFileField(
        label=_("Minh chứng (PDF, Word, ảnh)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.jpg,.jpeg,.png,.webp"}),
    )

    def __init__(self, *args, periods=None, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["period"].label_from_instance = lambda p: p.label
        self.fields["status"].choices = status_choices

    def figures(self) -> dict[str, int]:
        result = {}
        for i in (1, 2):
            label = (self.cleaned_data.get(f"figure_label_{i}") or "").strip()
            value = self.cleaned_data.get(f"figure_value_{i}")
            if label and value is not None:
                result[label] = value
        return result


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Chuyển sang"))
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, status_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = status_choices


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại kỳ"), choices=ReportingPeriod.Kind.choices)
    label = forms.CharField(label=_("Tên kỳ"), max_length=60)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)


class BudgetLineForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    task = forms.ModelChoiceField(label=_("Nhiệm vụ"), queryset=Task.objects.none(), required=False)
    label = forms.CharField(label=_("Nội dung chi"), max_length=300)
    source = forms.ChoiceField(label=_("Nguồn kinh phí"), choices=Source.choices)
    activity = forms.ChoiceField(label=_("Loại hoạt động"), choices=Activity.choices)
    estimate = AmountField(label=_("Dự toán (đồng)"))
    allocated = AmountField(label=_("Được giao (đồng)"))
    spent = AmountField(label=_("Đã chi (đồng)"))
    reason = forms.CharField(label=_("Căn cứ, lý do"), max_length=500)
    accept_over_allocation = forms.BooleanField(
        label=_("Xác nhận chi vượt số được giao"), required=False
    )

    def __init__(self, *args, tasks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = tasks if tasks is not None else Task.objects.none()
        self.fields["task"].label_from_instance = lambda t: t.title


class BudgetChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    estimate = AmountField(label=_("Dự toán (đồng)"))
    allocated = AmountField(label=_("Được giao (đồng)"))
    spent = AmountField(label=_("Đã chi (đồng)"))
    reason = forms.CharField(label=_("Lý do thay đổi"), max_length=500)
    accept_over_allocation = forms.BooleanField(
        label=_("Xác nhận chi vượt số được giao"), required=False
    )


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=Campaign.Kind.choices)
    title = forms.CharField(label=_("Tên chiến dịch"), max_length=300)
    theme = forms.CharField(label=_("Chủ đề"), max_length=400, required=False)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=DATE)
    ends_on = forms.DateField(label=_("Đến ngày"), widget=DATE)


class ActivityForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Chiến dịch"), queryset=Campaign.objects.none(), required=False
    )
    kind = forms.ChoiceField(label=_("Hình thức"), choices=CommActivity.Kind.choices)
    title = forms.CharField(label=_("Hoạt động"), max_length=300)
    held_on = forms.DateField(label=_("Ngày thực hiện"), widget=DATE)
    commune = CommuneChoice(
        label=_("Địa điểm (xã, phường)"), queryset=Commune.objects.none(), required=False
    )
    organiser = OrgChoice(
        label=_("Đơn vị tổ chức"), queryset=Organisation.objects.none(), required=False
    )
    audiences = forms.MultipleChoiceField(
        label=_("Đối tượng"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people_reached = forms.IntegerField(label=_("Số người được tiếp cận"), min_value=0)
    children_reached = forms.IntegerField(label=_("Trong đó trẻ em"), min_value=0, initial=0)
    materials = forms.CharField(label=_("Sản phẩm truyền thông"), max_length=400, required=False)
    materials_count = forms.IntegerField(
        label=_("Số lượng sản phẩm"), min_value=0, initial=0, required=False
    )
    budget_line = forms.ModelChoiceField(
        label=_("Dòng kinh phí"), queryset=BudgetLine.objects.none(), required=False
    )
    cost = AmountField(label=_("Kinh phí (đồng)"))
    article_id = forms.IntegerField(
        label=_("Mã bài viết trên cổng thông tin"), required=False, min_value=1
    )
    photos = MultipleFileField(
        label=_("Ảnh hoạt động (JPEG, PNG, WebP)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".jpg,.jpeg,.png,.webp"}),
    )

    def __init__(self, *args, province_code=None, communes=None, campaigns=None, lines=None, **kw):
        super().__init__(*args, **kw)
        self.fields["commune"].queryset = (
            communes if communes is not None else _communes(province_code)
        )
        self.fields["organiser"].queryset = _orgs(province_code)
        self.fields["campaign"].queryset = campaigns if campaigns is not None else Campaign.objects
        self.fields["budget_line"].queryset = lines if lines is not None else BudgetLine.objects
        self.fields["budget_line"].label_from_instance = lambda b: f"{b.year} – {b.label}"
