"""Imports of the catalogue and of historic series (csv or xlsx), shared by the management
commands and the upload pages.

Values: a long table with columns indicator, period, unit, numerator, denominator and optional
sex, age_group. `unit` is a GSO code or a name, on the map the caller states (`legacy` or
`current`; by default legacy for periods that ended before 1 July 2025, when the two-tier map took
effect). A figure of a legacy commune is stored with its legacy code and placed on the new commune
the 2025 conversion table marks as its successor (`CommuneConversion.is_primary`): each legacy
figure is counted once, so the province's total is the same on both maps. A legacy province's
figure is placed on the new province that received most of its communes.

A file on the wrong template saves nothing; a bad row is rejected with its sheet, row and cell
named, and the other rows are saved. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from treem.audit.services import audit_record
from treem.geo.models import Commune, CommuneConversion, LegacyCommune, LegacyProvince, Province
from treem.indicators import computed, hooks
from treem.indicators.models import (
    AgeGroup,
    CommuneReport,
    ImportBatch,
    Indicator,
    IndicatorValue,
    Obtained,
    PeriodType,
    Unit,
)
from treem.indicators.periods import PeriodError, parse_period
from treem.lib.text import fold, nfc
from treem.registry.models import CircumstanceGroup, Ethnicity

TWO_TIER_FROM = datetime.date(2025, 7, 1)
_ETHNICITY_BY_NAME = {fold(str(label)): value for value, label in Ethnicity.choices}


class WrongTemplate(ValueError):
    pass


@dataclass
class Rejected:
    sheet: str
    row: int
    cell: str
    message: str
    values: list


@dataclass
class ImportResult:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    batch_id: int | None = None

    def summary(self) -> str:
        return (
            f"imported {self.imported}, updated {self.updated}, rejected {len(self.rejected)}"
            f" (unchanged {self.unchanged})"
        )


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _load_rows(content: bytes, filename: str) -> tuple[str, list[list]]:
    """(sheet name, every row) of the first sheet of an xlsx, or of a csv."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:
            raise WrongTemplate(_("Không đọc được tệp Excel (.xlsx).")) from exc
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        sheet = ws.title
    else:
        text = content.decode("utf-8-sig", errors="replace")
        rows = [list(r) for r in csv.reader(io.StringIO(text))]
        sheet = filename.rsplit("/", 1)[-1]
    return sheet, rows


def _heading(raw) -> str:
    """A column heading as it is compared: folded, underscores and runs of spaces as one space,
    without a trailing colon ("Tên chỉ tiêu:", "TEN_CHI_TIEU" and "ten chi tieu" are one)."""
    text = fold(nfc(str(raw or ""))).replace("_", " ").strip().rstrip(":").strip()
    return " ".join(text.split())


def find_header(
    rows: list[list], columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[int, dict[str, int]] | None:
    """The first row (of the first 15: officials put a title block above the table) that names
    every required column by one of its headings, and the position of each column it names."""
    for i, row in enumerate(rows[:15]):
        found: dict[str, int] = {}
        for j, raw in enumerate(row):
            key = _heading(raw)
            for name, headings in columns.items():
                if key in headings and name not in found:
                    found[name] = j
        if all(name in found for name in required):
            return i, found
    return None


def read_table(
    content: bytes, filename: str, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]
) -> tuple[str, dict[str, int], list[list], int]:
    """(sheet name, column positions, rows under the header, header row number) of the first
    sheet of an xlsx, or of a csv. A file without the required headings saves nothing."""
    sheet, rows = _load_rows(content, filename)
    found = find_header(rows, columns, required)
    if found is None:
        raise WrongTemplate(
            _("Tệp không có dòng tiêu đề với các cột %(cols)s: không có gì được lưu.")
            % {"cols": ", ".join("“%s”" % str(COLUMN_TITLES[c]) for c in required)}
        )
    i, col = found
    return sheet, col, rows[i + 1 :], i + 1


# Each column of the two imports, by the headings a province's sheet may give it: the Vietnamese
# words officials write, and the English names of earlier templates. Compared folded (`_heading`).
VALUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "indicator": ("chi tieu", "ma chi tieu", "ten chi tieu", "indicator"),
    "period": ("ky", "ky bao cao", "thoi ky", "nam", "period"),
    "unit": (
        "don vi",
        "ma don vi",
        "ten don vi",
        "dia ban",
        "don vi hanh chinh",
        "xa, phuong",
        "tinh, xa",
        "unit",
    ),
    "numerator": ("tu so", "so lieu", "gia tri", "so luong", "numerator"),
    "denominator": ("mau so", "denominator"),
    "sex": ("gioi tinh", "sex"),
    "age_group": ("nhom tuoi", "do tuoi", "age group"),
    "circumstance": ("nhom hoan canh", "hoan canh dac biet", "nhom hcdb", "circumstance"),
    "ethnicity": ("dan toc", "ethnicity"),
}
VALUE_REQUIRED = ("indicator", "period", "unit", "numerator")
CATALOGUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ma", "ma chi tieu", "code"),
    "name_vi": ("ten chi tieu", "ten", "ten tieng viet", "name vi"),
    "name_en": ("ten tieng anh", "name en"),
    "unit": ("don vi tinh", "dvt", "unit"),
    "period_type": ("ky", "ky bao cao", "ky thu thap", "period type"),
    "source": ("nguon", "nguon so lieu", "cach thu thap", "source"),
}
CATALOGUE_REQUIRED = ("name_vi", "unit", "period_type")
COLUMN_TITLES = {
    "indicator": _lazy("Chỉ tiêu"),
    "period": _lazy("Kỳ"),
    "unit": _lazy("Đơn vị"),
    "numerator": _lazy("Tử số"),
    "name_vi": _lazy("Tên chỉ tiêu"),
    "period_type": _lazy("Kỳ"),
}


def _choice(raw, choices, extra: dict[str, str] | None = None) -> str | None:
    """The stored value of a choice written by its label ("Tỷ lệ %"), its value ("percent") or
    one of `extra`'s words, compared folded; None when it is none of them."""
    key = _heading(raw)
    table = {}
    for language in ("en", "vi"):  # a sheet may be written in either language
        with translation.override(language):
            table.update({_heading(label): value for value, label in choices})
    table.update({_heading(value): value for value, _label in choices})
    table.update(extra or {})
    return table.get(key)


def _labels(choices, values=None) -> str:
    """“A”, “B” hoặc “C”: the labels a user may write, for a rejection message."""
    names = ["“%s”" % label for value, label in choices if values is None or value in values]
    return _("%(list)s hoặc %(last)s") % {"list": ", ".join(names[:-1]), "last": names[-1]}


def _decimal(raw) -> Decimal | None:
    if raw is None or str(raw).strip() == "":
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return Decimal(str(raw))
    text = str(raw).strip().replace(" ", "")
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation
    return value


_SEX = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "female": "F"}


class _Units:
    """Unit lookups by code or folded name on each map, loaded once per import."""

    def __init__(self):
        self.communes = {c.code: c for c in Commune.objects.all()}
        self.provinces = {p.code: p for p in Province.objects.all()}
        self.commune_names: dict[str, list[str]] = {}
        for c in self.communes.values():
            self.commune_names.setdefault(c.name_folded, []).append(c.code)
        self.province_names = {p.name_folded: p.code for p in self.provinces.values()}
        self.legacy = {c.code: c for c in LegacyCommune.objects.all()}
        self.legacy_names: dict[str, list[str]] = {}
        for c in self.legacy.values():
            self.legacy_names.setdefault(c.name_folded, []).append(c.code)
        self.legacy_provinces = {p.code: p for p in LegacyProvince.objects.all()}
        self.legacy_province_names = {p.name_folded: p.code for p in self.legacy_provinces.values()}
        self.successor = dict(
            CommuneConversion.objects.filter(is_primary=True).values_list(
                "legacy_commune_id", "commune_id"
            )
        )
        self.new_province = {c: self.communes[n].province_id for c, n in self.successor.items()}
        self._legacy_province_successor: dict[str, str] = {}

    def legacy_province_successor(self, code: str) -> str | None:
        if code not in self._legacy_province_successor:
            counts = Counter(
                self.new_province[c]
                for c in LegacyCommune.objects.filter(province_id=code).values_list(
                    "code", flat=True
                )
                if c in self.new_province
            )
            self._legacy_province_successor[code] = counts.most_common(1)[0][0] if counts else None
        return self._legacy_province_successor[code]

    def resolve(self, raw: str, mapping: str):
        """(commune or None, province code, legacy code) or an error message."""
        text = nfc(str(raw or "")).strip()
        if text.isdigit():
            code = text
            if mapping == "current":
                if len(code) <= 2 and code.zfill(2) in self.provinces:
                    return None, code.zfill(2), ""
                if code.zfill(5) in self.communes:
                    c = self.communes[code.zfill(5)]
                    return c, c.province_id, ""
            else:
                if len(code) <= 2 and code.zfill(2) in self.legacy_provinces:
                    new = self.legacy_province_successor(code.zfill(2))
                    if new:
                        return None, new, code.zfill(2)
                if code.zfill(5) in self.legacy:
                    new = self.successor.get(code.zfill(5))
                    if new:
                        c = self.communes[new]
                        return c, c.province_id, code.zfill(5)
                    return _("Xã cũ %(code)s không có trong bảng chuyển đổi 2025.") % {"code": code}
            return _("Không có đơn vị mã %(code)s trên bản đồ %(map)s.") % {
                "code": code,
                "map": _("cũ (trước 7/2025)") if mapping == "legacy" else _("hiện hành"),
            }
        key = fold(text)
        for prefix in ("tinh ", "thanh pho "):
            if key.startswith(prefix) and key[len(prefix) :] in (
                self.province_names if mapping == "current" else self.legacy_province_names
            ):
                key = key[len(prefix) :]
        if mapping == "current":
            if key in self.province_names:
                return None, self.province_names[key], ""
            codes = self.commune_names.get(key, [])
        else:
            if key in self.legacy_province_names:
                return self.resolve(self.legacy_province_names[key], mapping)
            codes = self.legacy_names.get(key, [])
        if len(codes) == 1:
            return self.resolve(codes[0], mapping)
        if len(codes) > 1:
            return _("Tên “%(name)s” trùng nhiều đơn vị: hãy ghi mã đơn vị.") % {"name": text}
        return _("Không tìm thấy đơn vị “%(name)s”.") % {"name": text}


def _indicator_lookup() -> dict[str, Indicator]:
    """Indicators by code and by folded Vietnamese or English name (a sheet names them either
    way); a name two indicators share is left out, so it is never taken for one of them."""
    table: dict[str, Indicator] = {}
    names: Counter = Counter()
    everything = list(Indicator.objects.all())
    for i in everything:
        for name in {_heading(i.name_vi), _heading(i.name_en)} - {""}:
            names[name] += 1
    for i in everything:
        for name in {_heading(i.name_vi), _heading(i.name_en)} - {""}:
            if names[name] == 1:
                table[name] = i
    for i in everything:
        table[i.code] = i
    return table


def import_values(
    *, actor, content: bytes, filename: str, mapping: str | None = None
) -> ImportResult:
    sheet, col, rows, header_row = read_table(content, filename, VALUE_COLUMNS, VALUE_REQUIRED)
    indicators = _indicator_lookup()
    units = _Units()
    approved = set(
        CommuneReport.objects.filter(status=CommuneReport.Status.APPROVED).values_list(
            "commune_id", "period"
        )
    )
    result = ImportResult()
    digest = hashlib.sha256(content).hexdigest()

    def cell(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    def reject(n, name, message, row):
        letter = _column_letter(col.get(name, 0))
        result.rejected.append(
            Rejected(
                sheet, n, f"{letter}{n}", message, [str(v) if v is not None else "" for v in row]
            )
        )

    with transaction.atomic():
        for offset, row in enumerate(rows):
            n = header_row + offset + 1
            if not any(v not in (None, "") for v in row):
                continue
            raw = nfc(str(cell(row, "indicator") or "")).strip()
            indicator = indicators.get(raw.upper()) or indicators.get(_heading(raw))
            if indicator is None:
                reject(
                    n, "indicator", _("Không có chỉ tiêu “%(c)s” trong danh mục.") % {"c": raw}, row
                )
                continue
            if indicator.obtained == Obtained.COMPUTED:
                reject(n, "indicator", _("Chỉ tiêu này được Treem tự tính, không nhập."), row)
                continue
            try:
                period = parse_period(cell(row, "period"))
            except PeriodError:
                reject(
                    n,
                    "period",
                    _(
                        "Kỳ không hợp lệ: viết “Năm 2015”, “6 tháng đầu năm 2015”, “Quý 3/2015” "
                        "hoặc “Tháng 6/2015”."
                    ),
                    row,
                )
                continue
            if period.kind != indicator.period_type:
                reject(
                    n,
                    "period",
                    _("Chỉ tiêu này báo cáo theo kỳ “%(k)s”.")
                    % {"k": PeriodType(indicator.period_type).label},
                    row,
                )
                continue
            row_map = mapping or ("legacy" if period.end < TWO_TIER_FROM else "current")
            resolved = units.resolve(cell(row, "unit"), row_map)
            if isinstance(resolved, str):
                reject(n, "unit", resolved, row)
                continue
            commune, province_code, legacy_code = resolved
            try:
                num = _decimal(cell(row, "numerator"))
            except (InvalidOperation, ValueError):
                reject(n, "numerator", _("Tử số phải là một số."), row)
                continue
            try:
                den = _decimal(cell(row, "denominator"))
            except (InvalidOperation, ValueError):
                reject(n, "denominator", _("Mẫu số phải là một số."), row)
                continue
            if num is None or num < 0:
                reject(n, "numerator", _("Tử số phải có và không âm."), row)
                continue
            if indicator.unit == Unit.COUNT:
                if den is not None:
                    reject(n, "denominator", _("Chỉ tiêu số lượng không có mẫu số: để trống."), row)
                    continue
            else:
                if den is None or den <= 0:
                    reject(n, "denominator", _("Chỉ tiêu tỷ lệ cần mẫu số lớn hơn 0."), row)
                    continue
                if num > den:
                    reject(n, "numerator", _("Tử số lớn hơn mẫu số."), row)
                    continue
            sex_raw = fold(str(cell(row, "sex") or "")).strip()
            sex = _SEX.get(sex_raw, None if sex_raw else "")
            if sex is None:
                reject(n, "sex", _("Giới tính ghi Nam hoặc Nữ."), row)
                continue
            age = str(cell(row, "age_group") or "").strip().replace("–", "-")
            if age and age not in AgeGroup.values:
                reject(n, "age_group", _("Nhóm tuổi ghi 0-2, 3-5, 6-10 hoặc 11-15."), row)
                continue
            # The letter of Art. 10 as the law writes it; "đ" is its own group (not d), so the
            # cell is not folded.
            circ = nfc(str(cell(row, "circumstance") or "")).strip().lower().rstrip(")")
            circ = {"đ": "dd"}.get(circ, circ)
            if circ and circ not in CircumstanceGroup.values:
                reject(
                    n,
                    "circumstance",
                    _("Nhóm hoàn cảnh đặc biệt ghi chữ cái ở Điều 10 Luật Trẻ em: a, b, c, d, đ…"),
                    row,
                )
                continue
            eth = str(cell(row, "ethnicity") or "").strip()
            eth = eth.zfill(2) if eth.isdigit() else _ETHNICITY_BY_NAME.get(fold(eth), eth)
            if eth and eth not in Ethnicity.values:
                reject(n, "ethnicity", _("Dân tộc ghi tên hoặc mã (01 Kinh, 02 Tày…)."), row)
                continue
            if commune is not None and (commune.code, period.code) in approved and not legacy_code:
                reject(
                    n, "period", _("Báo cáo của xã cho kỳ này đã được duyệt: không ghi đè."), row
                )
                continue
            unit_code = commune.code if commune else province_code
            existing = IndicatorValue.objects.filter(
                indicator=indicator,
                period=period.code,
                unit_code=unit_code,
                legacy_code=legacy_code,
                sex=sex,
                age_group=age,
                circumstance=circ,
                ethnicity=eth,
            ).first()
            if existing is not None:
                if existing.report_id:
                    reject(n, "period", _("Số liệu kỳ này do xã báo cáo: không ghi đè."), row)
                    continue
                if existing.numerator == num and existing.denominator == den:
                    result.unchanged += 1
                    continue
                existing.numerator, existing.denominator = num, den
                existing.save(update_fields=["numerator", "denominator", "updated_at"])
                result.updated += 1
                continue
            IndicatorValue.objects.create(
                indicator=indicator,
                commune=commune,
                province_id=province_code,
                unit_code=unit_code,
                legacy_code=legacy_code,
                period=period.code,
                year=period.year,
                sex=sex,
                age_group=age,
                circumstance=circ,
                ethnicity=eth,
                numerator=num,
                denominator=den,
                source=IndicatorValue.Source.IMPORTED,
                is_final=True,
            )
            result.imported += 1
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.VALUES,
            filename=filename[:255],
            sha256=digest,
            mapping=mapping or "",
            imported=result.imported,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=len(result.rejected),
            rejected_rows=[r.__dict__ for r in result.rejected],
            created_by=actor,
        )
        result.batch_id = batch.pk
        audit_record(
            actor=actor,
            action="create",
            obj=batch,
            details={
                "imported": result.imported,
                "updated": result.updated,
                "rejected": len(result.rejected),
            },
        )
    return result


_UNIT_WORDS = {"%": Unit.PERCENT, "ty le": Unit.PERCENT, "phan nghin": Unit.PER_1000}
_PERIOD_WORDS = {"nua nam": PeriodType.HALF, "hang nam": PeriodType.YEAR}
_SOURCE_WORDS = {"nhap tay": Obtained.ENTERED, "xa nhap": Obtained.ENTERED, "": Obtained.ENTERED}


def _new_code(name: str, taken) -> str:
    """A code for an indicator a province adds without one: its folded name in capitals."""
    base = "TINH_" + "_".join(fold(name).upper().replace("-", " ").split())[:30]
    base = "".join(ch for ch in base if ch.isalnum() or ch == "_")
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}_{n}"
    return code


def import_catalogue(*, actor, content: bytes, filename: str) -> ImportResult:
    """Indicators a province adds or corrects. A row names its indicator by code or, without a
    code, by its Vietnamese name; a new indicator without a code is given one."""
    sheet, col, rows, header_row = read_table(
        content, filename, CATALOGUE_COLUMNS, CATALOGUE_REQUIRED
    )
    lookup = _indicator_lookup()
    taken = set(Indicator.objects.values_list("code", flat=True))
    result = ImportResult()

    def cell(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    def reject(n, name, message, row):
        letter = _column_letter(col.get(name, 0))
        result.rejected.append(
            Rejected(
                sheet, n, f"{letter}{n}", message, [str(v) if v is not None else "" for v in row]
            )
        )

    with transaction.atomic():
        for offset, row in enumerate(rows):
            n = header_row + offset + 1
            if not any(v not in (None, "") for v in row):
                continue
            code = str(cell(row, "code") or "").strip().upper()
            if code and (len(code) > 40 or not code.replace("_", "").replace("-", "").isalnum()):
                reject(n, "code", _("Mã chỉ tiêu chỉ gồm chữ không dấu, số, “_” hoặc “-”."), row)
                continue
            name_vi = nfc(str(cell(row, "name_vi") or "")).strip()
            if not name_vi:
                reject(n, "name_vi", _("Thiếu tên chỉ tiêu."), row)
                continue
            unit = _choice(cell(row, "unit"), Unit.choices, _UNIT_WORDS)
            if unit is None:
                reject(n, "unit", _("Đơn vị tính ghi %(v)s.") % {"v": _labels(Unit.choices)}, row)
                continue
            period_type = _choice(cell(row, "period_type"), PeriodType.choices, _PERIOD_WORDS)
            if period_type is None:
                reject(
                    n,
                    "period_type",
                    _("Kỳ ghi %(v)s.") % {"v": _labels(PeriodType.choices)},
                    row,
                )
                continue
            if not code:
                known = lookup.get(_heading(name_vi))
                code = known.code if known is not None else _new_code(name_vi, taken)
            taken.add(code)
            source = _choice(cell(row, "source"), Obtained.choices, _SOURCE_WORDS)
            # A figure Treem computes is accepted only for one another app computes through the
            # hooks (it has no catalogue entry until the province names it here).
            allowed = (Obtained.ENTERED, Obtained.IMPORTED) + (
                (Obtained.COMPUTED,) if code in hooks.computed_codes() else ()
            )
            if source not in allowed:
                reject(
                    n,
                    "source",
                    _("Nguồn ghi %(v)s.")
                    % {"v": _labels(Obtained.choices, (Obtained.ENTERED, Obtained.IMPORTED))},
                    row,
                )
                continue
            values = {
                "name_vi": name_vi,
                "name_en": nfc(str(cell(row, "name_en") or "")).strip(),
                "unit": unit,
                "period_type": period_type,
                "obtained": source,
            }
            existing = Indicator.objects.filter(code=code).first()
            if existing is not None:
                if existing.obtained == Obtained.COMPUTED and code in computed.OWN:
                    reject(n, "code", _("Mã này là chỉ tiêu Treem tự tính."), row)
                    continue
                if all(getattr(existing, k) == v for k, v in values.items()):
                    result.unchanged += 1
                    continue
                for k, v in values.items():
                    setattr(existing, k, v)
                existing.full_clean()
                existing.save()
                result.updated += 1
                continue
            ind = Indicator(code=code, group="general", verified=False, order=9000, **values)
            ind.full_clean()
            ind.save()
            result.imported += 1
        batch = ImportBatch.objects.create(
            kind=ImportBatch.Kind.CATALOGUE,
            filename=filename[:255],
            sha256=hashlib.sha256(content).hexdigest(),
            imported=result.imported,
            updated=result.updated,
            unchanged=result.unchanged,
            rejected=len(result.rejected),
            rejected_rows=[r.__dict__ for r in result.rejected],
            created_by=actor,
        )
        result.batch_id = batch.pk
        audit_record(actor=actor, action="create", obj=batch, details={"imported": result.imported})
    return result


# The child-friendly evaluation sheet as a province keeps it: a title block (issuing body, title,
# year), then a header row with one row per commune × criterion, then a signature block. Columns are
# recognised by their (folded) Vietnamese or English heading, wherever they are.
CF_COLUMNS: dict[str, tuple[str, ...]] = {
    "commune": (
        "ma xa",
        "ma xa, phuong",
        "ma don vi",
        "xa, phuong",
        "xa phuong",
        "ten xa",
        "ten xa, phuong",
        "don vi",
        "commune",
    ),
    "year": ("nam", "nam danh gia", "year"),
    "criterion": ("tieu chi", "tieu chi so", "so tieu chi", "ma tieu chi", "criterion"),
    "points": ("diem", "so diem", "diem cham", "diem dat", "points"),
    "met": ("dat", "dat tieu chi", "ket qua", "met"),
    "reason": ("ly do", "ly do dieu chinh", "ly do sua diem", "ghi chu", "reason"),
    "kind": ("loai xa", "kind"),
}
CF_REQUIRED = ("commune", "criterion", "points")
_YES = {"co", "x", "1", "dat", "yes", "true", "v"}
_NO = {"khong", "0", "chua dat", "khong dat", "no", "false"}


def import_child_friendly(
    *, actor, content: bytes, filename: str, year: int | None = None
) -> ImportResult:
    """Scores of child-friendly evaluations from a sheet (one row per commune × criterion).

    A row is rejected with its row number and the reason (unknown commune or one outside the
    user's reach, unknown criterion, points not a whole number or above the maximum, an
    evaluation already submitted, automatic points changed without a reason, a second row for the
    same commune and criterion); the other rows are saved, each commune's rows through
    `services.child_friendly_save` like the page. A blank points cell of a criterion scored from
    its indicator takes the automatic points. The same file again changes nothing."""
    from treem.indicators import access, services
    from treem.indicators.child_friendly import auto_scores
    from treem.indicators.models import (
        ChildFriendlyCriterion,
        ChildFriendlyEvaluation,
        CommuneKind,
    )

    sheet, rows = _load_rows(content, filename)
    found = find_header(rows, CF_COLUMNS, CF_REQUIRED)
    if found is None:
        raise WrongTemplate(
            _(
                "Không tìm thấy dòng tiêu đề có các cột “Xã, phường” (hoặc “Mã xã”), “Tiêu chí” "
                "và “Điểm”: không có gì được lưu. Hãy dùng đúng mẫu bảng chấm điểm."
            )
        )
    header_index, col = found
    if "year" not in col and year is None:
        raise WrongTemplate(
            _("Tệp không có cột “Năm”: hãy chọn năm đánh giá khi tải lên. Không có gì được lưu.")
        )
    criteria = {c.number: c for c in ChildFriendlyCriterion.objects.select_related("indicator")}
    kinds = {fold(str(label)): value for value, label in CommuneKind.choices}
    kinds.update({v: v for v in CommuneKind.values})
    reachable = {c.code: c for c in access.communes_for_user(actor)}
    by_name: dict[str, list[str]] = {}
    for c in reachable.values():
        by_name.setdefault(c.name_folded, []).append(c.code)
    result = ImportResult()
    digest = hashlib.sha256(content).hexdigest()

    def cell(row, name):
        i = col.get(name)
        return row[i] if i is not None and i < len(row) else None

    def reject(n, name, message, row):
        letter = _column_letter(col.get(name, 0))
        result.rejected.append(
            Rejected(
                sheet, n, f"{letter}{n}", message, [str(v) if v is not None else "" for v in row]
            )
        )

    def resolve(raw) -> str | None:
        text = nfc(str(raw or "")).strip()
        if text.isdigit():
            return text.zfill(5) if text.zfill(5) in reachable else None
        key = fold(text)
        for prefix in ("xa ", "phuong ", "dac khu "):
            if key.startswith(prefix) and key not in by_name and key[len(prefix) :] in by_name:
                key = key[len(prefix) :]
        codes = by_name.get(key, [])
        return codes[0] if len(codes) == 1 else None

    # Pass 1: check each row on its own; group the good ones by evaluation.
    groups: dict[tuple[str, int], dict] = {}
    seen: set[tuple[str, int, int]] = set()
    for offset, row in enumerate(rows[header_index + 1 :]):
        n = header_index + offset + 2
        if all(cell(row, k) in (None, "") for k in ("commune", "criterion")):
            continue  # blank line, or the signature block under the table
        code = resolve(cell(row, "commune"))
        if code is None:
            reject(
                n,
                "commune",
                _("Không tìm thấy xã, phường “%(c)s” trong phạm vi của bạn.")
                % {"c": cell(row, "commune") or ""},
                row,
            )
            continue
        try:
            row_year = int(str(cell(row, "year")).strip()) if cell(row, "year") else year
        except ValueError:
            row_year = None
        if row_year is None or not 2000 <= row_year <= 2100:
            reject(n, "year", _("Năm phải là số, ví dụ 2025."), row)
            continue
        raw_number = str(cell(row, "criterion") or "").strip().rstrip(".")
        number = int(raw_number.split(".")[0]) if raw_number.split(".")[0].isdigit() else None
        criterion = criteria.get(number) if number is not None else None
        if criterion is None:
            reject(
                n, "criterion", _("Tiêu chí phải là số từ 1 đến %(m)s.") % {"m": len(criteria)}, row
            )
            continue
        if (code, row_year, number) in seen:
            reject(n, "criterion", _("Dòng lặp: xã này đã có dòng cho tiêu chí này."), row)
            continue
        raw_points = cell(row, "points")
        points = None
        if raw_points not in (None, ""):
            try:
                value = _decimal(raw_points)
            except (InvalidOperation, ValueError):
                value = None
            if value is None or value != value.to_integral_value():
                reject(n, "points", _("Điểm phải là số nguyên."), row)
                continue
            points = int(value)
            if not 0 <= points <= criterion.max_points:
                reject(
                    n,
                    "points",
                    _("Điểm phải từ 0 đến %(max)s.") % {"max": criterion.max_points},
                    row,
                )
                continue
        met_raw = fold(str(cell(row, "met") or "")).strip()
        if met_raw and met_raw not in _YES and met_raw not in _NO:
            reject(n, "met", _("Cột “Đạt” ghi Có hoặc Không."), row)
            continue
        kind_raw = fold(str(cell(row, "kind") or "")).strip()
        if kind_raw and kind_raw not in kinds:
            reject(n, "kind", _("Loại xã không đúng danh sách."), row)
            continue
        seen.add((code, row_year, number))
        group = groups.setdefault((code, row_year), {"rows": [], "kind": ""})
        group["kind"] = group["kind"] or kinds.get(kind_raw, "")
        group["rows"].append(
            (
                n,
                row,
                number,
                points,
                None if not met_raw else met_raw in _YES,
                nfc(str(cell(row, "reason") or "")).strip(),
            )
        )

    # Pass 2: one evaluation at a time, through the same service as the page.
    for (code, row_year), group in groups.items():
        existing = ChildFriendlyEvaluation.objects.filter(commune_id=code, year=row_year).first()
        if existing is not None and existing.status != ChildFriendlyEvaluation.Status.DRAFT:
            for n, row, *_rest in group["rows"]:
                reject(n, "commune", _("Bản đánh giá của xã năm này đã gửi: không ghi đè."), row)
            continue
        if not access.can_evaluate(actor, code):
            for n, row, *_rest in group["rows"]:
                reject(n, "commune", _("Bạn không được chấm điểm cho xã, phường này."), row)
            continue
        auto = auto_scores(code, row_year, list(criteria.values()))
        before = (
            {
                s.criterion.number: (s.points, s.met, s.override_reason)
                for s in existing.scores.select_related("criterion")
            }
            if existing
            else {}
        )
        points, met, reasons = {}, {}, {}
        for n, row, number, pts, is_met, reason in group["rows"]:
            a = auto.get(number)
            if pts is None:
                if a is None:
                    reject(
                        n, "points", _("Tiêu chí này chưa có số liệu để tự tính: ghi điểm."), row
                    )
                    continue
                pts = a.points
            if a is not None and pts != a.points and not reason:
                reject(
                    n,
                    "reason",
                    _("Điểm %(p)s khác điểm tự tính từ số liệu (%(a)s): ghi lý do điều chỉnh.")
                    % {"p": pts, "a": a.points},
                    row,
                )
                continue
            points[number] = pts
            met[number] = is_met if is_met is not None else (a.met if a else pts > 0)
            reasons[number] = reason
        if not points:
            continue
        kind = group["kind"] or (existing.kind if existing else CommuneKind.OTHER)
        try:
            services.child_friendly_save(
                actor=actor,
                commune=reachable[code],
                year=row_year,
                kind=kind,
                points=points,
                met=met,
                reasons=reasons,
                auto=auto,
                expected_version=existing.version if existing else None,
            )
        except ValidationError as exc:
            # Refused as a whole (e.g. someone saved this evaluation meanwhile): its rows are
            # listed with the reason, the other communes' rows stand.
            for n, row, number, *_rest in group["rows"]:
                if number in points:
                    reject(n, "commune", " ".join(exc.messages), row)
            continue
        for number, pts in points.items():
            reason = (
                reasons[number] if auto.get(number) is None or pts != auto[number].points else ""
            )
            old = before.get(number)
            if old is None:
                result.imported += 1
            elif old == (pts, met[number], reason):
                result.unchanged += 1
            else:
                result.updated += 1
    result.rejected.sort(key=lambda r: r.row)
    batch = ImportBatch.objects.create(
        kind=ImportBatch.Kind.CHILD_FRIENDLY,
        filename=filename[:255],
        sha256=digest,
        imported=result.imported,
        updated=result.updated,
        unchanged=result.unchanged,
        rejected=len(result.rejected),
        rejected_rows=[r.__dict__ for r in result.rejected],
        created_by=actor,
    )
    result.batch_id = batch.pk
    audit_record(
        actor=actor,
        action="create",
        obj=batch,
        details={
            "imported": result.imported,
            "updated": result.updated,
            "rejected": len(result.rejected),
        },
    )
    return result
