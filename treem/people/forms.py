"""Forms of the people pages: they parse and validate input only; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from treem.accounts.jurisdiction import Level
from treem.accounts.models import Organisation, User
from treem.geo.models import Commune, Village
from treem.people.models import (
    AwardForm,
    Council,
    Course,
    Movement,
    Nomination,
    NominationStatus,
    Person,
    PostKind,
    ServicePeriod,
    TrainingTopic,
)

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _communes_for(user):
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        return Commune.objects.filter(province_id=j.province_code)
    return Commune.objects.filter(code__in=j.commune_codes)


def _organisations_for(user):
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        return Organisation.objects.filter(province_id=j.province_code, is_active=True)
    return Organisation.objects.filter(commune_id__in=j.commune_codes, is_active=True)


class PersonForm(forms.Form):
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150)
    sex = forms.ChoiceField(
        label=_("Giới tính"), choices=[("", "—"), ("M", _("Nam")), ("F", _("Nữ"))], required=False
    )
    birth_year = forms.IntegerField(label=_("Năm sinh"), required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=PostKind.choices)
    position = forms.CharField(label=_("Chức danh, vị trí"), max_length=200)
    employment = forms.ChoiceField(
        label=_("Hình thức"),
        choices=[("", "—"), *ServicePeriod.Employment.choices],
        required=False,
    )
    is_responsible = forms.BooleanField(
        label=_("Phụ trách chính công tác trẻ em của xã"), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường"), queryset=Commune.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Cơ quan, đơn vị"), queryset=Organisation.objects.none(), required=False
    )
    villages = forms.ModelMultipleChoiceField(
        label=_("Thôn, ấp phụ trách (cộng tác viên)"),
        queryset=Village.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    started_on = forms.DateField(label=_("Từ ngày"), widget=_DATE)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = _communes_for(user)
        self.fields["commune"].queryset = communes
        self.fields["organisation"].queryset = _organisations_for(user)
        self.fields["villages"].queryset = Village.objects.filter(
            commune__in=communes
        ).select_related("commune")
        self.fields["villages"].label_from_instance = lambda v: f"{v.name} — {v.commune.name}"
        if user.jurisdiction.level == Level.COMMUNE:
            self.fields["commune"].initial = communes.first()


class PeriodForm(PersonForm):
    """A new post for a person already in the register."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("full_name", "sex", "birth_year", "phone"):
            del self.fields[name]


class PeriodEndForm(forms.Form):
    period = forms.ModelChoiceField(queryset=ServicePeriod.objects.none(), widget=forms.HiddenInput)
    ended_on = forms.DateField(label=_("Ngày thôi"), widget=_DATE)
    reason = forms.CharField(label=_("Lý do"), max_length=200, required=False)

    def __init__(self, *args, person: Person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = person.periods.filter(ended_on__isnull=True)


class CourseForm(forms.ModelForm):
    class Meta:
        model = Course
        fields = [
            "title", "topic", "organiser", "starts_on", "ends_on", "place", "hours",
            "budget_line_ref", "budget_line",
        ]  # fmt: skip
        widgets = {"starts_on": _DATE, "ends_on": _DATE}
        help_texts = {
            "budget_line": _("Nếu kinh phí không thuộc kế hoạch nào trong Treem, ghi nguồn ở đây."),
        }

    def __init__(self, *args, user, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = TrainingTopic.objects.filter(is_active=True)
        self.fields["organiser"].queryset = _organisations_for(user)
        self.fields["budget_line_ref"] = forms.TypedChoiceField(
            label=_("Dòng kinh phí của kế hoạch"),
            choices=[("", "—"), *((r.id, r.label) for r in budget_lines)],
            coerce=int,
            empty_value=None,
            required=False,
            help_text=_("Dòng kinh phí của kế hoạch năm tổ chức lớp."),
        )


class AttendanceForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Học viên"), queryset=Person.objects.none())
    certified = forms.BooleanField(label=_("Được cấp chứng nhận"), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class MovementForm(forms.ModelForm):
    class Meta:
        model = Movement
        fields = [
            "title", "launched_by", "period_start", "period_end", "criteria",
            "nomination_deadline",
        ]  # fmt: skip
        widgets = {
            "period_start": _DATE,
            "period_end": _DATE,
            "nomination_deadline": _DATE,
            "criteria": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["launched_by"].queryset = _organisations_for(user)


class NominationForm(forms.Form):
    nominating_unit = forms.ModelChoiceField(
        label=_("Đơn vị đề nghị"), queryset=Organisation.objects.none()
    )
    award_form = forms.ModelChoiceField(
        label=_("Hình thức khen thưởng"), queryset=AwardForm.objects.filter(is_active=True)
    )
    nominee_kind = forms.ChoiceField(label=_("Đối tượng"), choices=Nomination.NomineeKind.choices)
    person = forms.ModelChoiceField(
        label=_("Cá nhân (trong danh sách nhân lực)"),
        queryset=Person.objects.none(),
        required=False,
    )
    collective_name = forms.CharField(label=_("Tên tập thể"), max_length=300, required=False)
    nominee_unit = forms.CharField(
        label=_("Chức vụ, đơn vị (in trên bằng)"),
        max_length=300,
        help_text=_("Ví dụ: Công chức văn hóa - xã hội, UBND Phường Trấn Biên"),
    )
    achievement_line = forms.CharField(
        label=_("Thành tích (in trên bằng)"),
        max_length=300,
        help_text=_("Ví dụ: Đã có thành tích xuất sắc trong công tác bảo vệ, chăm sóc trẻ em"),
    )
    achievement_report = forms.CharField(
        label=_("Báo cáo thành tích"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    report_file = forms.FileField(
        label=_("Báo cáo thành tích có chữ ký, xác nhận (PDF hoặc ảnh quét)"), required=False
    )
    minutes_file = forms.FileField(
        label=_("Biên bản họp Hội đồng thi đua của đơn vị (PDF hoặc ảnh quét)"), required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominating_unit"].queryset = _organisations_for(user)
        self.fields["person"].queryset = people


class MeetingForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Hội đồng"), queryset=Council.objects.none())
    held_on = forms.DateField(label=_("Ngày họp"), widget=_DATE)
    place = forms.CharField(label=_("Địa điểm"), max_length=200, required=False)
    nominations = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ đưa ra xét"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["council"].queryset = Council.objects.filter(
            province_id=user.jurisdiction.province_code
        )
        self.fields["nominations"].queryset = nominations.filter(status=NominationStatus.SUBMITTED)
        self.fields["nominations"].label_from_instance = lambda n: (
            f"{n.nominee_name} — {n.award_form.name} ({n.nominating_unit.name})"
        )


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60)
    signed_on = forms.DateField(label=_("Ngày ký"), widget=_DATE)
    signer_name = forms.CharField(label=_("Người ký"), max_length=150)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=200)
    award_form = forms.ModelChoiceField(
        label=_("Hình thức khen thưởng"), queryset=AwardForm.objects.filter(is_active=True)
    )
    nominations = forms.ModelMultipleChoiceField(
        label=_("Danh sách được khen thưởng"),
        queryset=Nomination.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        # Every nomination of the meeting is listed, so that a rejected one ticked by mistake
        # is refused by the service with a message rather than silently missing.
        self.fields["nominations"].queryset = nominations
        self.fields["nominations"].label_from_instance = lambda n: (
            f"{n.nominee_name} — {n.get_status_display()}"
        )


class VersionedForm(forms.Form):
    """The version of the record the page showed: an edit made on a stale copy is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CouncilMemberAddForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Tài khoản"), queryset=User.objects.none())
    title = forms.CharField(
        label=_("Chức danh trong Hội đồng"),
        max_length=200,
        help_text=_("Ví dụ: Phó Chủ tịch Hội đồng; Ủy viên, Giám đốc Sở Y tế"),
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(pk__in=[u.pk for u in candidates])
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.username


class CouncilMemberChangeForm(VersionedForm):
    title = forms.CharField(label=_("Chức danh trong Hội đồng"), max_length=200)


class PersonLinkForm(VersionedForm):
    user = forms.ModelChoiceField(label=_("Tài khoản Treem"), queryset=User.objects.none())

    def __init__(self, *args, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.full_name} ({u.username})" if u.full_name else u.username
        )


class PersonUnlinkForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do gỡ liên kết"),
        max_length=300,
        help_text=_("Ví dụ: tài khoản ghi nhầm người; người này đã nghỉ việc"),
    )


class AttendanceCorrectForm(VersionedForm):
    person = forms.ModelChoiceField(label=_("Học viên"), queryset=Person.objects.none())
    certified = forms.BooleanField(label=_("Được cấp chứng nhận"), required=False)
    reason = forms.CharField(
        label=_("Lý do sửa"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: ghi nhầm học viên; chứng nhận cấp bổ sung theo danh sách ký nhận"),
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people


class CourseBudgetForm(VersionedForm):
    budget_line_ref = forms.TypedChoiceField(
        label=_("Dòng kinh phí của kế hoạch"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line_ref"].choices = [("", "—"), *((r.id, r.label) for r in lines)]


class NominationReturnForm(VersionedForm):
    reason = forms.CharField(
        label=_("Nội dung cần bổ sung"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Ví dụ: Thiếu biên bản họp Hội đồng thi đua của đơn vị có chữ ký"),
    )
    complete_by = forms.DateField(label=_("Hạn bổ sung"), widget=_DATE)


class NominationResubmitForm(VersionedForm):
    nominee_unit = forms.CharField(label=_("Chức vụ, đơn vị (in trên bằng)"), max_length=300)
    achievement_line = forms.CharField(label=_("Thành tích (in trên bằng)"), max_length=300)
    achievement_report = forms.CharField(
        label=_("Báo cáo thành tích"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    report_file = forms.FileField(
        label=_("Báo cáo thành tích có chữ ký (chỉ chọn nếu thay bản cũ)"), required=False
    )
    minutes_file = forms.FileField(
        label=_("Biên bản họp Hội đồng thi đua của đơn vị (chỉ chọn nếu thay bản cũ)"),
        required=False,
    )
    note = forms.CharField(label=_("Ghi chú gửi Hội đồng"), max_length=500, required=False)
