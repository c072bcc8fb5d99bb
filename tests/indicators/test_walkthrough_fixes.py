"""The defects found walking through the app: the review page's unit list, overdue communes that
never opened their report, the child-friendly reference figure, the "generating" banner."""

from __future__ import annotations

import datetime
import re

import pytest
from django.urls import reverse

from treem.geo.models import Commune
from treem.indicators import selectors
from treem.indicators.models import CommuneReport, ReviewReportJob
from treem.lib.text import vi_sort_key


def test_review_page_offers_the_province_and_its_communes_by_name_in_vietnamese_order(
    catalogue, demo, client_for
):
    html = client_for("chuyenvien").get(reverse("indicators:review")).content.decode()
    select = re.search(r'<select name="unit">(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', select)
    assert options[0] == (demo.province.code, demo.province.name)
    communes = list(Commune.objects.filter(province=demo.province).values_list("code", "name"))
    assert options[1:] == sorted(communes, key=lambda c: vi_sort_key(c[1]))
    assert '<input name="unit"' not in html  # no raw code box any more
    assert "selected>" + demo.province.name in html


def test_commune_officer_is_offered_only_their_commune(catalogue, demo, client_for):
    html = client_for("canbo.a").get(reverse("indicators:review")).content.decode()
    select = re.search(r'<select name="unit">(.*?)</select>', html, re.S).group(1)
    assert re.findall(r'<option value="(\d+)"', select) == [demo.commune_a.code]


def test_a_report_never_opened_long_after_its_deadline_is_overdue(catalogue, demo):
    user = demo.users["chuyenvien"]
    rows, summary = selectors.completeness(user, "2024")  # due 15/01/2025: long past
    never_opened = [r for r in rows if r.report_id is None]
    assert never_opened
    assert all(r.overdue and r.submitted_on_time is False for r in never_opened)
    assert all(r.status_label == "Quá hạn, chưa mở báo cáo" for r in never_opened)
    assert summary["overdue"] >= len(never_opened)


def test_a_future_period_not_yet_opened_is_not_overdue(catalogue, demo):
    next_year = str(datetime.date.today().year + 1)
    rows, summary = selectors.completeness(demo.users["chuyenvien"], next_year)
    assert rows and not any(r.overdue for r in rows)
    assert {r.status_label for r in rows if r.report_id is None} == {"Chưa mở"}
    assert summary["overdue"] == 0


def test_a_draft_past_its_deadline_is_overdue_and_the_page_says_so(catalogue, demo, client_for):
    CommuneReport.objects.create(
        commune=demo.commune_a,
        period="2023",
        period_type="year",
        year=2023,
        due_on=datetime.date(2024, 1, 15),
    )
    rows, _summary = selectors.completeness(demo.users["chuyenvien"], "2023")
    row = next(r for r in rows if r.commune_code == demo.commune_a.code)
    assert row.overdue and row.status_label == "Đang nhập"
    html = client_for("chuyenvien").get(reverse("indicators:report_list") + "?period=2023")
    text = html.content.decode()
    assert "Quá hạn, chưa mở báo cáo" in text and "Chưa mở<" not in text
    assert 'class="overdue"' in text


@pytest.fixture
def job(demo):
    return ReviewReportJob.objects.create(
        unit_code=demo.province.code,
        year_from=2020,
        year_to=2022,
        fmt="docx",
        status=ReviewReportJob.Status.RUNNING,
        progress=40,
        requested_by=demo.users["chuyenvien"],
    )


def test_generating_banner_polls_then_gives_way_to_the_download_link(
    catalogue, demo, client_for, job
):
    c = client_for("chuyenvien")
    url = reverse("indicators:review") + f"?unit={demo.province.code}&from=2020&to=2022"
    page = c.get(url).content.decode()
    assert 'id="review-generating"' in page and 'hx-trigger="every 2s"' in page
    fragment = c.get(url + "&jobs=1", HTTP_HX_REQUEST="true").content.decode()
    assert fragment.startswith('<section id="review-jobs"') and "every 2s" in fragment
    ReviewReportJob.objects.filter(pk=job.pk).update(status="done", progress=100)
    fragment = c.get(url + "&jobs=1", HTTP_HX_REQUEST="true").content.decode()
    # Done: no trigger (htmx stops polling), no "generating" banner, the download link instead.
    assert "hx-trigger" not in fragment and "review-generating" not in fragment
    assert reverse("indicators:review_download", args=[job.pk]) in fragment
    assert 'id="review-ready"' in fragment


def test_generating_leaves_no_flash_that_outlives_the_file(catalogue, demo, client_for, settings):
    c = client_for("chuyenvien")
    response = c.post(
        reverse("indicators:review_generate"),
        {"unit": demo.province.code, "from": 2020, "to": 2020, "format": "xlsx"},
        follow=True,
    )
    html = response.content.decode()
    assert "trang sẽ tự cập nhật khi xong" not in html
