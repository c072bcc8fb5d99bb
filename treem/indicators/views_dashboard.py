"""Province and commune dashboards: headline indicators against target, small multiples, trend,
bars by commune with the target line, ranking, drill-down, filters, Excel export of every table."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.audit.services import audit_record
from treem.indicators import access, figures, rollup, xlsx
from treem.indicators.figures import fmt
from treem.indicators.models import AgeGroup, Indicator, Sex, Unit
from treem.indicators.periods import parse_period, periods_of_year
from treem.registry.models import CircumstanceGroup, Ethnicity


def _period_choices() -> list[tuple[str, str]]:
    """The parts of a year the dashboards filter by: halves, quarters, months."""
    return [
        ("H1", _("6 tháng đầu năm")),
        ("H2", _("6 tháng cuối năm")),
        *[(f"Q{i}", _("Quý %(q)s") % {"q": q}) for i, q in enumerate(("I", "II", "III", "IV"), 1)],
        *[(f"{m:02d}", _("Tháng %(m)s") % {"m": m}) for m in range(1, 13)],
    ]


def _filters(request) -> dict:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = min(max(year, figures.FIRST_YEAR), today.year)
    sex = request.GET.get("sex", "")
    age = request.GET.get("age_group", "")
    part = request.GET.get("part", "")
    circumstance = request.GET.get("circumstance", "")
    ethnicity = request.GET.get("ethnicity", "")
    part = part if part in dict(_period_choices()) else ""
    return {
        "year": year,
        "part": part,
        "period": parse_period(f"{year}-{part}") if part else None,
        "sex": sex if sex in Sex.values else "",
        "age_group": age if age in AgeGroup.values else "",
        "circumstance": circumstance if circumstance in CircumstanceGroup.values else "",
        "ethnicity": ethnicity if ethnicity in Ethnicity.values else "",
    }


def _dis(f: dict) -> dict:
    return {k: f[k] for k in ("sex", "age_group", "circumstance", "ethnicity")}


def _filter_context(f: dict) -> dict:
    """Choices of the filter form, and the query string that keeps the filters on every link."""
    keep = {k: v for k, v in f.items() if k not in ("period",) and v not in ("", None)}
    return {
        "years": range(figures.FIRST_YEAR, timezone.localdate().year + 1),
        "sexes": Sex.choices,
        "ages": AgeGroup.choices,
        "parts": _period_choices(),
        "circumstances": CircumstanceGroup.choices,
        # Vietnamese order, Kinh first as the statistics office lists it (code order).
        "ethnicities": Ethnicity.choices,
        "query": urlencode(keep),
        "period_label": f["period"].label() if f["period"] else str(f["year"]),
    }


def _point_json(p: figures.Point) -> dict:
    return {
        "year": p.year,
        "value": float(p.value) if p.value is not None else None,
        "target": float(p.target_value) if p.target_value is not None else None,
    }


def _label(f: dict):
    return f["period"].label() if f["period"] is not None else f["year"]


def _period_points(ind: Indicator, scope, period, dis: dict) -> list[figures.Point]:
    """The quarters (or months, halves) of the filtered year as points of a trend, each against
    the year's target; the chosen period is the one the card shows."""
    target = rollup.targets(ind, scope, [period.year]).get(period.year)
    points = []
    for pp in figures.series_periods(ind, scope, periods_of_year(period.year, period.kind), **dis):
        points.append(
            figures.Point(
                pp.period.label(),
                pp.numerator,
                pp.denominator,
                pp.value,
                target,
                rollup.progress(ind, pp.value, target)["met"],
                pp.communes_reported,
            )
        )
    return points


@login_required
def home(request):
    if not access.can_view(request.user):
        raise PermissionDenied
    unit = access.home_unit(request.user)
    if unit is None:
        raise Http404
    return redirect("indicators:unit", code=unit)


@login_required
def unit_dashboard(request, code: str):
    access.unit_get_for_user(request.user, code)
    scope = rollup.scope_for(code)
    f = _filters(request)
    years = figures.years_until(f["year"])
    headline = list(Indicator.objects.filter(is_active=True, is_headline=True))
    cards = []
    if f["period"] is not None:
        all_points = {ind.id: _period_points(ind, scope, f["period"], _dis(f)) for ind in headline}
    else:
        all_points = figures.series_many(headline, scope, years, **_dis(f))
    for ind in headline:
        points = all_points[ind.id]
        last = next((p for p in points if p.year == _label(f)), points[-1])
        cards.append(
            {
                "indicator": ind,
                "point": last,
                "value": fmt(last.value, ind.unit),
                "target": fmt(last.target_value, ind.unit) if last.target else "",
                "points": points,
                "chart": {
                    "label": ind.name_vi,
                    "unit": str(ind.get_unit_display()),
                    "points": [_point_json(p) for p in points],
                },
                "rows": [
                    (p.year, fmt(p.value, ind.unit), fmt(p.target_value, ind.unit))
                    for p in points
                    if p.value is not None
                ],
            }
        )
    if request.GET.get("format") == "xlsx":
        tables = [
            (
                c["indicator"].name_vi,
                [_("Năm"), _("Giá trị"), _("Chỉ tiêu kế hoạch")],
                [list(r) for r in c["rows"]],
            )
            for c in cards
        ]
        return _xlsx(request, tables, f"chi-tieu-{code}-{f['year']}.xlsx")
    communes = []
    commune_count = len(scope.commune_codes()) if scope.level == "province" else 1
    if scope.level == "province":
        communes = list(access.communes_for_user(request.user).order_by("name_folded"))
    return render(
        request,
        "indicators/dashboard.html",
        {
            "scope": scope,
            "f": f,
            "cards": cards,
            "communes": communes,
            "commune_count": commune_count,
            "indicators": Indicator.objects.filter(is_active=True),
            **_filter_context(f),
            "is_leader": not access.can_manage(request.user) and not request.user.commune_id,
            "parent": scope.province_code
            if scope.level == "commune"
            and access.covers_unit(request.user, scope.province_code or "")
            else None,
        },
    )


@login_required
def indicator_view(request, code: str, indicator: str):
    access.unit_get_for_user(request.user, code)
    ind = get_object_or_404(Indicator, code=indicator)
    scope = rollup.scope_for(code)
    f = _filters(request)
    years = figures.years_until(f["year"])
    dis = _dis(f)
    if f["period"] is not None:
        points = _period_points(ind, scope, f["period"], dis)
    else:
        points = figures.series(ind, scope, years, **dis)
    year_fig = rollup.total(ind, scope, [f["year"]], period=f["period"], **dis)
    missing = rollup.missing_communes(ind, scope, year_fig.communes)
    rows, _missing = ([], [])
    if scope.level == "province":
        rows, _missing = figures.by_commune(ind, scope, [f["year"]], period=f["period"], **dis)
    target = points[-1].target
    trend_rows = [
        [
            p.year,
            fmt(p.numerator),
            fmt(p.denominator),
            fmt(p.value, ind.unit),
            fmt(p.target_value, ind.unit),
        ]
        for p in points
    ]
    commune_rows = [
        [r.rank or "—", r.name, fmt(r.numerator), fmt(r.denominator), fmt(r.value, ind.unit)]
        for r in rows
    ]
    has_den = ind.unit != Unit.COUNT
    if request.GET.get("format") == "xlsx":
        head = [
            _("Năm"),
            ind.numerator_label or _("Tử số"),
            ind.denominator_label or _("Mẫu số"),
            _("Giá trị"),
            _("Chỉ tiêu kế hoạch"),
        ]
        tables = [(_("Xu hướng"), head, trend_rows)]
        if commune_rows:
            tables.append(
                (
                    _("Theo xã, %(p)s") % {"p": _label(f)},
                    [_("Hạng"), _("Xã, phường"), _("Tử số"), _("Mẫu số"), _("Giá trị")],
                    commune_rows,
                )
            )
        if missing:
            tables.append((_("Xã chưa báo cáo"), [_("Xã, phường")], [[c.name] for c in missing]))
        return _xlsx(request, tables, f"{ind.code}-{code}-{f['period'] or f['year']}.xlsx")
    chart = {
        "label": ind.name_vi,
        "unit": str(ind.get_unit_display()),
        "points": [_point_json(p) for p in points],
        "communes": [
            {
                "name": r.name,
                "value": float(r.value) if r.value is not None else None,
                "url": reverse("indicators:indicator", args=[r.code, ind.code])
                + "?"
                + _filter_context(f)["query"],
            }
            for r in rows
            if r.value is not None
        ],
        "target": float(target.value) if target else None,
    }
    return render(
        request,
        "indicators/indicator.html",
        {
            "scope": scope,
            "ind": ind,
            "f": f,
            "fig": year_fig,
            "value": fmt(year_fig.value(ind.unit), ind.unit),
            "target": target,
            "target_value": fmt(target.value, ind.unit) if target else "",
            "progress": rollup.progress(ind, year_fig.value(ind.unit), target),
            "missing": missing,
            "trend_rows": trend_rows,
            "rows": rows,
            "commune_rows": commune_rows,
            "has_den": has_den,
            "chart": chart,
            **_filter_context(f),
            "period_mismatch": _period_mismatch(ind, f),
            "plan_links": _plan_links(ind, scope, f),
            "parent": scope.province_code
            if scope.level == "commune"
            and access.covers_unit(request.user, scope.province_code or "")
            else None,
        },
    )


def _period_mismatch(ind: Indicator, f: dict) -> bool:
    """A part of the year shorter than a stored indicator's period (a month of a yearly
    indicator) has no figure: the page says so instead of showing an empty chart."""
    order = ["year", "half", "quarter", "month"]
    if f["period"] is None or ind.obtained == "computed":
        return False  # Treem computes its own figures for any period
    return order.index(ind.period_type) < order.index(f["period"].kind)


def _plan_links(ind: Indicator, scope, f: dict) -> list[dict]:
    """Every target shown on the page with the plan that set it (a link where the plans app
    gives one through the hooks), years in order."""
    years = figures.years_until(f["year"])
    found = rollup.targets(ind, scope, years)
    return [
        {"year": y, "value": fmt(t.value, ind.unit), "label": t.source_label, "url": t.url}
        for y, t in sorted(found.items())
    ]


def _xlsx(request, tables, filename: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="export",
        object_type="indicators.figures",
        details={"tables": len(tables)},
    )
    response = HttpResponse(xlsx.tables_workbook(tables), content_type=xlsx.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
