from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.core.concurrency import ConcurrentEditError
from treem.indicators import rollup, services
from treem.indicators.models import CommuneReport, IndicatorValue, ReportEvent


def _fill(report, data_overrides=None):
    """Valid cells for every entered indicator (totals only, plus matching sex rows)."""
    data = {}
    for ind in services.entered_indicators(report.period_type):
        has_den = ind.unit != "count"
        data[f"c|{ind.code}|||n"] = "40"
        if has_den:
            data[f"c|{ind.code}|||d"] = "50"
    data.update(data_overrides or {})
    return data


@pytest.fixture
def report(catalogue, demo):
    return services.report_open(actor=demo.users["canbo.a"], commune=demo.commune_a, period="2024")


def test_full_cycle_by_role_and_commune(report, demo):
    officer, chairman = demo.users["canbo.a"], demo.users["chutich.a"]
    specialist, leader = demo.users["chuyenvien"], demo.users["lanhdao"]
    officer_b = demo.users["canbo.b"]
    checked = services.report_save(
        actor=officer, report=report, data=_fill(report), expected_version=1
    )
    assert not checked.errors
    report.refresh_from_db()
    # Another commune's officer, the leader and the specialist cannot submit it.
    for user in (officer_b, leader, specialist):
        with pytest.raises(PermissionDenied):
            services.report_transition(
                actor=user, report=report, move="submit", expected_version=report.version
            )
    services.report_transition(
        actor=chairman, report=report, move="submit", expected_version=report.version
    )
    assert report.status == CommuneReport.Status.SUBMITTED
    # The commune cannot approve its own report; returning needs a comment.
    with pytest.raises(PermissionDenied):
        services.report_transition(
            actor=officer, report=report, move="approve", expected_version=report.version
        )
    with pytest.raises(ValidationError):
        services.report_transition(
            actor=specialist, report=report, move="return", expected_version=report.version
        )
    services.report_transition(
        actor=specialist,
        report=report,
        move="return",
        expected_version=report.version,
        comment="Mẫu số tiêm chủng chưa khớp với sổ tiêm chủng.",
    )
    assert report.status == CommuneReport.Status.RETURNED
    services.report_transition(
        actor=officer, report=report, move="resubmit", expected_version=report.version
    )
    vax = IndicatorValue.objects.get(report=report, indicator__code="YT_TIEMCHUNG_U1", sex="")
    assert vax.is_final is False
    scope = rollup.scope_for(demo.commune_a.code)
    before = rollup.total(vax.indicator, scope, [2024])
    assert before.numerator == 0
    services.report_transition(
        actor=specialist, report=report, move="approve", expected_version=report.version
    )
    assert report.status == CommuneReport.Status.APPROVED
    # Approved figures count at once.
    assert rollup.total(vax.indicator, scope, [2024]).numerator == 40
    # Locked: no edit, no submit.
    with pytest.raises(PermissionDenied):
        services.report_save(
            actor=officer, report=report, data=_fill(report), expected_version=report.version
        )
    with pytest.raises(ValidationError):
        services.report_transition(
            actor=officer, report=report, move="submit", expected_version=report.version
        )
    # Reopen needs a reason, by the province only; figures stop counting until approved again.
    with pytest.raises(PermissionDenied):
        services.report_transition(
            actor=officer,
            report=report,
            move="reopen",
            expected_version=report.version,
            comment="x",
        )
    services.report_transition(
        actor=specialist,
        report=report,
        move="reopen",
        expected_version=report.version,
        comment="Xã báo sai số trẻ dưới 1 tuổi.",
    )
    assert rollup.total(vax.indicator, scope, [2024]).numerator == 0
    moves = list(ReportEvent.objects.filter(report=report).values_list("action", flat=True))
    assert moves == ["submit", "return", "resubmit", "approve", "reopen"]


def test_report_saved_only_when_every_cell_is_valid(report, demo):
    officer = demo.users["canbo.a"]
    bad = _fill(
        report,
        {
            "c|YT_TIEMCHUNG_U1|||n": "60",  # above its denominator 50
            "c|KS_DUOI5|||n": "-1",
            "c|GD_MAUGIAO|||n": "abc",
        },
    )
    checked = services.report_save(actor=officer, report=report, data=bad, expected_version=1)
    assert set(checked.errors) == {"c|YT_TIEMCHUNG_U1|||n", "c|KS_DUOI5|||n", "c|GD_MAUGIAO|||n"}
    assert not IndicatorValue.objects.filter(report=report).exists()


def test_disaggregations_must_add_up_and_a_jump_only_warns(report, demo, put_value):
    officer = demo.users["canbo.a"]
    data = _fill(
        report,
        {
            "c|YT_TIEMCHUNG_U1|M||n": "20",
            "c|YT_TIEMCHUNG_U1|M||d": "25",
            "c|YT_TIEMCHUNG_U1|F||n": "19",
            "c|YT_TIEMCHUNG_U1|F||d": "25",
        },
    )
    checked = services.report_save(actor=officer, report=report, data=data, expected_version=1)
    assert "c|YT_TIEMCHUNG_U1|M||n" in checked.errors  # 20 + 19 != 40
    deaths = services.entered_indicators("year").get(code="YT_DUOINUOC")
    put_value(deaths, demo.commune_a, 2023, 10)
    ok = _fill(report, {"c|YT_DUOINUOC|||n": "40"})
    checked = services.report_save(actor=officer, report=report, data=ok, expected_version=1)
    assert not checked.errors
    assert "c|YT_DUOINUOC|||n" in checked.warnings


def test_second_editor_is_refused(report, demo):
    officer, chairman = demo.users["canbo.a"], demo.users["chutich.a"]
    services.report_save(actor=officer, report=report, data=_fill(report), expected_version=1)
    with pytest.raises(ConcurrentEditError):
        services.report_save(actor=chairman, report=report, data=_fill(report), expected_version=1)


def test_pages_by_role(report, demo, client_for):
    url = reverse("indicators:report_detail", args=[report.pk])
    assert client_for("canbo.a").get(url).status_code == 200
    assert client_for("chuyenvien").get(url).status_code == 200
    assert client_for("canbo.b").get(url).status_code == 404
    assert client_for("doitac").get(url).status_code == 403
    assert client_for("bientap").get(url).status_code == 403
    c = client_for("canbo.a")
    response = c.post(url, {**_fill(report), "version": report.version})
    assert response.status_code == 200
    report.refresh_from_db()
    response = c.post(
        reverse("indicators:report_move", args=[report.pk]),
        {"move": "submit", "version": report.version},
    )
    report.refresh_from_db()
    assert report.status == "submitted"
    response = client_for("canbo.a").post(
        reverse("indicators:report_move", args=[report.pk]),
        {"move": "approve", "version": report.version},
    )
    assert response.status_code == 403
    template = c.get(reverse("indicators:report_template", args=[report.pk]))
    assert template.status_code == 200 and template["Content-Type"].startswith(
        "application/vnd.openxml"
    )


def test_excel_template_round_trip(report, demo, client_for):
    from treem.indicators import forms_spec, xlsx

    blocks = forms_spec.blocks_for(services.entered_indicators("year"))
    content = xlsx.report_template(report, blocks, _fill(report, {"c|KS_DUOI5|||n": "45,5"}))
    data = xlsx.read_report_template(content)
    assert data["c|KS_DUOI5|||n"] == "45,5"
    assert data["c|YT_TIEMCHUNG_U1|||d"] == "50"
    with pytest.raises(xlsx.TemplateError):
        xlsx.read_report_template(xlsx.tables_workbook([("x", ["a"], [[1]])]))


def test_opening_a_report_refuses_first_then_reads_the_form(catalogue, demo, client_for):
    url = reverse("indicators:report_start")
    # A role that enters no figures: 403 whatever the form holds.
    for body in ({}, {"commune": demo.commune_a.code, "period": "2025"}):
        assert client_for("chuyenvien").post(url, body).status_code == 403
    worker = client_for("canbo.a")
    assert worker.post(url, {}).status_code == 400  # no commune chosen
    other = worker.post(url, {"commune": demo.commune_b.code, "period": "2025"})
    assert other.status_code == 404  # not their commune
    # The period written in words, as officials do.
    opened = worker.post(url, {"commune": demo.commune_a.code, "period": "Năm 2025"})
    assert opened.status_code == 302 and "/reports/" in opened["Location"]
