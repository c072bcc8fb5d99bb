"""Indicators as data, their values per commune and period, targets, the communes' periodic
reports, child-friendly commune evaluations and the narrative of the review report.

Values are stored per indicator × commune (today's map) × period × disaggregation. A figure
imported on the legacy map keeps its legacy commune code (`legacy_code`) and is placed on the new
commune that the 2025 conversion table marks as the successor (see docs/indicators.md), so totals
are preserved: each legacy figure is counted once, on one new commune.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Province


class Unit(models.TextChoices):
    COUNT = "count", _("Số lượng")
    PERCENT = "percent", _("Tỷ lệ %")
    PER_1000 = "per_1000", _("Trên 1.000 trẻ em")


class PeriodType(models.TextChoices):
    YEAR = "year", _("Năm")
    HALF = "half", _("6 tháng")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Càng cao càng tốt")
    LOWER = "lower", _("Càng thấp càng tốt")


class Obtained(models.TextChoices):
    COMPUTED = "computed", _("Tính từ dữ liệu Treem")
    ENTERED = "entered", _("Xã nhập theo kỳ báo cáo")
    IMPORTED = "imported", _("Nhập từ số liệu lịch sử")


class Group(models.TextChoices):
    GENERAL = "general", _("Chỉ tiêu chung")
    HEALTH = "health", _("Y tế và dinh dưỡng")
    PROTECTION = "protection", _("Bảo vệ trẻ em")
    EDUCATION = "education", _("Giáo dục")
    CULTURE = "culture", _("Văn hóa, vui chơi, giải trí")
    PARTICIPATION = "participation", _("Tham gia của trẻ em")
    RESOURCES = "resources", _("Nguồn lực")


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class AgeGroup(models.TextChoices):
    A0_2 = "0-2", _("0–2 tuổi")
    A3_5 = "3-5", _("3–5 tuổi")
    A6_10 = "6-10", _("6–10 tuổi")
    A11_15 = "11-15", _("11–15 tuổi")


# Disaggregations an indicator may declare. "circumstance" and "ethnicity" are filled only by
# computed indicators (the registry holds them); entered forms ask for sex and age group.
DISAGGREGATIONS = ("sex", "age_group", "circumstance", "ethnicity")


class Indicator(models.Model):
    code = models.CharField(_("mã"), max_length=40, unique=True)
    name_vi = models.CharField(_("tên (tiếng Việt)"), max_length=255)
    name_en = models.CharField(_("tên (tiếng Anh)"), max_length=255, blank=True)
    group = models.CharField(_("nhóm"), max_length=20, choices=Group.choices)
    definition = models.TextField(_("định nghĩa, cách tính"), blank=True)
    numerator_label = models.CharField(_("tử số (hoặc số đếm)"), max_length=255, blank=True)
    denominator_label = models.CharField(
        _("mẫu số"), max_length=255, blank=True, help_text=_("Để trống nếu là số đếm.")
    )
    unit = models.CharField(_("đơn vị tính"), max_length=10, choices=Unit.choices)
    period_type = models.CharField(_("kỳ báo cáo"), max_length=10, choices=PeriodType.choices)
    disaggregations = models.JSONField(_("phân tổ"), default=list, blank=True)
    direction = models.CharField(
        _("chiều tốt"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    legal_source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    obtained = models.CharField(_("cách thu thập"), max_length=10, choices=Obtained.choices)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    is_headline = models.BooleanField(_("chỉ tiêu chủ yếu"), default=False)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")

    def __str__(self) -> str:
        return self.name_vi

    @property
    def is_rate(self) -> bool:
        return self.unit != Unit.COUNT

    def name(self, language: str = "vi") -> str:
        return self.name_en if language == "en" and self.name_en else self.name_vi

    @property
    def label(self) -> str:
        """The name in the reader's language (the Vietnamese one when no English is given)."""
        return self.name(get_language() or "vi")


class CommuneReport(models.Model):
    """A commune's periodic report: the entered indicators of one period, as one whole."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang nhập")
        SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
        RETURNED = "returned", _("Bị trả lại")
        RESUBMITTED = "resubmitted", _("Đã gửi lại, chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REOPENED = "reopened", _("Mở lại để sửa")

    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường")
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    period_type = models.CharField(max_length=10, choices=PeriodType.choices)
    year = models.PositiveSmallIntegerField(db_index=True)
    due_on = models.DateField(_("hạn gửi"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    submitted_at = models.DateTimeField(_("gửi lần đầu lúc"), null=True, blank=True)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    last_comment = models.TextField(_("ý kiến gần nhất"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "period", "commune_id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "period"], name="indicators_report_unique")
        ]
        verbose_name = _("báo cáo định kỳ của xã")
        verbose_name_plural = _("báo cáo định kỳ của xã")

    def __str__(self) -> str:
        return f"{self.commune} {self.period}"


class ReportEvent(models.Model):
    report = models.ForeignKey(CommuneReport, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20)
    to_status = models.CharField(max_length=20)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.action}"

    def get_to_status_label(self) -> str:
        return str(CommuneReport.Status(self.to_status).label)


class IndicatorValue(models.Model):
    """One figure. A blank disaggregation field means "all" (the total row)."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Xã nhập")
        IMPORTED = "imported", _("Nhập từ tệp")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    # The commune of today's map; null for a figure known only for the whole province.
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    # The commune code, or the province code for a province-wide figure (one key for uniqueness).
    unit_code = models.CharField(max_length=5)
    # The legacy commune (or legacy province) code the figure was imported for, "" when current.
    legacy_code = models.CharField(max_length=5, blank=True, default="")
    period = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    sex = models.CharField(max_length=1, blank=True, default="", choices=Sex.choices)
    age_group = models.CharField(max_length=5, blank=True, default="", choices=AgeGroup.choices)
    # A group of children in special circumstances (Law on Children Art. 10, the registry's
    # letters a–o) and an ethnic group (GSO code), for the forms and files that break figures so.
    circumstance = models.CharField(max_length=3, blank=True, default="")
    ethnicity = models.CharField(max_length=2, blank=True, default="")
    numerator = models.DecimalField(max_digits=18, decimal_places=2)
    denominator = models.DecimalField(max_digits=18, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices)
    report = models.ForeignKey(
        CommuneReport, on_delete=models.CASCADE, null=True, blank=True, related_name="values"
    )
    # Counted in roll-ups: imported figures, and entered figures once their report is approved.
    is_final = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "period",
                    "unit_code",
                    "legacy_code",
                    "sex",
                    "age_group",
                    "circumstance",
                    "ethnicity",
                ],
                name="indicators_value_unique_dis",
            ),
            models.CheckConstraint(condition=Q(numerator__gte=0), name="indicators_value_num_ge0"),
            models.CheckConstraint(
                condition=Q(denominator__isnull=True) | Q(denominator__gte=0),
                name="indicators_value_den_ge0",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "province", "year"], name="indicators_value_prov"),
            models.Index(fields=["indicator", "commune", "year"], name="indicators_value_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_code} {self.period}"


class Target(models.Model):
    """A target for an indicator, a year and a unit (a province, or one commune)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    unit_code = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField(_("năm"))
    value = models.DecimalField(_("chỉ tiêu"), max_digits=14, decimal_places=2)
    source_label = models.CharField(_("văn bản giao chỉ tiêu"), max_length=255)
    # The page of the plan or document that set the target: a path inside Treem (a plan of the
    # programmes app, given through hooks.plans_for_units) or a full address.
    url = models.CharField(_("liên kết"), max_length=300, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)

    class Meta:
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit_code", "year"], name="indicators_target_unique"
            ),
        ]
        verbose_name = _("chỉ tiêu kế hoạch")
        verbose_name_plural = _("chỉ tiêu kế hoạch")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.unit_code} {self.year}"


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        CATALOGUE = "catalogue", _("Danh mục chỉ tiêu")
        VALUES = "values", _("Số liệu")
        CHILD_FRIENDLY = "child_friendly", _("Chấm điểm xã phù hợp với trẻ em")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    mapping = models.CharField(max_length=10, blank=True)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    rejected_rows = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename


class CommuneKind(models.TextChoices):
    """Decision 06/QĐ-TTg: the score a commune needs depends on its kind."""

    CITY_WARD = "city_ward", _("Phường thuộc thành phố trực thuộc trung ương")
    DISADVANTAGED = "disadvantaged", _("Xã miền núi, hải đảo, đặc biệt khó khăn")
    OTHER = "other", _("Xã, phường khác")


class ChildFriendlyCriterion(models.Model):
    number = models.PositiveSmallIntegerField(_("tiêu chí số"), unique=True)
    name = models.CharField(_("tên tiêu chí"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("điểm tối đa"))
    obtained = models.CharField(
        _("cách chấm"), max_length=10, choices=Obtained.choices, default=Obtained.ENTERED
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.TextField(_("cách chấm điểm"), blank=True)
    # How the points follow from the indicator's figure (docs/indicators.md, "Child-friendly
    # communes"): {"bands": [[threshold, points], ...], "met_at": threshold}. A figure reaching a
    # band's threshold in the indicator's direction earns its points (the best band reached);
    # none reached scores 0. Empty: the criterion is scored by hand.
    auto_rule = models.JSONField(_("quy tắc tự chấm"), default=dict, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("tiêu chí xã, phường phù hợp với trẻ em")
        verbose_name_plural = _("tiêu chí xã, phường phù hợp với trẻ em")

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class ChildFriendlyThreshold(models.Model):
    kind = models.CharField(_("loại xã"), max_length=20, choices=CommuneKind.choices, unique=True)
    min_total = models.PositiveSmallIntegerField(_("tổng điểm tối thiểu"))
    legal_source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    def __str__(self) -> str:
        return self.get_kind_display()


class ChildFriendlyEvaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chấm")
        SUBMITTED = "submitted", _("Đã gửi")
        REVIEWED = "reviewed", _("Đã thẩm định")
        RECOGNISED = "recognised", _("Đã công nhận")
        NOT_RECOGNISED = "not_recognised", _("Không công nhận")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    kind = models.CharField(_("loại xã"), max_length=20, choices=CommuneKind.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField(_("số quyết định công nhận"), max_length=40, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "commune_id"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "year"], name="indicators_cf_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.year}"


class ChildFriendlyScore(models.Model):
    evaluation = models.ForeignKey(
        ChildFriendlyEvaluation, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(ChildFriendlyCriterion, on_delete=models.PROTECT)
    points = models.PositiveSmallIntegerField(_("điểm"))
    met = models.BooleanField(_("đạt tiêu chí"), default=True)
    # The points the criterion's rule gave from the indicator figure when the score was saved
    # (null: scored by hand), the figure itself, and why the evaluator chose other points.
    auto_points = models.PositiveSmallIntegerField(_("điểm tự tính"), null=True, blank=True)
    auto_value = models.DecimalField(
        _("số liệu dùng để tự tính"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    override_reason = models.TextField(_("lý do điều chỉnh điểm"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="indicators_cf_score")
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.criterion_id}"


class NarrativeRevision(models.Model):
    """A revision of one narrative section of the review report. Never overwritten: the latest
    revision for (section, unit, years) is the current text."""

    class Section(models.TextChoices):
        SITUATION = "situation", _("Tình hình trẻ em")
        SHORTCOMINGS = "shortcomings", _("Tồn tại, hạn chế và nguyên nhân")
        PROPOSALS = "proposals", _("Đề xuất, kiến nghị")

    section = models.CharField(max_length=20, choices=Section.choices)
    unit_code = models.CharField(max_length=5)
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField()
    html = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.section} {self.unit_code} {self.year_from}-{self.year_to}"


class ReviewReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Lỗi")

    unit_code = models.CharField(max_length=5)
    year_from = models.PositiveSmallIntegerField()
    year_to = models.PositiveSmallIntegerField()
    fmt = models.CharField(max_length=4)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="indicators/reports/", blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit_code} {self.year_from}-{self.year_to}.{self.fmt}"
