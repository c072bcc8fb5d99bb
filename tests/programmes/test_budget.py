from __future__ import annotations

import io
import random
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from treem.core.concurrency import ConcurrentEditError
from treem.programmes import selectors, services
from treem.programmes.models import Activity, BudgetChange, BudgetLine, Plan, Source

pytestmark = pytest.mark.django_db


def _line(actor, plan, **kw):
    values = {
        "year": 2026,
        "label": "Tập huấn",
        "source": Source.PROVINCIAL,
        "activity": Activity.TRAINING,
        "estimate": 100,
        "allocated": 100,
        "spent": 50,
        "reason": "Quyết định giao dự toán",
    } | kw
    return services.budget_line_create(actor=actor, plan=plan, **values)


@pytest.mark.parametrize("raw", ["1500000.5", "1.500.000", "1,5", "15e6", "-5", 1.5])
def test_amount_with_a_decimal_point_is_refused_and_nothing_saved(plan, specialist, raw):
    with pytest.raises(ValidationError) as exc:
        _line(specialist, plan, spent=raw)
    assert "spent" in exc.value.message_dict
    assert not BudgetLine.objects.exists()


def test_spending_over_the_allocation_needs_a_confirmed_reason(plan, specialist):
    with pytest.raises(ValidationError) as exc:
        _line(specialist, plan, allocated=1_000_000, spent=1_200_000)
    assert "vượt số được giao" in exc.value.message_dict["spent"][0]
    assert not BudgetLine.objects.exists()
    line = _line(
        specialist, plan, allocated=1_000_000, spent=1_200_000, accept_over_allocation=True
    )
    assert line.changes.get().over_allocation


def test_every_change_is_kept_with_its_reason_and_stale_edits_refused(plan, specialist):
    line = _line(specialist, plan)
    services.budget_line_change(
        actor=specialist,
        line=line,
        expected_version=1,
        estimate=100,
        allocated=120,
        spent=90,
        reason="Bổ sung dự toán",
    )
    with pytest.raises(ValidationError) as exc:
        services.budget_line_change(
            actor=specialist,
            line=line,
            expected_version=2,
            estimate=100,
            allocated=120,
            spent=95,
            reason=" ",
        )
    assert "reason" in exc.value.message_dict
    stale = BudgetLine.objects.get(pk=line.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.budget_line_change(
            actor=specialist,
            line=stale,
            expected_version=1,
            estimate=1,
            allocated=1,
            spent=1,
            reason="Sửa",
        )
    changes = list(BudgetChange.objects.filter(line=line).order_by("id"))
    assert [(c.allocated, c.spent, c.reason) for c in changes] == [
        (100, 50, "Quyết định giao dự toán"),
        (120, 90, "Bổ sung dự toán"),
    ]
    assert changes[1].previous == {"estimate": 100, "allocated": 100, "spent": 50}
    # The running sums follow the change (and ignore the refused ones).
    total = selectors.budget_rollup(user=specialist, year=2026).total
    assert (total.estimate, total.allocated, total.spent) == (100, 120, 90)


def test_rollups_in_integers_equal_the_sums_of_lines(plan, specialist, demo):
    rng = random.Random(3)
    commune_plan = services.plan_derive_for_commune(
        actor=specialist, plan=plan, commune=demo.commune_a
    )
    task = services.task_add(
        actor=specialist,
        plan=plan,
        title="Tuyên truyền",
        lead_organisation=demo.users["doitac"].organisation,
        due_on=date(2026, 6, 1),
    )
    for _ in range(40):
        allocated = rng.randrange(1, 10**12)
        _line(
            specialist,
            rng.choice([plan, commune_plan]),
            task=None,
            source=rng.choice(Source.values),
            activity=rng.choice(Activity.values),
            estimate=allocated + rng.randrange(0, 10**9),
            allocated=allocated,
            spent=rng.randrange(0, allocated + 1),
        )
    _line(specialist, plan, task=task, allocated=7, spent=7, estimate=7)
    rollup = selectors.budget_rollup(user=specialist, year=2026)
    sums = BudgetLine.objects.aggregate(e=Sum("estimate"), a=Sum("allocated"), s=Sum("spent"))
    lines = list(BudgetLine.objects.all())
    assert rollup.total.spent == sums["s"] == sum(x.spent for x in lines)
    assert isinstance(rollup.total.spent, int)
    for group in (rollup.by_source, rollup.by_activity, rollup.by_year):
        assert sum(r.estimate for r in group) == sums["e"]
        assert sum(r.allocated for r in group) == sums["a"]
        assert sum(r.spent for r in group) == sums["s"]
    for r in rollup.by_source:
        assert r.spent == sum(x.spent for x in lines if x.source == r.key)
    commune_row = next(r for r in rollup.by_commune if r.key == demo.commune_a.code)
    assert commune_row.spent == sum(x.spent for x in lines if x.plan_id == commune_plan.pk)
    agency = next(r for r in rollup.by_agency if r.key == task.lead_organisation_id)
    assert agency.spent == 7
    api = demo.users["chuyenvien"]
    assert api  # the API returns the same integers
    # The commune's worker sees only the commune's lines.
    worker = selectors.budget_rollup(user=demo.users["canbo.a"], year=2026)
    assert worker.total.spent == commune_row.spent


def test_budget_export_has_one_row_per_line_and_subtotals_per_source(
    plan, specialist, specialist_client
):
    _line(specialist, plan, label='=HYPERLINK("http://x")', source=Source.CENTRAL, spent=10)
    _line(specialist, plan, label="Tập huấn", source=Source.CENTRAL, spent=20)
    _line(specialist, plan, label="Hỗ trợ", source=Source.SOCIALISED, spent=5, allocated=5)
    response = specialist_client.get(reverse("programmes:budget_export") + "?year=2026")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    labels = [r[4] for r in rows]
    assert '\'=HYPERLINK("http://x")' in labels
    central_total = next(r for r in rows if r[4] == "Cộng Ngân sách trung ương")
    assert central_total[9] == 30
    social_total = next(r for r in rows if r[4] == "Cộng Xã hội hóa (doanh nghiệp, người dân)")
    assert social_total[9] == 5
    assert rows[-1][4] == "Tổng cộng" and rows[-1][9] == 35
    assert sum(1 for r in rows if isinstance(r[0], int)) == 3


def test_budget_per_child_uses_registry_counts(plan, specialist, demo):
    from treem.registry import dedup
    from treem.registry import services as registry

    dedup.index_forget()
    commune_plan = services.plan_derive_for_commune(
        actor=specialist, plan=plan, commune=demo.commune_a
    )
    _line(specialist, commune_plan, allocated=1_000_000, spent=1_000_000)
    for i, name in enumerate(["Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu"]):
        registry.child_register(
            actor=demo.users["canbo.a"],
            raw={
                "full_name": name,
                "birth_date": f"0{i + 1}/03/2018",
                "sex": "M",
                "commune": demo.commune_a.code,
            },
            decision="new",
            today=date(2026, 6, 1),
        )
    dedup.index_forget()
    total, rows = selectors.budget_per_child(user=specialist, year=2026, on=date(2026, 6, 1))
    row = next(r for r in rows if r.code == demo.commune_a.code)
    assert (row.spent, row.children, row.per_child) == (1_000_000, 3, 333_333)
    assert total.children == 3


def test_api_refuses_floats_and_returns_integers(plan, specialist_client):
    url = f"/api/programmes/plans/{plan.pk}/budget-lines/"
    body = {
        "year": 2026,
        "label": "Tập huấn",
        "source": "provincial",
        "activity": "training",
        "allocated": 1000,
        "spent": 500.0,
        "reason": "Dự toán",
    }
    bad = specialist_client.post(url, body, content_type="application/json")
    assert bad.status_code == 400 and "spent" in bad.json()["error"]["fields"]
    good = specialist_client.post(url, body | {"spent": 500}, content_type="application/json")
    assert good.status_code == 201 and good.json()["spent"] == 500
    rollup = specialist_client.get("/api/programmes/budget/rollup/?year=2026").json()
    assert rollup["total"]["spent"] == 500


def test_plan_of_another_commune_cannot_be_budgeted(demo, client_for):
    plan = Plan.objects.create(
        title="x",
        level="commune",
        province=demo.province,
        commune=demo.commune_a,
        year_from=2026,
        year_to=2026,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    url = reverse("programmes:budget_line_create", args=[plan.pk])
    assert client_for("canbo.b").get(url).status_code == 404
    assert client_for("lanhdao").get(url).status_code == 403
    assert client_for("canbo.a").get(url).status_code == 200
