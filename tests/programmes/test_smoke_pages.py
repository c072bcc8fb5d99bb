"""Every page opens for the province's specialist on the full demo data, and the demo is
idempotent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from treem.programmes.models import (
    BudgetLine,
    Campaign,
    Document,
    Plan,
    ProgressReport,
    Task,
)

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (Document, Plan, Task, ProgressReport, BudgetLine, Campaign)]


def test_demo_seed_is_idempotent(seeded):
    from treem.programmes.demo import seed

    before = _counts()
    seed(seeded)
    assert _counts() == before
    assert Document.objects.get(number="28-CT/TW").links_out.get().target.number == "20-CT/TW"


def test_pages_open_for_specialist(seeded, specialist_client):
    plan = Plan.objects.get(number="25/KH-UBND")
    task = plan.tasks.first()
    line = BudgetLine.objects.first()
    campaign = Campaign.objects.get()
    document = Document.objects.get(number="20-CT/TW")
    urls = [
        reverse("programmes:board"),
        reverse("programmes:plan_list"),
        reverse("programmes:plan_create"),
        reverse("programmes:plan_detail", args=[plan.pk]),
        reverse("programmes:plan_edit", args=[plan.pk]),
        reverse("programmes:task_create", args=[plan.pk]),
        reverse("programmes:target_create", args=[plan.pk]),
        reverse("programmes:plan_derive", args=[plan.pk]),
        reverse("programmes:plan_report", args=[plan.pk]),
        reverse("programmes:plan_report_docx", args=[plan.pk]),
        reverse("programmes:plan_report_xlsx", args=[plan.pk]),
        reverse("programmes:budget_line_create", args=[plan.pk]),
        reverse("programmes:task_list"),
        reverse("programmes:task_detail", args=[task.pk]),
        reverse("programmes:periods"),
        reverse("programmes:budget"),
        reverse("programmes:budget_export"),
        reverse("programmes:budget_line", args=[line.pk]),
        reverse("programmes:communication") + "?year=2026",
        reverse("programmes:campaign_create"),
        reverse("programmes:campaign_detail", args=[campaign.pk]),
        reverse("programmes:activity_create"),
        reverse("programmes:document_list"),
        reverse("programmes:document_create"),
        reverse("programmes:document_detail", args=[document.pk]),
        reverse("programmes:notifications"),
        reverse("core:dashboard"),
    ]
    for url in urls:
        response = specialist_client.get(url)
        assert response.status_code == 200, url
