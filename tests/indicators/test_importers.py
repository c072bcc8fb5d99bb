from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count

from treem.geo.models import CommuneConversion, LegacyCommune
from treem.indicators import rollup
from treem.indicators.importers import WrongTemplate, import_catalogue, import_values
from treem.indicators.models import Indicator, IndicatorValue


def _csv(rows: list[list[object]]) -> bytes:
    out = io.StringIO()
    for row in rows:
        out.write(",".join("" if v is None else str(v) for v in row) + "\n")
    return out.getvalue().encode()


HEADER = ["indicator", "period", "unit", "numerator", "denominator", "sex", "age_group"]


def _legacy_sample(province="75", n=12):
    """Legacy communes of the old province, at least one of them split among several new ones."""
    split = list(
        LegacyCommune.objects.filter(province_id=province)
        .annotate(n=Count("conversions"))
        .filter(n__gt=1)
        .values_list("code", flat=True)[:3]
    )
    plain = list(
        LegacyCommune.objects.filter(province_id=province, conversions__isnull=False)
        .exclude(code__in=split)
        .values_list("code", flat=True)
        .distinct()[: n - len(split)]
    )
    return split, plain


def test_legacy_figures_reaggregate_onto_todays_communes_preserving_totals(catalogue, specialist):
    split, plain = _legacy_sample()
    assert split, "the conversion table has split communes for this province"
    codes = split + plain
    rows = [HEADER]
    expected_num = expected_den = 0
    for i, code in enumerate(codes):
        num, den = 80 + i, 100 + 2 * i
        rows.append(["KS_DUOI5", "2018", code, num, den, "", ""])
        expected_num += num
        expected_den += den
    result = import_values(actor=specialist, content=_csv(rows), filename="lich-su.csv")
    assert (result.imported, result.updated, len(result.rejected)) == (len(codes), 0, 0)
    reg = catalogue["KS_DUOI5"]
    fig = rollup.total(reg, rollup.scope_for("75"), [2018])
    assert fig.numerator == expected_num and fig.denominator == expected_den
    # Each split legacy commune is counted once, on its primary successor.
    for code in split:
        primary = CommuneConversion.objects.get(legacy_commune_id=code, is_primary=True)
        row = IndicatorValue.objects.get(legacy_code=code)
        assert row.commune_id == primary.commune_id
    # The sum over today's communes equals the sum over the legacy ones.
    by_commune = rollup.figures(reg, rollup.scope_for("75"), [2018], by="commune")
    assert sum(f.numerator for f in by_commune.values()) == expected_num


def test_same_file_twice_imports_nothing_new(catalogue, specialist, demo):
    content = _csv([HEADER, ["KS_DUOI5", "2026", demo.commune_a.code, 9, 10, "", ""]])
    first = import_values(actor=specialist, content=content, filename="a.csv")
    second = import_values(actor=specialist, content=content, filename="a.csv")
    assert first.imported == 1
    assert (second.imported, second.updated, len(second.rejected)) == (0, 0, 0)
    changed = _csv([HEADER, ["KS_DUOI5", "2026", demo.commune_a.code, 10, 10, "", ""]])
    assert import_values(actor=specialist, content=changed, filename="a.csv").updated == 1


def test_bad_rows_are_rejected_with_sheet_row_and_cell_and_the_rest_saved(
    catalogue, specialist, demo
):
    content = _csv(
        [
            HEADER,
            ["KS_DUOI5", "2026", demo.commune_a.code, "abc", 10, "", ""],
            ["KS_DUOI5", "2026", demo.commune_b.code, 11, 10, "", ""],
            ["KS_DUOI5", "2026", "99999", 1, 10, "", ""],
            ["KS_DUOI5", "2026", demo.commune_b.code, 5, 10, "", ""],
            ["NOPE", "2026", demo.commune_b.code, 5, 10, "", ""],
        ]
    )
    result = import_values(actor=specialist, content=content, filename="x.csv", mapping="current")
    assert result.imported == 1
    cells = [(r.row, r.cell) for r in result.rejected]
    assert cells == [(2, "D2"), (3, "D3"), (4, "C4"), (6, "A6")]
    assert "Tử số" in result.rejected[0].message


def test_wrong_template_saves_nothing(catalogue, specialist):
    with pytest.raises(WrongTemplate):
        import_values(actor=specialist, content=b"a,b,c\n1,2,3\n", filename="x.csv")
    assert not IndicatorValue.objects.exists()


def test_unit_by_name_and_legacy_default_by_period(catalogue, specialist, demo):
    content = _csv([HEADER, ["KS_DUOI5", "2026", demo.commune_a.name, 5, 10, "Nữ", ""]])
    result = import_values(actor=specialist, content=content, filename="n.csv")
    assert result.imported == 1
    assert IndicatorValue.objects.get().sex == "F"


def test_commands_print_the_summary(catalogue, tmp_path, demo):
    path = tmp_path / "v.csv"
    path.write_bytes(_csv([HEADER, ["KS_DUOI5", "2026", demo.commune_a.code, 5, 10, "", ""]]))
    out = io.StringIO()
    call_command("import_indicator_values", str(path), "--map", "current", stdout=out)
    assert out.getvalue().startswith("imported 1, updated 0, rejected 0")
    cat = tmp_path / "c.csv"
    cat.write_text(
        "code,name_vi,name_en,unit,period_type,source\n"
        "DN_TRAI_HE,Số trẻ em tham gia trại hè,Children at summer camps,count,year,entered\n"
        "BAD,,x,count,year,entered\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_indicators", str(cat), stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("imported 1, updated 0, rejected 1")
    assert Indicator.objects.get(code="DN_TRAI_HE").obtained == "entered"


def test_catalogue_import_refuses_computed_source(catalogue, specialist):
    content = b"code,name_vi,unit,period_type,source\nX1,Ten,count,year,computed\n"
    result = import_catalogue(actor=specialist, content=content, filename="c.csv")
    assert result.imported == 0 and len(result.rejected) == 1
    assert Decimal(0) == Decimal(Indicator.objects.filter(code="X1").count())


def test_catalogue_names_a_figure_another_app_computes(catalogue, specialist, demo):
    from treem.indicators import hooks, rollup

    def staff(request):
        return [hooks.CommuneFigure(demo.commune_a.code, 3, 4)]

    hooks.register_computed("NL_CTV_PHUTRACH", staff)
    try:
        content = (
            "code,name_vi,unit,period_type,source\n"
            "NL_CTV_PHUTRACH,Tỷ lệ ấp có cộng tác viên,percent,year,computed\n"
        ).encode()
        result = import_catalogue(actor=specialist, content=content, filename="c.csv")
        assert result.imported == 1
        ind = Indicator.objects.get(code="NL_CTV_PHUTRACH")
        fig = rollup.total(ind, rollup.scope_for(demo.province.code), [2025])
        assert fig.value(ind.unit) == Decimal("75.00")
    finally:
        hooks._COMPUTED.pop("NL_CTV_PHUTRACH", None)


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_values_sheet_laid_out_as_officials_keep_it(catalogue, specialist, demo):
    """A title block above the table, Vietnamese headings with a colon and odd spacing, the
    indicator by its Vietnamese name and the unit by the commune's name."""
    name = catalogue["KS_DUOI5"].name_vi
    content = _xlsx(
        [
            ["UBND TỈNH ĐỒNG NAI"],
            ["SỐ LIỆU TRẺ EM NĂM 2026"],
            [],
            ["Chỉ tiêu", "Kỳ báo cáo", "Đơn vị:", "Tử  số", "Mẫu số", "Giới tính", "Nhóm tuổi"],
            [name.upper(), "2026", demo.commune_a.name, 5, 10, "Nữ", ""],
            ["Chỉ tiêu không có", "2026", demo.commune_a.name, 1, 2, "", ""],
        ]
    )
    result = import_values(actor=specialist, content=content, filename="so-lieu.xlsx")
    assert result.imported == 1
    value = IndicatorValue.objects.get()
    assert value.indicator.code == "KS_DUOI5" and value.numerator == 5
    [bad] = result.rejected
    assert bad.cell == "A6" and "Chỉ tiêu không có" in bad.message


def test_catalogue_in_vietnamese_words_without_codes(catalogue, specialist):
    content = _csv(
        [
            ["Tên chỉ tiêu", "Tên tiếng Anh", "Đơn vị tính", "Kỳ", "Nguồn"],
            ["Số trẻ em tham gia trại hè", "Children at summer camps", "Số lượng", "Năm", ""],
            ["Tỷ lệ trẻ em biết bơi", "", "Tỷ lệ %", "6 tháng", "Nhập từ số liệu lịch sử"],
            ["Số buổi sinh hoạt", "", "buổi", "Năm", ""],
        ]
    )
    result = import_catalogue(actor=specialist, content=content, filename="danh-muc.csv")
    assert result.imported == 2
    camp = Indicator.objects.get(name_vi="Số trẻ em tham gia trại hè")
    assert (camp.unit, camp.period_type, camp.obtained) == ("count", "year", "entered")
    swim = Indicator.objects.get(name_vi="Tỷ lệ trẻ em biết bơi")
    assert (swim.unit, swim.period_type, swim.obtained) == ("percent", "half", "imported")
    [bad] = result.rejected
    assert bad.cell == "C4" and "“Số lượng”" in bad.message and "count" not in bad.message
    # The same file again, still without codes, finds them by name: nothing new.
    again = import_catalogue(actor=specialist, content=content, filename="danh-muc.csv")
    assert again.imported == 0 and again.unchanged == 2


def test_a_sheet_without_the_headings_names_them_in_words(catalogue, specialist):
    with pytest.raises(WrongTemplate) as error:
        import_values(actor=specialist, content=b"a,b\n1,2\n", filename="x.csv")
    assert "“Chỉ tiêu”" in str(error.value) and "numerator" not in str(error.value)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Năm 2015", "2015"),
        ("6 tháng đầu năm 2015", "2015-H1"),
        ("6 THÁNG CUỐI NĂM 2016", "2016-H2"),
        ("Quý 3/2015", "2015-Q3"),
        ("Quý III năm 2015", "2015-Q3"),
        ("Quý IV/2020", "2020-Q4"),
        ("Tháng 6/2015", "2015-06"),
        ("T12/2019", "2019-12"),
        ("06/2015", "2015-06"),
        ("2015-Q3", "2015-Q3"),
        (2015.0, "2015"),
    ],
)
def test_periods_written_as_officials_write_them(written, code):
    from treem.indicators.periods import parse_period

    assert parse_period(written).code == code


@pytest.mark.parametrize("written", ["Tháng 13/2015", "Quý 5/2015", "Quý 0/2015", "Năm 1890", "x"])
def test_periods_that_do_not_exist_are_refused(written):
    from treem.indicators.periods import PeriodError, parse_period

    with pytest.raises(PeriodError):
        parse_period(written)
