"""What the people app gives the indicators app and its review report, through
`treem.indicators.hooks` only (registered in PeopleConfig.ready()).

Codes:
- STAFF_COVERAGE: per commune, 1/1 when on the period's last day the commune's responsible
  official holds a certificate for every topic required of commune officials, else 0/1. Rolled
  up it is the share of communes with a trained responsible official.
- COLLAB_VILLAGE_COVERAGE: per commune, villages with a current collaborator / villages entered.
- COLLABORATORS: per commune, the number of collaborators in post on the period's last day
  (a count).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from treem.geo.models import Commune
from treem.indicators import hooks
from treem.people import selectors
from treem.people.models import Person

STAFF_COVERAGE = "STAFF_COVERAGE"
COLLAB_VILLAGE_COVERAGE = "COLLAB_VILLAGE_COVERAGE"
COLLABORATORS = "COLLABORATORS"


def _communes(request: hooks.ComputeRequest):
    if request.commune_codes is not None:
        return Commune.objects.filter(code__in=list(request.commune_codes))
    provinces = Person.objects.values("province_id").distinct()
    return Commune.objects.filter(province_id__in=provinces)


def _coverage(request: hooks.ComputeRequest) -> selectors.Coverage:
    return selectors.coverage_for_communes(_communes(request), request.period_end, turnover_years=1)


def staff_coverage(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    return [
        hooks.CommuneFigure(r.commune.code, int(r.trained_responsible), 1)
        for r in _coverage(request).rows
    ]


def village_coverage(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    return [
        hooks.CommuneFigure(r.commune.code, r.villages_covered, r.villages)
        for r in _coverage(request).rows
        if r.villages
    ]


def collaborators(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    return [hooks.CommuneFigure(r.commune.code, r.collaborators) for r in _coverage(request).rows]


def _scope_communes(scope: hooks.ReportScope):
    if len(scope.unit_code) == 2:
        return Commune.objects.filter(province_id=scope.unit_code), scope.unit_code, None
    commune = Commune.objects.filter(code=scope.unit_code).first()
    if commune is None:
        return Commune.objects.none(), "", None
    return Commune.objects.filter(code=commune.code), commune.province_id, commune.code


def staff_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    import datetime

    communes, _province, _commune = _scope_communes(scope)
    if not Person.objects.filter(commune__in=communes).exists():
        return None
    cov = selectors.coverage_for_communes(
        communes,
        datetime.date(scope.year_to, 12, 31),
        turnover_years=scope.year_to - scope.year_from + 1,
    )
    t = cov.totals
    paragraphs = [
        _(
            "Đến ngày %(d)s: %(with)s/%(communes)s xã, phường có người phụ trách công tác trẻ em "
            "đã được tập huấn đủ; %(officials)s cán bộ xã và %(collab)s cộng tác viên; "
            "%(covered)s/%(villages)s thôn, ấp có cộng tác viên."
        )
        % {
            "d": cov.on.strftime("%d/%m/%Y"),
            "with": t["with_trained"],
            "communes": t["communes"],
            "officials": t["officials"],
            "collab": t["collaborators"],
            "covered": t["villages_covered"],
            "villages": t["villages"],
        }
    ]
    table = hooks.ReportTable(
        title=_("Biến động đội ngũ theo năm"),
        columns=[_("Năm"), _("Đang làm đầu năm"), _("Nghỉ trong năm"), _("Mới trong năm")],
        rows=[[y.year, y.at_start, y.left, y.joined] for y in cov.turnover],
    )
    return hooks.ReportSection(
        title=_("Đội ngũ làm công tác trẻ em"), paragraphs=paragraphs, tables=[table]
    )


def commendation_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    _communes_qs, province, commune = _scope_communes(scope)
    if not province:
        return None
    rows = selectors.commended_counts(
        province_code=province,
        commune_code=commune,
        year_from=scope.year_from,
        year_to=scope.year_to,
    )
    if not rows:
        return None
    collectives = sum(r[2] for r in rows)
    individuals = sum(r[3] for r in rows)
    return hooks.ReportSection(
        title=_("Thi đua, khen thưởng"),
        paragraphs=[
            _("Từ năm %(a)s đến năm %(b)s, %(c)s tập thể và %(i)s cá nhân được khen thưởng.")
            % {"a": scope.year_from, "b": scope.year_to, "c": collectives, "i": individuals}
        ],
        tables=[
            hooks.ReportTable(
                title=_("Khen thưởng theo cấp"),
                columns=[_("Cấp"), _("Hình thức"), _("Tập thể"), _("Cá nhân")],
                rows=[list(r) for r in rows],
            )
        ],
    )


def register() -> None:
    hooks.register_computed(STAFF_COVERAGE, staff_coverage)
    hooks.register_computed(COLLAB_VILLAGE_COVERAGE, village_coverage)
    hooks.register_computed(COLLABORATORS, collaborators)
    hooks.register_report_section("staff", staff_section)
    hooks.register_report_section("commendation", commendation_section)
