"""Dashboard filters by part of the year, special-circumstance group and ethnicity, and the link
from a target to the plan that set it (programmes supplies it through the indicators hooks)."""

from __future__ import annotations

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook

from treem.indicators import hooks, importers, rollup
from treem.indicators.models import Indicator, IndicatorValue, Target
from treem.indicators.periods import parse_period


@pytest.fixture
def monthly(catalogue, demo):
    """A monthly count imported for communes A and B: Jan–Mar and April 2025."""
    ind = Indicator.objects.create(
        code="TEST_TAINAN_THANG",
        name_vi="Số trẻ em bị tai nạn thương tích (theo tháng)",
        group="protection",
        unit="count",
        period_type="month",
        obtained="imported",
        direction="lower",
        is_headline=True,
    )
    for commune, figures in ((demo.commune_a, [3, 4, 5, 7]), (demo.commune_b, [1, 0, 2, 10])):
        for month, n in enumerate(figures, start=1):
            IndicatorValue.objects.create(
                indicator=ind,
                commune=commune,
                province_id=commune.province_id,
                unit_code=commune.code,
                period=f"2025-{month:02d}",
                year=2025,
                numerator=n,
                source="imported",
                is_final=True,
            )
    return ind


def test_a_quarter_of_a_monthly_indicator_is_the_sum_of_its_months(monthly, demo):
    scope = rollup.scope_for(demo.province.code)
    q1 = rollup.total(monthly, scope, [2025], period=parse_period("2025-Q1"))
    assert q1.numerator == 3 + 4 + 5 + 1 + 0 + 2
    q2 = rollup.total(monthly, scope, [2025], period=parse_period("2025-Q2"))
    assert q2.numerator == 7 + 10
    year = rollup.total(monthly, scope, [2025])
    assert year.numerator == q1.numerator + q2.numerator
    # A yearly indicator has no figure for a quarter (nothing is invented).
    vax = Indicator.objects.get(code="YT_TIEMCHUNG_U1")
    assert rollup.total(vax, scope, [2025], period=parse_period("2025-Q1")).numerator == 0


def test_indicator_page_filtered_by_quarter_shows_the_quarter_and_its_siblings(
    monthly, demo, client_for
):
    url = reverse("indicators:indicator", args=[demo.province.code, monthly.code])
    html = client_for("chuyenvien").get(url + "?year=2025&part=Q1").content.decode()
    assert re.search(r'id="figure-value">15<', html)
    for label in ("Quý I/2025", "Quý II/2025", "Quý III/2025", "Quý IV/2025"):
        assert label in html
    assert '<option value="Q1" selected>' in html
    # The ranking is for the quarter too: commune A 12, commune B 3.
    assert re.search(r">12</td>", html) and re.search(r">3</td>", html)
    month = client_for("chuyenvien").get(url + "?year=2025&part=04").content.decode()
    assert re.search(r'id="figure-value">17<', month) and "Tháng 04/2025" in month


def test_province_dashboard_filtered_by_month_and_the_api_agree(monthly, demo, client_for):
    c = client_for("chuyenvien")
    html = c.get(
        reverse("indicators:unit", args=[demo.province.code]) + "?year=2025&part=02"
    ).content.decode()
    assert "Tháng 02/2025" in html
    card = html[html.index(monthly.name_vi) :]
    assert re.search(r'class="value">4<', card)
    api = c.get(
        reverse("api:indicators:values"),
        {"indicator": monthly.code, "unit": demo.province.code, "period": "2025-02"},
    ).json()
    assert Decimal(str(api["numerator"])) == 4


def test_yearly_indicator_filtered_by_month_says_it_has_no_monthly_figure(
    catalogue, demo, client_for
):
    url = reverse("indicators:indicator", args=[demo.province.code, "YT_TIEMCHUNG_U1"])
    html = client_for("chuyenvien").get(url + "?year=2025&part=03").content.decode()
    assert "không có số liệu riêng cho Tháng 03/2025" in html


def test_circumstance_and_ethnicity_breakdowns_filter_stored_figures(
    catalogue, put_value, demo, client_for
):
    ind = Indicator.objects.create(
        code="TEST_HCDB_HOTRO",
        name_vi="Trẻ em có hoàn cảnh đặc biệt được hỗ trợ (nhập)",
        group="protection",
        unit="count",
        period_type="year",
        obtained="imported",
        disaggregations=["circumstance", "ethnicity"],
    )
    rows = [("", "", 40), ("d", "", 12), ("a", "", 3), ("", "01", 30), ("", "04", 10)]
    for circ, eth, n in rows:
        IndicatorValue.objects.create(
            indicator=ind,
            commune=demo.commune_a,
            province_id=demo.commune_a.province_id,
            unit_code=demo.commune_a.code,
            period="2025",
            year=2025,
            circumstance=circ,
            ethnicity=eth,
            numerator=n,
            source="imported",
            is_final=True,
        )
    scope = rollup.scope_for(demo.province.code)
    assert rollup.total(ind, scope, [2025]).numerator == 40  # the total row only
    assert rollup.total(ind, scope, [2025], circumstance="d").numerator == 12
    assert rollup.total(ind, scope, [2025], ethnicity="04").numerator == 10
    url = reverse("indicators:indicator", args=[demo.province.code, ind.code])
    c = client_for("chuyenvien")
    assert re.search(r'id="figure-value">12<', c.get(url + "?year=2025&circumstance=d").text)
    assert re.search(r'id="figure-value">10<', c.get(url + "?year=2025&ethnicity=04").text)
    page = c.get(url + "?year=2025").text
    assert "d) Trẻ em khuyết tật" in page and ">Hoa<" in page  # the two selects
    # An unknown value is ignored, not an error.
    assert re.search(r'id="figure-value">40<', c.get(url + "?year=2025&circumstance=zz").text)


def test_import_accepts_circumstance_and_ethnicity_columns(catalogue, demo):
    ind = Indicator.objects.create(
        code="TEST_HCDB_NHAP",
        name_vi="Trẻ em có hoàn cảnh đặc biệt (nhập)",
        group="protection",
        unit="count",
        period_type="year",
        obtained="imported",
    )
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "period", "unit", "numerator", "circumstance", "ethnicity"])
    ws.append([ind.code, "2025", demo.commune_a.code, 5, "đ", ""])
    ws.append([ind.code, "2025", demo.commune_a.code, 7, "", "Tày"])
    ws.append([ind.code, "2025", demo.commune_a.code, 9, "z", ""])
    out = io.BytesIO()
    wb.save(out)
    result = importers.import_values(
        actor=demo.users["chuyenvien"], content=out.getvalue(), filename="a.xlsx", mapping="current"
    )
    assert result.imported == 2 and [r.row for r in result.rejected] == [4]
    assert IndicatorValue.objects.get(indicator=ind, circumstance="dd").numerator == 5
    assert IndicatorValue.objects.get(indicator=ind, ethnicity="02").numerator == 7


@pytest.fixture
def plan(demo):
    from treem.programmes.models import Plan, PlanTarget

    p = Plan.objects.create(
        title="Kế hoạch thực hiện Chỉ thị 28-CT/TW",
        number="144-KH/UBND",
        level="province",
        province=demo.province,
        year_from=2024,
        year_to=2030,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2030, 12, 31),
    )
    PlanTarget.objects.create(
        plan=p,
        indicator_code="YT_TIEMCHUNG_U1",
        label="Tiêm chủng đầy đủ",
        unit_code=demo.province.code,
        year=2025,
        value=Decimal("97.5"),
    )
    return p


def test_a_plan_target_links_to_its_plan_on_the_indicator_page(catalogue, demo, plan, client_for):
    url = reverse("indicators:indicator", args=[demo.province.code, "YT_TIEMCHUNG_U1"])
    html = client_for("chuyenvien").get(url + "?year=2025").content.decode()
    plan_url = reverse("programmes:plan_detail", args=[plan.pk])
    assert f'<a href="{plan_url}" class="plan-link">Kế hoạch 144-KH/UBND</a>' in html
    assert 'id="targets"' in html


def test_the_hook_lists_plans_of_the_unit_and_its_province(catalogue, demo, plan):
    refs = hooks.plans_for_units([demo.province.code, demo.commune_a.code])
    assert [(r.key, r.label) for r in refs] == [(str(plan.pk), "Kế hoạch 144-KH/UBND")]
    assert hooks.plans_for_units(["01"]) == []


def test_specialist_links_a_stored_target_to_a_plan(catalogue, demo, plan, client_for):
    c = client_for("chuyenvien")
    catalogue_page = c.get(reverse("indicators:catalogue")).content.decode()
    assert f'<option value="{plan.pk}">Kế hoạch 144-KH/UBND</option>' in catalogue_page
    c.post(
        reverse("indicators:target_save"),
        {
            "indicator": "KS_DUOI5",
            "unit": demo.commune_a.code,
            "year": 2026,
            "value": "99",
            "plan": str(plan.pk),
        },
    )
    t = Target.objects.get(indicator__code="KS_DUOI5", unit_code=demo.commune_a.code, year=2026)
    assert t.source_label == "Kế hoạch 144-KH/UBND"
    assert t.url == reverse("programmes:plan_detail", args=[plan.pk])
    # A plan key that is not a plan of the unit is refused and nothing is saved.
    c.post(
        reverse("indicators:target_save"),
        {
            "indicator": "KS_DUOI5",
            "unit": demo.commune_a.code,
            "year": 2027,
            "value": "99",
            "plan": "999999",
        },
    )
    assert not Target.objects.filter(indicator__code="KS_DUOI5", year=2027).exists()
