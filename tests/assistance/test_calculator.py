"""Worked examples of the monthly allowance, computed by hand from Decree 20/2021/NĐ-CP Art. 6
(coefficients) and the standard amounts of Decree 20/2021 (360,000 đ from 07/2021) and Decree
76/2024 (500,000 đ from 07/2024). The arithmetic is in the comments; the calculator must agree."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from treem.lib.allowance import (
    Band,
    Basis,
    Case,
    CaseError,
    Month,
    Rules,
    StandardAmount,
    entitlement,
    explain,
    reconcile,
)

D = Decimal
RULES = Rules(
    bands=[
        Band("no_support", 0, 4, D("2.5")),
        Band("no_support", 4, 16, D("1.5")),
        Band("no_support", 16, 22, D("1.5"), requires_studying=True),
        Band("disability_especially_severe", 0, 16, D("2.5")),
        Band("disability_especially_severe", 16, None, D("2.0")),
        Band("disability_severe", 0, 16, D("2.0")),
        Band("disability_severe", 16, None, D("1.5")),
        Band("hiv_poor", 0, 4, D("2.5")),
        Band("hiv_poor", 4, 16, D("2.0")),
        Band("under3_poor_mountain", 0, 3, D("1.5")),
        Band("single_parent_poor", 0, 16, D("1.0")),
        Band("single_parent_poor", 16, 22, D("1.0"), requires_studying=True),
    ],
    national=[
        StandardAmount(Month(2021, 7), 360_000),
        StandardAmount(Month(2024, 7), 500_000),
    ],
)


def case(birth, bases, decided, **kw) -> Case:
    return Case(
        case_id="x",
        birth_date=dt.date.fromisoformat(birth),
        bases=tuple(Basis(*b) if isinstance(b, tuple) else Basis(b) for b in bases),
        decided_on=dt.date.fromisoformat(decided),
        **kw,
    )


def by_month(rows):
    return {str(r.month): (r.coefficient, r.standard_amount, r.amount) for r in rows}


@pytest.mark.parametrize(
    "basis,birth,coefficient,amount",
    [
        # Born 2023-01-10, decided 2025-03: aged 2 → under 4 → 2.5 × 500,000 = 1,250,000
        ("no_support", "2023-01-10", D("2.5"), 1_250_000),
        # Born 2015-01-10, aged 10 → 4 to under 16 → 1.5 × 500,000 = 750,000
        ("no_support", "2015-01-10", D("1.5"), 750_000),
        # Especially severe disability, aged 10 → 2.5 × 500,000 = 1,250,000
        ("disability_especially_severe", "2015-01-10", D("2.5"), 1_250_000),
        # Severe disability, aged 10 → 2.0 × 500,000 = 1,000,000
        ("disability_severe", "2015-01-10", D("2.0"), 1_000_000),
        # HIV, poor household, aged 2 → 2.5 × 500,000 = 1,250,000
        ("hiv_poor", "2023-01-10", D("2.5"), 1_250_000),
        # HIV, poor household, aged 10 → 2.0 × 500,000 = 1,000,000
        ("hiv_poor", "2015-01-10", D("2.0"), 1_000_000),
        # Under 3, poor household, mountain commune, aged 2 → 1.5 × 500,000 = 750,000
        ("under3_poor_mountain", "2023-01-10", D("1.5"), 750_000),
        # Poor single parent, per child aged 10 → 1.0 × 500,000 = 500,000
        ("single_parent_poor", "2015-01-10", D("1.0"), 500_000),
    ],
)
def test_each_coefficient_in_march_2025(basis, birth, coefficient, amount):
    rows = entitlement(case(birth, [basis], "2025-03-05", to_month=Month(2025, 3)), RULES)
    assert by_month(rows) == {"2025-03": (coefficient, 500_000, amount)}


def test_each_coefficient_at_the_2021_amount():
    # 2.5 × 360,000 = 900,000 exactly; 1.5 × 360,000 = 540,000; 2.0 × 360,000 = 720,000
    young = case("2021-01-10", ["no_support"], "2022-02-01", to_month=Month(2022, 2))
    assert by_month(entitlement(young, RULES))["2022-02"] == (D("2.5"), 360_000, 900_000)
    older = case("2012-01-10", ["no_support"], "2022-02-01", to_month=Month(2022, 2))
    assert by_month(entitlement(older, RULES))["2022-02"] == (D("1.5"), 360_000, 540_000)
    dis = case("2012-01-10", ["disability_severe"], "2022-02-01", to_month=Month(2022, 2))
    assert by_month(entitlement(dis, RULES))["2022-02"] == (D("2.0"), 360_000, 720_000)


def test_fourth_birthday_changes_the_coefficient_from_the_month_after():
    # Born 2021-05-20: 4th birthday 2025-05-20. May 2025 is still 2.5 × 500,000 = 1,250,000;
    # June 2025 is 1.5 × 500,000 = 750,000.
    rows = by_month(
        entitlement(
            case("2021-05-20", ["no_support"], "2025-04-02", to_month=Month(2025, 6)), RULES
        )
    )
    assert rows == {
        "2025-04": (D("2.5"), 500_000, 1_250_000),
        "2025-05": (D("2.5"), 500_000, 1_250_000),
        "2025-06": (D("1.5"), 500_000, 750_000),
    }


def test_birthday_on_the_first_of_the_month_is_still_paid_at_the_old_rate_that_month():
    # 4th birthday on 2025-06-01: June is the month of the event → 2.5; July → 1.5.
    rows = by_month(
        entitlement(
            case("2021-06-01", ["no_support"], "2025-05-10", to_month=Month(2025, 7)), RULES
        )
    )
    assert rows["2025-06"][0] == D("2.5")
    assert rows["2025-07"][0] == D("1.5")


def test_sixteenth_birthday_without_studies_ends_after_that_month():
    # Born 2009-08-15, not studying: 16 on 2025-08-15. August paid 1.5 × 500,000 = 750,000,
    # September nothing.
    rows = by_month(
        entitlement(
            case("2009-08-15", ["no_support"], "2025-07-01", to_month=Month(2025, 10)), RULES
        )
    )
    assert rows == {
        "2025-07": (D("1.5"), 500_000, 750_000),
        "2025-08": (D("1.5"), 500_000, 750_000),
    }


def test_sixteenth_birthday_while_studying_continues_until_studies_end():
    # Born 2009-08-15, studying until 2026-05-31: 1.5 continues after 16; May 2026 is the month
    # studies end → still paid; June 2026 not.
    rows = by_month(
        entitlement(
            case(
                "2009-08-15",
                ["no_support"],
                "2025-07-01",
                studying_until=dt.date(2026, 5, 31),
                to_month=Month(2026, 7),
            ),
            RULES,
        )
    )
    assert rows["2025-09"] == (D("1.5"), 500_000, 750_000)
    assert rows["2026-05"] == (D("1.5"), 500_000, 750_000)
    assert "2026-06" not in rows
    assert len(rows) == 11  # 07/2025 … 05/2026


def test_twenty_second_birthday_ends_even_while_studying():
    # Born 2003-10-03, studying until 2027: 22 on 2025-10-03. October paid 750,000, November not.
    rows = by_month(
        entitlement(
            case(
                "2003-10-03",
                ["no_support"],
                "2025-09-01",
                studying_until=dt.date(2027, 6, 30),
                to_month=Month(2025, 12),
            ),
            RULES,
        )
    )
    assert rows == {
        "2025-09": (D("1.5"), 500_000, 750_000),
        "2025-10": (D("1.5"), 500_000, 750_000),
    }


def test_july_2024_new_standard_amount_applies_to_everyone_that_month():
    # Born 2022-01-01, 2.5: June 2024 = 2.5 × 360,000 = 900,000; July 2024 = 2.5 × 500,000 =
    # 1,250,000.
    rows = by_month(
        entitlement(
            case("2022-01-01", ["no_support"], "2024-05-15", to_month=Month(2024, 7)), RULES
        )
    )
    assert rows["2024-06"] == (D("2.5"), 360_000, 900_000)
    assert rows["2024-07"] == (D("2.5"), 500_000, 1_250_000)


def test_province_amount_applies_only_where_higher():
    local = Rules(
        bands=RULES.bands,
        national=RULES.national,
        local=[StandardAmount(Month(2024, 1), 400_000)],
    )
    rows = by_month(
        entitlement(
            case("2015-01-01", ["single_parent_poor"], "2024-05-15", to_month=Month(2024, 7)), local
        )
    )
    # May: max(360,000, 400,000) × 1.0 = 400,000; July: max(500,000, 400,000) = 500,000.
    assert rows["2024-05"] == (D("1.0"), 400_000, 400_000)
    assert rows["2024-07"] == (D("1.0"), 500_000, 500_000)


def test_several_groups_only_the_highest_amount():
    # Aged 10, no support (1.5) and severe disability (2.0): only 2.0 × 500,000 = 1,000,000,
    # never 1.5 + 2.0.
    rows = entitlement(
        case(
            "2015-01-10",
            ["no_support", "disability_severe"],
            "2025-03-05",
            to_month=Month(2025, 3),
        ),
        RULES,
    )
    assert by_month(rows) == {"2025-03": (D("2.0"), 500_000, 1_000_000)}
    assert rows[0].basis == "disability_severe"


def test_disability_level_change_takes_effect_the_month_after():
    # Aged 10, severe (2.0) until 2025-04-10, especially severe from 2025-04-10 (2.5).
    # April is the month of the change: still 2.0 × 500,000 = 1,000,000; May 2.5 → 1,250,000.
    rows = by_month(
        entitlement(
            case(
                "2015-01-10",
                [
                    ("disability_severe", None, dt.date(2025, 4, 10)),
                    ("disability_especially_severe", dt.date(2025, 4, 10), None),
                ],
                "2025-03-05",
                to_month=Month(2025, 5),
            ),
            RULES,
        )
    )
    assert rows["2025-04"] == (D("2.0"), 500_000, 1_000_000)
    assert rows["2025-05"] == (D("2.5"), 500_000, 1_250_000)


def test_back_dated_decision_gives_arrears_listed_apart():
    # Decision signed 2025-04-20 with effect from 2025-01: January to March are arrears,
    # 3 × 1.5 × 500,000 = 2,250,000, paid with April's 750,000; nothing was paid before.
    rows = entitlement(
        case(
            "2015-01-10",
            ["no_support"],
            "2025-04-20",
            from_month=Month(2025, 1),
            to_month=Month(2025, 4),
        ),
        RULES,
    )
    assert [str(r.month) for r in rows if r.arrears] == ["2025-01", "2025-02", "2025-03"]
    adjustments = reconcile(rows, {Month(2025, 4): 750_000})
    assert [(str(a.month), a.kind, a.amount) for a in adjustments] == [
        ("2025-01", "arrears", 750_000),
        ("2025-02", "arrears", 750_000),
        ("2025-03", "arrears", 750_000),
    ]
    assert sum(a.amount for a in adjustments) == 2_250_000


def test_end_date_with_recovery_is_listed_not_netted():
    # Adopted on 2025-05-12: May still paid, June onwards not. June and July were paid before the
    # adoption was recorded: 2 × 750,000 = 1,500,000 to recover. An arrears month (March, paid
    # 0) is listed apart, not subtracted from the recovery.
    rows = entitlement(
        case(
            "2015-01-10",
            [("no_support", None, dt.date(2025, 5, 12))],
            "2025-03-01",
            to_month=Month(2025, 7),
        ),
        RULES,
    )
    assert [str(r.month) for r in rows] == ["2025-03", "2025-04", "2025-05"]
    paid = {Month(2025, m): 750_000 for m in (4, 5, 6, 7)}
    adjustments = [(str(a.month), a.kind, a.amount) for a in reconcile(rows, paid)]
    assert adjustments == [
        ("2025-03", "arrears", 750_000),
        ("2025-06", "recovery", 750_000),
        ("2025-07", "recovery", 750_000),
    ]


def test_under3_ends_after_the_third_birthday_month():
    # Born 2023-02-14: 3 on 2026-02-14; February 2026 paid 1.5 × 500,000, March not.
    rows = by_month(
        entitlement(
            case("2023-02-14", ["under3_poor_mountain"], "2026-01-05", to_month=Month(2026, 4)),
            RULES,
        )
    )
    assert list(rows) == ["2026-01", "2026-02"]


def test_explain_names_the_fourth_birthday():
    c = case("2021-05-20", ["no_support"], "2025-04-02", to_month=Month(2025, 6))
    rows = {r.month: r for r in entitlement(c, RULES)}
    change = explain(c, Month(2025, 6), rows[Month(2025, 5)], rows[Month(2025, 6)])
    assert (change.kind, change.reason) == ("change", "age_4")


@pytest.mark.parametrize(
    "kwargs,code",
    [
        ({"birth": "2008-01-01", "bases": ["under3_poor_mountain"]}, "too_old"),
        (
            {"birth": "2015-01-01", "bases": [("no_support", None, dt.date(2025, 1, 1))]},
            "basis_ended",
        ),
        ({"birth": "2026-01-01", "bases": ["no_support"]}, "born_after_decision"),
    ],
)
def test_bad_cases_are_refused_with_a_reason(kwargs, code):
    with pytest.raises(CaseError) as exc:
        entitlement(case(kwargs["birth"], kwargs["bases"], "2025-03-05"), RULES)
    assert exc.value.code == code
