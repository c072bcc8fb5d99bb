"""Field rules of the registry that do not need the database: personal identification numbers,
health insurance card numbers, dates as people write them.

Messages are whole Vietnamese sentences (English through the catalogue) saying what to fix.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django.utils.translation import gettext as _

from treem.lib.text import fold

_DIGITS12 = re.compile(r"^\d{12}$")
# Health insurance cards: the 15-character form (2 letters for the beneficiary group, 1 digit for
# the benefit level, 2 digits for the province, 10 digits of social insurance number) and, since
# the 2021 card format (Decision 1666/QĐ-BHXH), the 10-digit social insurance number alone.
_HI_LONG = re.compile(r"^[A-Z]{2}\d{13}$")
_HI_SHORT = re.compile(r"^\d{10}$")

# The century-and-sex digit of a personal identification number (Decree 137/2015/NĐ-CP, Art. 7;
# Circular 07/2016/TT-BCA, Art. 7): 0/1 for a man/woman born in the 20th century, 2/3 in the
# 21st, 4/5 in the 22nd, and so on.
_CENTURY_BASE = 1900


def clean_id_number(value: str) -> str:
    """Digits only: "0752 1500 1234" and "075-215-001-234" both become "075215001234"."""
    return "".join(ch for ch in (value or "") if ch.isdigit()) if value else ""


def id_number_errors(
    value: str,
    *,
    birth_date: dt.date | None,
    precision: str | None,
    sex: str | None,
    province_codes: frozenset[str],
) -> list[str]:
    """What is wrong with a 12-digit personal identification number, given what else is known.

    Structure (Decree 137/2015/NĐ-CP, Art. 7): 3 digits for the province where the birth was
    registered, 1 digit for century and sex, 2 digits for the year of birth, 6 random digits.
    `province_codes` holds the valid 3-digit province codes (both maps: numbers issued before 2025
    keep the old province code).
    """
    if not value:
        return []
    if not _DIGITS12.match(value):
        return [
            _(
                "Số định danh cá nhân phải có đúng 12 chữ số (đang có %(n)s). Hãy nhập lại theo "
                "thẻ căn cước hoặc giấy khai sinh."
            )
            % {"n": len(value)}
        ]
    errors: list[str] = []
    if province_codes and value[:3] not in province_codes:
        errors.append(
            _(
                "Ba chữ số đầu của số định danh (%(code)s) không phải mã tỉnh nơi đăng ký khai "
                "sinh. Hãy kiểm tra lại số."
            )
            % {"code": value[:3]}
        )
    digit = int(value[3])
    century = _CENTURY_BASE + (digit // 2) * 100
    id_sex = "M" if digit % 2 == 0 else "F"
    if sex and sex != id_sex:
        errors.append(
            _(
                "Chữ số thứ tư của số định danh cho biết giới tính %(id_sex)s, khác giới tính đã "
                "nhập. Hãy kiểm tra lại số định danh hoặc giới tính."
            )
            % {"id_sex": _("nam") if id_sex == "M" else _("nữ")}
        )
    if birth_date is not None:
        year = century + int(value[4:6])
        if year != birth_date.year:
            errors.append(
                _(
                    "Số định danh ghi năm sinh %(id_year)s nhưng ngày sinh đã nhập là năm "
                    "%(year)s. Hãy kiểm tra lại số định danh hoặc ngày sinh."
                )
                % {"id_year": year, "year": birth_date.year}
            )
    return errors


def health_insurance_errors(value: str) -> list[str]:
    if not value or _HI_LONG.match(value) or _HI_SHORT.match(value):
        return []
    return [
        _(
            "Số thẻ bảo hiểm y tế phải gồm 15 ký tự (2 chữ cái và 13 chữ số, ví dụ "
            "TE1750123456789) hoặc 10 chữ số mã số bảo hiểm xã hội."
        )
    ]


def clean_health_insurance(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isalnum()).upper()


# --- dates as people write them -------------------------------------------------------------

# Excel counts days from 1899-12-30 (the 1900 leap-year bug is absorbed by that epoch for every
# date after February 1900).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_NUMS = re.compile(r"\d+")


class DateParseError(ValueError):
    pass


def date_range(year: int, month: int | None, day: int | None) -> tuple[dt.date, dt.date, str]:
    """(earliest, latest, precision) of a possibly partial date; raises ValueError if invalid."""
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year"
    if day is None:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, 1), dt.date(year, month, last), "month"
    d = dt.date(year, month, day)
    return d, d, "day"


def parse_birth_date(value) -> tuple[dt.date, dt.date, str]:
    """Read a birth date from a form or spreadsheet cell.

    Accepts a date or datetime, an Excel serial number, "dd/mm/yyyy" (also with - or .),
    "mm/yyyy", "yyyy", ISO "yyyy-mm-dd", and Vietnamese text ("ngày 5 tháng 3 năm 2019",
    "tháng 3/2019", "năm 2019"). Returns (earliest, latest, precision).
    """
    if value is None or value == "":
        raise DateParseError(_("Chưa có ngày sinh. Hãy nhập ngày sinh theo dạng ngày/tháng/năm."))
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, value, "day"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value))
    text = fold(str(value))
    try:
        if re.fullmatch(r"\d+(\.0+)?", text):
            return _from_number(float(text))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t].*)?", text)
        if m:
            return date_range(int(m[1]), int(m[2]), int(m[3]))
        nums = [int(n) for n in _NUMS.findall(text)]
        if len(nums) == 3:
            day, month, year = nums
            return date_range(_year(year), month, day)
        if len(nums) == 2:
            month, year = nums
            return date_range(_year(year), month, None)
        if len(nums) == 1:
            return date_range(_year(nums[0]), None, None)
    except ValueError as exc:
        raise DateParseError(_bad_date(value)) from exc
    raise DateParseError(_bad_date(value))


def _year(y: int) -> int:
    if y < 1900 or y > 2200:
        raise ValueError(y)
    return y


def _from_number(n: float) -> tuple[dt.date, dt.date, str]:
    whole = int(n)
    if 1900 <= whole <= 2200:
        # A bare four-digit number is a year: no child's Excel serial date is this small.
        return date_range(whole, None, None)
    if 1 <= whole <= 2_958_465:
        d = _EXCEL_EPOCH + dt.timedelta(days=whole)
        return d, d, "day"
    raise DateParseError(_bad_date(n))


def _bad_date(value) -> str:
    return _(
        "Không đọc được ngày sinh “%(value)s”. Hãy nhập theo dạng ngày/tháng/năm (ví dụ "
        "05/03/2019), tháng/năm hoặc chỉ năm sinh."
    ) % {"value": value}


def sixteenth_birthday(born: dt.date) -> dt.date:
    """The day a child born on `born` turns 16 (a 29 February child on 1 March)."""
    try:
        return born.replace(year=born.year + 16)
    except ValueError:
        return dt.date(born.year + 16, 3, 1)


def born_after_for_age(today: dt.date, years: int) -> dt.date:
    """Children born after the returned date are younger than `years` on `today`."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return dt.date(today.year - years, 2, 28)


def age_on(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))
