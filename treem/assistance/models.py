"""Social assistance for children (Decree 20/2021/NĐ-CP; standard amount from Decree 76/2024/NĐ-CP):
the rules as data (policies, beneficiary groups, coefficients by age band, standard amounts,
settings), the dossier and its decision, recipients, and monthly payment lists.

Rules are never in code: every coefficient, amount and setting is a row with its legal source, its
effective date and whether it was checked against the text (`verified`). Money is whole đồng.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Province
from treem.registry.models import Child


class Basis(models.TextChoices):
    """The bases of Decree 20/2021 Art. 5 that concern children (codes used by the calculator)."""

    NO_SUPPORT = "no_support", _("Trẻ em không có nguồn nuôi dưỡng (Điều 5 khoản 1)")
    DISABILITY_SEVERE = "disability_severe", _("Trẻ em khuyết tật nặng")
    DISABILITY_ESPECIALLY_SEVERE = (
        "disability_especially_severe",
        _("Trẻ em khuyết tật đặc biệt nặng"),
    )
    HIV_POOR = "hiv_poor", _("Trẻ em nhiễm HIV thuộc hộ nghèo")
    UNDER3_POOR_MOUNTAIN = (
        "under3_poor_mountain",
        _("Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở xã, thôn đặc biệt khó khăn"),
    )
    SINGLE_PARENT_POOR = (
        "single_parent_poor",
        _("Con của người đơn thân nghèo đang nuôi con"),
    )


class Policy(models.Model):
    class Kind(models.TextChoices):
        MONTHLY_CASH = "monthly_cash", _("Trợ cấp tiền hằng tháng")
        IN_KIND = "in_kind", _("Hỗ trợ hiện vật, dịch vụ")

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chính sách"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("chính sách")
        verbose_name_plural = _("chính sách")

    def __str__(self) -> str:
        return self.name


class BeneficiaryGroup(models.Model):
    """A group of Decree 20/2021 Art. 5, and the policies it opens."""

    code = models.CharField(_("mã"), max_length=32, unique=True, choices=Basis.choices)
    name = models.CharField(_("tên nhóm"), max_length=255)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    policies = models.ManyToManyField(Policy, related_name="groups", verbose_name=_("chính sách"))
    # Document kinds (see DocumentKind) the dossier of this group must carry.
    required_documents = models.JSONField(_("giấy tờ bắt buộc"), default=list)

    class Meta:
        ordering = ["code"]
        verbose_name = _("nhóm đối tượng")
        verbose_name_plural = _("nhóm đối tượng")

    def __str__(self) -> str:
        return self.name


class CoefficientBand(models.Model):
    """The coefficient of a group for ages [age_from, age_to), Decree 20/2021 Art. 6."""

    group = models.ForeignKey(
        BeneficiaryGroup, on_delete=models.PROTECT, related_name="bands", verbose_name=_("nhóm")
    )
    age_from = models.PositiveSmallIntegerField(_("từ tuổi"))
    age_to = models.PositiveSmallIntegerField(_("đến dưới tuổi"), null=True, blank=True)
    requires_studying = models.BooleanField(_("chỉ khi đang đi học"), default=False)
    coefficient = models.DecimalField(_("hệ số"), max_digits=4, decimal_places=2)
    effective_from = models.DateField(_("áp dụng từ"))
    effective_to = models.DateField(_("đến ngày"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)

    class Meta:
        ordering = ["group", "age_from", "requires_studying"]
        verbose_name = _("hệ số trợ cấp")
        verbose_name_plural = _("hệ số trợ cấp")
        constraints = [
            models.CheckConstraint(
                condition=Q(coefficient__gt=0), name="assistance_band_positive_coefficient"
            ),
            models.CheckConstraint(
                condition=Q(age_to__isnull=True) | Q(age_to__gt=models.F("age_from")),
                name="assistance_band_ages_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group_id} {self.age_from}-{self.age_to}: {self.coefficient}"


class StandardAmount(models.Model):
    """The standard amount (mức chuẩn trợ giúp xã hội): national, or a province's own higher one."""

    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("tỉnh (để trống: mức toàn quốc)"),
    )
    amount = models.BigIntegerField(_("mức chuẩn (đồng)"))
    effective_from = models.DateField(_("áp dụng từ"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["province", "-effective_from"]
        verbose_name = _("mức chuẩn trợ giúp xã hội")
        verbose_name_plural = _("mức chuẩn trợ giúp xã hội")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="assistance_standard_positive"),
            models.UniqueConstraint(
                fields=["province", "effective_from"],
                name="assistance_standard_unique_province_date",
            ),
            models.UniqueConstraint(
                fields=["effective_from"],
                condition=Q(province__isnull=True),
                name="assistance_standard_unique_national_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.effective_from})"


class Setting(models.Model):
    """A setting with an effective date: who decides, how long the list is posted."""

    class Key(models.TextChoices):
        DECIDING_LEVEL = "deciding_level", _("Cấp quyết định trợ cấp")
        POSTING_WORKING_DAYS = "posting_working_days", _("Số ngày làm việc niêm yết công khai")
        HIGHEST_AMOUNT_ONLY = (
            "highest_amount_only",
            _("Thuộc nhiều nhóm chỉ hưởng một mức cao nhất"),
        )
        FUNDING_SOURCE = "funding_source", _("Nguồn kinh phí chi trợ cấp")

    key = models.CharField(_("thông số"), max_length=32, choices=Key.choices)
    value = models.CharField(_("giá trị"), max_length=64)
    effective_from = models.DateField(_("áp dụng từ"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)

    class Meta:
        ordering = ["key", "-effective_from"]
        verbose_name = _("thông số trợ giúp xã hội")
        verbose_name_plural = _("thông số trợ giúp xã hội")
        constraints = [
            models.UniqueConstraint(
                fields=["key", "effective_from"], name="assistance_setting_unique_key_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


class DisadvantagedCommune(models.Model):
    """An especially disadvantaged ethnic-minority or mountain commune (for Art. 5(7)); the list is
    decided by the Prime Minister and entered here as data."""

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField(_("từ ngày"))
    effective_to = models.DateField(_("đến ngày"), null=True, blank=True)
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=255)

    class Meta:
        verbose_name = _("xã đặc biệt khó khăn")
        verbose_name_plural = _("xã đặc biệt khó khăn")

    def __str__(self) -> str:
        return str(self.commune_id)


class DocumentKind(models.TextChoices):
    DECLARATION = "declaration", _("Tờ khai đề nghị trợ giúp xã hội")
    BIRTH_CERTIFICATE = "birth_certificate", _("Giấy khai sinh")
    CIRCUMSTANCE_PROOF = "circumstance_proof", _("Giấy tờ chứng minh hoàn cảnh")
    DISABILITY_CERTIFICATE = "disability_certificate", _("Giấy xác nhận khuyết tật")
    POVERTY_CERTIFICATE = "poverty_certificate", _("Giấy chứng nhận hộ nghèo, cận nghèo")
    SCHOOL_CERTIFICATE = "school_certificate", _("Giấy xác nhận đang đi học")
    HIV_CERTIFICATE = "hiv_certificate", _("Giấy xác nhận nhiễm HIV của cơ sở y tế")
    COUNCIL_MINUTES = "council_minutes", _("Biên bản họp Hội đồng xét duyệt")
    OTHER = "other", _("Giấy tờ khác")


class PaymentChannel(models.TextChoices):
    CASH = "cash", _("Tiền mặt tại UBND xã")
    POST = "post", _("Qua bưu điện")
    BANK = "bank", _("Chuyển khoản ngân hàng")


class Dossier(models.Model):
    """An application for the monthly allowance and its path to a decision (hồ sơ)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang lập hồ sơ")
        REVIEWED = "reviewed", _("Hội đồng xã đã xét")
        POSTED = "posted", _("Đang niêm yết công khai")
        DECIDED = "decided", _("Đã có quyết định trợ cấp")
        REFUSED = "refused", _("Không được trợ cấp")

    tracking_code = models.CharField(_("mã tra cứu"), max_length=12, unique=True)
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    applicant_name = models.CharField(_("người làm đơn"), max_length=150)
    applicant_relation = models.CharField(_("quan hệ với trẻ"), max_length=60)
    applied_on = models.DateField(_("ngày nộp đơn"))
    studying_until = models.DateField(_("đi học đến ngày (nếu từ 16 tuổi)"), null=True, blank=True)
    payment_channel = models.CharField(
        _("hình thức nhận tiền"),
        max_length=8,
        choices=PaymentChannel.choices,
        default=PaymentChannel.CASH,
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=19, blank=True)
    reviewed_on = models.DateField(_("ngày họp Hội đồng"), null=True, blank=True)
    review_note = models.TextField(_("kết luận của Hội đồng"), blank=True)
    posted_on = models.DateField(_("ngày niêm yết"), null=True, blank=True)
    posting_until = models.DateField(_("niêm yết đến hết ngày"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=40, blank=True)
    decided_on = models.DateField(_("ngày ký quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=150, blank=True)
    decision_level = models.CharField(_("cấp quyết định"), max_length=16, blank=True)
    from_month = models.DateField(_("hưởng từ tháng"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do không được trợ cấp"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("hồ sơ trợ cấp")
        verbose_name_plural = _("hồ sơ trợ cấp")
        indexes = [models.Index(fields=["commune", "status"], name="assistance_dossier_status")]

    def __str__(self) -> str:
        return self.tracking_code


class DossierBasis(models.Model):
    """A basis claimed in the dossier, with the dates of the circumstance."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="bases")
    basis = models.CharField(_("diện hưởng"), max_length=32, choices=Basis.choices)
    basis_from = models.DateField(_("từ ngày"), null=True, blank=True)
    basis_to = models.DateField(_("đến ngày"), null=True, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=255, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("diện hưởng")
        verbose_name_plural = _("diện hưởng")

    def __str__(self) -> str:
        return self.get_basis_display()


class DossierDocument(models.Model):
    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("loại giấy tờ"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to="assistance/dossiers/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("giấy tờ trong hồ sơ")
        verbose_name_plural = _("giấy tờ trong hồ sơ")

    def __str__(self) -> str:
        return self.get_kind_display()


class DossierEvent(models.Model):
    """One step of the dossier, for its timeline and the public tracking page."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.action}"


class Recipient(models.Model):
    """A child receiving the monthly allowance under a decision. The bases come from the dossier;
    an end (death, adoption, end of the circumstance) is written on the basis rows or here."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    dossier = models.OneToOneField(Dossier, on_delete=models.PROTECT, related_name="recipient")
    # Copies of the decision's values the calculator needs, so a payment list reads one table.
    birth_date = models.DateField()
    decided_on = models.DateField()
    from_month = models.DateField()
    studying_until = models.DateField(null=True, blank=True)
    # [{"basis", "from", "to"}] — the calculator's input.
    bases = models.JSONField(default=list)
    ended_on = models.DateField(_("ngày thôi hưởng"), null=True, blank=True)
    end_reason = models.CharField(_("lý do thôi hưởng"), max_length=255, blank=True)
    payment_channel = models.CharField(
        _("hình thức nhận tiền"), max_length=8, choices=PaymentChannel.choices
    )
    bank_name = models.CharField(_("ngân hàng"), max_length=100, blank=True)
    account_number = models.CharField(_("số tài khoản"), max_length=19, blank=True)
    # The last month included in an approved payment list: later lists pay what follows it.
    listed_through = models.DateField(null=True, blank=True)
    # Set when a past date changes (an end or a basis recorded late): the next list compares every
    # month with what was paid, to find arrears and recovery, instead of the months after
    # `listed_through` only.
    reconcile_needed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]
        verbose_name = _("người hưởng trợ cấp")
        verbose_name_plural = _("người hưởng trợ cấp")
        indexes = [models.Index(fields=["commune", "ended_on"], name="assistance_recipient_c")]

    def __str__(self) -> str:
        return f"{self.child_id}"


class PaymentList(models.Model):
    """The commune's payment list for one month (danh sách chi trả)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt")

    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))  # the first day of the month
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    total_amount = models.BigIntegerField(_("tiền trợ cấp tháng"), default=0)
    total_arrears = models.BigIntegerField(_("truy lĩnh"), default=0)
    total_carried = models.BigIntegerField(_("chưa nhận tháng trước"), default=0)
    total_deductions = models.BigIntegerField(_("khấu trừ"), default=0)
    total_payable = models.BigIntegerField(_("tổng số tiền"), default=0)
    total_recovery = models.BigIntegerField(_("phải thu hồi"), default=0)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    prepared_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-month", "commune"]
        verbose_name = _("danh sách chi trả")
        verbose_name_plural = _("danh sách chi trả")
        constraints = [
            models.UniqueConstraint(fields=["commune", "month"], name="assistance_list_unique")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.month:%m/%Y}"


class PaymentLine(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Chi trả")
        RECOVERY = "recovery", _("Thu hồi")

    class PaidStatus(models.TextChoices):
        PENDING = "pending", _("Chưa chi")
        PAID = "paid", _("Đã nhận")
        UNPAID = "unpaid", _("Không nhận được")

    # No index of their own: the unique constraint and the index below start with them and serve
    # the same lookups; two indexes less to maintain for each of a province's 60,000 lines
    # written every month.
    payment_list = models.ForeignKey(
        PaymentList, on_delete=models.CASCADE, related_name="lines", db_index=False
    )
    recipient = models.ForeignKey(
        Recipient, on_delete=models.PROTECT, related_name="lines", db_index=False
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PAYMENT)
    basis = models.CharField(_("diện hưởng"), max_length=32, choices=Basis.choices, blank=True)
    coefficient = models.DecimalField(_("hệ số"), max_digits=4, decimal_places=2, default=0)
    standard_amount = models.BigIntegerField(_("mức chuẩn"), default=0)
    amount = models.BigIntegerField(_("tiền trợ cấp tháng"), default=0)
    arrears = models.BigIntegerField(_("truy lĩnh"), default=0)
    carried = models.BigIntegerField(_("chưa nhận tháng trước"), default=0)
    deductions = models.BigIntegerField(_("khấu trừ"), default=0)
    total = models.BigIntegerField(_("tổng số tiền"), default=0)
    recovery = models.BigIntegerField(_("phải thu hồi"), default=0)
    # {"months": {"YYYY-MM": amount}} for the months paid or recovered, for the record; and, when a
    # deduction applies, {"deduction": {"kind", "reason", "recorded"}} (see `Deduction`).
    details = models.JSONField(default=dict)
    carried_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="carried_to"
    )
    channel = models.CharField(max_length=8, choices=PaymentChannel.choices)
    paid_status = models.CharField(
        _("tình trạng chi"),
        max_length=8,
        choices=PaidStatus.choices,
        default=PaidStatus.PENDING,
    )
    paid_on = models.DateField(_("ngày chi"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payment_list", "recipient", "kind"], name="assistance_line_unique"
            )
        ]
        indexes = [models.Index(fields=["recipient", "payment_list"], name="assistance_line_r")]

    def __str__(self) -> str:
        return f"{self.payment_list_id}/{self.recipient_id}"

    @property
    def gross(self) -> int:
        """What the recipient is owed this month before any deduction."""
        return self.amount + self.arrears + self.carried

    @property
    def deduction(self) -> dict:
        """The deduction applied to this line: kind, reason and the amount recorded (which is
        more than `deductions` only when the gross fell below it after it was entered)."""
        return (self.details or {}).get("deduction") or {}


class RecipientChange(models.Model):
    """A decision changing a recipient's allowance (a new disability level, studies declared or
    ended), kept whole: the bases and studies before and after, the event and the month it takes
    effect. The recipient's current values are rewritten, these rows never are."""

    class Kind(models.TextChoices):
        DISABILITY_LEVEL = "disability_level", _("Thay đổi mức độ khuyết tật")
        STUDIES = "studies", _("Thay đổi việc đi học")

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="changes")
    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=Kind.choices)
    event_on = models.DateField(_("ngày phát sinh"))
    # The first month paid at the new amount: the month after the event (Decree 20/2021 Art. 8,
    # as practised; the calculator's rule).
    effective_month = models.DateField(_("áp dụng từ tháng"))
    decision_number = models.CharField(_("số quyết định"), max_length=40)
    decided_on = models.DateField(_("ngày ký quyết định"))
    signer = models.CharField(_("người ký"), max_length=150)
    reason = models.TextField(_("lý do"))
    # {"bases": [...], "studying_until": "YYYY-MM-DD" | None} before and after the change.
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    amount_before = models.BigIntegerField(_("tiền tháng trước khi đổi"), default=0)
    amount_after = models.BigIntegerField(_("tiền tháng áp dụng"), default=0)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("quyết định điều chỉnh trợ cấp")
        verbose_name_plural = _("quyết định điều chỉnh trợ cấp")

    def __str__(self) -> str:
        return self.decision_number


class HealthCard(models.Model):
    """A free health-insurance card (thẻ BHYT) for a recipient of the monthly allowance
    (Decree 20/2021 Art. 9, article number not verified): asked of the social-insurance office,
    issued with a number and validity, handed to the family."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Đã đề nghị cấp thẻ")
        ISSUED = "issued", _("Đã có thẻ, chờ phát")
        DELIVERED = "delivered", _("Đã phát thẻ cho gia đình")
        CANCELLED = "cancelled", _("Huỷ đề nghị")

    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="health_cards")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    requested_on = models.DateField(_("ngày đề nghị"))
    card_number = models.CharField(_("số thẻ BHYT"), max_length=15, blank=True)
    issued_on = models.DateField(_("ngày cấp thẻ"), null=True, blank=True)
    valid_from = models.DateField(_("thẻ có giá trị từ"), null=True, blank=True)
    valid_to = models.DateField(_("thẻ có giá trị đến"), null=True, blank=True)
    delivered_on = models.DateField(_("ngày phát thẻ"), null=True, blank=True)
    received_by = models.CharField(_("người nhận thẻ"), max_length=150, blank=True)
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-requested_on", "-id"]
        verbose_name = _("thẻ bảo hiểm y tế")
        verbose_name_plural = _("thẻ bảo hiểm y tế")
        constraints = [
            # One request in progress per child: a second click or a second official makes none.
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(status__in=["requested", "issued"]),
                name="assistance_card_one_open",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="assistance_card_validity_order",
            ),
        ]
        indexes = [models.Index(fields=["commune", "status"], name="assistance_card_status")]

    def __str__(self) -> str:
        return self.card_number or str(self.pk)


class HealthCardEvent(models.Model):
    card = models.ForeignKey(HealthCard, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.card_id}: {self.action}"


class Deduction(models.Model):
    """An amount withheld from one recipient's payment of one month (khấu trừ), entered by the
    commune official with its reason: the recovery of an amount paid wrongly (a recovery line of a
    payment list) or another deduction the official states. The payment list shows the gross
    amount, the deduction, its reason and the net amount; nothing is ever deducted without a row
    here."""

    class Kind(models.TextChoices):
        RECOVERY = "recovery", _("Thu hồi tiền trợ cấp đã chi sai")
        OTHER = "other", _("Khấu trừ khác")

    recipient = models.ForeignKey(
        Recipient,
        on_delete=models.PROTECT,
        related_name="deductions",
        verbose_name=_("người hưởng"),
    )
    month = models.DateField(_("tháng"))  # the first day of the month of the payment list
    kind = models.CharField(_("loại khấu trừ"), max_length=10, choices=Kind.choices)
    amount = models.BigIntegerField(_("số tiền khấu trừ (đồng)"))
    reason = models.CharField(_("lý do"), max_length=255)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["month", "id"]
        verbose_name = _("khoản khấu trừ")
        verbose_name_plural = _("khoản khấu trừ")
        constraints = [
            # One deduction per recipient and month: a second official editing at the same time
            # meets this row (and its version), never a second deduction.
            models.UniqueConstraint(
                fields=["recipient", "month"], name="assistance_deduction_unique_month"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="assistance_deduction_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.month:%m/%Y}: {self.amount}"


class PaymentRun(models.Model):
    """The preparation of every commune's draft list of a province for one month, run in the
    background (the database task worker) with its progress: a province's 95 lists take longer
    than a page may wait on a loaded server."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang lập")
        DONE = "done", _("Đã xong")
        FAILED = "failed", _("Bị lỗi")

    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("tháng"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    communes_total = models.PositiveIntegerField(default=0)
    communes_done = models.PositiveIntegerField(default=0)
    lines = models.PositiveIntegerField(default=0)
    # [{"commune": code, "reason": text}] for the lists not prepared (approved and locked…).
    refused = models.JSONField(default=list)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("lượt lập danh sách chi trả toàn tỉnh")
        verbose_name_plural = _("lượt lập danh sách chi trả toàn tỉnh")
        constraints = [
            # A second request while one is waiting or running is the same run, not two.
            models.UniqueConstraint(
                fields=["province", "month"],
                condition=Q(status__in=["queued", "running"]),
                name="assistance_run_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.month:%m/%Y}"
