"""Demo children for `manage.py seed_demo`: a few hundred in communes A and B, some in special
circumstances, a pair of twins and a likely duplicate pair left for the review screen.
Deterministic (fixed seed) and idempotent (rows carry `source_ref="demo:<n>"`)."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from treem.audit.services import audit_record
from treem.registry.cleaning import GeoLookup, child_clean
from treem.registry.models import (
    Child,
    Consent,
    DuplicatePair,
    SpecialCircumstance,
)
from treem.registry.services import _create_child

SURNAMES = (
    ["Nguyễn"] * 8
    + ["Trần"] * 3
    + ["Lê"] * 3
    + ["Phạm"] * 2
    + [
        "Hoàng",
        "Huỳnh",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Ngô",
        "Dương",
        "Lý",
    ]
)
MIDDLE = {
    "M": ["Văn", "Minh", "Đức", "Gia", "Quốc", "Hoàng"],
    "F": ["Thị", "Ngọc", "Thu", "Bảo", "Khánh"],
}
GIVEN = {
    "M": ["An", "Bảo", "Khang", "Phúc", "Huy", "Nam", "Duy", "Long", "Tín", "Khôi", "Quân", "Đạt"],
    "F": ["An", "Vy", "Ngân", "Hân", "Linh", "Trâm", "Thảo", "Mai", "Nhi", "Yến", "Hà", "My"],
}
CHILDREN_PER_COMMUNE = 150
# Groups handed out to every 12th child, in turn.
GROUPS = ["d", "a", "h", "i", "n", "c", "b", "k"]


def _name(rng: random.Random, sex: str, surname: str | None = None) -> str:
    return f"{surname or rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def seed(ctx) -> None:
    if Child.objects.filter(source_ref__startswith="demo:").exists():
        return
    rng = random.Random(2026)  # noqa: S311 - demo data, deterministic on purpose
    geo = GeoLookup.load(ctx.province.code)
    today = timezone.localdate()
    officers = {"a": ctx.users.get("canbo.a"), "b": ctx.users.get("canbo.b")}
    created: list[Child] = []
    n = 0
    for key, commune in (("a", ctx.commune_a), ("b", ctx.commune_b)):
        villages = ctx.villages.get(key) or [None]
        for _i in range(CHILDREN_PER_COMMUNE):
            n += 1
            sex = rng.choice("MF")
            family = rng.choice(SURNAMES)
            born = today - dt.timedelta(days=rng.randint(30, 365 * 17))
            raw = {
                "full_name": _name(rng, sex, family),
                "birth_date": born,
                "sex": sex,
                "ethnicity": "01" if rng.random() < 0.9 else rng.choice(["04", "05", "07", "32"]),
                "commune": commune.code,
                "village": villages[n % len(villages)],
                "address": f"Số {rng.randint(1, 300)}, tổ {rng.randint(1, 20)}",
                "birth_registration": "registered" if rng.random() < 0.95 else "not_registered",
                "school_status": "in_school"
                if born < today - dt.timedelta(days=365 * 6)
                else ("not_of_age"),
                "nutrition_status": rng.choice(["normal"] * 8 + ["stunted", "underweight"]),
                "legal_basis": "legal_duty",
            }
            carers = [
                {"full_name": _name(rng, "F"), "relationship": "mother", "birth_year": None},
                {
                    "full_name": _name(rng, "M", family),
                    "relationship": "father",
                    "birth_year": None,
                },
            ]
            child = _make(raw, carers, geo, today, officers[key], n)
            created.append(child)
            if n % 12 == 0:
                group = GROUPS[(n // 12) % len(GROUPS)]
                SpecialCircumstance.objects.create(
                    child=child,
                    group=group,
                    start_date=max(
                        child.birth_date, today - dt.timedelta(days=rng.randint(30, 900))
                    ),
                    evidence="Biên bản xác minh của UBND xã",
                    confirmed_by=f"UBND {commune.name}",
                    recorded_by=officers[key],
                )
                if group == "d":
                    Child.objects.filter(pk=child.pk).update(
                        disability_type="mobility", disability_severity="severe"
                    )
            if n % 5 == 0:
                Consent.objects.create(
                    child=child,
                    given_by=Consent.GivenBy.GUARDIAN,
                    given_by_name=carers[0]["full_name"],
                    scope="registry",
                    given_on=today - dt.timedelta(days=rng.randint(1, 300)),
                    document="Phiếu đồng ý có chữ ký",
                    recorded_by=officers[key],
                )
    # Twins: same parents, commune and birth date, different given names (not duplicates).
    born = today - dt.timedelta(days=365 * 5 + 40)
    twins_parents = [
        {"full_name": "Trần Thị Mỹ Lệ", "relationship": "mother", "birth_year": 1992},
        {"full_name": "Lê Văn Hải", "relationship": "father", "birth_year": 1990},
    ]
    for i, name in enumerate(["Lê Minh Khang", "Lê Minh Khôi"], start=1):
        _make(
            {
                "full_name": name,
                "birth_date": born,
                "sex": "M",
                "ethnicity": "01",
                "commune": ctx.commune_a.code,
                "address": "Số 12, tổ 4",
                "school_status": "not_of_age",
            },
            twins_parents,
            geo,
            today,
            officers["a"],
            f"twin{i}",
        )
    # A likely duplicate: the same child entered twice, once without diacritics and with the
    # day and month swapped, left for the review screen.
    born = dt.date(today.year - 8, 3, 11)
    dup_parents = [
        {"full_name": "Phạm Thị Hoa", "relationship": "mother", "birth_year": 1988},
        {"full_name": "Nguyễn Văn Tùng", "relationship": "father", "birth_year": 1985},
    ]
    first = _make(
        {
            "full_name": "Nguyễn Thị Ngọc Ánh",
            "birth_date": born,
            "sex": "F",
            "ethnicity": "01",
            "commune": ctx.commune_b.code,
            "address": "Ấp An Bình, số 45",
            "school_status": "in_school",
            "grade": "3",
        },
        dup_parents,
        geo,
        today,
        officers["b"],
        "dup1",
    )
    second = _make(
        {
            "full_name": "Nguyen Thi Ngoc Anh",
            "birth_date": dt.date(born.year, 11, 3),
            "sex": "F",
            "commune": ctx.commune_b.code,
            "address": "ap An Binh 45",
        },
        [{"full_name": "Pham Thi Hoa", "relationship": "mother", "birth_year": None}],
        geo,
        today,
        officers["b"],
        "dup2",
    )
    a, b = sorted([first.pk, second.pk])
    DuplicatePair.objects.get_or_create(child_a_id=a, child_b_id=b, defaults={"score": 0.9})
    audit_record(
        actor=None,
        action="create",
        object_type="registry.child",
        details={"demo_seed": len(created) + 4},
    )


def _make(raw, carers, geo, today, officer, ref) -> Child:
    values, errors = child_clean(raw, geo=geo, today=today)
    if errors:
        raise ValueError(f"demo child {ref}: {errors}")
    child = _create_child(actor=officer, values=values, carers=carers, poverty="unknown")
    Child.objects.filter(pk=child.pk).update(source_ref=f"demo:{ref}")
    return child
