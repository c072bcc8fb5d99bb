"""The child registry: children, their households and carers, special circumstances, consent and
legal basis, duplicate decisions and merges, imports.

Stored names are NFC (`treem.lib.text.nfc`); search uses the folded keys beside them
(`treem.lib.text.fold`), which are written by the services, never by `save()`.

A child is a person under 16 (Law on Children 102/2016/QH13, Art. 1). Nobody flips a flag when a
child turns 16: the active list is computed from `birth_date_latest` in the query
(`treem.registry.selectors.active_children`), so records stay and simply drop out of the lists.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treem.geo.models import Commune, Province, Village


class Sex(models.TextChoices):
    MALE = "M", _("Nam")
    FEMALE = "F", _("Nữ")


class DatePrecision(models.TextChoices):
    """How much of a birth date is known. A partial date is stored as the first day of the known
    period (`birth_date`) and its last possible day (`birth_date_latest`)."""

    DAY = "day", _("Đủ ngày, tháng, năm")
    MONTH = "month", _("Chỉ biết tháng và năm")
    YEAR = "year", _("Chỉ biết năm")


class Ethnicity(models.TextChoices):
    """The 54 ethnic groups of Việt Nam with their official codes, as listed by the General
    Statistics Office (Decision 121-TCTK/PPCĐ of 2 March 1979, "Danh mục các dân tộc Việt Nam",
    still the list used by the census and by Circular 13/2021/TT-BLĐTBXH disaggregations). The list
    is fixed by the state, which is why it is code and not data; foreigners get their own code."""

    KINH = "01", "Kinh"
    TAY = "02", "Tày"
    THAI = "03", "Thái"
    HOA = "04", "Hoa"
    KHMER = "05", "Khơ-me"
    MUONG = "06", "Mường"
    NUNG = "07", "Nùng"
    HMONG = "08", "Mông"
    DAO = "09", "Dao"
    GIA_RAI = "10", "Gia-rai"
    NGAI = "11", "Ngái"
    EDE = "12", "Ê-đê"
    BA_NA = "13", "Ba-na"
    XO_DANG = "14", "Xơ-đăng"
    SAN_CHAY = "15", "Sán Chay"
    CO_HO = "16", "Cơ-ho"
    CHAM = "17", "Chăm"
    SAN_DIU = "18", "Sán Dìu"
    HRE = "19", "Hrê"
    MNONG = "20", "Mnông"
    RA_GLAI = "21", "Ra-glai"
    XTIENG = "22", "Xtiêng"
    BRU_VAN_KIEU = "23", "Bru-Vân Kiều"
    THO = "24", "Thổ"
    GIAY = "25", "Giáy"
    CO_TU = "26", "Cơ-tu"
    GIE_TRIENG = "27", "Gié-Triêng"
    MA = "28", "Mạ"
    KHO_MU = "29", "Khơ-mú"
    CO = "30", "Co"
    TA_OI = "31", "Tà-ôi"
    CHO_RO = "32", "Chơ-ro"
    KHANG = "33", "Kháng"
    XINH_MUN = "34", "Xinh-mun"
    HA_NHI = "35", "Hà Nhì"
    CHU_RU = "36", "Chu-ru"
    LAO = "37", "Lào"
    LA_CHI = "38", "La Chí"
    LA_HA = "39", "La Ha"
    PHU_LA = "40", "Phù Lá"
    LA_HU = "41", "La Hủ"
    LU = "42", "Lự"
    LO_LO = "43", "Lô Lô"
    CHUT = "44", "Chứt"
    MANG = "45", "Mảng"
    PA_THEN = "46", "Pà Thẻn"
    CO_LAO = "47", "Cơ Lao"
    CONG = "48", "Cống"
    BO_Y = "49", "Bố Y"
    SI_LA = "50", "Si La"
    PU_PEO = "51", "Pu Péo"
    BRAU = "52", "Brâu"
    O_DU = "53", "Ơ Đu"
    RO_MAM = "54", "Rơ-măm"
    FOREIGN = "55", _("Người nước ngoài")


class BirthRegistration(models.TextChoices):
    REGISTERED = "registered", _("Đã đăng ký khai sinh")
    LATE = "late", _("Đăng ký khai sinh quá hạn")
    NOT_REGISTERED = "not_registered", _("Chưa đăng ký khai sinh")
    UNKNOWN = "unknown", _("Chưa rõ")


class SchoolStatus(models.TextChoices):
    IN_SCHOOL = "in_school", _("Đang đi học")
    OUT_OF_SCHOOL = "out_of_school", _("Không đi học, bỏ học")
    NOT_OF_AGE = "not_of_age", _("Chưa đến tuổi đi học")
    UNKNOWN = "unknown", _("Chưa rõ")


class Grade(models.TextChoices):
    NURSERY = "nursery", _("Nhà trẻ")
    KINDERGARTEN = "kindergarten", _("Mẫu giáo")
    G1 = "1", _("Lớp 1")
    G2 = "2", _("Lớp 2")
    G3 = "3", _("Lớp 3")
    G4 = "4", _("Lớp 4")
    G5 = "5", _("Lớp 5")
    G6 = "6", _("Lớp 6")
    G7 = "7", _("Lớp 7")
    G8 = "8", _("Lớp 8")
    G9 = "9", _("Lớp 9")
    G10 = "10", _("Lớp 10")
    G11 = "11", _("Lớp 11")
    G12 = "12", _("Lớp 12")
    VOCATIONAL = "vocational", _("Giáo dục nghề nghiệp")


class DisabilityType(models.TextChoices):
    """Kinds of disability of the Law on Persons with Disabilities 51/2010/QH12, Art. 3(1)."""

    NONE = "", _("Không")
    MOBILITY = "mobility", _("Khuyết tật vận động")
    HEARING_SPEECH = "hearing_speech", _("Khuyết tật nghe, nói")
    VISION = "vision", _("Khuyết tật nhìn")
    MENTAL = "mental", _("Khuyết tật thần kinh, tâm thần")
    INTELLECTUAL = "intellectual", _("Khuyết tật trí tuệ")
    OTHER = "other", _("Khuyết tật khác")


class DisabilitySeverity(models.TextChoices):
    """Degrees of disability of the same law, Art. 3(2)."""

    NONE = "", _("Không")
    ESPECIALLY_SEVERE = "especially_severe", _("Đặc biệt nặng")
    SEVERE = "severe", _("Nặng")
    MILD = "mild", _("Nhẹ")


class NutritionStatus(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    UNDERWEIGHT = "underweight", _("Suy dinh dưỡng thể nhẹ cân")
    STUNTED = "stunted", _("Suy dinh dưỡng thể thấp còi")
    WASTED = "wasted", _("Suy dinh dưỡng thể gầy còm")
    OVERWEIGHT = "overweight", _("Thừa cân, béo phì")
    UNKNOWN = "unknown", _("Chưa đánh giá")


class PovertyStatus(models.TextChoices):
    POOR = "poor", _("Hộ nghèo")
    NEAR_POOR = "near_poor", _("Hộ cận nghèo")
    NONE = "none", _("Không nghèo")
    UNKNOWN = "unknown", _("Chưa rõ")


class LegalBasis(models.TextChoices):
    """Why the state may process this child's data (Personal Data Protection Law 91/2025/QH15 and
    Decree 356/2025/NĐ-CP): consent, or one of the cases where the law allows processing without
    it."""

    CONSENT = "consent", _("Sự đồng ý của cha, mẹ, người giám hộ (và của trẻ từ đủ 7 tuổi)")
    LEGAL_DUTY = "legal_duty", _("Thực hiện nhiệm vụ, nghĩa vụ theo luật định của cơ quan nhà nước")
    VITAL_INTEREST = "vital_interest", _("Bảo vệ tính mạng, sức khoẻ của trẻ")


class Household(models.Model):
    """A household (hộ gia đình) the child lives in, with its poverty status."""

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
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    poverty_status = models.CharField(
        _("tình trạng nghèo"),
        max_length=12,
        choices=PovertyStatus.choices,
        default=PovertyStatus.UNKNOWN,
    )
    poverty_year = models.PositiveSmallIntegerField(
        _("năm xác nhận hộ nghèo"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("hộ gia đình")
        verbose_name_plural = _("hộ gia đình")

    def __str__(self) -> str:
        return self.address or f"#{self.pk}"


class Person(models.Model):
    """A parent or carer, a person of their own (one person may care for several children)."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    name_key = models.CharField(max_length=150, db_index=True, editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("hộ gia đình"),
    )
    is_deceased = models.BooleanField(_("đã mất"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cha, mẹ, người chăm sóc")
        verbose_name_plural = _("cha, mẹ, người chăm sóc")

    def __str__(self) -> str:
        return self.full_name


class Child(models.Model):
    full_name = models.CharField(_("họ và tên"), max_length=150)
    # fold(full_name): "nguyen van an". Searched by prefix (see selectors).
    name_key = models.CharField(max_length=150, editable=False)
    # The same words with the given name first ("an nguyen van"), so that a name typed in
    # Western order is found by the same prefix search.
    name_key_given_first = models.CharField(max_length=150, editable=False)
    # Vietnamese alphabetical order (`keys.vi_sort_key`): the lists sort on it, in byte order.
    name_sort = models.CharField(max_length=300, editable=False, default="", db_default="")
    other_names = models.CharField(
        _("tên gọi khác"),
        max_length=200,
        blank=True,
        help_text=_("Tên thường gọi, tên theo dân tộc, tên cũ; ngăn cách bằng dấu phẩy."),
    )
    birth_date = models.DateField(_("ngày sinh"))
    birth_date_precision = models.CharField(
        _("độ chính xác của ngày sinh"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    # The last day the child may have been born on: equal to birth_date for an exact date, the
    # end of the month or year for a partial one. The active list counts a child as under 16
    # until this date's 16th birthday (the conservative reading: never drop a child too early).
    birth_date_latest = models.DateField(editable=False)
    sex = models.CharField(_("giới tính"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("dân tộc"), max_length=2, choices=Ethnicity.choices, blank=True)
    nationality = models.CharField(
        _("quốc tịch (nếu là người nước ngoài)"), max_length=60, blank=True
    )
    id_number = models.CharField(_("số định danh cá nhân"), max_length=12, blank=True)
    birth_registration = models.CharField(
        _("đăng ký khai sinh"),
        max_length=16,
        choices=BirthRegistration.choices,
        default=BirthRegistration.UNKNOWN,
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="+", editable=False
    )
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="+", verbose_name=_("xã, phường thường trú")
    )
    village = models.ForeignKey(
        Village,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, ấp"),
    )
    address = models.CharField(_("địa chỉ thường trú"), max_length=255, blank=True)
    current_commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã, phường đang sinh sống (nếu khác)"),
    )
    current_address = models.CharField(
        _("nơi đang sinh sống (nếu khác nơi thường trú)"), max_length=255, blank=True
    )
    school_status = models.CharField(
        _("tình trạng đi học"),
        max_length=16,
        choices=SchoolStatus.choices,
        default=SchoolStatus.UNKNOWN,
    )
    school_name = models.CharField(_("trường"), max_length=200, blank=True)
    grade = models.CharField(_("lớp"), max_length=12, choices=Grade.choices, blank=True)
    health_insurance_number = models.CharField(_("số thẻ bảo hiểm y tế"), max_length=15, blank=True)
    disability_type = models.CharField(
        _("dạng khuyết tật"), max_length=16, choices=DisabilityType.choices, blank=True
    )
    disability_severity = models.CharField(
        _("mức độ khuyết tật"), max_length=20, choices=DisabilitySeverity.choices, blank=True
    )
    nutrition_status = models.CharField(
        _("tình trạng dinh dưỡng"),
        max_length=12,
        choices=NutritionStatus.choices,
        default=NutritionStatus.UNKNOWN,
    )
    household = models.ForeignKey(
        Household,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("hộ gia đình"),
    )
    legal_basis = models.CharField(
        _("cơ sở pháp lý xử lý dữ liệu"),
        max_length=16,
        choices=LegalBasis.choices,
        default=LegalBasis.LEGAL_DUTY,
    )
    # Set when consent is withdrawn and no other legal basis remains: the record leaves lists,
    # searches, exports and duplicate checks; see docs/registry.md ("Consent withdrawal").
    processing_restricted = models.BooleanField(_("hạn chế xử lý"), default=False)
    # False once merged into another record (or archived); such rows are kept, never deleted.
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("đã gộp vào"),
    )
    # Where the record came from: "import:<batch>:<row>", "demo:<n>", an external system's key.
    source_ref = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    # Fingerprint of the normalised import row this child was created or last filled from
    # (`importer.row_fingerprint`): the same row imported again is recognised as already
    # registered without running the duplicate engine.
    import_fingerprint = models.CharField(
        max_length=32, blank=True, default="", db_default="", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("trẻ em")
        verbose_name_plural = _("trẻ em")
        indexes = [
            models.Index(fields=["name_key", "id"], name="registry_child_name"),
            models.Index(fields=["name_key_given_first"], name="registry_child_name_given"),
            models.Index(fields=["commune", "name_key", "id"], name="registry_child_commune_name"),
            models.Index(fields=["name_sort", "id"], name="registry_child_sort"),
            models.Index(fields=["commune", "name_sort", "id"], name="registry_child_commune_sort"),
            models.Index(
                fields=["commune", "birth_date_latest"], name="registry_child_commune_dob"
            ),
            models.Index(fields=["id_number"], name="registry_child_id_number"),
        ]
        constraints = [
            # A personal identification number belongs to one person: two live records with the
            # same number are the same child and must be merged, not both kept.
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(merged_into__isnull=True) & ~Q(id_number=""),
                name="registry_child_unique_live_id_number",
            ),
            models.CheckConstraint(
                condition=Q(birth_date_latest__gte=models.F("birth_date")),
                name="registry_child_birth_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Relationship(models.TextChoices):
    MOTHER = "mother", _("Mẹ")
    FATHER = "father", _("Cha")
    STEPMOTHER = "stepmother", _("Mẹ kế")
    STEPFATHER = "stepfather", _("Cha dượng")
    GRANDPARENT = "grandparent", _("Ông, bà")
    SIBLING = "sibling", _("Anh, chị")
    RELATIVE = "relative", _("Người thân thích khác")
    GUARDIAN = "guardian", _("Người giám hộ")
    FOSTER = "foster", _("Người nhận chăm sóc thay thế")
    OTHER = "other", _("Khác")


class ChildCarer(models.Model):
    """A parent or carer of a child, and how they are related."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="carers")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cared_children")
    # A copy of `person.name_key`, kept here so that a guardian search is one index range on this
    # table (migration 0004 indexes it with the child: `carer_name_key, child_id`, in byte order on
    # PostgreSQL) instead of probing every child's carers. Written by the services that link a
    # carer (`services._create_child`, the importer); merges move links between children and leave
    # the key as it is, since it depends on the person alone. A service that renames a person must
    # update it too.
    carer_name_key = models.CharField(max_length=150, editable=False, default="")
    relationship = models.CharField(
        _("quan hệ với trẻ"), max_length=12, choices=Relationship.choices
    )
    is_primary_carer = models.BooleanField(_("người chăm sóc chính"), default=False)
    lives_with_child = models.BooleanField(_("sống cùng trẻ"), default=True)

    class Meta:
        verbose_name = _("người chăm sóc của trẻ")
        verbose_name_plural = _("người chăm sóc của trẻ")
        constraints = [
            models.UniqueConstraint(fields=["child", "person"], name="registry_carer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"


class CircumstanceGroup(models.TextChoices):
    """The 14 groups of children in special circumstances, Law on Children 102/2016/QH13,
    Art. 10(1), lettered as in the law (Vietnamese alphabet: no f, j; đ after d)."""

    A = "a", _("a) Trẻ em mồ côi cả cha và mẹ")
    B = "b", _("b) Trẻ em bị bỏ rơi")
    C = "c", _("c) Trẻ em không nơi nương tựa")
    D = "d", _("d) Trẻ em khuyết tật")
    DD = "dd", _("đ) Trẻ em nhiễm HIV/AIDS")
    E = "e", _("e) Trẻ em vi phạm pháp luật")
    G = "g", _("g) Trẻ em nghiện ma túy")
    H = "h", _("h) Trẻ em phải bỏ học kiếm sống chưa hoàn thành phổ cập giáo dục trung học cơ sở")
    I = "i", _("i) Trẻ em bị tổn hại nghiêm trọng về thể chất và tinh thần do bị bạo lực")  # noqa: E741
    K = "k", _("k) Trẻ em bị bóc lột")
    L = "l", _("l) Trẻ em bị xâm hại tình dục")
    M = "m", _("m) Trẻ em bị mua bán")
    N = (
        "n",
        _(
            "n) Trẻ em mắc bệnh hiểm nghèo hoặc bệnh phải điều trị dài ngày thuộc hộ nghèo, "
            "cận nghèo"
        ),
    )
    O = (  # noqa: E741
        "o",
        _(
            "o) Trẻ em di cư, trẻ em lánh nạn, tị nạn chưa xác định được cha mẹ hoặc không có "
            "người chăm sóc"
        ),
    )


class CircumstanceSubgroup(models.Model):
    """A sub-group of one of the 14 groups (Decree 56/2017/NĐ-CP, Chapter II). Kept as data: the
    names loaded by the migration were written from secondary sources and are marked unverified
    until someone checks them against the gazette text (DOMAIN.md: unverified facts are data)."""

    group = models.CharField(_("nhóm"), max_length=2, choices=CircumstanceGroup.choices)
    code = models.CharField(_("mã"), max_length=8, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    legal_source = models.CharField(_("căn cứ"), max_length=120, blank=True)
    verified = models.BooleanField(_("đã đối chiếu văn bản gốc"), default=False)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("nhóm nhỏ hoàn cảnh đặc biệt")
        verbose_name_plural = _("nhóm nhỏ hoàn cảnh đặc biệt")

    def __str__(self) -> str:
        return self.name


class SpecialCircumstance(models.Model):
    """A period during which a child was in one group of special circumstances. Rows are never
    deleted: a circumstance that ends gets an end date, so the history stays."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="circumstances")
    group = models.CharField(_("nhóm"), max_length=2, choices=CircumstanceGroup.choices)
    subgroup = models.ForeignKey(
        CircumstanceSubgroup,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("nhóm nhỏ"),
    )
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    evidence = models.TextField(_("căn cứ, giấy tờ chứng minh"), blank=True)
    confirmed_by = models.CharField(_("người, cơ quan xác nhận"), max_length=200, blank=True)
    end_reason = models.CharField(_("lý do kết thúc"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        indexes = [models.Index(fields=["group", "end_date", "child"], name="registry_circ_group")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="registry_circ_dates_in_order",
            )
        ]
        verbose_name = _("hoàn cảnh đặc biệt")
        verbose_name_plural = _("hoàn cảnh đặc biệt")

    def __str__(self) -> str:
        return self.get_group_display()


class ConsentScope(models.TextChoices):
    REGISTRY = "registry", _("Lưu và cập nhật thông tin trong sổ theo dõi trẻ em")
    SUPPORT = "support", _("Xét, chi trả trợ giúp xã hội và hỗ trợ")
    SHARING = "sharing", _("Chia sẻ với cơ quan, tổ chức phối hợp")


class Consent(models.Model):
    """A consent given for one scope, by the guardian or (from age 7) by the child (Personal Data
    Protection Law 91/2025/QH15; Decree 356/2025/NĐ-CP). Withdrawal is recorded on the same row."""

    class GivenBy(models.TextChoices):
        GUARDIAN = "guardian", _("Cha, mẹ, người giám hộ")
        CHILD = "child", _("Trẻ em (từ đủ 7 tuổi)")

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(_("người đồng ý"), max_length=10, choices=GivenBy.choices)
    given_by_name = models.CharField(_("họ tên người đồng ý"), max_length=150)
    scope = models.CharField(_("phạm vi"), max_length=10, choices=ConsentScope.choices)
    given_on = models.DateField(_("ngày đồng ý"))
    document = models.CharField(_("văn bản, hình thức"), max_length=200, blank=True)
    withdrawn_on = models.DateField(_("ngày rút lại"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("lý do rút lại"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawal_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-id"]
        verbose_name = _("sự đồng ý")
        verbose_name_plural = _("sự đồng ý")

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.get_given_by_display()})"


class DuplicateDecision(models.Model):
    """What a user decided when the duplicate check showed possible matches before saving."""

    class Decision(models.TextChoices):
        LINKED = "linked", _("Là trẻ đã có trong sổ")
        NEW = "new", _("Là trẻ mới, không trùng")

    class Source(models.TextChoices):
        REGISTER = "register", _("Đăng ký")
        IMPORT = "import", _("Nhập từ tệp")
        API = "api", _("API")

    decision = models.CharField(max_length=8, choices=Decision.choices)
    source = models.CharField(max_length=8, choices=Source.choices)
    child = models.ForeignKey(
        Child, on_delete=models.CASCADE, related_name="duplicate_decisions", null=True
    )
    # The candidates shown: [{"child_id", "score", "evidence": [...]}].
    candidates = models.JSONField(default=list)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định về bản ghi trùng")
        verbose_name_plural = _("quyết định về bản ghi trùng")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} #{self.pk}"


class DuplicatePair(models.Model):
    """A likely duplicate pair found by the background scan, waiting for review."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ xem xét")
        NOT_DUPLICATE = "not_duplicate", _("Không trùng")
        MERGED = "merged", _("Đã gộp")

    child_a = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    child_b = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    evidence = models.JSONField(default=list)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    found_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["child_a", "child_b"], name="registry_pair_unique"),
            models.CheckConstraint(
                condition=Q(child_a__lt=models.F("child_b")), name="registry_pair_ordered"
            ),
        ]
        verbose_name = _("cặp nghi trùng")
        verbose_name_plural = _("cặp nghi trùng")

    def __str__(self) -> str:
        return f"{self.child_a_id} ~ {self.child_b_id} ({self.score:.2f})"


class ChildMerge(models.Model):
    """One merge of `merged` into `survivor`, with everything needed to undo it exactly.

    Both rows are kept. `moves` lists every related row re-pointed from the merged record to the
    survivor ({"model", "pk", "field"}); `filled` lists the survivor's fields that were empty and
    were filled from the merged record ({"field": [before, after]}). Undo reverses both lists.
    """

    survivor = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_absorbed")
    moves = models.JSONField(default=list)
    filled = models.JSONField(default=dict)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("lần gộp hồ sơ")
        verbose_name_plural = _("lần gộp hồ sơ")

    def __str__(self) -> str:
        return f"{self.merged_id} -> {self.survivor_id}"


class ImportTemplate(models.Model):
    """A remembered mapping from a spreadsheet's column headers to registry fields, found again by
    the folded header row the next time the same kind of file is uploaded."""

    header_key = models.CharField(max_length=64, unique=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)  # {"header": "field"}
    # Where the header sits in files of this kind (below the administrative title block), so the
    # next file laid out the same way is read the same way.
    header_row = models.PositiveIntegerField(default=1)
    header_depth = models.PositiveSmallIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu nhập tệp")
        verbose_name_plural = _("mẫu nhập tệp")

    def __str__(self) -> str:
        return self.header_key


def stall_cutoff():
    """Before this moment, a busy import file that has not moved on has lost its worker."""
    return timezone.now() - dt.timedelta(minutes=settings.IMPORT_STALL_MINUTES)


class ImportBatch(models.Model):
    """One uploaded file, from upload to result. The file is read once, by a background task,
    into `ImportRow`s; every page after that reads the rows from the database.

    Status moves one way: uploaded → checking → ready → queued → committing → done; a file
    that cannot be read ends as failed. `commit_claim` moves ready → queued with a conditional
    UPDATE, so two clicks (or a retry after a time-out) start one commit, and the second answers
    with the first one's `result`. A busy file whose worker stopped (`stalled`) is moved on again
    from its page (`importer.batch_resume`)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Đã tải lên, chờ đọc tệp")
        CHECKING = "checking", _("Đang đọc và kiểm tra")
        READY = "ready", _("Đã kiểm tra, chờ nhập")
        QUEUED = "queued", _("Chờ ghi vào sổ")
        COMMITTING = "committing", _("Đang ghi vào sổ")
        DONE = "done", _("Đã nhập")
        FAILED = "failed", _("Không đọc được tệp")
        DRY_RUN = "dry_run", _("Chạy thử")

    file_name = models.CharField(max_length=255)
    file = models.FileField(upload_to="registry/imports/", blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    # The layout found in the file: sheet, header row (1-based) and how many rows it spans.
    sheet_name = models.CharField(max_length=100, blank=True)
    header_row = models.PositiveIntegerField(default=1)
    header_depth = models.PositiveSmallIntegerField(default=1)
    headers = models.JSONField(default=list)
    total_rows = models.PositiveIntegerField(default=0)
    progress = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    # The dry run shown on the preview page (counts and the first rows of each kind).
    preview = models.JSONField(default=dict, blank=True)
    # What the commit did, answered again to a repeated commit; reasons per rejected row.
    result = models.JSONField(default=dict, blank=True)
    # How the check matched each row, kept for the commit ({row number: [child id, how,
    # score]} or [null, "same_file", other row number]) and when it ran: the commit only
    # re-matches rows that children registered or changed since then could concern.
    matches = models.JSONField(default=dict, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the background work last moved the file on (a status, a part, the progress): a file
    # busy and not moved for IMPORT_STALL_MINUTES lost its worker (stopped, restarted) and may be
    # resumed from its page (`importer.batch_resume`).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The commit now writing this file: each part is written only under this claim, so a commit
    # that was taken for stopped but was only slow writes nothing once the file is resumed.
    claim = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lần nhập tệp")
        verbose_name_plural = _("lần nhập tệp")

    def __str__(self) -> str:
        return self.file_name

    @property
    def busy(self) -> bool:
        return self.status in (
            self.Status.UPLOADED,
            self.Status.CHECKING,
            self.Status.QUEUED,
            self.Status.COMMITTING,
        )

    @property
    def stalled(self) -> bool:
        """Busy, but not moved on for IMPORT_STALL_MINUTES: its worker stopped."""
        last = self.heartbeat_at or self.created_at
        return self.busy and last is not None and last < stall_cutoff()


class ImportRow(models.Model):
    """A data row of an uploaded file, as read (cells as the official typed them: dates written
    the way the cell showed them, whole numbers without ".0"), so the file is read only once."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()  # row number in the sheet, as Excel shows it
    cells = models.JSONField(default=list)

    class Meta:
        ordering = ["batch", "number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="registry_importrow_unique")
        ]
        verbose_name = _("dòng của tệp nhập")
        verbose_name_plural = _("dòng của tệp nhập")

    def __str__(self) -> str:
        return f"{self.batch_id}:{self.number}"
