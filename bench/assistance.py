"""Social assistance benchmarks: a province of 1,000,000 children with 60,000 allowance recipients
and ten years of approved monthly payment lists, on PostgreSQL.

    .venv/bin/python bench/assistance.py           # full: 1M children, 95 communes, PostgreSQL
    .venv/bin/python bench/assistance.py --quick   # one commune, SQLite, under a minute

Targets (issue 11): the month's payment list for the largest commune under 1 s and for the whole
province under 10 s; the entitlement scan of the province under 30 s. The lists are prepared by the
real service (`payment_list_prepare`: every recipient computed by the calculator, arrears, unpaid
amounts carried, recovery for recipients whose end was recorded late) and the scan is the real
selector. Data is generated with SQL/COPY (not through the services) so that building it takes
minutes, not hours; it has the shape the services produce.

PostgreSQL database `treem_assistance_bench` on 127.0.0.1:5432 (user postgres, trust auth) is
created and dropped here. Prints figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# Each engineer may run it at once: the database name can be set (default below).
PG_NAME = os.environ.get("ASSISTANCE_BENCH_DB", "treem_assistance_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
TODAY = dt.date(2026, 6, 1)
HISTORY_FROM = dt.date(2016, 6, 1)
PROVINCE = "75"
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def _migrations_key() -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(ROOT.glob("treem/*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _setup(db: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "treem.settings"
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["LOG_LEVEL"] = "error"
    os.environ["DEBUG"] = "false"
    if db == "pg":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = db
    import django

    django.setup()


def _row_template(model) -> tuple[list[str], dict]:
    """Column names and the value each takes when the generator does not give one."""
    from django.utils import timezone

    now = timezone.now()
    columns, defaults = [], {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            defaults[field.column] = now
        elif field.has_default():
            value = field.get_default()
            defaults[field.column] = (
                json.dumps(value) if field.get_internal_type() == "JSONField" else value
            )
        elif field.null:
            defaults[field.column] = None
        else:
            defaults[field.column] = ""
    return columns, defaults


def _insert(model, rows: list[dict]) -> None:
    from django.db import connection

    columns, defaults = _row_template(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    values = [tuple(row.get(c, defaults[c]) for c in columns) for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", values)


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def generate(*, communes: list[str], children: int, recipients: int, rng: random.Random) -> dict:
    from django.db import connection, transaction

    from treem.accounts.models import Role, User
    from treem.assistance.models import Dossier, PaymentList, Recipient
    from treem.lib.text import fold
    from treem.registry.models import Child, SpecialCircumstance

    t0 = time.perf_counter()
    # The largest commune holds 5% of the children (a city ward); the rest share the remainder.
    weights = [5.0] + [95.0 / max(1, len(communes) - 1)] * (len(communes) - 1)
    surnames = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng"]
    given = ["An", "Bình", "Chi", "Dũng", "Hà", "Hạnh", "Khôi", "Lan", "Minh", "Ngọc", "Tâm"]
    child_rows = []
    place = rng.choices(communes, weights=weights, k=children)
    for i in range(children):
        name = f"{rng.choice(surnames)} Thị {rng.choice(given)}"
        key = fold(name)
        birth = TODAY - dt.timedelta(days=rng.randint(20, 365 * 16 - 1))
        child_rows.append(
            {
                "full_name": name,
                "name_key": key,
                "name_key_given_first": key,
                "birth_date": birth,
                "birth_date_latest": birth,
                "sex": "F",
                "province_id": PROVINCE,
                "commune_id": place[i],
                "source_ref": f"bench:{i}",
            }
        )
    with transaction.atomic():
        for start in range(0, children, 100_000):
            _insert(Child, child_rows[start : start + 100_000])
    ids = list(Child.objects.order_by("pk").values_list("pk", flat=True))
    t_children = time.perf_counter() - t0

    # 8% in special circumstances (a, b or c: no source of support); 6% receive the allowance.
    circ_count = int(children * 0.08)
    circ_idx = rng.sample(range(children), circ_count)
    receiving = set(circ_idx[:recipients])
    _insert(
        SpecialCircumstance,
        [
            {
                "child_id": ids[i],
                "group": rng.choice("abc"),
                "start_date": max(child_rows[i]["birth_date"], dt.date(2016, 1, 1)),
            }
            for i in circ_idx
        ],
    )
    dossiers, recips = [], []
    for n, i in enumerate(sorted(receiving)):
        row = child_rows[i]
        earliest = max(row["birth_date"].replace(day=1), HISTORY_FROM)
        span = (TODAY.year - earliest.year) * 12 + TODAY.month - earliest.month
        offset = rng.randint(0, max(0, span - 1))
        start = dt.date(
            earliest.year + (earliest.month - 1 + offset) // 12,
            (earliest.month - 1 + offset) % 12 + 1,
            1,
        )
        decided = start + dt.timedelta(days=rng.randint(0, 20))
        dossiers.append(
            {
                "tracking_code": f"B{n:09d}",
                "child_id": ids[i],
                "commune_id": row["commune_id"],
                "status": Dossier.Status.DECIDED,
                "applicant_name": "Người giám hộ",
                "applicant_relation": "Bà",
                "applied_on": start,
                "decided_on": decided,
                "from_month": start,
                "decision_number": f"{n}/QĐ-UBND",
            }
        )
        recips.append((i, row, start, decided))
    _insert(Dossier, dossiers)
    dossier_ids = dict(Dossier.objects.values_list("child_id", "pk"))
    ended = set(rng.sample(range(len(recips)), len(recips) // 50))  # 2%: end recorded late
    previous = dt.date(TODAY.year - (TODAY.month == 1), (TODAY.month - 2) % 12 + 1, 1)
    recipient_rows = []
    for k, (i, row, start, decided) in enumerate(recips):
        late_end = k in ended and start < previous
        recipient_rows.append(
            {
                "child_id": ids[i],
                "commune_id": row["commune_id"],
                "dossier_id": dossier_ids[ids[i]],
                "birth_date": row["birth_date"],
                "decided_on": decided,
                "from_month": start,
                "bases": json.dumps(
                    [
                        {
                            "basis": rng.choice(["no_support"] * 9 + ["disability_severe"]),
                            "from": None,
                            "to": None,
                        }
                    ]
                ),
                "payment_channel": rng.choice(["cash", "post", "bank"]),
                "listed_through": previous,
                "ended_on": previous - dt.timedelta(days=40) if late_end else None,
                "end_reason": "Được nhận làm con nuôi" if late_end else "",
                "reconcile_needed": late_end,
                "updated_at": dt.datetime(2026, 5, 1, tzinfo=dt.UTC),
            }
        )
    _insert(Recipient, recipient_rows)
    t_people = time.perf_counter() - t0 - t_children

    months = _months(HISTORY_FROM, previous)
    _insert(
        PaymentList,
        [
            {
                "commune_id": c,
                "month": m,
                "status": PaymentList.Status.APPROVED,
                "approved_at": dt.datetime(m.year, m.month, 5, tzinfo=dt.UTC),
            }
            for c in communes
            for m in months
        ],
    )
    # Ten years of lines: one per recipient and month from the first month of the decision, with
    # the month it paid in `details` (what a full reconciliation reads).
    if connection.vendor == "postgresql":
        details = (
            "json_build_object('months', json_build_object(to_char(pl.month, 'YYYY-MM'), 750000))"
        )
    else:
        details = "json_object('months', json_object(strftime('%Y-%m', pl.month), 750000))"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO assistance_paymentline (payment_list_id, recipient_id, kind, basis,
                coefficient, standard_amount, amount, arrears, carried, deductions, total,
                recovery, details, channel, paid_status, paid_on)
            SELECT pl.id, r.id, 'payment', 'no_support', 1.5, 500000, 750000, 0, 0, 0, 750000, 0,
                {details}, r.payment_channel, 'paid', pl.month
            FROM assistance_recipient r
            JOIN assistance_paymentlist pl ON pl.commune_id = r.commune_id
                AND pl.month >= r.from_month AND pl.month <= %s
            """,
            [previous],
        )
        # 1% of last month's lines were not collected: carried into this month.
        cursor.execute(
            """
            UPDATE assistance_paymentline SET paid_status = 'unpaid', paid_on = NULL
            WHERE id IN (SELECT l.id FROM assistance_paymentline l
                JOIN assistance_paymentlist pl ON pl.id = l.payment_list_id
                WHERE pl.month = %s AND l.id %% 100 = 0)
            """,
            [previous],
        )
        cursor.execute("SELECT count(*) FROM assistance_paymentline")
        lines = cursor.fetchone()[0]
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    t_history = time.perf_counter() - t0 - t_children - t_people

    workers = {}
    for code in communes:
        workers[code] = User.objects.create(
            username=f"bench.{code}", role=Role.COMMUNE_WORKER, commune_id=code, full_name="Cán bộ"
        )
    specialist = User.objects.create(
        username="bench.tinh", role=Role.PROVINCE_SPECIALIST, province_id=PROVINCE, full_name="CV"
    )
    return {
        "workers": workers,
        "specialist": specialist,
        "largest": communes[0],
        "figures": {
            "children": children,
            "recipients": len(recipient_rows),
            "late_ends": sum(1 for r in recipient_rows if r["reconcile_needed"]),
            "history_lines": lines,
            "history_months": len(months),
            "communes": len(communes),
            "generate_children_s": round(t_children, 1),
            "generate_recipients_s": round(t_people, 1),
            "generate_history_s": round(t_history, 1),
        },
    }


class _QueryCounter:
    """Counts the SQL statements of a block (an execute wrapper: no debug cursor, no overhead)."""

    def __init__(self):
        self.n = 0

    def __call__(self, execute, sql, params, many, context):
        self.n += 1
        return execute(sql, params, many, context)


def _timed(fn, **kwargs):
    from django.db import connection

    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        t0, c0 = time.perf_counter(), time.process_time()
        result = fn(**kwargs)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return result, round(wall, 3), round(cpu, 3), counter.n


def _month_figures(month: dt.date) -> dict:
    """Lists, lines and totals of the month, as stored (to compare two runs)."""
    from django.db.models import Count, Sum

    from treem.assistance.models import PaymentLine, PaymentList

    lists = PaymentList.objects.filter(month=month)
    totals = lists.aggregate(n=Count("id"), payable=Sum("total_payable"), rec=Sum("total_recovery"))
    lines = PaymentLine.objects.filter(payment_list__month=month)
    sums = lines.aggregate(n=Count("id"), total=Sum("total"), recovery=Sum("recovery"))
    return {
        "lists": totals["n"],
        "lines": sums["n"],
        "total_payable": int(totals["payable"] or 0),
        "total_recovery": int(totals["rec"] or 0),
        "lines_total": int(sums["total"] or 0),
        "lines_recovery": int(sums["recovery"] or 0),
    }


def _check_against_calculator(month: dt.date, sample: int = 300) -> int:
    """Recompute a sample of lines with the calculator alone (no list code) and count the lines
    whose month amount differs: must be 0."""
    from treem.assistance.models import PaymentLine
    from treem.assistance.rules import load_rules
    from treem.assistance.services import recipient_case
    from treem.lib.allowance import Month, entitlement

    rules_ = load_rules(province_code=PROVINCE)
    target = Month.of(month)
    lines = (
        PaymentLine.objects.filter(payment_list__month=month, kind="payment")
        .select_related("recipient")
        .order_by("id")[:sample]
    )
    wrong = 0
    for line in lines:
        months = entitlement(recipient_case(line.recipient, to_month=target), rules_, check=False)
        owed = next((m.amount for m in months if m.month == target), 0)
        wrong += owed != line.amount
    return wrong


def measure(data: dict, *, quick: bool) -> dict:
    from treem.assistance import payments, selectors

    largest = data["largest"]
    # Warm the process (imports, the first queries' compilation) on the smallest commune, as a
    # running server is warm; not timed.
    smallest = list(data["workers"])[-1]
    payments.payment_list_prepare(
        actor=data["workers"][smallest], commune_code=smallest, month=TODAY
    )
    pl, wall, cpu, queries = _timed(
        payments.payment_list_prepare,
        actor=data["workers"][largest],
        commune_code=largest,
        month=TODAY,
    )
    results = {
        "largest_commune_list_s": wall,
        # This process's CPU time (the database server's is not in it): on a loaded machine the
        # wall time is mostly waiting for a core.
        "largest_commune_list_cpu_s": cpu,
        "largest_commune_list_queries": queries,
        "largest_commune_lines": pl.lines.count(),
        "largest_commune_total_payable": pl.total_payable,
        "largest_commune_recovery": pl.total_recovery,
    }
    # The province: every commune's draft, one read for all, one short transaction per commune
    # (what the monthly task runs). Run twice: the second run must give the same lists.
    outcomes, wall, cpu, queries = _timed(
        payments.payment_lists_prepare,
        actor=None,
        province_code=PROVINCE,
        month=TODAY,
        commune_codes=list(data["workers"]),
    )
    first = _month_figures(TODAY)
    results.update(
        {
            "province_lists_s": wall,
            "province_lists_cpu_s": cpu,
            "province_lists_queries": queries,
            "province_communes": len(outcomes),
            "province_refused": sum(1 for o in outcomes if o.refused),
            "province_lines": first["lines"],
            "province_total_payable": first["total_payable"],
        }
    )
    _outcomes, wall, cpu, _q = _timed(
        payments.payment_lists_prepare,
        actor=None,
        province_code=PROVINCE,
        month=TODAY,
        commune_codes=list(data["workers"]),
    )
    second = _month_figures(TODAY)
    results.update(
        {
            "province_lists_again_s": wall,
            "province_lists_again_cpu_s": cpu,
            "province_again_identical": first == second,
            "totals_equal_sum_of_lines": first["total_payable"] == first["lines_total"]
            and first["total_recovery"] == first["lines_recovery"],
            "sample_lines_differing_from_calculator": _check_against_calculator(TODAY),
        }
    )
    candidates, wall, cpu, _q = _timed(
        selectors.entitlement_scan, user=data["specialist"], commune_code=None, today=TODAY
    )
    results.update(
        {"province_scan_s": wall, "province_scan_cpu_s": cpu, "scan_candidates": len(candidates)}
    )
    return results


def _ok(results: dict) -> dict:
    return {
        "largest_commune_list_under_1s": results["largest_commune_list_s"] < 1.0,
        "province_lists_under_10s": results["province_lists_s"] < 10.0,
        "province_scan_under_30s": results["province_scan_s"] < 30.0,
        "same_list_when_prepared_twice": results["province_again_identical"],
        "figures_equal_calculator": results["sample_lines_differing_from_calculator"] == 0
        and results["totals_equal_sum_of_lines"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one commune, SQLite, under a minute")
    parser.add_argument(
        "--keep", action="store_true", help="keep the PostgreSQL database for --measure-only"
    )
    parser.add_argument(
        "--measure-only", action="store_true", help="measure again on the kept database"
    )
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(11)
    cached = False
    if args.quick:
        db = OUT / "assistance-quick.sqlite3"
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            path.unlink(missing_ok=True)
        # Migrating an empty SQLite database takes most of a minute on a loaded machine: the
        # migrated database with the geography is kept, keyed by the migrations, and copied.
        template = OUT / f"assistance-quick-{_migrations_key()}.sqlite3"
        if template.exists():
            shutil.copyfile(template, db)
            cached = True
        _setup(str(db))
        engine = "sqlite"
    elif args.measure_only:
        _setup("pg")
        engine = "postgresql"
        from django.core.management import call_command

        # The kept database may predate a migration of the code being measured.
        call_command("migrate", verbosity=0)
        from treem.accounts.models import User

        workers = {
            u.commune_id: u
            for u in User.objects.filter(username__startswith="bench.", commune__isnull=False)
        }
        from django.db.models import Count

        from treem.assistance.models import Recipient

        largest = (
            Recipient.objects.values("commune_id")
            .annotate(n=Count("id"))
            .order_by("-n")[0]["commune_id"]
        )
        data = {
            "workers": dict(sorted(workers.items())),
            "specialist": User.objects.get(username="bench.tinh"),
            "largest": largest,
        }
        results = measure(data, quick=False)
        load = [round(x, 1) for x in os.getloadavg()]
        for key, value in results.items():
            print(f"{key:32} {value}")
        ok = _ok(results)
        print(
            json.dumps(
                {
                    "bench": "assistance",
                    "measure_only": True,
                    **results,
                    "load_average": load,
                    "ok": ok,
                }
            )
        )
        return
    else:
        for cmd in (["dropdb", "--if-exists"], ["createdb"]):
            subprocess.run([*cmd, "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=True)
        _setup("pg")
        engine = "postgresql"
    from django.core.management import call_command

    t0 = time.perf_counter()
    if not cached:
        call_command("migrate", verbosity=0)
        with open(os.devnull, "w") as devnull:
            call_command("load_geography", stdout=devnull)
        if args.quick:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM INTO %s", [str(template)])
    setup_s = time.perf_counter() - t0
    from treem.geo.models import Commune

    communes = list(
        Commune.objects.filter(province_id=PROVINCE).order_by("code").values_list("code", flat=True)
    )
    if args.quick:
        communes = communes[:1]
        size = {"children": 15_000, "recipients": 900}
    else:
        size = {"children": 1_000_000, "recipients": 60_000}
    data = generate(communes=communes, rng=rng, **size)
    results = measure(data, quick=args.quick)
    figures = (
        data["figures"]
        | results
        | {
            "engine": engine,
            "setup_s": round(setup_s, 1),
            "setup_from_cache": cached,
            # The machine is shared: the load during the run says how far the times can be trusted.
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "cpu_count": os.cpu_count(),
        }
    )
    for key, value in figures.items():
        print(f"{key:32} {value}")
    ok = _ok(results)
    from django.db import connections

    connections.close_all()
    if not args.quick and not args.keep:
        subprocess.run(
            ["dropdb", "--if-exists", "-h", "127.0.0.1", "-U", "postgres", PG_NAME], check=False
        )
    print(
        json.dumps({"bench": "assistance", "quick": args.quick, **figures, "ok": ok}, default=str)
    )


if __name__ == "__main__":
    main()
