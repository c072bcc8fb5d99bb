"""The province's plan board and budget roll-up at ten years of plans, on PostgreSQL.

    .venv/bin/python bench/programmes.py [--quick] [--years N] [--repeat N] [--keep]

Creates the database `treem_bench_programmes` (BENCH_PROGRAMMES_PG_URL, default
postgres://postgres@127.0.0.1:5432/treem_bench_programmes), migrates it, loads the geography and
the foundation demo (users), adds 40 provincial agencies and fills, with COPY, for each year: one
province plan, one plan per agency and one per commune (95), 20,000 tasks (led by agencies and
communes, a share overdue), 4 quarterly periods, 200,000 progress reports and 50,000 budget lines
over five sources and seven activity types. Ten years (the default) is 200,000 tasks, 2,000,000
progress reports and 500,000 budget lines; `--quick` fills one year.

Then, signed in as the province's specialist through Django's test client, it measures
`--repeat` times: the plan board of the current year (/app/programmes/), the budget page with its
roll-ups by source, activity, agency, commune and year and the budget per child
(/app/programmes/budget/), and the budget roll-up API. Target: each under 300 ms median. The
last line of output is one JSON object with `"ok"` per target.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get(
    "BENCH_PROGRAMMES_PG_URL", "postgres://postgres@127.0.0.1:5432/treem_bench_programmes"
)
AGENCIES = 40
TASKS_PER_YEAR = 20_000
REPORTS_PER_TASK = 10
LINES_PER_YEAR = 50_000


def _admin(url: str) -> tuple[str, str]:
    parsed = urlparse(url)
    return parsed._replace(path="/postgres").geturl(), parsed.path.lstrip("/")


def recreate_database(url: str) -> None:
    import psycopg

    dsn, name = _admin(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    dsn, name = _admin(url)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["LOG_LEVEL"] = "error"
    import django

    django.setup()


def copy_rows(table: str, columns: list[str], rows) -> int:
    from django.db import connection

    count = 0
    with connection.cursor() as cursor:
        cols = ", ".join(f'"{c}"' for c in columns)
        with cursor.cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _ids(sql: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [r[0] for r in cursor.fetchall()]


def fill(years: list[int], seed: int) -> dict:
    from django.db import connection

    from treem.accounts.models import Organisation, User
    from treem.geo.models import Commune
    from treem.programmes.deadlines import next_working_day

    rng = random.Random(seed)
    t0 = time.perf_counter()
    province = "75"
    communes = list(Commune.objects.filter(province_id=province).values_list("code", flat=True))
    agencies = []
    for i in range(AGENCIES):
        org, _ = Organisation.objects.get_or_create(
            province_id=province,
            commune=None,
            name=f"Cơ quan thử nghiệm số {i + 1:02d}",
            defaults={"kind": "provincial_department"},
        )
        agencies.append(org.pk)
    actor = User.objects.get(username="chuyenvien").pk
    now = datetime.now(UTC)
    counts = {"plans": 0, "tasks": 0, "reports": 0, "budget_lines": 0}
    # Computed before any COPY: the calendar query cannot run on a connection busy copying.
    working_day = {
        day: next_working_day(day)
        for year in years
        for day in (date(year, 1, 1) + timedelta(n) for n in range(366))
        if day.year == year
    }

    def deadline(day: date) -> date:
        return working_day[day]

    for year in years:
        start, end = date(year, 1, 1), date(year, 12, 31)
        plan_rows = [("Kế hoạch thực hiện công tác trẻ em năm %d" % year, "province", None, None)]
        plan_rows += [
            ("Kế hoạch của cơ quan năm %d" % year, "department", None, a) for a in agencies
        ]
        plan_rows += [("Kế hoạch của xã năm %d" % year, "commune", c, None) for c in communes]
        counts["plans"] += copy_rows(
            "programmes_plan",
            [
                "title",
                "number",
                "level",
                "province_id",
                "commune_id",
                "owner_id",
                "year_from",
                "year_to",
                "starts_on",
                "ends_on",
                "objectives",
                "created_at",
                "version",
            ],
            (
                (t, f"{i}/KH-{year}", lvl, province, c, o, year, year, start, end, "", now, 1)
                for i, (t, lvl, c, o) in enumerate(plan_rows)
            ),
        )
        plan_ids = _ids(f"SELECT id FROM programmes_plan WHERE year_from = {year} ORDER BY id")
        province_plan, agency_plans = plan_ids[0], plan_ids[1 : 1 + AGENCIES]
        commune_plans = dict(zip(communes, plan_ids[1 + AGENCIES :], strict=True))
        task_specs = []
        for i in range(TASKS_PER_YEAR):
            kind = rng.random()
            due = start + timedelta(days=rng.randrange(0, 365))
            # The past is mostly done; this year about a third of what is due is late.
            status = rng.choices(
                ["done", "in_progress", "not_started", "cancelled"],
                weights=[70, 18, 10, 2] if year < years[-1] else [35, 40, 23, 2],
            )[0]
            if kind < 0.2:
                plan, org, commune = province_plan, rng.choice(agencies), None
            elif kind < 0.5:
                idx = rng.randrange(AGENCIES)
                plan, org, commune = agency_plans[idx], agencies[idx], None
            else:
                commune = rng.choice(communes)
                plan, org = commune_plans[commune], None
            percent = 100 if status == "done" else rng.choice([0, 20, 40, 60, 80])
            if status == "not_started":
                percent = 0
            task_specs.append((plan, org, commune, due, status, percent, i))
        counts["tasks"] += copy_rows(
            "programmes_task",
            [
                "plan_id",
                "title",
                "description",
                "lead_organisation_id",
                "lead_commune_id",
                "due_on",
                "deadline_on",
                "recurrence",
                "status",
                "percent",
                "order",
                "version",
            ],
            (
                (p, "Nhiệm vụ thử nghiệm số %d" % i, "", o, c, d, deadline(d), "none", s, pc, i, 1)
                for p, o, c, d, s, pc, i in task_specs
            ),
        )
        task_ids = _ids(
            "SELECT t.id FROM programmes_task t JOIN programmes_plan p ON p.id = t.plan_id "
            f"WHERE p.year_from = {year} ORDER BY t.id"
        )
        period_ids = []
        for q in range(4):
            q_start = date(year, 3 * q + 1, 1)
            q_end = (date(year, 3 * q + 4, 1) if q < 3 else date(year + 1, 1, 1)) - timedelta(1)
            copy_rows(
                "programmes_reportingperiod",
                ["province_id", "kind", "label", "starts_on", "ends_on", "closed_at"],
                [(province, "quarter", f"Quý {q + 1}/{year}", q_start, q_end, None)],
            )
            period_ids.append(
                _ids(
                    "SELECT id FROM programmes_reportingperiod "
                    f"WHERE starts_on = '{q_start.isoformat()}'"
                )[0]
            )
        spec_by_id = dict(zip(task_ids, task_specs, strict=True))

        def reports(task_ids=task_ids, spec_by_id=spec_by_id, period_ids=period_ids):
            for task_id in task_ids:
                _p, org, commune, _d, status, percent, _i = spec_by_id[task_id]
                for n in range(REPORTS_PER_TASK):
                    last = n == REPORTS_PER_TASK - 1
                    yield (
                        task_id,
                        period_ids[n * 4 // REPORTS_PER_TASK],
                        org,
                        commune,
                        status if last else "in_progress",
                        percent if last else min(percent, 90),
                        "Kết quả thực hiện lần %d." % (n + 1),
                        json.dumps({"Số người được tiếp cận": rng.randrange(0, 500)}),
                        actor,
                        now,
                        "",
                    )

        counts["reports"] += copy_rows(
            "programmes_progressreport",
            [
                "task_id",
                "period_id",
                "organisation_id",
                "commune_id",
                "status",
                "percent",
                "done_text",
                "figures",
                "reported_by_id",
                "reported_at",
                "idempotency_key",
            ],
            reports(),
        )

        def lines(task_ids=task_ids, spec_by_id=spec_by_id, year=year):
            sources = ["central", "provincial", "commune", "socialised", "international"]
            activities = [
                "communication",
                "training",
                "support",
                "facilities",
                "inspection",
                "management",
                "other",
            ]
            for i in range(LINES_PER_YEAR):
                task_id = task_ids[rng.randrange(len(task_ids))]
                plan, org, commune, *_ = spec_by_id[task_id]
                allocated = rng.randrange(1, 500) * 1_000_000
                yield (
                    plan,
                    task_id,
                    year,
                    "Dòng kinh phí %d" % i,
                    rng.choice(sources),
                    rng.choice(activities),
                    province,
                    commune,
                    org,
                    allocated + rng.randrange(0, 50) * 1_000_000,
                    allocated,
                    allocated * rng.randrange(40, 110) // 100,
                    1,
                )

        counts["budget_lines"] += copy_rows(
            "programmes_budgetline",
            [
                "plan_id",
                "task_id",
                "year",
                "label",
                "source",
                "activity",
                "province_id",
                "commune_id",
                "organisation_id",
                "estimate",
                "allocated",
                "spent",
                "version",
            ],
            lines(),
        )
    with connection.cursor() as cursor:
        # The running sums the budget services keep line by line, built here in one statement
        # for the lines loaded by COPY.
        cursor.execute(
            "INSERT INTO programmes_budgettotal (province_id, year, source, activity, "
            "organisation_key, commune_key, estimate, allocated, spent) "
            "SELECT province_id, year, source, activity, COALESCE(organisation_id, 0), "
            "COALESCE(commune_id, ''), SUM(estimate), SUM(allocated), SUM(spent) "
            "FROM programmes_budgetline GROUP BY 1, 2, 3, 4, 5, 6"
        )
        cursor.execute("ANALYZE")
    return {**counts, "fill_s": round(time.perf_counter() - t0, 1)}


def measure(fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times, queries = [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[min(len(times) - 1, int(len(times) * 0.95))], 1),
        "queries": queries,
    }


def run(args) -> dict:
    from django.core.management import call_command
    from django.test import Client

    from treem.accounts.models import User
    from treem.geo.services import geography_load
    from treem.site.demo import demo_seed

    call_command("migrate", "--noinput", verbosity=0)
    geography_load()
    demo_seed(with_apps=False)
    this_year = date.today().year
    years = list(range(this_year - args.years + 1, this_year + 1))
    figures = fill(years, args.seed)
    client = Client()
    client.force_login(User.objects.get(username="chuyenvien"))

    def get(url):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return call

    results = {
        "plan_board": measure(get(f"/app/programmes/?year={this_year}"), args.repeat),
        "budget_rollup_page": measure(
            get(f"/app/programmes/budget/?year={this_year}"), args.repeat
        ),
        "budget_rollup_api": measure(
            get(f"/api/programmes/budget/rollup/?year={this_year}"), args.repeat
        ),
    }
    for r in results.values():
        r["target_ms"] = 300
        r["ok"] = r["median_ms"] < 300
    return {"years": len(years), **figures, **results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--years", type=int)
    parser.add_argument("--repeat", type=int)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    args.years = args.years or (1 if args.quick else 10)
    args.repeat = args.repeat or (10 if args.quick else 30)
    recreate_database(PG_URL)
    setup_django(PG_URL)
    try:
        out = run(args)
    finally:
        if not args.keep:
            drop_database(PG_URL)
    print(
        f"{out['years']} years: {out['plans']:,} plans, {out['tasks']:,} tasks, "
        f"{out['reports']:,} progress reports, {out['budget_lines']:,} budget lines, "
        f"filled in {out['fill_s']} s"
    )
    for name in ("plan_board", "budget_rollup_page", "budget_rollup_api"):
        r = out[name]
        print(
            f"{name:20} median {r['median_ms']:7.1f} ms  p95 {r['p95_ms']:7.1f} ms  "
            f"queries {r['queries']:3d}  target < {r['target_ms']} ms  "
            f"{'OK' if r['ok'] else 'SLOW'}"
        )
    print(json.dumps({"benchmark": "programmes", "quick": args.quick, **out}, ensure_ascii=False))


if __name__ == "__main__":
    main()
