"""Protection cases as Decree 56/2017/NĐ-CP, Art. 25–32 sets them: a report (Form 01) opens a case
that moves through initial assessment (Form 02), detailed assessment with a case meeting (Form 03),
a support/intervention plan (Form 04) approved by the commune chairman (Form 05), implementation by
referrals and visits, and review (Form 06) until it is closed.

Time limits and public holidays are data (`DeadlineSetting`, `PublicHoliday`): the decree's 12
hours and 5 working days (Art. 28(1)) are the defaults loaded by a data migration, and a commune may
set a shorter internal limit with an effective date. The chairman's 2 working days (Art. 28(4)) and
the 15 days of a temporary separation (Art. 32(3), Form 07) are law, kept in `deadlines`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation
from treem.geo.models import Commune, Village


class AbuseType(models.TextChoices):
    PHYSICAL = "physical", _("Bạo lực thể chất")
    SEXUAL = "sexual", _("Xâm hại tình dục")
    EMOTIONAL = "emotional", _("Bạo lực tinh thần")
    NEGLECT = "neglect", _("Bỏ mặc, sao nhãng")
    LABOUR = "labour", _("Bóc lột sức lao động")
    TRAFFICKING = "trafficking", _("Mua bán trẻ em")
    ABANDONMENT = "abandonment", _("Bỏ rơi")
    OTHER = "other", _("Khác")


class Channel(models.TextChoices):
    HOTLINE = "hotline_111", _("Tổng đài 111")
    PORTAL = "portal", _("Cổng thông tin")
    WALK_IN = "walk_in", _("Trực tiếp tại UBND xã")
    PHONE = "phone", _("Điện thoại")
    SCHOOL = "school", _("Nhà trường")
    POLICE = "police", _("Công an")
    HEALTH = "health_facility", _("Cơ sở y tế")
    COLLABORATOR = "village_collaborator", _("Cộng tác viên thôn, ấp")


class PublicHoliday(models.Model):
    """One day of the calendar that differs from "Monday to Friday work, weekend off": a public
    holiday (Labour Code 2019, Art. 112), its compensatory day (Art. 111(3) and 112(3)), a day off
    the Government swapped, or a make-up working Saturday of such a swap.

    Rows are loaded from the `holidays` package (`manage.py load_holidays`) with their source, and
    officials may add, remove or confirm a day. An official's decision is final: a later refresh
    never overwrites it, and a day an official removed stays as a row marked removed so that the
    refresh does not bring it back. Only confirmed rows count in the working-day clock.
    """

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Đã xác nhận")
        UNCONFIRMED = "unconfirmed", _("Chưa xác nhận (chưa có văn bản)")
        REMOVED = "removed", _("Đã bỏ")

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày lễ"), max_length=120)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    source = models.CharField(_("nguồn"), max_length=120, blank=True)
    # Set when an official added, removed or confirmed the day: the package's refresh leaves the
    # row alone from then on.
    by_official = models.BooleanField(_("do cán bộ quyết định"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người sửa"),
    )
    changed_at = models.DateTimeField(_("thời điểm sửa"), null=True, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ lễ")
        verbose_name_plural = _("ngày nghỉ lễ")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.name}"

    @property
    def counts(self) -> bool:
        return self.status == self.Status.CONFIRMED


class DeadlineSetting(models.Model):
    """One time limit, from a date on, for the whole province (commune empty) or one commune."""

    class Key(models.TextChoices):
        EMERGENCY_HOURS = "emergency_hours", _("Giờ để áp dụng biện pháp khẩn cấp")
        INITIAL_ASSESSMENT_HOURS = "initial_assessment_hours", _("Giờ để đánh giá ban đầu")
        ASSESSMENT_WORKING_DAYS = (
            "assessment_working_days",
            _("Ngày làm việc để đánh giá chi tiết"),
        )
        PLAN_WORKING_DAYS = "plan_working_days", _("Ngày làm việc để lập kế hoạch")
        REVIEW_DAYS = "review_days", _("Ngày từ phê duyệt đến rà soát")
        DUE_SOON_HOURS = "due_soon_hours", _("Giờ báo trước hạn")
        ESCALATION_HOURS = "escalation_hours", _("Giờ quá hạn trước khi báo cấp trên")

    key = models.CharField(_("thông số"), max_length=40, choices=Key.choices)
    value = models.PositiveIntegerField(_("giá trị"))
    effective_from = models.DateField(_("áp dụng từ ngày"))
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường (để trống: cả tỉnh)"),
    )
    note = models.CharField(_("căn cứ"), max_length=200, blank=True)

    class Meta:
        ordering = ["key", "commune_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "commune", "effective_from"],
                name="protection_deadline_unique_commune",
            ),
            models.UniqueConstraint(
                fields=["key", "effective_from"],
                condition=Q(commune__isnull=True),
                name="protection_deadline_unique_province",
            ),
        ]
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")

    def __str__(self) -> str:
        return f"{self.key}={self.value} ({self.effective_from})"


class Report(models.Model):
    """Form 01: a report received from any channel. The reporter may stay anonymous; a named
    reporter's identity is shown only to the people handling the case."""

    channel = models.CharField(_("kênh tiếp nhận"), max_length=30, choices=Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tiếp nhận"),
    )
    is_anonymous = models.BooleanField(_("người báo tin giấu tên"), default=False)
    reporter_name = models.CharField(_("họ tên người báo tin"), max_length=150, blank=True)
    reporter_phone = models.CharField(_("điện thoại người báo tin"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("thư điện tử người báo tin"), blank=True)
    reporter_relation = models.CharField(_("quan hệ với trẻ"), max_length=100, blank=True)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, ấp"),
    )
    happened_on = models.DateField(_("ngày xảy ra"), null=True, blank=True)
    what_happened = models.TextField(_("nội dung sự việc"))
    abuse_types = models.JSONField(_("hình thức xâm hại"), default=list)
    suspected_person = models.CharField(_("người bị nghi gây hại"), max_length=300, blank=True)
    # What the reporter said about the child (name, age, sex, school) as they said it; kept even
    # after the child is linked to the registry, as the record of what was reported.
    child_description = models.TextField(_("thông tin về trẻ"), blank=True)
    # Flagged by the portal's abuse protections: still routed to a person, marked for review.
    is_held = models.BooleanField(_("cần xem xét (nghi spam)"), default=False)
    # The portal's Concern, by id only, so neither app's migrations depend on the other.
    source_concern_id = models.PositiveBigIntegerField(null=True, blank=True, unique=True)
    external_ref = models.CharField(_("mã của hệ thống gửi"), max_length=64, blank=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("tin báo")
        verbose_name_plural = _("tin báo")

    def __str__(self) -> str:
        return _("Tin báo #%(pk)s") % {"pk": self.pk}

    def get_abuse_types_display(self) -> list[str]:
        labels = dict(AbuseType.choices)
        return [str(labels.get(code, code)) for code in self.abuse_types]


class Case(models.Model):
    class Status(models.TextChoices):
        RECEIVED = "received", _("Chờ đánh giá ban đầu")
        ASSESSMENT = "assessment", _("Đánh giá chi tiết")
        PLANNING = "planning", _("Lập kế hoạch")
        APPROVAL = "approval", _("Chờ phê duyệt")
        IMPLEMENTATION = "implementation", _("Thực hiện kế hoạch")
        CLOSED = "closed", _("Đã đóng")

    report = models.OneToOneField(
        Report, on_delete=models.PROTECT, related_name="case", verbose_name=_("tin báo")
    )
    # The registered child; empty until the commune links the report to the registry (a report is
    # never refused because the child is unknown).
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protection_cases",
        verbose_name=_("trẻ em"),
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, ấp"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người phụ trách"),
    )
    opened_at = models.DateTimeField(_("ngày mở"))
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    close_reason = models.TextField(_("lý do đóng"), blank=True)
    # Set at the initial assessment when the child is in danger: the emergency clock runs from the
    # report's receipt (Decree 56/2017, Art. 31–32) until a measure is recorded.
    is_emergency = models.BooleanField(_("khẩn cấp"), default=False)
    emergency_due_at = models.DateTimeField(_("hạn biện pháp khẩn cấp"), null=True, blank=True)
    emergency_met_at = models.DateTimeField(_("đã áp dụng biện pháp khẩn cấp lúc"), null=True)
    # When the current step began: the clock of the step runs from here, so a change of the
    # calendar or of a time limit recomputes the due time from the same start.
    step_started_at = models.DateTimeField(_("bắt đầu bước hiện tại"), null=True, blank=True)
    # Due time of the current step, and the earlier of it and an unmet emergency deadline: the
    # boards read `due_at` alone, so "overdue" is one indexed range scan.
    step_due_at = models.DateTimeField(_("hạn bước hiện tại"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn gần nhất"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("đã báo cấp trên lúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["commune", "status"], name="protection_case_commune_status"),
            models.Index(fields=["commune", "due_at"], name="protection_case_commune_due"),
            models.Index(fields=["due_at"], name="protection_case_due"),
            models.Index(fields=["assigned_to", "due_at"], name="protection_case_worker_due"),
        ]
        verbose_name = _("ca bảo vệ")
        verbose_name_plural = _("ca bảo vệ")

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        year = self.opened_at.year if self.opened_at else 0
        return f"BV-{year}-{self.pk or 0:06d}"

    @property
    def is_open(self) -> bool:
        return self.status != self.Status.CLOSED


class CaseEvent(models.Model):
    """One row of a case's history: who did what, when. The timeline reads these and the audit
    log's views; the table is only ever appended to."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Tiếp nhận tin báo")
        ASSIGNED = "assigned", _("Phân công người phụ trách")
        CHILD_LINKED = "child_linked", _("Gắn hồ sơ trẻ em")
        INITIAL_ASSESSED = "initial_assessed", _("Đánh giá ban đầu")
        ASSESSMENT_EDITED = "assessment_edited", _("Sửa đánh giá")
        EMERGENCY_MEASURE = "emergency_measure", _("Áp dụng biện pháp khẩn cấp")
        DETAILED_ASSESSED = "detailed_assessed", _("Đánh giá chi tiết, họp ca")
        PLAN_SUBMITTED = "plan_submitted", _("Trình kế hoạch")
        PLAN_APPROVED = "plan_approved", _("Phê duyệt kế hoạch")
        PLAN_REFUSED = "plan_refused", _("Không phê duyệt kế hoạch")
        REFERRAL_SENT = "referral_sent", _("Chuyển gửi")
        REFERRAL_ACCEPTED = "referral_accepted", _("Đơn vị nhận chuyển gửi")
        REFERRAL_DECLINED = "referral_declined", _("Đơn vị từ chối chuyển gửi")
        REFERRAL_SERVICE = "referral_service", _("Ghi nhận dịch vụ đã cung cấp")
        REFERRAL_CLOSED = "referral_closed", _("Đơn vị kết thúc phần việc")
        VISIT = "visit", _("Thăm theo dõi")
        NOTE = "note", _("Ghi chú")
        DOCUMENT = "document", _("Tài liệu đính kèm")
        REVIEWED = "reviewed", _("Rà soát")
        CLOSED = "closed", _("Đóng ca")
        REOPENED = "reopened", _("Mở lại ca")
        TRANSFERRED = "transferred", _("Chuyển xã")
        ESCALATED = "escalated", _("Báo cấp trên do quá hạn")
        DUE_RECOMPUTED = "due_recomputed", _("Tính lại hạn")
        SEPARATION_DECIDED = "separation_decided", _("Quyết định tạm thời cách ly trẻ")
        SEPARATION_EXTENDED = "separation_extended", _("Gia hạn tạm thời cách ly")
        SEPARATION_ENDED = "separation_ended", _("Chấm dứt tạm thời cách ly")
        SERVICE_DONE = "service_done", _("Hoàn thành dịch vụ trong kế hoạch")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("thời điểm"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20, blank=True)
    # Codes, ids and dates only; free text stays on the step's own record.
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("sự kiện của ca")
        verbose_name_plural = _("sự kiện của ca")

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class InitialAssessment(models.Model):
    """Form 02: is the child in danger?"""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="initial_assessment")
    assessed_at = models.DateTimeField(_("thời điểm đánh giá"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    in_danger = models.BooleanField(_("trẻ đang gặp nguy hiểm"))
    findings = models.TextField(_("nhận định ban đầu"))
    immediate_needs = models.TextField(_("nhu cầu cần đáp ứng ngay"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("đánh giá ban đầu")
        verbose_name_plural = _("đánh giá ban đầu")

    def __str__(self) -> str:
        return str(_("Đánh giá ban đầu"))


class EmergencyMeasure(models.Model):
    class Kind(models.TextChoices):
        EMERGENCY_PROTECTION = "emergency_protection", _("Bảo vệ khẩn cấp")
        TEMPORARY_SEPARATION = "temporary_separation", _("Tạm thời cách ly khỏi người gây hại")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_measures")
    kind = models.CharField(_("biện pháp"), max_length=30, choices=Kind.choices)
    applied_at = models.DateTimeField(_("thời điểm áp dụng"))
    description = models.TextField(_("mô tả"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["applied_at"]
        verbose_name = _("biện pháp khẩn cấp")
        verbose_name_plural = _("biện pháp khẩn cấp")

    def __str__(self) -> str:
        return self.get_kind_display()


class DetailedAssessment(models.Model):
    """Form 03: the child's and family's needs, agreed at a case meeting."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="detailed_assessment")
    assessed_at = models.DateTimeField(_("thời điểm đánh giá"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    child_needs = models.TextField(_("nhu cầu của trẻ"))
    family_situation = models.TextField(_("hoàn cảnh gia đình"))
    risks = models.TextField(_("nguy cơ"), blank=True)
    strengths = models.TextField(_("điểm mạnh, nguồn lực"), blank=True)
    meeting_at = models.DateTimeField(_("thời điểm họp"))
    meeting_place = models.CharField(_("địa điểm họp"), max_length=200)
    # [{"name": "...", "role": "..."}] in the order they signed.
    participants = models.JSONField(_("thành phần tham dự"), default=list)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("đánh giá chi tiết")
        verbose_name_plural = _("đánh giá chi tiết")

    def __str__(self) -> str:
        return str(_("Đánh giá chi tiết"))


class FormRevision(models.Model):
    """A version of Form 02, 03 or 06 as it stood before it was changed or replaced (an edit, a
    new assessment after reopening). Nothing is deleted: the timeline lists every version and the
    PDF prints it as it was. Plans (Forms 04–05) and reviews are kept as rows of their own."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="form_revisions")
    form = models.CharField(_("biểu mẫu"), max_length=2)
    # The form's fields by name, as they were (dates as ISO strings, people by id).
    data = models.JSONField(default=dict)
    valid_from = models.DateTimeField(_("có hiệu lực từ"))
    replaced_at = models.DateTimeField(_("thay thế lúc"))
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["case_id", "form", "replaced_at", "id"]
        verbose_name = _("phiên bản biểu mẫu")
        verbose_name_plural = _("phiên bản biểu mẫu")

    def __str__(self) -> str:
        return f"{self.case_id} {self.form} {self.replaced_at:%Y-%m-%d}"


class SeparationDecision(models.Model):
    """Form 07: the commune chairman's decision to separate the child temporarily from the parent
    or carer (Decree 56/2017, Art. 32(2)), for at most 15 days unless extended (Art. 32(3))."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="separations")
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decided_at = models.DateTimeField(_("thời điểm quyết định"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("bắt đầu cách ly"))
    ends_at = models.DateTimeField(_("hết hạn cách ly"))
    separated_from = models.CharField(_("cách ly khỏi"), max_length=200)
    placement = models.CharField(_("nơi chăm sóc tạm thời"), max_length=300)
    reason = models.TextField(_("lý do"))
    extension_reason = models.TextField(_("lý do gia hạn"), blank=True)
    ended_at = models.DateTimeField(_("thời điểm chấm dứt"), null=True, blank=True)
    end_note = models.TextField(_("ghi chú khi chấm dứt"), blank=True)

    class Meta:
        ordering = ["decided_at", "id"]
        verbose_name = _("quyết định tạm thời cách ly")
        verbose_name_plural = _("quyết định tạm thời cách ly")

    def __str__(self) -> str:
        return self.decision_number

    @property
    def is_active(self) -> bool:
        return self.ended_at is None


class Plan(models.Model):
    """Form 04, and its decision (Form 05) once the commune chairman approves it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã phê duyệt")
        REFUSED = "refused", _("Không phê duyệt")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    number = models.PositiveSmallIntegerField(_("lần lập"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SUBMITTED
    )
    goals = models.TextField(_("mục tiêu"))
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drafted_at = models.DateTimeField(_("thời điểm lập"))
    submitted_at = models.DateTimeField(_("thời điểm trình"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định"),
    )
    decided_at = models.DateTimeField(_("thời điểm quyết định"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    refusal_reason = models.TextField(_("lý do không phê duyệt"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["case_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="protection_plan_unique_number")
        ]
        verbose_name = _("kế hoạch hỗ trợ, can thiệp")
        verbose_name_plural = _("kế hoạch hỗ trợ, can thiệp")

    def __str__(self) -> str:
        return _("Kế hoạch lần %(n)s") % {"n": self.number}


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Chăm sóc y tế")
    PSYCHOLOGICAL = "psychological", _("Hỗ trợ tâm lý")
    SAFE_PLACE = "safe_place", _("Nơi ở an toàn")
    SUBSTITUTE_CARE = "substitute_care", _("Chăm sóc thay thế")
    LEGAL_AID = "legal_aid", _("Trợ giúp pháp lý")
    EDUCATION = "education", _("Hỗ trợ giáo dục")
    SOCIAL_ASSISTANCE = "social_assistance", _("Trợ giúp xã hội")
    OTHER = "other", _("Khác")


class PlanService(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="services")
    kind = models.CharField(_("dịch vụ"), max_length=30, choices=ServiceKind.choices)
    description = models.TextField(_("nội dung"))
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan, tổ chức thực hiện"),
    )
    due_on = models.DateField(_("hạn hoàn thành"))
    done_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người xác nhận hoàn thành"),
    )
    done_note = models.TextField(_("kết quả"), blank=True)

    class Meta:
        ordering = ["plan_id", "due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_user__isnull=False) | Q(organisation__isnull=False),
                name="protection_service_has_responsible",
            )
        ]
        verbose_name = _("dịch vụ trong kế hoạch")
        verbose_name_plural = _("dịch vụ trong kế hoạch")

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def responsible_label(self) -> str:
        return str(self.organisation or self.responsible_user or "")


class Referral(models.Model):
    """A service asked of a partner agency. The agency sees this record and nothing else of the
    case."""

    class Status(models.TextChoices):
        SENT = "sent", _("Đã chuyển gửi")
        ACCEPTED = "accepted", _("Đã nhận")
        DECLINED = "declined", _("Từ chối")
        CLOSED = "closed", _("Đã kết thúc")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    service = models.ForeignKey(
        PlanService, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhận")
    )
    kind = models.CharField(_("dịch vụ"), max_length=30, choices=ServiceKind.choices)
    request = models.TextField(_("nội dung đề nghị"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.SENT
    )
    sent_at = models.DateTimeField(_("thời điểm chuyển"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(_("thời điểm trả lời"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decline_reason = models.TextField(_("lý do từ chối"), blank=True)
    service_given = models.TextField(_("dịch vụ đã cung cấp"), blank=True)
    closed_at = models.DateTimeField(_("thời điểm kết thúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="protection_referral_org")]
        verbose_name = _("chuyển gửi")
        verbose_name_plural = _("chuyển gửi")

    def __str__(self) -> str:
        return _("Chuyển gửi #%(pk)s") % {"pk": self.pk}


class FollowUpVisit(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visits")
    visited_on = models.DateField(_("ngày thăm"))
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(_("ghi chép"))

    class Meta:
        ordering = ["visited_on", "id"]
        verbose_name = _("thăm theo dõi")
        verbose_name_plural = _("thăm theo dõi")

    def __str__(self) -> str:
        return f"{self.visited_on}"


class Review(models.Model):
    """Form 06: the plan's results, and the decision to close or to plan again."""

    class Outcome(models.TextChoices):
        CLOSE = "close", _("Đóng ca: trẻ đã an toàn, ổn định")
        REPLAN = "replan", _("Lập lại kế hoạch")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    reviewed_at = models.DateTimeField(_("thời điểm rà soát"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    results = models.TextField(_("kết quả thực hiện kế hoạch"))
    child_situation = models.TextField(_("tình trạng hiện tại của trẻ"))
    outcome = models.CharField(_("kết luận"), max_length=10, choices=Outcome.choices)
    reason = models.TextField(_("lý do"))

    class Meta:
        ordering = ["reviewed_at", "id"]
        verbose_name = _("rà soát, đánh giá")
        verbose_name_plural = _("rà soát, đánh giá")

    def __str__(self) -> str:
        return f"{self.reviewed_at:%Y-%m-%d}"


class CaseNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("thời điểm"))
    text = models.TextField(_("nội dung"))
    # A restricted note is read only by its author, the assigned worker, the commune chairman and
    # the province: not by the commune's other workers.
    is_restricted = models.BooleanField(_("hạn chế người xem"), default=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ghi chú")
        verbose_name_plural = _("ghi chú")

    def __str__(self) -> str:
        return f"{self.case_id} {self.created_at:%Y-%m-%d}"


class Transfer(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transfers")
    from_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    to_commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("thời điểm"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("lý do"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("chuyển xã")
        verbose_name_plural = _("chuyển xã")

    def __str__(self) -> str:
        return f"{self.from_commune_id} -> {self.to_commune_id}"


def _attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is random: the original name (which may carry a child's name) is kept only
    # in the database.
    import secrets

    return f"protection/{instance.case_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=60)
    size = models.PositiveIntegerField(_("dung lượng"))
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("mô tả"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("tài liệu đính kèm")
        verbose_name_plural = _("tài liệu đính kèm")

    def __str__(self) -> str:
        return self.original_name


class Notification(models.Model):
    """An in-app alert. (user, case, kind, due_at) is unique so the alert task can run every few
    minutes without repeating itself."""

    class Kind(models.TextChoices):
        NEW_REPORT = "new_report", _("Tin báo mới")
        DUE_SOON = "due_soon", _("Sắp đến hạn")
        OVERDUE = "overdue", _("Quá hạn")
        ESCALATED = "escalated", _("Quá hạn, báo cấp trên")
        REFERRAL = "referral", _("Chuyển gửi mới")
        PLAN_DECISION = "plan_decision", _("Kế hoạch chờ Chủ tịch quyết định")
        SEPARATION_ENDING = "separation_ending", _("Tạm thời cách ly sắp hết hạn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_notifications"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "case", "kind", "due_at"], name="protection_notification_once"
            )
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="protection_notif_unread")]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.case_id}"
