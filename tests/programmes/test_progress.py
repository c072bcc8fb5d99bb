from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as WordDocument
from openpyxl import load_workbook

from treem.programmes import selectors, services
from treem.programmes.models import ProgressReport, Source, TaskStatus

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks(plan, specialist, demo):
    police_a = demo.users["doitac"].organisation
    return {
        "training": services.task_add(
            actor=specialist,
            plan=plan,
            title="Tập huấn kỹ năng bảo vệ trẻ em",
            lead_organisation=specialist.organisation,
            due_on=date(2026, 5, 29),
        ),
        "talks": services.task_add(
            actor=specialist,
            plan=plan,
            title="Tuyên truyền phòng, chống xâm hại trẻ em",
            lead_organisation=police_a,
            due_on=date(2026, 11, 27),
        ),
        "forum": services.task_add(
            actor=specialist,
            plan=plan,
            title="Diễn đàn trẻ em phường",
            lead_commune=demo.commune_a,
            due_on=date(2026, 9, 30),
        ),
    }


def test_plan_tasks_progress_and_report_with_figures_that_add_up(
    plan, tasks, periods, specialist, partner, demo, specialist_client
):
    services.progress_report(
        actor=specialist,
        task=tasks["training"],
        period=periods[2],
        status=TaskStatus.DONE,
        percent=100,
        done_text="Tổ chức 4 lớp tập huấn.",
        figures={"Số người được tập huấn": 212},
    )
    services.progress_report(
        actor=partner,
        task=tasks["talks"],
        period=periods[2],
        status=TaskStatus.IN_PROGRESS,
        percent=30,
        done_text="3 buổi tại trường tiểu học.",
        figures={"Số buổi tuyên truyền": 3, "Số người được tập huấn": 15},
    )
    # A corrected report for the same period replaces the first one, it does not add to it.
    services.progress_report(
        actor=partner,
        task=tasks["talks"],
        period=periods[2],
        status=TaskStatus.IN_PROGRESS,
        percent=40,
        done_text="4 buổi tại trường tiểu học.",
        figures={"Số buổi tuyên truyền": 4, "Số người được tập huấn": 15},
    )
    services.progress_report(
        actor=partner,
        task=tasks["talks"],
        period=periods[3],
        status=TaskStatus.IN_PROGRESS,
        percent=70,
        done_text="5 buổi tại khu phố.",
        figures={"Số buổi tuyên truyền": 5},
    )
    services.progress_report(
        actor=demo.users["canbo.a"],
        task=tasks["forum"],
        period=periods[3],
        status=TaskStatus.DONE,
        percent=100,
        done_text="Diễn đàn với 150 em.",
        figures={"Số trẻ em tham gia": 150},
    )
    services.budget_line_create(
        actor=specialist,
        plan=plan,
        task=tasks["training"],
        year=2026,
        label="Tập huấn",
        source=Source.PROVINCIAL,
        activity="training",
        estimate=200_000_000,
        allocated=180_000_000,
        spent=150_000_000,
        reason="Quyết định giao dự toán",
    )
    report = selectors.plan_report(
        user=specialist, plan=plan, date_from=date(2026, 1, 1), date_to=date(2026, 9, 30)
    )
    assert (report.total, report.done, report.in_progress, report.not_started) == (3, 2, 1, 0)
    assert report.figures == {
        "Số buổi tuyên truyền": 4 + 5,
        "Số người được tập huấn": 212 + 15,
        "Số trẻ em tham gia": 150,
    }
    assert sum(sum(r.figures.values()) for r in report.rows) == sum(report.figures.values())
    talks = next(r for r in report.rows if r.task == tasks["talks"])
    assert talks.percent == 70 and "4 buổi" in talks.done_text and "3 buổi" not in talks.done_text
    assert report.budget == {
        "estimate": 200_000_000,
        "allocated": 180_000_000,
        "spent": 150_000_000,
    }
    # Only the second quarter: the third quarter's reports are not counted.
    q2 = selectors.plan_report(
        user=specialist, plan=plan, date_from=date(2026, 4, 1), date_to=date(2026, 6, 30)
    )
    assert q2.figures["Số buổi tuyên truyền"] == 4 and q2.done == 1

    url = reverse("programmes:plan_report_xlsx", args=[plan.pk])
    response = specialist_client.get(url + "?from=2026-01-01&to=2026-09-30")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[5]
    total_row = rows[-1]
    column = header.index("Số người được tập huấn")
    assert total_row[column] == 227
    assert sum(r[column] for r in rows[6:-1]) == 227
    response = specialist_client.get(
        reverse("programmes:plan_report_docx", args=[plan.pk]) + "?from=2026-01-01&to=2026-09-30"
    )
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(response.content)).paragraphs)
    assert "hoàn thành: 2 (67%)" in text and "150.000.000 đồng" in text


def test_report_for_a_closed_period_is_refused_and_nothing_saved(
    tasks, periods, specialist, partner
):
    services.period_close(actor=specialist, period=periods[1])
    with pytest.raises(ValidationError) as exc:
        services.progress_report(
            actor=partner,
            task=tasks["talks"],
            period=periods[1],
            status=TaskStatus.IN_PROGRESS,
            percent=10,
            done_text="Đã làm.",
        )
    assert "đã khóa sổ" in exc.value.message_dict["period"][0]
    assert not ProgressReport.objects.exists()


def test_bad_progress_input_saves_nothing(tasks, periods, partner):
    cases = [
        ({"status": TaskStatus.DONE, "percent": 80}, "percent"),
        ({"status": TaskStatus.IN_PROGRESS, "percent": 100}, "percent"),
        ({"status": TaskStatus.IN_PROGRESS, "percent": 10, "done_text": " "}, "done_text"),
        ({"status": TaskStatus.CANCELLED, "percent": 0}, "status"),
    ]
    for values, field in cases:
        kwargs = {"done_text": "Đã làm."} | values
        with pytest.raises(ValidationError) as exc:
            services.progress_report(
                actor=partner, task=tasks["talks"], period=periods[2], **kwargs
            )
        assert field in exc.value.message_dict
    fake = io.BytesIO(b"MZ\x90 executable")
    fake.name, fake.size = "minh-chung.pdf", 14
    with pytest.raises(ValidationError) as exc:
        services.progress_report(
            actor=partner,
            task=tasks["talks"],
            period=periods[2],
            status=TaskStatus.IN_PROGRESS,
            percent=10,
            done_text="Đã làm.",
            files=[fake],
        )
    assert "files" in exc.value.message_dict
    assert not ProgressReport.objects.exists()


def test_double_submit_with_the_same_key_reports_once(tasks, periods, partner):
    for _ in range(2):
        services.progress_report(
            actor=partner,
            task=tasks["talks"],
            period=periods[2],
            status=TaskStatus.IN_PROGRESS,
            percent=10,
            done_text="Đã làm.",
            idempotency_key="abc123",
        )
    assert ProgressReport.objects.count() == 1


def test_recurring_task_moves_to_its_next_due_date_when_done(plan, specialist, periods):
    task = services.task_add(
        actor=specialist,
        plan=plan,
        title="Báo cáo quý",
        lead_organisation=specialist.organisation,
        due_on=date(2026, 3, 31),
        recurrence="quarterly",
    )
    services.progress_report(
        actor=specialist,
        task=task,
        period=periods[1],
        status=TaskStatus.DONE,
        percent=100,
        done_text="Đã gửi báo cáo quý 1.",
    )
    task.refresh_from_db()
    assert (task.status, task.due_on, task.percent) == (
        TaskStatus.IN_PROGRESS,
        date(2026, 6, 30),
        0,
    )


def test_agency_sees_only_its_tasks_and_gets_404_on_others(tasks, periods, partner_client, plan):
    own, other = tasks["talks"], tasks["training"]
    listing = partner_client.get(reverse("programmes:task_list")).content.decode()
    assert own.title in listing and other.title not in listing
    assert partner_client.get(reverse("programmes:task_detail", args=[own.pk])).status_code == 200
    assert partner_client.get(reverse("programmes:task_detail", args=[other.pk])).status_code == 404
    page = partner_client.get(reverse("programmes:plan_detail", args=[plan.pk])).content.decode()
    assert own.title in page and other.title not in page
    response = partner_client.post(
        reverse("programmes:task_detail", args=[other.pk]),
        {"period": periods[2].pk, "status": "in_progress", "percent": 10, "done_text": "x"},
    )
    assert response.status_code == 404
    assert partner_client.get(f"/api/programmes/tasks/{other.pk}/").status_code == 404
    api = partner_client.get("/api/programmes/tasks/").json()
    assert [t["id"] for t in api["results"]] == [own.pk]
    assert partner_client.get(reverse("programmes:budget")).status_code == 403


def test_agency_reports_through_the_page_with_evidence(tasks, periods, partner_client, specialist):
    task = tasks["talks"]
    response = partner_client.post(
        reverse("programmes:task_detail", args=[task.pk]),
        {
            "idempotency_key": "k1",
            "period": periods[2].pk,
            "status": "in_progress",
            "percent": 50,
            "done_text": "Tuyên truyền tại 6 trường.",
            "figure_label_1": "Số buổi tuyên truyền",
            "figure_value_1": 6,
            "files": [pdf_upload()],
        },
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert report.organisation == task.lead_organisation and report.figures == {
        "Số buổi tuyên truyền": 6
    }
    evidence = report.evidence.get()
    assert partner_client.get(reverse("programmes:evidence", args=[evidence.pk])).status_code == 200
    with pytest.raises(PermissionDenied):
        services.progress_report(
            actor=specialist.__class__.objects.get(username="canbo.b"),
            task=task,
            period=periods[2],
            status="in_progress",
            percent=60,
            done_text="x",
        )


def test_api_progress_report(tasks, periods, partner_client):
    task = tasks["talks"]
    body = {
        "period": periods[2].pk,
        "status": "in_progress",
        "percent": 20,
        "done_text": "Đã làm.",
        "figures": {"Số buổi": 2},
        "idempotency_key": "api-1",
    }
    url = f"/api/programmes/tasks/{task.pk}/progress/"
    first = partner_client.post(url, body, content_type="application/json")
    again = partner_client.post(url, body, content_type="application/json")
    assert first.status_code == 201 and again.json()["id"] == first.json()["id"]
    bad = partner_client.post(
        url, body | {"percent": 100, "idempotency_key": "api-2"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "percent" in bad.json()["error"]["fields"]


def test_province_sees_completion_by_agency_and_by_commune(
    tasks, periods, specialist, partner, demo, officer_a_client, specialist_client
):
    services.progress_report(
        actor=partner,
        task=tasks["talks"],
        period=periods[2],
        status=TaskStatus.DONE,
        percent=100,
        done_text="Xong.",
    )
    board = selectors.plan_board(user=specialist, today=date(2026, 6, 1), year=2026)
    agencies = {r.label: (r.total, r.done) for r in board.by_agency}
    assert agencies[partner.organisation.name] == (1, 1)
    assert agencies[specialist.organisation.name] == (1, 0)
    assert {r.key: (r.total, r.done) for r in board.by_commune} == {demo.commune_a.code: (1, 0)}
    assert (board.total, board.done, board.rate) == (3, 1, 33)
    page = specialist_client.get(reverse("programmes:board") + "?year=2026").content.decode()
    assert "Mức độ hoàn thành theo cơ quan chủ trì" in page
    # A commune's staff see their own tasks, not the province's completion tables.
    page = officer_a_client.get(reverse("programmes:board") + "?year=2026").content.decode()
    assert "Mức độ hoàn thành theo cơ quan chủ trì" not in page


def test_partner_reads_the_plan_report_of_its_task_without_the_budget(
    tasks, periods, specialist, partner, partner_client, plan
):
    services.budget_line_create(
        actor=specialist,
        plan=plan,
        task=tasks["training"],
        year=2026,
        label="Tập huấn",
        source=Source.PROVINCIAL,
        activity="training",
        estimate=200_000_000,
        allocated=180_000_000,
        spent=150_000_000,
        reason="Quyết định giao dự toán",
    )
    report = selectors.plan_report(
        user=partner, plan=plan, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31)
    )
    assert not report.show_budget and report.budget["estimate"] == 0 and not report.by_source
    query = "?from=2026-01-01&to=2026-12-31"
    page = partner_client.get(reverse("programmes:plan_report", args=[plan.pk]) + query)
    assert page.status_code == 200
    assert "200.000.000" not in page.content.decode() and "Kinh phí" not in page.content.decode()
    docx = partner_client.get(reverse("programmes:plan_report_docx", args=[plan.pk]) + query)
    text = "\n".join(p.text for p in WordDocument(io.BytesIO(docx.content)).paragraphs)
    assert "200.000.000" not in text and "Kinh phí" not in text
