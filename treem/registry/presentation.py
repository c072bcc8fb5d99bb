"""How the registry shows a likely duplicate to an official: field labels in the user's language,
values as recorded (diacritics, dd/mm/yyyy, Nam/Nữ), a word for how alike each pair of values is,
and a plain verdict. Never the engine's weights, level codes or score."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from treem.lib.text import fold
from treem.registry.models import Child, Sex

# The engine's probability above which two records are "very likely" the same child. Below it
# (down to the engine's threshold, 0.5) they only "may" be.
VERY_LIKELY = 0.9

LABELS = [
    ("full_name", _("Họ và tên")),
    ("birth_date", _("Ngày sinh")),
    ("sex", _("Giới tính")),
    ("mother_name", _("Họ tên mẹ")),
    ("father_name", _("Họ tên cha")),
    ("id_number", _("Số định danh cá nhân")),
    ("commune", _("Xã, phường")),
    ("address", _("Địa chỉ")),
]


def verdict(score: float) -> str:
    if score >= VERY_LIKELY:
        return str(_("Rất có thể là cùng một trẻ"))
    return str(_("Có thể là cùng một trẻ"))


def date_text(born: dt.date | None, precision: str) -> str:
    if born is None:
        return ""
    if precision == "year":
        return str(born.year)
    if precision == "month":
        return born.strftime("%m/%Y")
    return born.strftime("%d/%m/%Y")


def _sex(code: str) -> str:
    return str(Sex(code).label) if code in Sex.values else ""


def side_of_values(values: dict[str, Any], carers: list[dict]) -> dict[str, str]:
    """What the official is entering, for the comparison."""
    commune = values.get("commune")
    return {
        "full_name": values.get("full_name", ""),
        "birth_date": date_text(values.get("birth_date"), values.get("birth_date_precision", "")),
        "sex": _sex(values.get("sex", "")),
        "mother_name": next(
            (c["full_name"] for c in carers if c.get("relationship") == "mother"), ""
        ),
        "father_name": next(
            (c["full_name"] for c in carers if c.get("relationship") == "father"), ""
        ),
        "id_number": values.get("id_number", ""),
        "commune": commune.name if commune else "",
        "address": values.get("address", ""),
    }


def side_of_child(child: Child) -> dict[str, str]:
    """A registered child as recorded."""
    carers = list(child.carers.select_related("person"))
    return {
        "full_name": child.full_name,
        "birth_date": date_text(child.birth_date, child.birth_date_precision),
        "sex": _sex(child.sex),
        "mother_name": next((c.person.full_name for c in carers if c.relationship == "mother"), ""),
        "father_name": next((c.person.full_name for c in carers if c.relationship == "father"), ""),
        "id_number": child.id_number,
        "commune": child.commune.name,
        "address": child.address,
    }


def likeness(a: str, b: str) -> str:
    if not a or not b:
        return ""
    if a == b:
        return str(_("Giống hệt"))
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return str(_("Giống (khác dấu hoặc chữ hoa)"))
    if fuzz.token_sort_ratio(fa, fb) >= 85:
        return str(_("Gần giống"))
    return str(_("Khác"))


def comparison(mine: dict[str, str], theirs: dict[str, str]) -> list[dict[str, str]]:
    """Rows (label, one side, the other, how alike) for the fields either side has."""
    rows = []
    for key, label in LABELS:
        a, b = mine.get(key, ""), theirs.get(key, "")
        if not a and not b:
            continue
        rows.append({"label": str(label), "mine": a, "theirs": b, "likeness": likeness(a, b)})
    return rows
