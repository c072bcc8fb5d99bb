"""Turning what a person typed (in a form, an API call or a spreadsheet cell) into registry values,
with one message per field that is wrong. Forms, the API and the importer all use `child_clean`,
so a rule is written once and gives the same message everywhere.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from treem.geo.models import Commune, LegacyProvince, Province, Village
from treem.lib.text import fold, nfc
from treem.registry import validation as v
from treem.registry.models import (
    BirthRegistration,
    Child,
    DatePrecision,
    DisabilitySeverity,
    DisabilityType,
    Ethnicity,
    Grade,
    LegalBasis,
    NutritionStatus,
    PovertyStatus,
    SchoolStatus,
    Sex,
)

# Fields a child record carries, in the order forms and exports show them.
CHILD_FIELDS = [
    "full_name",
    "other_names",
    "birth_date",
    "birth_date_precision",
    "sex",
    "ethnicity",
    "nationality",
    "id_number",
    "birth_registration",
    "commune",
    "village",
    "address",
    "current_commune",
    "current_address",
    "school_status",
    "school_name",
    "grade",
    "health_insurance_number",
    "disability_type",
    "disability_severity",
    "nutrition_status",
    "legal_basis",
]

_SEX_WORDS = {
    "m": Sex.MALE,
    "nam": Sex.MALE,
    "trai": Sex.MALE,
    "male": Sex.MALE,
    "1": Sex.MALE,
    "f": Sex.FEMALE,
    "nu": Sex.FEMALE,
    "gai": Sex.FEMALE,
    "female": Sex.FEMALE,
    "2": Sex.FEMALE,
}


def _squash(s: str) -> str:
    return "".join(ch for ch in fold(s) if ch.isalnum())


def _choice_lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Accept a choice by its code or by its label, with or without diacritics and hyphens."""
    table: dict[str, str] = {}
    for value, label in choices:
        table[_squash(str(value))] = value
        table[_squash(str(label))] = value
    for k, val in (extra or {}).items():
        table[_squash(k)] = val
    return table


_ETHNICITY = _choice_lookup(
    Ethnicity.choices,
    {"khmer": "05", "hmong": "08", "hmông": "08", "foreign": "55", "nuoc ngoai": "55"},
)


@dataclass
class GeoLookup:
    """Communes, villages and province codes held in memory for a batch of rows (an import of
    100,000 rows must not ask the database about each one)."""

    province_code: str | None = None
    communes: dict[str, Commune] = field(default_factory=dict)
    villages: dict[tuple[str, str], Village] = field(default_factory=dict)
    villages_by_id: dict[int, Village] = field(default_factory=dict)
    id_province_codes: frozenset[str] = frozenset()

    @classmethod
    def load(cls, province_code: str | None = None) -> GeoLookup:
        communes = Commune.objects.all()
        if province_code:
            communes = communes.filter(province_id=province_code)
        villages = Village.objects.all()
        if province_code:
            villages = villages.filter(commune__province_id=province_code)
        vs = list(villages)
        codes = {"0" + c for c in Province.objects.values_list("code", flat=True)}
        codes |= {"0" + c for c in LegacyProvince.objects.values_list("code", flat=True)}
        return cls(
            province_code=province_code,
            communes={c.code: c for c in communes},
            villages={(vl.commune_id, vl.name_folded): vl for vl in vs},
            villages_by_id={vl.pk: vl for vl in vs},
            id_province_codes=frozenset(codes),
        )

    def commune(self, value: Any) -> Commune | None:
        if isinstance(value, Commune):
            return value
        code = str(value or "").strip()
        if code.isdigit():
            code = code.zfill(5)
        return self.communes.get(code)

    def village(self, commune: Commune | None, value: Any) -> Village | bool | None:
        """The village, None when empty, False when given but unknown in that commune."""
        if value in (None, ""):
            return None
        if isinstance(value, Village):
            return value if commune is None or value.commune_id == commune.code else False
        if isinstance(value, int) or str(value).isdigit():
            found = self.villages_by_id.get(int(value))
            if found and (commune is None or found.commune_id == commune.code):
                return found
        if commune is None:
            return False
        return self.villages.get((commune.code, fold(str(value)))) or False


_LOOKUPS: dict[int, dict[str, str]] = {}


def _lookup_for(choices) -> dict[str, str]:
    """The lookup table of a TextChoices' `.choices`, built once (rows are many)."""
    key = id(choices)
    table = _LOOKUPS.get(key)
    if table is None:
        # Labels are accepted in Vietnamese (what spreadsheets hold) and in English.
        from django.utils import translation

        table = {}
        for lang in ("en", "vi"):
            with translation.override(lang):
                table.update(_choice_lookup(choices.choices))
        _LOOKUPS[key] = table
    return table


def _text(raw: dict, name: str, max_length: int | None = None) -> str:
    value = raw.get(name)
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value))[: max_length or None]


def _choice(raw: dict, name: str, choices, errors: dict, *, default: str = "") -> str:
    value = raw.get(name)
    if value in (None, ""):
        return default
    table = choices if isinstance(choices, dict) else _lookup_for(choices)
    hit = table.get(_squash(str(value)))
    if hit is None:
        errors.setdefault(name, []).append(
            _("Giá trị “%(value)s” không có trong danh mục. Hãy chọn một giá trị trong danh sách.")
            % {"value": value}
        )
        return default
    return hit


def child_clean(
    raw: dict[str, Any], *, geo: GeoLookup, today: dt.date
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate and normalise one child's fields. Returns (values, errors by field)."""
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}

    name = _text(raw, "full_name")
    if not name:
        errors["full_name"] = [_("Chưa có họ và tên. Hãy nhập họ và tên đầy đủ của trẻ.")]
    elif len(name) > 150:
        errors["full_name"] = [_("Họ và tên dài quá 150 ký tự. Hãy kiểm tra lại.")]
    elif any(ch.isdigit() for ch in name):
        errors["full_name"] = [_("Họ và tên không được chứa chữ số. Hãy kiểm tra lại.")]
    out["full_name"] = name
    out["other_names"] = _text(raw, "other_names", 200)

    born = latest = None
    precision = DatePrecision.DAY
    try:
        born, latest, precision = v.parse_birth_date(raw.get("birth_date"))
        wanted = raw.get("birth_date_precision")
        if wanted and wanted != precision and isinstance(raw.get("birth_date"), dt.date):
            # A form sends a full date plus "only the year is known": widen it.
            born, latest, precision = v.date_range(
                born.year, born.month if wanted == "month" else None, None
            )
        if born > today:
            errors["birth_date"] = [_("Ngày sinh ở sau ngày hôm nay. Hãy kiểm tra lại ngày sinh.")]
        elif v.age_on(latest, today) >= 18:
            errors["birth_date"] = [
                _(
                    "Theo ngày sinh này người được nhập đã từ 18 tuổi trở lên, không thuộc sổ theo "
                    "dõi trẻ em. Hãy kiểm tra lại năm sinh."
                )
            ]
    except v.DateParseError as exc:
        errors["birth_date"] = [str(exc)]
    out["birth_date"], out["birth_date_latest"], out["birth_date_precision"] = (
        born,
        latest,
        precision,
    )

    sex_raw = raw.get("sex")
    sex = _SEX_WORDS.get(_squash(str(sex_raw))) if sex_raw not in (None, "") else None
    if sex is None:
        errors["sex"] = [_("Giới tính phải là Nam hoặc Nữ. Hãy chọn giới tính của trẻ.")]
    out["sex"] = sex or ""

    out["ethnicity"] = _choice(raw, "ethnicity", _ETHNICITY, errors)
    out["nationality"] = _text(raw, "nationality", 60)
    if out["ethnicity"] == Ethnicity.FOREIGN and not out["nationality"]:
        errors["nationality"] = [
            _("Trẻ là người nước ngoài: hãy ghi quốc tịch (hoặc “không quốc tịch”).")
        ]

    idn = v.clean_id_number(_text(raw, "id_number"))
    if _text(raw, "id_number") and not idn:
        idn = _text(raw, "id_number")
    errs = v.id_number_errors(
        idn,
        birth_date=born if precision in ("day", "month", "year") and born else None,
        precision=precision,
        sex=sex,
        province_codes=geo.id_province_codes,
    )
    if errs:
        errors["id_number"] = errs
    out["id_number"] = idn

    out["birth_registration"] = _choice(
        raw,
        "birth_registration",
        BirthRegistration,
        errors,
        default=BirthRegistration.UNKNOWN,
    )

    commune = geo.commune(raw.get("commune"))
    if commune is None:
        if raw.get("commune") in (None, ""):
            errors["commune"] = [_("Chưa có xã, phường thường trú. Hãy chọn xã, phường.")]
        else:
            errors["commune"] = [
                _(
                    "Không có xã, phường mã “%(code)s” trong tỉnh. Hãy dùng mã xã, phường theo "
                    "danh mục từ 1/7/2025."
                )
                % {"code": raw.get("commune")}
            ]
    out["commune"] = commune
    village = geo.village(commune, raw.get("village"))
    if village is False:
        errors["village"] = [
            _(
                "Không có thôn, ấp “%(name)s” trong xã, phường này. Hãy chọn thôn, ấp có sẵn hoặc "
                "thêm thôn, ấp trước."
            )
            % {"name": raw.get("village")}
        ]
        village = None
    out["village"] = village
    out["address"] = _text(raw, "address", 255)
    current = raw.get("current_commune")
    out["current_commune"] = geo.commune(current) if current not in (None, "") else None
    if current not in (None, "") and out["current_commune"] is None:
        # The actual residence may be outside the province: look it up in the whole country.
        out["current_commune"] = Commune.objects.filter(code=str(current).strip().zfill(5)).first()
        if out["current_commune"] is None:
            errors["current_commune"] = [
                _("Không có xã, phường mã “%(code)s”. Hãy kiểm tra lại mã.") % {"code": current}
            ]
    out["current_address"] = _text(raw, "current_address", 255)

    out["school_status"] = _choice(
        raw, "school_status", SchoolStatus, errors, default=SchoolStatus.UNKNOWN
    )
    out["school_name"] = _text(raw, "school_name", 200)
    out["grade"] = _choice(raw, "grade", Grade, errors)
    if out["school_status"] != SchoolStatus.IN_SCHOOL and out["grade"]:
        errors.setdefault("grade", []).append(
            _("Trẻ không đang đi học thì không ghi lớp. Hãy sửa tình trạng đi học hoặc bỏ lớp.")
        )

    hi = v.clean_health_insurance(_text(raw, "health_insurance_number"))
    errs = v.health_insurance_errors(hi)
    if errs:
        errors["health_insurance_number"] = errs
    out["health_insurance_number"] = hi[:15]

    out["disability_type"] = _choice(raw, "disability_type", DisabilityType, errors)
    out["disability_severity"] = _choice(raw, "disability_severity", DisabilitySeverity, errors)
    if out["disability_type"] and not out["disability_severity"]:
        errors.setdefault("disability_severity", []).append(
            _("Trẻ có khuyết tật: hãy chọn mức độ khuyết tật (đặc biệt nặng, nặng hoặc nhẹ).")
        )
    if out["disability_severity"] and not out["disability_type"]:
        errors.setdefault("disability_type", []).append(
            _("Đã chọn mức độ khuyết tật: hãy chọn cả dạng khuyết tật.")
        )
    out["nutrition_status"] = _choice(
        raw, "nutrition_status", NutritionStatus, errors, default=NutritionStatus.UNKNOWN
    )
    out["legal_basis"] = _choice(
        raw, "legal_basis", LegalBasis, errors, default=LegalBasis.LEGAL_DUTY
    )
    return out, errors


def poverty_clean(value: Any, errors: dict) -> str:
    return _choice(
        {"poverty_status": value},
        "poverty_status",
        PovertyStatus,
        errors,
        default=PovertyStatus.UNKNOWN,
    )


def child_values_to_model(values: dict[str, Any], child: Child) -> None:
    """Copy cleaned values onto a Child (and the derived search keys)."""
    from treem.lib.text import vi_sort_key
    from treem.registry.keys import name_keys

    for name in CHILD_FIELDS:
        if name in values:
            setattr(child, name, values[name])
    child.birth_date_latest = values["birth_date_latest"]
    child.province_id = values["commune"].province_id
    child.name_key, child.name_key_given_first = name_keys(child.full_name)
    child.name_sort = vi_sort_key(child.full_name)
