"""HTML forms of the registry. They collect input only: `treem.registry.cleaning.child_clean`
(through the services) decides what is valid, so the page, the API and the importer agree."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.registry.models import (
    BirthRegistration,
    CircumstanceGroup,
    CircumstanceSubgroup,
    Consent,
    ConsentScope,
    DatePrecision,
    DisabilitySeverity,
    DisabilityType,
    Ethnicity,
    Grade,
    LegalBasis,
    NutritionStatus,
    PovertyStatus,
    Relationship,
    SchoolStatus,
    Sex,
)
from treem.registry.selectors import AGE_GROUPS

# One date style on every page: dd/mm/yyyy typed as officials write it (a browser date picker
# shows the date in the browser's own locale, often mm/dd/yyyy, beside the registry's dd/mm/yyyy).
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class VnDateInput(forms.DateInput):
    def __init__(self, attrs=None):
        base = {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(attrs={**base, **(attrs or {})}, format="%d/%m/%Y")


def date_field(label, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=VnDateInput(),
        input_formats=DATE_FORMATS,
        help_text=_("ngày/tháng/năm, ví dụ 05/03/2019"),
    )


class SubgroupSelect(forms.Select):
    """Each subgroup option carries its group, so the page shows only the chosen group's."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-group"] = instance.group
        return option


_CHOOSE = _("— chọn —")


def _blank(choices, label=_CHOOSE):
    return [("", label), *list(choices)]


class ChildForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    other_names = forms.CharField(label=_("Tên gọi khác"), max_length=200, required=False)
    birth_date = forms.CharField(
        label=_("Ngày sinh"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off"}),
        help_text=_("ngày/tháng/năm; nếu không rõ ngày, nhập tháng/năm hoặc chỉ năm."),
    )
    sex = forms.ChoiceField(label=_("Giới tính"), choices=_blank(Sex.choices), required=False)
    ethnicity = forms.ChoiceField(
        label=_("Dân tộc"), choices=_blank(Ethnicity.choices), required=False
    )
    nationality = forms.CharField(label=_("Quốc tịch (người nước ngoài)"), required=False)
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=20, required=False)
    birth_registration = forms.ChoiceField(
        label=_("Đăng ký khai sinh"),
        choices=BirthRegistration.choices,
        initial=BirthRegistration.UNKNOWN,
        required=False,
    )
    commune = forms.ChoiceField(label=_("Xã, phường thường trú"), required=False)
    village = forms.ChoiceField(label=_("Thôn, ấp"), required=False)
    address = forms.CharField(label=_("Địa chỉ thường trú"), max_length=255, required=False)
    current_commune = forms.CharField(
        label=_("Mã xã, phường đang sinh sống (nếu khác)"), max_length=5, required=False
    )
    current_address = forms.CharField(
        label=_("Nơi đang sinh sống (nếu khác)"), max_length=255, required=False
    )
    school_status = forms.ChoiceField(
        label=_("Tình trạng đi học"),
        choices=SchoolStatus.choices,
        initial=SchoolStatus.UNKNOWN,
        required=False,
    )
    school_name = forms.CharField(label=_("Trường"), max_length=200, required=False)
    grade = forms.ChoiceField(label=_("Lớp"), choices=_blank(Grade.choices), required=False)
    health_insurance_number = forms.CharField(
        label=_("Số thẻ bảo hiểm y tế"), max_length=20, required=False
    )
    disability_type = forms.ChoiceField(
        label=_("Dạng khuyết tật"), choices=DisabilityType.choices, required=False
    )
    disability_severity = forms.ChoiceField(
        label=_("Mức độ khuyết tật"), choices=DisabilitySeverity.choices, required=False
    )
    nutrition_status = forms.ChoiceField(
        label=_("Tình trạng dinh dưỡng"),
        choices=NutritionStatus.choices,
        initial=NutritionStatus.UNKNOWN,
        required=False,
    )
    legal_basis = forms.ChoiceField(
        label=_("Cơ sở pháp lý xử lý dữ liệu"),
        choices=LegalBasis.choices,
        initial=LegalBasis.LEGAL_DUTY,
        required=False,
    )

    def __init__(self, *args, communes, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
        self.fields["village"].choices = _blank(
            [(v.pk, f"{v.name} ({v.commune.name})") for v in villages], _("— không rõ —")
        )


class RegisterForm(ChildForm):
    """Registration adds the household and up to three carers."""

    poverty_status = forms.ChoiceField(
        label=_("Hộ gia đình"), choices=PovertyStatus.choices, initial="unknown", required=False
    )
    mother_name = forms.CharField(label=_("Họ tên mẹ"), max_length=150, required=False)
    mother_birth_year = forms.CharField(label=_("Năm sinh của mẹ"), required=False)
    father_name = forms.CharField(label=_("Họ tên cha"), max_length=150, required=False)
    father_birth_year = forms.CharField(label=_("Năm sinh của cha"), required=False)
    carer_name = forms.CharField(
        label=_("Người chăm sóc khác (nếu có)"), max_length=150, required=False
    )
    carer_relationship = forms.ChoiceField(
        label=_("Quan hệ với trẻ"), choices=_blank(Relationship.choices), required=False
    )
    # The form in the order an official fills it, one section at a time.
    SECTIONS = [
        (
            _("Thông tin của trẻ"),
            ["full_name", "other_names", "birth_date", "sex", "ethnicity", "nationality",
             "id_number", "birth_registration", "commune", "village", "address",
             "current_commune", "current_address"],
        ),
        (
            _("Gia đình và người chăm sóc"),
            ["mother_name", "mother_birth_year", "father_name", "father_birth_year",
             "carer_name", "carer_relationship", "poverty_status"],
        ),
        (
            _("Hoàn cảnh của trẻ"),
            ["school_status", "school_name", "grade", "health_insurance_number",
             "disability_type", "disability_severity", "nutrition_status"],
        ),
        (_("Đồng ý và cơ sở pháp lý"), ["legal_basis"]),
    ]  # fmt: skip

    # Set by the duplicate step: "new" (confirmed a new child) or "linked" (+ link_to).
    decision = forms.CharField(widget=forms.HiddenInput, required=False)
    link_to = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def sections(self):
        for title, names in self.SECTIONS:
            yield title, [self[n] for n in names if n in self.fields]

    def carers(self) -> list[dict]:
        d = self.cleaned_data
        out = []
        if d.get("mother_name"):
            out.append(
                {
                    "full_name": d["mother_name"],
                    "relationship": "mother",
                    "birth_year": d.get("mother_birth_year"),
                }
            )
        if d.get("father_name"):
            out.append(
                {
                    "full_name": d["father_name"],
                    "relationship": "father",
                    "birth_year": d.get("father_birth_year"),
                }
            )
        if d.get("carer_name"):
            out.append(
                {
                    "full_name": d["carer_name"],
                    "relationship": d.get("carer_relationship") or "",
                    "is_primary_carer": True,
                }
            )
        return out


class ChildEditForm(ChildForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    birth_date_precision = forms.ChoiceField(
        label=_("Độ chính xác của ngày sinh"), choices=DatePrecision.choices, required=False
    )


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tên hoặc số định danh"), required=False)
    guardian = forms.CharField(label=_("Tên cha, mẹ, người chăm sóc"), required=False)
    commune = forms.ChoiceField(label=_("Xã, phường"), required=False)
    village = forms.TypedChoiceField(
        label=_("Thôn, ấp"), required=False, coerce=int, empty_value=None
    )
    age_group = forms.ChoiceField(
        label=_("Nhóm tuổi"),
        choices=_blank([(k, k.replace("-", "–")) for k in AGE_GROUPS], _("— tất cả —")),
        required=False,
    )
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=_blank(Sex.choices, _("— tất cả —")), required=False
    )
    circumstance = forms.ChoiceField(
        label=_("Hoàn cảnh đặc biệt"),
        choices=_blank(CircumstanceGroup.choices, _("— tất cả —")),
        required=False,
    )
    school_status = forms.ChoiceField(
        label=_("Đi học"),
        choices=_blank(SchoolStatus.choices, _("— tất cả —")),
        required=False,
    )

    def __init__(self, *args, communes, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = _blank(
            [(c.code, c.name) for c in communes], _("— tất cả —")
        )
        self.fields["village"].choices = _blank([(v.pk, v.name) for v in villages], _("— tất cả —"))


class CircumstanceForm(forms.Form):
    # No group chosen in advance: the official picks one deliberately.
    group = forms.ChoiceField(
        label=_("Nhóm"), choices=_blank(CircumstanceGroup.choices, _("— chọn nhóm —"))
    )
    subgroup = forms.ModelChoiceField(
        label=_("Nhóm nhỏ (Nghị định 56/2017)"),
        queryset=CircumstanceSubgroup.objects.filter(is_active=True),
        required=False,
        widget=SubgroupSelect(attrs={"data-subgroups-of": "group"}),
        empty_label=_("— không có nhóm nhỏ —"),
    )
    start_date = date_field(_("Từ ngày"))
    end_date = date_field(_("Đến ngày"), required=False)
    evidence = forms.CharField(
        label=_("Căn cứ, giấy tờ chứng minh"), widget=forms.Textarea(attrs={"rows": 2})
    )
    confirmed_by = forms.CharField(label=_("Người, cơ quan xác nhận"), max_length=200)


class CircumstanceEndForm(forms.Form):
    end_date = date_field(_("Ngày kết thúc"))
    reason = forms.CharField(label=_("Lý do"), max_length=255)


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(label=_("Người đồng ý"), choices=Consent.GivenBy.choices)
    given_by_name = forms.CharField(label=_("Họ tên người đồng ý"), max_length=150)
    scope = forms.ChoiceField(label=_("Phạm vi"), choices=ConsentScope.choices)
    given_on = date_field(_("Ngày đồng ý"))
    document = forms.CharField(label=_("Văn bản, hình thức"), max_length=200, required=False)


class ConsentWithdrawForm(forms.Form):
    withdrawn_on = date_field(_("Ngày rút lại"))
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class LegalBasisForm(forms.Form):
    legal_basis = forms.ChoiceField(label=_("Cơ sở pháp lý"), choices=LegalBasis.choices)
    reason = forms.CharField(label=_("Căn cứ"), max_length=255)


class MergeForm(forms.Form):
    # Chosen from the search results (a radio button), never typed.
    survivor = forms.IntegerField(label=_("Hồ sơ được giữ lại"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Lý do"), max_length=255, required=False)


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp Excel (.xlsx) hoặc CSV"))
    commune = forms.ChoiceField(label=_("Xã, phường của danh sách"))

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].choices = [(c.code, c.name) for c in communes]
