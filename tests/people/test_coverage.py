"""Coverage figures on communes made by hand for the test, worked out on paper first."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from treem.geo.models import Commune, Village
from treem.indicators import hooks
from treem.lib.text import fold
from treem.people import selectors, services
from treem.people.models import Course, PostKind, TrainingTopic

D = datetime.date


def village(commune, name):
    return Village.objects.create(commune=commune, name=name, name_folded=fold(name))


@pytest.fixture
def world(demo):
    """Two communes of the province other than the demo ones.

    X: responsible official trained in both official topics; 3 villages, collaborators cover
       two of them (one covers two villages, one left in 2025 from the third) -> 2/3 covered.
    Y: responsible official trained in one of the two topics only -> not covered; a second
       official fully trained but not responsible does not count; 1 village, no collaborator.
    """
    x, y = Commune.objects.filter(province=demo.province).exclude(
        code__in=[demo.commune_a.code, demo.commune_b.code]
    )[:2]
    vx = [village(x, n) for n in ("Ấp 1", "Ấp 2", "Ấp 3")]
    [village(y, "Ấp Bình Lộc")]
    org = demo.organisations["so_y_te"]
    skills = TrainingTopic.objects.get(code="ky-nang-bao-ve-tre-em")
    cases = TrainingTopic.objects.get(code="quan-ly-truong-hop")

    def course(topic, end):
        return services.course_create(
            actor=None,
            title=f"Lớp {topic.name}",
            topic=topic,
            organiser=org,
            starts_on=end,
            ends_on=end,
            place="Sở Y tế",
            hours=8,
        )

    c_skills = course(skills, D(2025, 5, 1))
    c_cases = course(cases, D(2025, 6, 1))

    def person(name, commune, kind, since, **kw):
        p = services.person_register(
            actor=None, full_name=name, province=demo.province, commune=commune
        )
        period = services.period_start(
            actor=None, person=p, kind=kind, position="Vị trí", started_on=since, **kw
        )
        return p, period

    off = PostKind.COMMUNE_OFFICIAL
    ctv = PostKind.VILLAGE_COLLABORATOR
    px, _ = person(
        "Trần Văn Xuân", x, off, D(2020, 1, 1), employment="full_time", is_responsible=True
    )
    _c1, _ = person("Lê Thị Một", x, ctv, D(2021, 1, 1), villages=vx[:1])
    _c2, _ = person("Lê Thị Hai", x, ctv, D(2024, 1, 1), villages=vx[1:2])
    _c3, p3 = person("Lê Thị Ba", x, ctv, D(2019, 1, 1), villages=vx[2:3])
    services.period_end(actor=None, period=p3, ended_on=D(2025, 8, 31), reason="Nghỉ")
    py, _ = person(
        "Phan Văn Yên", y, off, D(2022, 1, 1), employment="part_time", is_responsible=True
    )
    py2, _ = person("Phan Thị Giỏi", y, off, D(2022, 1, 1), employment="full_time")
    for p, c in [(px, c_skills), (px, c_cases), (py, c_skills), (py2, c_skills), (py2, c_cases)]:
        services.attendance_record(actor=None, course=c, person=p, certified=True)
    return x, y


def rows(demo, x, y, on):
    cov = selectors.coverage_for_communes(
        Commune.objects.filter(code__in=[x.code, y.code]), on, turnover_years=3
    )
    return cov, {r.commune.code: r for r in cov.rows}


def test_coverage_figures_on_hand_made_communes(demo, world):
    x, y = world
    cov, by = rows(demo, x, y, D(2026, 1, 1))
    rx, ry = by[x.code], by[y.code]
    assert rx.trained_responsible is True
    assert (rx.officials, rx.collaborators, rx.villages, rx.villages_covered) == (1, 2, 3, 2)
    assert rx.villages_without == ["Ấp 3"]
    assert ry.trained_responsible is False  # responsible one lacks case management
    assert (ry.officials, ry.trained_officials, ry.collaborators) == (2, 1, 0)
    assert ry.villages_without == ["Ấp Bình Lộc"]
    assert [g.commune.code for g in cov.gaps] == [y.code]
    assert cov.totals["with_trained"] == 1


def test_coverage_on_an_earlier_day_uses_the_periods_of_that_day(demo, world):
    x, y = world
    # 1 July 2024: Ba still covered Ấp 3, Hai had joined; X's official not yet trained.
    _cov, by = rows(demo, x, y, D(2024, 7, 1))
    assert by[x.code].villages_without == []
    assert by[x.code].trained_responsible is False


def test_turnover_counts_leavers_against_staff_in_post_on_first_january(demo, world):
    x, y = world
    cov, _ = rows(demo, x, y, D(2025, 12, 31))
    t = {row.year: row for row in cov.turnover}
    # 1 Jan 2025 in post: Xuân, Một, Hai, Ba (X) + Yên, Giỏi (Y) = 6; Ba left in 2025.
    assert (t[2025].at_start, t[2025].left, t[2025].joined) == (6, 1, 0)
    assert t[2025].rate == pytest.approx(16.7)
    # 2024: Hai joined.
    assert (t[2024].at_start, t[2024].joined) == (5, 1)


def test_indicator_hooks_give_numerators_and_denominators_per_commune(demo, world):
    x, y = world
    req = hooks.ComputeRequest("STAFF_COVERAGE", D(2025, 1, 1), D(2025, 12, 31), [x.code, y.code])
    staff = {
        f.commune_code: (f.numerator, f.denominator)
        for f in hooks.computed_function("STAFF_COVERAGE")(req)
    }
    assert staff == {x.code: (1, 1), y.code: (0, 1)}
    villages = {
        f.commune_code: (f.numerator, f.denominator)
        for f in hooks.computed_function("COLLAB_VILLAGE_COVERAGE")(req)
    }
    assert villages == {x.code: (2, 3), y.code: (0, 1)}


def test_staff_section_of_the_review_report(demo, world):
    x, _y = world
    section = hooks.report_section("staff", hooks.ReportScope(x.code, 2023, 2025))
    assert section is not None
    assert "1/1 xã" in section.paragraphs[0]
    assert [r[0] for r in section.tables[0].rows] == [2023, 2024, 2025]
    assert hooks.report_section("staff", hooks.ReportScope("26734", 2023, 2025)) is None


def test_a_closed_period_is_never_rewritten(demo, world):
    x, _y = world
    period = x.people.get(full_name="Lê Thị Ba").periods.get()
    with pytest.raises(ValidationError, match="đã kết thúc"):
        services.period_end(actor=None, period=period, ended_on=D(2026, 1, 1))
    period.refresh_from_db()
    assert period.ended_on == D(2025, 8, 31)


def test_collaborator_villages_must_belong_to_their_commune(demo):
    p = services.person_register(
        actor=None, full_name="Ngô Văn Sai", province=demo.province, commune=demo.commune_a
    )
    with pytest.raises(ValidationError) as exc:
        services.period_start(
            actor=None,
            person=p,
            kind=PostKind.VILLAGE_COLLABORATOR,
            position="CTV",
            started_on=D(2025, 1, 1),
            villages=demo.villages["b"][:1],
        )
    assert "villages" in exc.value.message_dict
    assert not p.periods.exists()


def test_training_needs_list_missing_required_topics(demo, world, users):
    _x, _y = world
    y_people = {
        n.person.full_name: [t.code for t in n.missing]
        for n in selectors.training_needs(user=users.specialist, on=D(2026, 1, 1))
    }
    assert y_people["Phan Văn Yên"] == ["quan-ly-truong-hop"]
    assert "Trần Văn Xuân" not in y_people
    # Collaborators need child protection skills and abuse prevention.
    assert sorted(y_people["Lê Thị Một"]) == ["ky-nang-bao-ve-tre-em", "phong-ngua-xam-hai"]
    assert Course.objects.count() == 2
