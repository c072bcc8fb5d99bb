"""The starting catalogue: indicators of the groups of Circular 13/2021/TT-BLĐTBXH (annex I:
general, health and nutrition, protection, education, culture and play, participation), the
national targets of Decision 23/QĐ-TTg (7 January 2021) and the 13 criteria of
Decision 06/QĐ-TTg (3 January 2019).

What was checked and how (docs/indicators.md says the same):
- The codes are Treem's own (the circular numbers its indicators; we did not have the annex).
- Indicator names follow the group headings and names quoted in a published summary of the circular
  (thuvienphapluat.vn, 29/10/2021); not checked against the annex itself: `verified=False`.
- Decision 23 targets were read in two published summaries (luatvietnam.vn, thuvienphapluat.vn),
  not the gazette: `verified=False`.
- Decision 06 criteria: names as listed in the domain brief; the points per criterion are Treem's
  placeholder split of 1,000 points and must be checked against the decision: `verified=False`.
  The thresholds 900 / 850 / 800 and the rule that no criterion may score 0 are from the brief.
Everything here is data: a specialist corrects it on the catalogue page or by re-importing.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

C13 = "Thông tư 13/2021/TT-BLĐTBXH, Phụ lục I"
D23 = "Quyết định 23/QĐ-TTg ngày 07/01/2021"
SA = ["sex", "age_group"]

# code, group, name_vi, name_en, unit, period, obtained, direction, numerator, denominator,
# disaggregations, headline, source
INDICATORS: list[tuple] = [
    (
        "TE_DANSO",
        "general",
        "Dân số trẻ em dưới 16 tuổi",
        "Child population under 16",
        "count",
        "year",
        "computed",
        "higher",
        "Số trẻ em dưới 16 tuổi cư trú trên địa bàn (sổ theo dõi trẻ em)",
        "",
        SA,
        True,
        C13,
    ),
    (
        "TE_HCDB",
        "protection",
        "Số trẻ em có hoàn cảnh đặc biệt",
        "Children in special circumstances",
        "count",
        "year",
        "computed",
        "lower",
        "Số trẻ em thuộc ít nhất một nhóm hoàn cảnh đặc biệt (Luật Trẻ em, Điều 10) trong năm",
        "",
        ["sex", "age_group", "circumstance"],
        True,
        C13,
    ),
    (
        "TE_HCDB_TYLE",
        "protection",
        "Tỷ lệ trẻ em có hoàn cảnh đặc biệt",
        "Share of children in special circumstances",
        "percent",
        "year",
        "computed",
        "lower",
        "Số trẻ em có hoàn cảnh đặc biệt",
        "Số trẻ em dưới 16 tuổi",
        SA,
        False,
        C13,
    ),
    (
        "TE_HCDB_TROGIUP",
        "protection",
        "Tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp",
        "Share of children in special circumstances receiving support",
        "percent",
        "year",
        "computed",
        "higher",
        "Số trẻ em có hoàn cảnh đặc biệt có kế hoạch hỗ trợ, can thiệp được phê duyệt",
        "Số trẻ em có hoàn cảnh đặc biệt",
        SA,
        True,
        C13,
    ),
    (
        "BV_TINBAO",
        "protection",
        "Số tin báo về trẻ em bị xâm hại hoặc có nguy cơ",
        "Reports of abuse or risk received",
        "count",
        "year",
        "computed",
        "lower",
        "Số tin báo tiếp nhận trong kỳ (theo hình thức xâm hại)",
        "",
        ["abuse_type"],
        False,
        "Nghị định 56/2017/NĐ-CP, Điều 25",
    ),
    (
        "BV_CA",
        "protection",
        "Số ca bảo vệ trẻ em được mở",
        "Protection cases opened",
        "count",
        "year",
        "computed",
        "lower",
        "Số ca mở trong kỳ (theo kết quả: đang xử lý, đã đóng)",
        "",
        ["outcome"],
        False,
        "Nghị định 56/2017/NĐ-CP, Điều 25–32",
    ),
    (
        "BV_KHANCAP_12H",
        "protection",
        "Tỷ lệ ca khẩn cấp được áp dụng biện pháp trong 12 giờ",
        "Emergencies handled within 12 hours",
        "percent",
        "year",
        "computed",
        "higher",
        "Số ca khẩn cấp được áp dụng biện pháp bảo vệ khẩn cấp đúng hạn",
        "Số ca khẩn cấp có hạn trong kỳ",
        [],
        True,
        "Nghị định 56/2017/NĐ-CP, Điều 31–32",
    ),
    (
        "BV_KEHOACH_DUNGHAN",
        "protection",
        "Tỷ lệ kế hoạch hỗ trợ được phê duyệt đúng hạn",
        "Support plans approved within the limit",
        "percent",
        "year",
        "computed",
        "higher",
        "Số kế hoạch được phê duyệt trong 2 ngày làm việc kể từ khi trình",
        "Số kế hoạch được quyết định trong kỳ",
        [],
        False,
        "Nghị định 56/2017/NĐ-CP, Điều 28(4)",
    ),
    (
        "BV_XAMHAI_TYLE",
        "protection",
        "Tỷ lệ trẻ em bị xâm hại",
        "Rate of children abused",
        "percent",
        "year",
        "entered",
        "lower",
        "Số trẻ em bị xâm hại được phát hiện",
        "Số trẻ em dưới 16 tuổi",
        SA,
        True,
        C13,
    ),
    (
        "YT_TIEMCHUNG_U1",
        "health",
        "Tỷ lệ trẻ em dưới 1 tuổi được tiêm chủng đầy đủ",
        "Full immunisation of children under one",
        "percent",
        "year",
        "entered",
        "higher",
        "Số trẻ em dưới 1 tuổi được tiêm đủ các loại vắc xin trong Chương trình tiêm chủng mở rộng",
        "Số trẻ em dưới 1 tuổi",
        ["sex"],
        True,
        C13,
    ),
    (
        "YT_SDD_THAPCOI_U5",
        "health",
        "Tỷ lệ suy dinh dưỡng thể thấp còi ở trẻ em dưới 5 tuổi",
        "Stunting among children under five",
        "percent",
        "year",
        "entered",
        "lower",
        "Số trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi",
        "Số trẻ em dưới 5 tuổi được cân đo",
        ["sex"],
        True,
        C13,
    ),
    (
        "YT_SDD_NHECAN_U5",
        "health",
        "Tỷ lệ suy dinh dưỡng thể nhẹ cân ở trẻ em dưới 5 tuổi",
        "Underweight among children under five",
        "percent",
        "year",
        "entered",
        "lower",
        "Số trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân",
        "Số trẻ em dưới 5 tuổi được cân đo",
        ["sex"],
        False,
        C13,
    ),
    (
        "YT_TUVONG_U5",
        "health",
        "Tỷ suất chết của trẻ em dưới 5 tuổi",
        "Under-five mortality rate",
        "per_1000",
        "year",
        "imported",
        "lower",
        "Số trẻ em dưới 5 tuổi tử vong",
        "Số trẻ đẻ ra sống",
        [],
        False,
        C13,
    ),
    (
        "YT_TUVONG_TNTT",
        "health",
        "Số trẻ em tử vong do tai nạn thương tích",
        "Child deaths from injuries",
        "count",
        "year",
        "entered",
        "lower",
        "Số trẻ em tử vong do tai nạn thương tích",
        "",
        SA,
        False,
        C13,
    ),
    (
        "YT_DUOINUOC",
        "health",
        "Số trẻ em bị đuối nước",
        "Children drowned",
        "count",
        "year",
        "entered",
        "lower",
        "Số trẻ em tử vong do đuối nước",
        "",
        SA,
        False,
        C13,
    ),
    (
        "KS_DUOI5",
        "general",
        "Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh",
        "Birth registration of children under five",
        "percent",
        "year",
        "entered",
        "higher",
        "Số trẻ em dưới 5 tuổi đã được đăng ký khai sinh",
        "Số trẻ em dưới 5 tuổi",
        ["sex"],
        True,
        C13,
    ),
    (
        "GD_NHATRE",
        "education",
        "Tỷ lệ huy động trẻ em từ 3 đến 36 tháng tuổi đi nhà trẻ",
        "Children aged 3–36 months in nursery",
        "percent",
        "year",
        "entered",
        "higher",
        "Số trẻ em 3–36 tháng tuổi đi nhà trẻ",
        "Số trẻ em 3–36 tháng tuổi",
        ["sex"],
        False,
        C13,
    ),
    (
        "GD_MAUGIAO",
        "education",
        "Tỷ lệ huy động trẻ em từ 3 đến 5 tuổi đi học mẫu giáo",
        "Children aged 3–5 in kindergarten",
        "percent",
        "year",
        "entered",
        "higher",
        "Số trẻ em 3–5 tuổi đi học mẫu giáo",
        "Số trẻ em 3–5 tuổi",
        ["sex"],
        True,
        C13,
    ),
    (
        "GD_BOHOC",
        "education",
        "Số trẻ em bỏ học",
        "Children who dropped out of school",
        "count",
        "year",
        "entered",
        "lower",
        "Số trẻ em bỏ học trong năm học",
        "",
        SA,
        False,
        C13,
    ),
    (
        "VH_DIEMVUICHOI",
        "culture",
        "Tỷ lệ xã, phường có điểm vui chơi dành cho trẻ em",
        "Communes with a play area for children",
        "percent",
        "year",
        "imported",
        "higher",
        "Số xã, phường có điểm vui chơi dành cho trẻ em",
        "Tổng số xã, phường",
        [],
        False,
        C13,
    ),
    (
        "VH_THIETCHE_THON",
        "culture",
        "Tỷ lệ thôn, ấp có thiết chế văn hóa, thể thao dành cho trẻ em",
        "Villages with cultural and sport facilities for children",
        "percent",
        "year",
        "entered",
        "higher",
        "Số thôn, ấp có thiết chế văn hóa, thể thao cho trẻ em",
        "Tổng số thôn, ấp",
        [],
        False,
        C13,
    ),
    (
        "TG_LAYYKIEN",
        "participation",
        "Tỷ lệ trẻ em từ 7 tuổi trở lên được lấy ý kiến về các vấn đề của trẻ em",
        "Children aged 7+ consulted on issues affecting them",
        "percent",
        "year",
        "entered",
        "higher",
        "Số trẻ em từ 7 tuổi trở lên được lấy ý kiến",
        "Số trẻ em từ 7 đến dưới 16 tuổi",
        ["sex"],
        False,
        C13,
    ),
    (
        "TG_DIENDAN",
        "participation",
        "Số diễn đàn trẻ em được tổ chức",
        "Children's forums held",
        "count",
        "year",
        "entered",
        "higher",
        "Số diễn đàn trẻ em cấp xã được tổ chức trong năm",
        "",
        [],
        False,
        "Luật Trẻ em 102/2016/QH13, Điều 79",
    ),
    (
        "CF_DAT_CHUAN",
        "resources",
        "Tỷ lệ xã, phường đạt tiêu chuẩn phù hợp với trẻ em",
        "Communes recognised as child-friendly",
        "percent",
        "year",
        "computed",
        "higher",
        "Số xã, phường được công nhận phù hợp với trẻ em",
        "Số xã, phường",
        [],
        True,
        "Quyết định 06/QĐ-TTg ngày 03/01/2019",
    ),
]

# indicator code, year, value, source
NATIONAL_TARGETS: list[tuple] = [
    ("KS_DUOI5", 2025, "98.5", D23),
    ("KS_DUOI5", 2030, "100", D23),
    ("YT_TIEMCHUNG_U1", 2025, "97", D23),
    ("YT_TIEMCHUNG_U1", 2030, "98", D23),
    ("BV_XAMHAI_TYLE", 2025, "4.5", D23),
    ("BV_XAMHAI_TYLE", 2030, "4", D23),
    ("CF_DAT_CHUAN", 2025, "65", D23),
    ("CF_DAT_CHUAN", 2030, "75", D23),
]

# number, name, points, obtained, indicator code
CRITERIA: list[tuple] = [
    (1, "Nguồn lực cho công tác trẻ em", 100, "entered", ""),
    (2, "Trẻ em dưới 5 tuổi được đăng ký khai sinh", 80, "computed", "KS_DUOI5"),
    (3, "Trẻ em bị xâm hại", 80, "computed", "BV_XAMHAI_TYLE"),
    (4, "Trẻ em vi phạm pháp luật, sử dụng ma túy", 60, "entered", ""),
    (5, "Trẻ em bị tai nạn, thương tích", 80, "entered", ""),
    (6, "Trẻ em có hoàn cảnh đặc biệt được trợ giúp", 80, "computed", "TE_HCDB_TROGIUP"),
    (7, "Trẻ em dưới 1 tuổi được tiêm chủng đầy đủ", 80, "computed", "YT_TIEMCHUNG_U1"),
    (8, "Suy dinh dưỡng trẻ em dưới 5 tuổi", 80, "computed", "YT_SDD_THAPCOI_U5"),
    (9, "Trẻ em được khám sức khỏe định kỳ", 60, "entered", ""),
    (10, "Trẻ em đi học mẫu giáo", 80, "computed", "GD_MAUGIAO"),
    (11, "Trẻ em được tham gia ý kiến", 60, "computed", "TG_LAYYKIEN"),
    (12, "Điểm vui chơi, hoạt động văn hóa, thể thao cho trẻ em", 80, "entered", ""),
    (13, "Mức độ hài lòng của người dân", 80, "entered", ""),
]

# How the criteria that map to an indicator are scored from its figure (Treem's placeholder bands,
# `verified=False` like the points: to be checked against the scoring guide of Decision 06).
# {"bands": [[threshold, points], ...], "met_at": threshold}: the best band the commune's figure
# reaches (≥ for a "higher is better" indicator, ≤ for "lower") gives the points, none gives 0;
# the criterion is met when the figure reaches `met_at`. The top band gives the full points and
# the `met_at` thresholds follow the 2025 targets of Decision 23/QĐ-TTg where it sets one.
CRITERION_RULES: dict[int, dict] = {
    2: {"bands": [[100, 80], [98.5, 70], [95, 50], [90, 30]], "met_at": 98.5},
    3: {"bands": [[1, 80], [2.5, 60], [4.5, 40], [6, 20]], "met_at": 4.5},
    6: {"bands": [[95, 80], [90, 60], [80, 40], [70, 20]], "met_at": 90},
    7: {"bands": [[98, 80], [97, 70], [95, 50], [90, 30]], "met_at": 97},
    8: {"bands": [[10, 80], [15, 60], [20, 40], [25, 20]], "met_at": 20},
    10: {"bands": [[99, 80], [95, 60], [90, 40], [85, 20]], "met_at": 95},
    11: {"bands": [[80, 60], [60, 45], [40, 30], [20, 15]], "met_at": 60},
}

THRESHOLDS = [
    ("city_ward", 900),
    ("other", 850),
    ("disadvantaged", 800),
]


@transaction.atomic
def load_catalogue() -> dict[str, int]:
    """Create what is missing; never overwrite what a specialist has corrected. Idempotent."""
    from treem.indicators.models import (
        ChildFriendlyCriterion,
        ChildFriendlyThreshold,
        Indicator,
        Target,
    )

    created = {"indicators": 0, "targets": 0, "criteria": 0}
    for order, row in enumerate(INDICATORS, start=1):
        code, group, vi, en, unit, period, obtained, direction, num, den, dis, head, src = row
        _obj, was_created = Indicator.objects.get_or_create(
            code=code,
            defaults=dict(  # noqa: C408
                group=group,
                name_vi=vi,
                name_en=en,
                unit=unit,
                period_type=period,
                obtained=obtained,
                direction=direction,
                numerator_label=num,
                denominator_label=den,
                disaggregations=dis,
                is_headline=head,
                legal_source=src,
                verified=False,
                order=order * 10,
            ),
        )
        created["indicators"] += was_created
    by_code = {i.code: i for i in Indicator.objects.all()}
    for code, year, value, source in NATIONAL_TARGETS:
        _t, was_created = Target.objects.get_or_create(
            indicator=by_code[code],
            unit_code="VN",
            year=year,
            defaults={"value": Decimal(value), "source_label": source, "verified": False},
        )
        created["targets"] += was_created
    for number, name, points, obtained, code in CRITERIA:
        criterion, was_created = ChildFriendlyCriterion.objects.get_or_create(
            number=number,
            defaults={
                "name": name,
                "max_points": points,
                "obtained": obtained,
                "indicator": by_code.get(code),
                "auto_rule": CRITERION_RULES.get(number, {}),
                "verified": False,
            },
        )
        created["criteria"] += was_created
        if not was_created and not criterion.auto_rule and number in CRITERION_RULES:
            # A rule added after the criterion was loaded: fill it, never replace a corrected one.
            criterion.auto_rule = CRITERION_RULES[number]
            criterion.save(update_fields=["auto_rule"])
    for kind, total in THRESHOLDS:
        ChildFriendlyThreshold.objects.get_or_create(
            kind=kind,
            defaults={"min_total": total, "legal_source": "Quyết định 06/QĐ-TTg ngày 03/01/2019"},
        )
    return created
