"""People who work on children's affairs, their training, and emulation and commendation.

- The workforce register (`Person`, `ServicePeriod`): commune officials, village collaborators,
  provincial specialists and partner focal points. A person may be linked to a Treem account; most
  collaborators are records of their own. Each post held is a period with a start and an end that
  is never overwritten, so turnover can be counted for any year.
- Training (`TrainingTopic`, `Course`, `Attendance`): topics are data, each saying which kinds of
  post need it.
- Emulation and commendation (Law on Emulation and Commendation 06/2022/QH15; Decree 98/2023/NĐ-CP):
  movements, nominations by a unit, the provincial council's vote, and the chairman's decision.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation
from treem.geo.models import Commune, Province, Village


class PostKind(models.TextChoices):
    COMMUNE_OFFICIAL = "commune_official", _("Công chức, người làm công tác trẻ em cấp xã")
    VILLAGE_COLLABORATOR = "village_collaborator", _("Cộng tác viên thôn, ấp")
    PROVINCE_SPECIALIST = "province_specialist", _("Chuyên viên cấp tỉnh")
    PARTNER_FOCAL_POINT = "partner_focal_point", _("Đầu mối cơ quan phối hợp")


class Person(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True, editable=False)
    # Vietnamese order, given name first (treem.lib.text.vi_sort_key).
    sort_key = models.CharField(max_length=600, db_index=True, editable=False)
    sex = models.CharField(
        _("giới tính"),
        max_length=1,
        choices=[("M", _("Nam")), ("F", _("Nữ"))],
        blank=True,
    )
    birth_year = models.PositiveSmallIntegerField(
        _("năm sinh"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1930), MaxValueValidator(2015)],
    )
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    # The commune whose staff the person belongs to; empty for provincial and partner staff.
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("xã, phường"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("cơ quan, đơn vị"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("tài khoản Treem"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["sort_key", "id"]
        indexes = [models.Index(fields=["commune", "sort_key"], name="people_person_commune_sort")]
        verbose_name = _("người làm công tác trẻ em")
        verbose_name_plural = _("người làm công tác trẻ em")

    def __str__(self) -> str:
        return self.full_name


class ServicePeriod(models.Model):
    """One post held by a person from a date to a date. A change of post ends this period and
    starts another; a period is never rewritten, so turnover can be counted later."""

    class Employment(models.TextChoices):
        FULL_TIME = "full_time", _("Chuyên trách")
        PART_TIME = "part_time", _("Kiêm nhiệm")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="periods", verbose_name=_("người")
    )
    kind = models.CharField(_("loại"), max_length=30, choices=PostKind.choices)
    position = models.CharField(_("chức danh, vị trí"), max_length=200)
    employment = models.CharField(
        _("hình thức"), max_length=20, choices=Employment.choices, blank=True
    )
    # The official who answers for children's affairs in the commune.
    is_responsible = models.BooleanField(_("phụ trách chính công tác trẻ em"), default=False)
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan, đơn vị"),
    )
    villages = models.ManyToManyField(
        Village, blank=True, related_name="people_periods", verbose_name=_("thôn, ấp phụ trách")
    )
    started_on = models.DateField(_("từ ngày"))
    ended_on = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="people_period_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["commune", "kind", "ended_on"], name="people_period_cov")]
        verbose_name = _("thời gian công tác")
        verbose_name_plural = _("thời gian công tác")

    def __str__(self) -> str:
        return f"{self.person} — {self.position}"


class TrainingTopic(models.Model):
    """A training subject; `required_for` lists the kinds of post that must hold a certificate."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chủ đề"), max_length=200)
    required_for = models.JSONField(_("bắt buộc với"), default=list, blank=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("chủ đề tập huấn")
        verbose_name_plural = _("chủ đề tập huấn")

    def __str__(self) -> str:
        return self.name


class Course(models.Model):
    title = models.CharField(_("tên lớp"), max_length=300)
    topic = models.ForeignKey(
        TrainingTopic, on_delete=models.PROTECT, related_name="courses", verbose_name=_("chủ đề")
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị tổ chức"),
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    place = models.CharField(_("địa điểm"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("số giờ"), validators=[MinValueValidator(1)])
    # Free text, as first recorded (e.g. "KH 144, mục 3.2"). Kept for old rows and for a source
    # that is not in Treem; a course linked to a plan's budget line has `budget_line_ref` too.
    budget_line = models.CharField(_("nguồn kinh phí (ghi chú)"), max_length=200, blank=True)
    # The id of a budget line offered by a source registered in treem.core.budget_lines (the
    # programmes app): people and programmes are sibling apps and may not import each other, so
    # this is an id read through the hook, not a foreign key.
    budget_line_ref = models.PositiveIntegerField(
        _("dòng kinh phí của kế hoạch"), null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="people_course_dates"
            )
        ]
        verbose_name = _("lớp tập huấn")
        verbose_name_plural = _("lớp tập huấn")

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="attendances")
    certified = models.BooleanField(_("được cấp chứng nhận"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["course", "person"], name="people_attendance_once")
        ]
        indexes = [models.Index(fields=["person", "certified"], name="people_att_person")]
        verbose_name = _("học viên")
        verbose_name_plural = _("học viên")

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.course_id}"


class AttendanceCorrection(models.Model):
    """One correction of an attendance record: what it was, what it became, why, who and when.
    The attendance row holds the current value; these rows are its history, never edited."""

    attendance = models.ForeignKey(Attendance, on_delete=models.PROTECT, related_name="corrections")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_before = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    person_after = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    certified_before = models.BooleanField()
    certified_after = models.BooleanField()
    reason = models.TextField(_("lý do sửa"))

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("lần sửa danh sách học viên")
        verbose_name_plural = _("lần sửa danh sách học viên")

    def __str__(self) -> str:
        return f"{self.attendance_id} @ {self.at:%Y-%m-%d}"


# ---- Emulation and commendation


class AwardForm(models.Model):
    """A form of award (Law 06/2022/QH15, Art. 6–7 and 71–75), as data."""

    class Level(models.TextChoices):
        STATE = "state", _("Nhà nước")
        MINISTRY = "ministry", _("Bộ, ngành trung ương")
        PROVINCE = "province", _("Tỉnh")
        COMMUNE = "commune", _("Xã, phường")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("hình thức khen thưởng"), max_length=200)
    level = models.CharField(_("cấp khen thưởng"), max_length=20, choices=Level.choices)
    # The wording printed on the certificate ("BẰNG KHEN").
    certificate_title = models.CharField(_("tiêu đề in trên bằng"), max_length=100)
    # The authority printed at the head of the certificate and above the signature.
    issuer_title = models.CharField(_("người ký"), max_length=200)
    for_individuals = models.BooleanField(_("cho cá nhân"), default=True)
    for_collectives = models.BooleanField(_("cho tập thể"), default=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")

    def __str__(self) -> str:
        return self.name


class VotingRule(models.Model):
    """How a council vote is counted, from a date on: a nominee passes when the share of members in
    favour is AT LEAST `threshold` (0.5 means half or more of all members of the council)."""

    name = models.CharField(_("tên quy định"), max_length=200)
    threshold = models.DecimalField(
        _("tỷ lệ phiếu đồng ý tối thiểu"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    effective_from = models.DateField(_("áp dụng từ ngày"))
    source = models.CharField(_("căn cứ"), max_length=300, blank=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("quy định biểu quyết")
        verbose_name_plural = _("quy định biểu quyết")

    def __str__(self) -> str:
        return self.name


class Movement(models.Model):
    """A movement (phong trào thi đua) with its period and criteria."""

    title = models.CharField(_("tên phong trào"), max_length=300)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    launched_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị phát động")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    criteria = models.TextField(_("tiêu chí"))
    nomination_deadline = models.DateField(_("hạn gửi hồ sơ đề nghị"))
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="people_movement_dates"
            )
        ]
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")

    def __str__(self) -> str:
        return self.title


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi, chờ Hội đồng xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    IN_REVIEW = "in_review", _("Đang được Hội đồng xét")
    PASSED = "passed", _("Hội đồng đề nghị khen thưởng")
    REJECTED = "rejected", _("Hội đồng không đề nghị")
    AWARDED = "awarded", _("Đã có quyết định khen thưởng")
    WITHDRAWN = "withdrawn", _("Đơn vị đã rút hồ sơ")


class Council(models.Model):
    """The provincial emulation and commendation council."""

    name = models.CharField(_("tên hội đồng"), max_length=200)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("hội đồng thi đua, khen thưởng")
        verbose_name_plural = _("hội đồng thi đua, khen thưởng")

    def __str__(self) -> str:
        return self.name


class CouncilMember(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="council_seats",
        verbose_name=_("thành viên"),
    )
    title = models.CharField(_("chức danh trong hội đồng"), max_length=200)
    # A member who leaves the council keeps the row (their past votes point to it); only active
    # members vote and are counted in a new meeting's membership.
    is_active = models.BooleanField(_("đang là thành viên"), default=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-is_active", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="people_member_once")
        ]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")

    def __str__(self) -> str:
        return f"{self.user} — {self.title}"


class CouncilMeeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang bỏ phiếu")
        CLOSED = "closed", _("Đã kết thúc bỏ phiếu")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    # The rule in force on the meeting day, fixed when the meeting is opened.
    rule = models.ForeignKey(VotingRule, on_delete=models.PROTECT, related_name="+")
    members_count = models.PositiveSmallIntegerField(_("số thành viên hội đồng"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("phiên họp hội đồng")
        verbose_name_plural = _("phiên họp hội đồng")

    def __str__(self) -> str:
        return f"{self.council} {self.held_on:%d/%m/%Y}"


class Decision(models.Model):
    """The chairman's decision awarding the list the council forwarded."""

    number = models.CharField(_("số, ký hiệu"), max_length=60)
    signed_on = models.DateField(_("ngày ký"))
    signer_name = models.CharField(_("người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200)
    award_form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("hình thức")
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="people_decision_number")
        ]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")

    def __str__(self) -> str:
        return self.number


class Nomination(models.Model):
    class NomineeKind(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")

    movement = models.ForeignKey(
        Movement, on_delete=models.PROTECT, related_name="nominations", verbose_name=_("phong trào")
    )
    nominating_unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị đề nghị"),
    )
    # Copied from the nominating unit, for jurisdiction: a commune sees its own nominations.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    award_form = models.ForeignKey(
        AwardForm, on_delete=models.PROTECT, related_name="+", verbose_name=_("hình thức")
    )
    # The year the award is for: "the same award and period" (Decree 98/2023: a nominee is proposed
    # once per form of award for one period of achievements).
    award_year = models.PositiveSmallIntegerField(_("năm khen thưởng"))
    nominee_kind = models.CharField(_("đối tượng"), max_length=12, choices=NomineeKind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
        verbose_name=_("cá nhân"),
    )
    collective_name = models.CharField(_("tên tập thể"), max_length=300, blank=True)
    # "p:<person id>" or "c:<folded collective name>": the identity a duplicate is caught on.
    nominee_key = models.CharField(max_length=320, editable=False)
    nominee_sort_key = models.CharField(max_length=600, editable=False)
    # The unit printed on the certificate under the name ("Công chức UBND Phường Trấn Biên").
    nominee_unit = models.CharField(_("chức vụ, đơn vị"), max_length=300)
    achievement_line = models.CharField(_("thành tích ghi trên bằng"), max_length=300)
    achievement_report = models.TextField(_("báo cáo thành tích"))
    report_file = models.FileField(
        _("báo cáo thành tích có chữ ký"), upload_to="people/nominations/%Y/"
    )
    minutes_file = models.FileField(
        _("biên bản họp hội đồng thi đua của đơn vị"), upload_to="people/minutes/%Y/"
    )
    status = models.CharField(
        max_length=12, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED
    )
    meeting = models.ForeignKey(
        CouncilMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    yes_votes = models.PositiveSmallIntegerField(null=True, blank=True)
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations"
    )
    # The decision's date, copied when the decision is recorded, so that the award history is
    # grouped without joining decisions.
    awarded_on = models.DateField(null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    idempotency_key = models.CharField(max_length=64, blank=True)
    # Set when the council's secretariat returns the dossier for completion: what to complete
    # and by when. Cleared when the unit resubmits; the events keep every return.
    return_reason = models.TextField(_("nội dung cần bổ sung"), blank=True)
    complete_by = models.DateField(_("hạn bổ sung"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["nominee_sort_key", "id"]
        constraints = [
            # The database's own guard behind the service's check: two submissions racing each
            # other cannot both put the same nominee up for the same award and year.
            models.UniqueConstraint(
                fields=["nominee_key", "award_form", "award_year"],
                condition=~Q(status__in=["withdrawn", "rejected"]),
                name="people_nomination_once_per_award_year",
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="people_nomination_idempotency",
            ),
            models.CheckConstraint(
                condition=(Q(nominee_kind="individual") & Q(person__isnull=False))
                | (Q(nominee_kind="collective") & Q(person__isnull=True)),
                name="people_nomination_nominee_kind",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "award_year"], name="people_nom_status_year"),
            models.Index(fields=["nominee_key"], name="people_nom_key"),
            models.Index(
                fields=["status", "nominee_sort_key", "nominee_key"], name="people_nom_history"
            ),
        ]
        verbose_name = _("hồ sơ đề nghị khen thưởng")
        verbose_name_plural = _("hồ sơ đề nghị khen thưởng")

    def __str__(self) -> str:
        return self.nominee_name

    @property
    def nominee_name(self) -> str:
        if self.nominee_kind == self.NomineeKind.INDIVIDUAL and self.person_id:
            return self.person.full_name
        return self.collective_name


class NominationEvent(models.Model):
    """One step of a nomination's workflow: who, when, from and to which status."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=12, choices=NominationStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=NominationStatus.choices)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.nomination_id}: {self.from_status} -> {self.to_status}"


class Vote(models.Model):
    meeting = models.ForeignKey(CouncilMeeting, on_delete=models.PROTECT, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="votes")
    in_favour = models.BooleanField(_("đồng ý"))
    cast_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "nomination", "member"], name="people_vote_once"
            )
        ]
        verbose_name = _("phiếu bầu")
        verbose_name_plural = _("phiếu bầu")

    def __str__(self) -> str:
        return f"{self.member_id} on {self.nomination_id}: {self.in_favour}"
