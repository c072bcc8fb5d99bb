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
