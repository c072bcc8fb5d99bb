"""Programmes: the chain from a Party directive to the last commune task.

A document (directive, plan, decision…) is implemented by plans; a plan sets targets for indicators
(by code: the indicators app reads them through its hooks) and assigns tasks to agencies and
communes; each task is reported on per period; budget lines say what the work costs and who pays;
communication activities say whom it reached. Amounts are whole đồng in BigIntegerFields.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.accounts.models import Organisation
from treem.geo.models import Commune, Province


class PrivateStorage(FileSystemStorage):
    """Files with no public URL at all: served only by the access-checked download views."""

    def url(self, name):
        raise ValueError("private files have no URL; use the app's download view")


def private_storage() -> FileSystemStorage:
    """Beside MEDIA_ROOT, not inside it, so no web server rule for /media/ can ever expose these
    files (TREEM_PRIVATE_ROOT overrides the place)."""
    root = getattr(settings, "TREEM_PRIVATE_ROOT", None) or Path(settings.MEDIA_ROOT).parent / (
        "private"
    )
    return PrivateStorage(location=Path(root) / "programmes")


def _random_path(prefix: str):
    def build(instance, filename: str) -> str:
        # The stored name is random; the original name is kept in the database only.
        return f"{prefix}/{secrets.token_hex(16)}"

    return build


_document_path = _random_path("documents")
_evidence_path = _random_path("evidence")
_photo_path = _random_path("photos")


def document_path(instance, filename: str) -> str:
    return _document_path(instance, filename)


def evidence_path(instance, filename: str) -> str:
    return _evidence_path(instance, filename)


def photo_path(instance, filename: str) -> str:
    return _photo_path(instance, filename)


class Document(models.Model):
    class Kind(models.TextChoices):
        DIRECTIVE = "directive", _("Chỉ thị")
        RESOLUTION = "resolution", _("Nghị quyết")
        PLAN = "plan", _("Kế hoạch")
        PROGRAMME = "programme", _("Chương trình")
        DECISION = "decision", _("Quyết định")
        REPORT = "report", _("Báo cáo")

    number = models.CharField(
        _("số, ký hiệu"), max_length=60, help_text=_("Ví dụ: 144-KH/TU, 20-CT/TW.")
    )
    kind = models.CharField(_("loại văn bản"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("trích yếu"), max_length=400)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày hiệu lực"), null=True, blank=True)
    expires_on = models.DateField(_("ngày hết hiệu lực"), null=True, blank=True)
    summary = models.TextField(_("tóm tắt nội dung"), blank=True)
    file = models.FileField(
        _("tệp văn bản"), storage=private_storage, upload_to=document_path, blank=True
    )
    file_name = models.CharField(_("tên tệp"), max_length=200, blank=True)
    file_type = models.CharField(_("loại tệp"), max_length=100, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "number", "issued_on"], name="programmes_document_unique"
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_on__isnull=True)
                | Q(expires_on__gte=models.F("effective_on")),
                name="programmes_document_expiry_after_effect",
            ),
        ]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class DocumentLink(models.Model):
    """`source` implements / replaces / amends `target` (Directive 28-CT/TW replaces 20-CT/TW)."""

    class Kind(models.TextChoices):
        IMPLEMENTS = "implements", _("triển khai thực hiện")
        REPLACES = "replaces", _("thay thế")
        AMENDS = "amends", _("sửa đổi, bổ sung")

    source = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(_("quan hệ"), max_length=20, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="programmes_doclink_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="programmes_doclink_not_self"
            ),
        ]
        verbose_name = _("liên kết văn bản")
        verbose_name_plural = _("liên kết văn bản")

    def __str__(self) -> str:
        return f"{self.source_id} {self.kind} {self.target_id}"


class Plan(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Cấp tỉnh")
        DEPARTMENT = "department", _("Sở, ban, ngành, đoàn thể")
        COMMUNE = "commune", _("Cấp xã")

    title = models.CharField(_("tên kế hoạch"), max_length=300)
    number = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    document = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans",
        verbose_name=_("văn bản ban hành kế hoạch"),
    )
    implements = models.ForeignKey(
        Document,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="implementing_plans",
        verbose_name=_("thực hiện văn bản"),
    )
    level = models.CharField(_("cấp"), max_length=20, choices=Level.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("tỉnh")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường"),
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì kế hoạch"),
    )
    year_from = models.PositiveSmallIntegerField(_("từ năm"))
    year_to = models.PositiveSmallIntegerField(_("đến năm"))
    starts_on = models.DateField(_("ngày bắt đầu"))
    ends_on = models.DateField(_("ngày kết thúc"))
    objectives = models.TextField(_("mục tiêu"), blank=True)
    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="derived_plans",
        verbose_name=_("kế hoạch cấp trên"),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("sao từ kế hoạch"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year_from", "level", "title"]
        indexes = [models.Index(fields=["province", "year_from"], name="programmes_plan_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="programmes_plan_years"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="programmes_plan_dates"
            ),
            models.CheckConstraint(
                condition=~Q(level="commune") | Q(commune__isnull=False),
                name="programmes_plan_commune_has_commune",
            ),
        ]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def years_label(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"


class PlanTarget(models.Model):
    """A target for an indicator (by its code in the indicators app), a unit and a year."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    indicator_code = models.CharField(_("mã chỉ tiêu"), max_length=60)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    unit_code = models.CharField(_("mã đơn vị hành chính"), max_length=5)
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("giá trị chỉ tiêu"), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["plan_id", "indicator_code", "unit_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "indicator_code", "unit_code", "year"],
                name="programmes_target_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator_code", "year"], name="programmes_target_ind")]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.unit_code} {self.year}"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Dừng thực hiện")


class Task(models.Model):
    class Recurrence(models.TextChoices):
        NONE = "none", _("Một lần")
        QUARTERLY = "quarterly", _("Hằng quý")
        YEARLY = "yearly", _("Hằng năm")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=400)
    description = models.TextField(_("nội dung"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_tasks",
        verbose_name=_("cơ quan chủ trì"),
    )
    lead_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường chủ trì"),
    )
    partner_organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="+", verbose_name=_("cơ quan phối hợp")
    )
    partner_communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name=_("xã, phường phối hợp")
    )
    due_on = models.DateField(_("hạn hoàn thành"))
    # The last day counted for "overdue": the due date, moved to the next working day when it
    # falls on a weekend or public holiday (Civil Code 2015, Art. 148(5)). Kept in the row so the
    # board is one indexed filter.
    deadline_on = models.DateField(editable=False)
    recurrence = models.CharField(
        _("lặp lại"), max_length=20, choices=Recurrence.choices, default=Recurrence.NONE
    )
    status = models.CharField(
        _("tình trạng"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), default=0)
    inherited_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inherited_by",
        verbose_name=_("kế thừa nhiệm vụ"),
    )
    order = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan_id", "order", "id"]
        indexes = [
            models.Index(fields=["status", "deadline_on"], name="programmes_task_deadline"),
            models.Index(fields=["lead_organisation", "status"], name="programmes_task_org"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="programmes_task_percent_max"
            ),
            models.CheckConstraint(
                condition=Q(lead_organisation__isnull=False) | Q(lead_commune__isnull=False),
                name="programmes_task_has_lead",
            ),
        ]
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")

    def __str__(self) -> str:
        return self.title

    @property
    def lead_label(self) -> str:
        if self.lead_organisation_id:
            return self.lead_organisation.name
        return self.lead_commune.name if self.lead_commune_id else ""


class TaskEvent(models.Model):
    """The task's history: one row per status change and per move of its deadline by the
    working-day calendar (who or what moved it, from what, to what). Nothing is overwritten
    without a row here."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Chuyển tình trạng")
        DEADLINE = "deadline", _("Dời hạn theo lịch nghỉ")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUS)
    from_status = models.CharField(max_length=20, choices=TaskStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=TaskStatus.choices)
    # Empty for a move made by the calendar refresh (`load_holidays`), which has no user.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    at = models.DateTimeField()
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.from_status} → {self.to_status}"


class ReportingPeriod(models.Model):
    """A reporting period of the province (a quarter, half-year or year). Once closed, no
    progress report may be filed for it: the figures sent up stay the figures."""

    class Kind(models.TextChoices):
        QUARTER = "quarter", _("Quý")
        HALF = "half", _("6 tháng")
        YEAR = "year", _("Năm")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("loại kỳ"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("kỳ báo cáo"), max_length=60)
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    closed_at = models.DateTimeField(_("khóa sổ lúc"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "starts_on", "ends_on"], name="programmes_period_unique"
            )
        ]
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")

    def __str__(self) -> str:
        return self.label

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ProgressReport(models.Model):
    """What an assigned agency or commune did on a task in a period. Reports are never edited:
    a second report for the same period is a new row, and the latest one counts."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=TaskStatus.choices)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"))
    done_text = models.TextField(_("kết quả thực hiện"))
    # Figures achieved, {label: whole number}, e.g. {"Số trẻ em được hỗ trợ": 120}.
    figures = models.JSONField(_("số liệu đạt được"), default=dict, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["task", "period"], name="programmes_report_task")]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="programmes_report_percent_max"
            ),
            models.UniqueConstraint(
                fields=["reported_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="programmes_report_once",
            ),
        ]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.task_id} / {self.period_id}"


class Evidence(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class TaskNotification(models.Model):
    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Nhiệm vụ sắp đến hạn")
        OVERDUE = "overdue", _("Nhiệm vụ quá hạn")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="task_notifications"
    )
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    deadline_on = models.DateField()
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "kind", "deadline_on"], name="programmes_notification_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.task_id}"


class TaskAlertMail(models.Model):
    """One alert e-mail line: a task due soon or overdue, for one user, on one day. Overdue tasks
    are reminded once a day, due-soon ones once per deadline; the unique constraint makes a second
    run of the day's scan create nothing, and `sent_at` makes a second send send nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=TaskNotification.Kind.choices)
    day = models.DateField()
    deadline_on = models.DateField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "task", "kind", "day"], name="programmes_alert_mail_once_a_day"
            )
        ]
        indexes = [
            models.Index(
                fields=["user", "day"],
                condition=Q(sent_at__isnull=True),
                name="programmes_alert_mail_unsent",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.task_id} {self.day}"


class Source(models.TextChoices):
    CENTRAL = "central", _("Ngân sách trung ương")
    PROVINCIAL = "provincial", _("Ngân sách tỉnh")
    COMMUNE = "commune", _("Ngân sách xã")
    SOCIALISED = "socialised", _("Xã hội hóa (doanh nghiệp, người dân)")
    INTERNATIONAL = "international", _("Viện trợ quốc tế")


class Activity(models.TextChoices):
    COMMUNICATION = "communication", _("Truyền thông")
    TRAINING = "training", _("Tập huấn, bồi dưỡng")
    SUPPORT = "support", _("Hỗ trợ trẻ em")
    FACILITIES = "facilities", _("Cơ sở vật chất, điểm vui chơi")
    INSPECTION = "inspection", _("Kiểm tra, giám sát")
    MANAGEMENT = "management", _("Quản lý, điều hành")
    OTHER = "other", _("Khác")


class BudgetLine(models.Model):
    """Estimate, allocation and spending of one item of a plan for one year. The current amounts
    are in the row; every change is a `BudgetChange` row with its reason, never overwritten."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="budget_lines")
    task = models.ForeignKey(
        Task,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_lines",
        verbose_name=_("nhiệm vụ"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    label = models.CharField(_("nội dung chi"), max_length=300)
    source = models.CharField(_("nguồn kinh phí"), max_length=20, choices=Source.choices)
    activity = models.CharField(_("loại hoạt động"), max_length=20, choices=Activity.choices)
    # Denormalised from the plan and task so the roll-ups group without joins.
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    estimate = models.BigIntegerField(_("dự toán (đồng)"), default=0)
    allocated = models.BigIntegerField(_("được giao (đồng)"), default=0)
    spent = models.BigIntegerField(_("đã chi (đồng)"), default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["year", "source", "id"]
        indexes = [
            models.Index(fields=["province", "year"], name="programmes_budget_year"),
            # The budget page lists a year's lines by source: an ordered index scan, no sort.
            models.Index(
                fields=["province", "year", "source", "id"], name="programmes_budget_list"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimate__gte=0) & Q(allocated__gte=0) & Q(spent__gte=0),
                name="programmes_budget_not_negative",
            )
        ]
        verbose_name = _("dòng kinh phí")
        verbose_name_plural = _("dòng kinh phí")

    def __str__(self) -> str:
        return self.label


class BudgetTotal(models.Model):
    """Running sums of the budget lines per province, year, source, activity and unit, kept in the
    same transaction as every line written by the services, so a roll-up reads a few thousand
    rows instead of every line of the year. Organisation 0 and commune "" mean "none" (a unique
    constraint treats NULLs as distinct)."""

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=20, choices=Source.choices)
    activity = models.CharField(max_length=20, choices=Activity.choices)
    organisation_key = models.PositiveIntegerField(default=0)
    commune_key = models.CharField(max_length=5, default="", blank=True)
    estimate = models.BigIntegerField(default=0)
    allocated = models.BigIntegerField(default=0)
    spent = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "province",
                    "year",
                    "source",
                    "activity",
                    "organisation_key",
                    "commune_key",
                ],
                name="programmes_budget_total_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.year} {self.source} {self.activity}"


class BudgetChange(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="changes")
    estimate = models.BigIntegerField()
    allocated = models.BigIntegerField()
    spent = models.BigIntegerField()
    previous = models.JSONField(default=dict, blank=True)
    reason = models.TextField(_("lý do"))
    over_allocation = models.BooleanField(default=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.line_id} @ {self.at:%d/%m/%Y}"


class Audience(models.TextChoices):
    CHILDREN = "children", _("Trẻ em")
    PARENTS = "parents", _("Cha mẹ, người chăm sóc")
    TEACHERS = "teachers", _("Giáo viên")
    OFFICIALS = "officials", _("Cán bộ")
    COMMUNITY = "community", _("Cộng đồng")


class Campaign(models.Model):
    class Kind(models.TextChoices):
        ACTION_MONTH = "action_month", _("Tháng hành động vì trẻ em")
        OTHER = "other", _("Chiến dịch truyền thông khác")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("tên chiến dịch"), max_length=300)
    theme = models.CharField(_("chủ đề"), max_length=400, blank=True)
    year = models.PositiveSmallIntegerField(_("năm"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        Plan,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("kế hoạch"),
    )

    class Meta:
        ordering = ["-year", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "kind", "year"],
                condition=Q(kind="action_month"),
                name="programmes_one_action_month_a_year",
            )
        ]
        verbose_name = _("chiến dịch truyền thông")
        verbose_name_plural = _("chiến dịch truyền thông")

    def __str__(self) -> str:
        return self.title


class CommActivity(models.Model):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Diễn đàn trẻ em")
        SCHOOL_TALK = "school_talk", _("Nói chuyện chuyên đề tại trường học")
        RADIO = "radio", _("Phát thanh, loa truyền thanh")
        PRINT = "print", _("Tờ rơi, áp phích, pa-nô")
        SOCIAL = "social", _("Mạng xã hội")
        PORTAL = "portal", _("Bài viết trên cổng thông tin")
        EVENT = "event", _("Lễ phát động, sự kiện")
        OTHER = "other", _("Khác")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("chiến dịch"),
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("hoạt động"), max_length=300)
    held_on = models.DateField(_("ngày thực hiện"))
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("địa điểm (xã, phường)"),
    )
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị tổ chức"),
    )
    audiences = models.JSONField(_("đối tượng"), default=list, blank=True)
    people_reached = models.PositiveIntegerField(_("số người được tiếp cận"), default=0)
    children_reached = models.PositiveIntegerField(_("trong đó trẻ em"), default=0)
    materials = models.CharField(_("sản phẩm truyền thông"), max_length=400, blank=True)
    materials_count = models.PositiveIntegerField(_("số lượng sản phẩm"), default=0)
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("dòng kinh phí"),
    )
    cost = models.BigIntegerField(_("kinh phí (đồng)"), default=0)
    # The portal's article, by id: the portal is below this app, its figures are read through its
    # selectors.
    article_id = models.PositiveIntegerField(_("mã bài viết trên cổng"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-held_on", "id"]
        indexes = [models.Index(fields=["province", "held_on"], name="programmes_comm_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(children_reached__lte=models.F("people_reached")),
                name="programmes_comm_children_within_reached",
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="programmes_comm_cost"),
        ]
        verbose_name = _("hoạt động truyền thông")
        verbose_name_plural = _("hoạt động truyền thông")

    def __str__(self) -> str:
        return self.title


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(CommActivity, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(storage=private_storage, upload_to=photo_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name
