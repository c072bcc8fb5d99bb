"""Child registry benchmarks: the filtered, searched list at 1,000,000 children (SQLite and
PostgreSQL), registering a child through the app (duplicate check included), and importing a
100,000-row spreadsheet against django-import-export on the same rows.

    .venv/bin/python bench/registry.py           # full: 1M children, 100k-row import
    .venv/bin/python bench/registry.py --quick   # small sizes, under a minute

Each measurement runs in its own process (so its peak memory is its own) on its own database:
SQLite files under bench/out/, PostgreSQL database `treem_bench` (or $BENCH_PG_DB; kept when
$BENCH_PG_KEEP is set) on 127.0.0.1:5432 (user postgres,
trust auth), created and dropped here. Prints figures, then one JSON object on the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
# Sessions sharing one server each name their own database: BENCH_PG_DB (default treem_bench).
PG_DB = os.environ.get("BENCH_PG_DB", "treem_bench")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{PG_DB}"
TODAY = dt.date(2026, 6, 1)
# Run as a script, Python puts bench/ first on the path, where bench/requests.py would shadow the
# `requests` package: move it to the end (datagen is still found there).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- worker side (inside Django) ------------------------------------------------------------


def _setup_django(db: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["LOG_LEVEL"] = "error"
    os.environ["DEBUG"] = "false"
    os.environ["REQUIRE_ADMIN_2FA"] = "false"
    if db == "pg":
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["SQLITE_PATH"] = db
    os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
    import django

    django.setup()


def _prepare_db(db: str) -> None:
    """Fresh schema, geography and the foundation's demo users."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.test.utils import override_settings

    from treem.geo.services import geography_load
    from treem.site.demo import demo_seed

    geography_load()
    # Throw-away databases whose users log in with force_login: a fast hasher saves the 3.5 s
    # that eleven PBKDF2 hashes take here, twice per run.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        demo_seed(with_apps=False)


def _communes_map(codes: set[str]) -> dict[str, str]:
    """Map the generator's synthetic commune codes onto the province's real communes, the
    biggest synthetic commune onto demo commune A (where the commune officer works)."""
    from treem.core.demo import COMMUNE_A, PROVINCE_CODE
    from treem.geo.models import Commune

    real = list(
        Commune.objects.filter(province_id=PROVINCE_CODE)
        .exclude(code=COMMUNE_A)
        .values_list("code", flat=True)
    )
    ordered = sorted(c for c in codes if c)
    out = {"": COMMUNE_A}
    for k, c in enumerate(ordered):
        out[c] = COMMUNE_A if k == 0 else real[k % len(real)]
    return out


def _insert(table: str, columns: list[str], rows: list[tuple]) -> None:
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cols = ", ".join(f'"{c}"' for c in columns)
            sql = f"COPY {table} ({cols}) FROM STDIN"
            with cur.cursor.copy(sql) as copy:
                for r in rows:
                    copy.write_row(r)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cols = ", ".join(f'"{c}"' for c in columns)
            sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"
            for i in range(0, len(rows), 50_000):
                cur.executemany(sql, rows[i : i + 50_000])


def _bulk_children(n: int, seed: int) -> dict:
    """Generate n children (with parents) and insert them in bulk: executemany on SQLite, COPY on
    PostgreSQL. Returns timings."""
    import datagen
    from django.db import connection
    from django.utils import timezone

    from treem.lib.text import fold_many, nfc, vi_sort_key
    from treem.registry.keys import name_keys
    from treem.registry.validation import date_range

    t0 = time.perf_counter()
    rows = datagen.generate(n, seed=seed)
    t1 = time.perf_counter()
    cmap = _communes_map({r["commune_code"] for r in rows})
    now = timezone.now()
    child_cols = [
        "id", "full_name", "name_key", "name_key_given_first", "name_sort", "other_names",
        "birth_date",
        "birth_date_precision", "birth_date_latest", "sex", "ethnicity", "nationality",
        "id_number", "birth_registration", "province_id", "commune_id", "address",
        "current_address", "school_status", "school_name", "grade", "health_insurance_number",
        "disability_type", "disability_severity", "nutrition_status", "legal_basis",
        "processing_restricted", "is_active", "source_ref", "created_at", "updated_at",
        "version",
    ]  # fmt: skip
    children, links, circs = [], [], []
    seen_ids: set[str] = set()
    person_ids: dict[tuple, int] = {}
    names = [nfc(r["full_name"]) for r in rows]
    for i, (r, name) in enumerate(zip(rows, names, strict=True), start=1):
        if not name:
            name = "Không Rõ Tên"
        bd = r["birth_date"]
        try:
            parts = [int(x) for x in bd.split("-")] if bd else [2015]
            born, latest, prec = date_range(parts[0], *[*parts[1:], None, None][:2])
        except ValueError:
            born, latest, prec = date_range(2015, None, None)
        key, given_first = name_keys(name)
        idn = r["id_number"]
        if idn in seen_ids or len(idn) != 12:
            idn = ""
        elif idn:
            seen_ids.add(idn)
        commune = cmap.get(r["commune_code"], cmap[""])
        children.append(
            (
                i, name, key, given_first, vi_sort_key(name), "", born, prec, latest,
                r["sex"] if r["sex"] in ("M", "F") else "M", "01", "", idn, "registered", "75",
                commune, r["address"][:255], "", "in_school", "", "", "", "", "", "normal",
                "legal_duty", False, True, r["record_id"], now, now, 1,
            )
        )  # fmt: skip
        for rel, pname in (("mother", r["mother_name"]), ("father", r["father_name"])):
            if not pname:
                continue
            pkey = (commune, r["address"], pname)
            pid = person_ids.get(pkey)
            if pid is None:
                pid = len(person_ids) + 1
                person_ids[pkey] = pid
            links.append((len(links) + 1, i, pid, rel, False, True))
        if i % 33 == 0:
            circs.append(
                (
                    len(circs) + 1,
                    i,
                    "dcabhikn"[i % 8],
                    TODAY - dt.timedelta(days=200),
                    "",
                    "UBND",
                    "",
                    now,
                )
            )
    folded = fold_many([p[2] for p in person_ids])
    person_rows = [
        (pid, nfc(k[2]), f, "", "", "", False, now)
        for (k, pid), f in zip(person_ids.items(), folded, strict=True)
    ]
    # Each link carries its carer's folded name (the guardian search's key), as the services do.
    key_of = {row[0]: row[2] for row in person_rows}
    links = [(*link, key_of[link[2]]) for link in links]
    t2 = time.perf_counter()
    _insert("registry_child", child_cols, children)
    _insert(
        "registry_person",
        ["id", "full_name", "name_key", "sex", "id_number", "phone", "is_deceased", "created_at"],
        person_rows,
    )
    _insert(
        "registry_childcarer",
        [
            "id",
            "child_id",
            "person_id",
            "relationship",
            "is_primary_carer",
            "lives_with_child",
            "carer_name_key",
        ],
        links,
    )
    _insert(
        "registry_specialcircumstance",
        [
            "id",
            "child_id",
            "group",
            "start_date",
            "evidence",
            "confirmed_by",
            "end_reason",
            "created_at",
        ],
        circs,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("registry_child", "registry_person", "registry_childcarer",
                          "registry_specialcircumstance"):  # fmt: skip
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            cur.execute("ANALYZE")
    else:
        with connection.cursor() as cur:
            cur.execute("ANALYZE")
    t3 = time.perf_counter()
    return {
        "generate_s": round(t1 - t0, 1),
        "prepare_s": round(t2 - t1, 1),
        "insert_s": round(t3 - t2, 1),
        "children": len(children),
        "persons": len(person_rows),
        "carer_links": len(links),
        "circumstances": len(circs),
        "_sample": rows[7],
    }


def _median_ms(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), max(times)


def role_list(db: str, n: int, repeat: int, registrations: int, prepared: bool = False) -> dict:
    _setup_django(db)
    if not prepared:  # a copy of the template database is migrated and seeded already
        _prepare_db(db)
    res: dict = {"backend": "postgresql" if db == "pg" else "sqlite"}
    res["insert"] = _bulk_children(n, seed=7)
    sample = res["insert"].pop("_sample")

    from unittest import mock

    from django.test import Client

    from treem.accounts.models import User
    from treem.lib.text import fold
    from treem.registry import dedup, services

    clients = {}
    for username in ("canbo.a", "chuyenvien"):
        c = Client()
        c.force_login(User.objects.get(username=username))
        clients[username] = c
    sample_name = fold(sample["full_name"]).split(" ")
    scenarios = [
        ("commune", "/app/registry/"),
        ("commune", "/app/registry/?q=nguyen+van"),
        ("commune", "/app/registry/?q=nguyen+thi+ngoc&sex=F&age_group=6-10"),
        ("commune", "/app/registry/?guardian=tran+thi"),
        ("commune", "/app/registry/?school_status=in_school&page=5"),
        ("province", "/app/registry/?q=" + "+".join(sample_name)),
        ("province", "/app/registry/?q=tran+thi&age_group=11-15"),
        ("province", "/app/registry/?circumstance=d"),
        ("province", "/app/registry/?guardian=le+van"),
        ("province", "/app/registry/?q=an+nguyen"),
    ]
    lists = []
    with mock.patch.object(services, "today_local", lambda: TODAY):
        for who, url in scenarios:
            client = clients["canbo.a" if who == "commune" else "chuyenvien"]
            assert client.get(url).status_code == 200
            med, worst = _median_ms(lambda c=client, u=url: c.get(u), repeat)
            lists.append(
                {"who": who, "url": url, "median_ms": round(med, 1), "max_ms": round(worst, 1)}
            )
    res["list"] = lists
    res["list_worst_median_ms"] = max(x["median_ms"] for x in lists)

    # Registering through the app: validation, duplicate check against the whole province,
    # insert, audit. The first check builds the in-memory index: timed on its own.
    officer = User.objects.get(username="canbo.a")
    t = time.perf_counter()
    size = dedup.index_warm("75")
    res["dedup_index_build_s"] = round(time.perf_counter() - t, 1)
    res["dedup_index_size"] = size
    import datagen

    extra = datagen.generate(registrations, seed=99)
    times, shown = [], 0
    for k, r in enumerate(extra):
        raw = {
            "full_name": r["full_name"] or "Không Rõ Tên",
            "birth_date": r["birth_date"] or "2015",
            "sex": r["sex"] or "M",
            "commune": "26041",
            "address": r["address"],
        }
        carers = [
            {"full_name": r["mother_name"], "relationship": "mother"},
            {"full_name": r["father_name"], "relationship": "father"},
        ]
        t = time.perf_counter()
        try:
            result = services.child_register(
                actor=officer, raw=raw, carers=carers, decision="new", today=TODAY
            )
            shown += bool(result.matches)
        except Exception as exc:  # a generated row the form would refuse: not timed
            if k < 3:
                print("registration refused:", exc, file=sys.stderr)
            continue
        times.append((time.perf_counter() - t) * 1000)
    res["register_median_ms"] = round(statistics.median(times), 1)
    res["register_p95_ms"] = round(sorted(times)[int(len(times) * 0.95) - 1], 1)
    res["register_count"] = len(times)
    res["register_with_matches_shown"] = shown
    res["peak_mib"] = round(peak_mib())
    return res


def role_import(db: str, tool: str, path: str, twice: bool) -> dict:
    _setup_django(db)
    from treem.registry.models import Child

    res: dict = {"tool": tool}
    if tool == "treem":
        # The whole path an official's file takes: upload (limits checked), read once into rows
        # kept in the database, checked (the preview), then committed; all timed together.
        from django.core.files import File

        from treem.registry import importer

        def one_import() -> tuple[float, dict, dict]:
            t = time.perf_counter()
            cpu = time.process_time()
            phases = {}
            with open(path, "rb") as fh:
                batch = importer.batch_create(
                    actor=None, upload=File(fh, name=Path(path).name), commune_code="26041"
                )
            phases["upload"] = time.perf_counter() - t
            importer.batch_read(batch.pk)
            phases["read_and_check"] = time.perf_counter() - t - phases["upload"]
            result = importer.batch_commit(actor=None, batch_id=batch.pk, today=TODAY)
            phases["commit"] = time.perf_counter() - t - sum(phases.values())
            # CPU seconds of this process: other sessions on the 2 cores inflate wall time.
            phases["cpu"] = time.process_time() - cpu
            return time.perf_counter() - t, result, {k: round(v, 2) for k, v in phases.items()}

        seconds, result, phases = one_import()
        res["seconds"] = round(seconds, 2)
        res["summary"] = (
            f"imported {result['imported']}, updated {result['updated']}, "
            f"rejected {result['rejected']}"
        )
        res["phases"] = phases
        if twice:
            seconds, again, again_phases = one_import()
            res["reimport_seconds"] = round(seconds, 2)
            res["reimport_phases"] = again_phases
            res["reimport_over_first_cpu"] = round(again_phases["cpu"] / phases["cpu"], 2)
            res["reimport_summary"] = (
                f"imported {again['imported']}, updated {again['updated']}, "
                f"unchanged {again['unchanged']}, rejected {again['rejected']}"
            )
    else:
        import tablib
        from import_export import fields, resources

        from treem.lib.text import fold, nfc
        from treem.registry.keys import name_keys
        from treem.registry.validation import parse_birth_date

        class ChildResource(resources.ModelResource):
            """The same rows into the same table, with what it takes to make them valid
            registry rows (NFC names, search keys, dates, commune): a fair minimum."""

            source_ref = fields.Field(attribute="source_ref", column_name="record_id")

            class Meta:
                model = Child
                fields = ("source_ref", "full_name", "birth_date", "sex", "address", "id_number")
                import_id_fields = ("source_ref",)
                use_bulk = True
                batch_size = 5000
                skip_diff = True
                skip_unchanged = True

            def before_import_row(self, row, **kwargs):
                row["full_name"] = nfc(row.get("full_name") or "")
                born, latest, prec = parse_birth_date(row.get("birth_date") or "2015")
                row["birth_date"] = born
                row["_latest"], row["_prec"] = latest, prec
                row["sex"] = {"m": "M", "f": "F"}.get(fold(row.get("sex") or ""), "M")

            def import_instance(self, instance, row, **kwargs):
                super().import_instance(instance, row, **kwargs)
                instance.birth_date_latest = row["_latest"]
                instance.birth_date_precision = row["_prec"]
                instance.commune_id = "26041"
                instance.province_id = "75"
                instance.name_key, instance.name_key_given_first = name_keys(instance.full_name)

        t = time.perf_counter()
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        it = wb.worksheets[0].iter_rows(values_only=True)
        headers = [str(h) for h in next(it)]
        data = tablib.Dataset(
            *[tuple("" if v is None else v for v in r) for r in it], headers=headers
        )
        result = ChildResource().import_data(data, dry_run=False, raise_errors=False)
        res["seconds"] = round(time.perf_counter() - t, 2)
        res["summary"] = dict(result.totals)
        res["has_errors"] = result.has_errors() or result.has_validation_errors()
        if result.has_errors():
            first = next(iter(result.row_errors()), None)
            res["first_error"] = str(first[1][0].error)[:300] if first else ""
        res["base_errors"] = [str(e.error)[:300] for e in result.base_errors][:3]
    res["children_after"] = Child.objects.count()
    res["peak_mib"] = round(peak_mib())
    return res


# --- parent side ----------------------------------------------------------------------------


def _run(args: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _pg_admin(sql: str) -> bool:
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(sql)
        return True
    except Exception as exc:
        print(f"PostgreSQL unavailable: {exc}", file=sys.stderr)
        return False


def _template_db() -> Path:
    """A migrated SQLite file with geography and demo users, copied for each import run."""
    path = OUT / "template.sqlite3"
    if path.exists():
        path.unlink()
    code = (
        "import sys; sys.path.append('bench'); import registry as r; "
        f"r._setup_django({str(path)!r}); r._prepare_db({str(path)!r})"
    )
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)
    return path


def _write_import_file(rows: int, path: Path) -> None:
    import datagen
    from openpyxl import Workbook

    data = datagen.generate(rows, seed=21)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    cols = ["record_id", "full_name", "birth_date", "sex", "address", "mother_name",
            "father_name", "id_number"]  # fmt: skip
    ws.append(cols)
    seen: set[str] = set()
    for r in data:
        row = dict(r)
        # Dates as communes write them: dd/mm/yyyy text.
        parts = row["birth_date"].split("-") if row["birth_date"] else []
        if len(parts) == 3:
            row["birth_date"] = f"{parts[2]}/{parts[1]}/{parts[0]}"
        elif len(parts) == 2:
            row["birth_date"] = f"{parts[1]}/{parts[0]}"
        if row["id_number"] in seen:
            row["id_number"] = ""
        seen.add(row["id_number"])
        ws.append([row[c] for c in cols])
    wb.save(path)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--role")
    ap.add_argument("--db")
    ap.add_argument("--n", type=int)
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--registrations", type=int, default=100)
    ap.add_argument("--tool")
    ap.add_argument("--file")
    ap.add_argument("--twice", action="store_true")
    ap.add_argument("--prepared", action="store_true")
    ap.add_argument("--skip-pg", action="store_true")
    ap.add_argument("--skip-sqlite", action="store_true")
    ap.add_argument("--skip-import", action="store_true")
    ap.add_argument("--import-rows", type=int, help="rows of the import file (default 100,000)")
    a = ap.parse_args()

    if a.role == "list":
        print(json.dumps(role_list(a.db, a.n, a.repeat, a.registrations, a.prepared), default=str))
        return
    if a.role == "import":
        print(json.dumps(role_import(a.db, a.tool, a.file, a.twice), default=str))
        return

    OUT.mkdir(parents=True, exist_ok=True)
    # --quick: the same measurements at a small scale (every figure of the full run is in its
    # JSON line), in well under a minute on the 2-core machine: 20,000 children, a 3,000-row
    # file, fewer repeats and registrations, one migrated SQLite template copied for every run.
    n = 20_000 if a.quick else 1_000_000
    import_rows = a.import_rows or (3_000 if a.quick else 100_000)
    repeat = 5 if a.quick else 15
    regs = 20 if a.quick else 100
    started = time.perf_counter()
    # Other jobs may share the 2 cores: the load averages say how quiet the machine was.
    out: dict = {
        "children": n,
        "import_rows": import_rows,
        "quick": a.quick,
        "cpu_count": os.cpu_count(),
        "load_avg_start": [round(x, 2) for x in os.getloadavg()],
    }
    phases: dict[str, float] = {}

    def phase(name: str, t0: float) -> None:
        phases[name] = round(time.perf_counter() - t0, 1)

    template = None
    if not (a.skip_sqlite and a.skip_import):
        t0 = time.perf_counter()
        template = _template_db()
        phase("template_db", t0)

    # 1. List and registration, SQLite then PostgreSQL.
    sqlite_db = OUT / f"registry-{n}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(str(sqlite_db) + suffix).unlink(missing_ok=True)
    if not a.skip_sqlite:
        t0 = time.perf_counter()
        shutil.copy(template, sqlite_db)
        sq_args = ["--role", "list", "--db", str(sqlite_db), "--n", str(n), "--repeat", str(repeat)]
        out["sqlite"] = _run([*sq_args, "--registrations", str(regs), "--prepared"])
        phase("sqlite_list", t0)
    if not a.skip_pg and _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}"):
        t0 = time.perf_counter()
        _pg_admin(f"CREATE DATABASE {PG_DB}")
        pg_args = ["--role", "list", "--db", "pg", "--n", str(n), "--repeat", str(repeat)]
        out["postgresql"] = _run([*pg_args, "--registrations", str(regs)])
        if not os.environ.get("BENCH_PG_KEEP"):
            _pg_admin(f"DROP DATABASE IF EXISTS {PG_DB}")
        phase("postgresql_list", t0)

    runs: dict = {}
    if not a.skip_import:
        # 2. Import: Treem's importer vs django-import-export, same file, fresh SQLite each.
        t0 = time.perf_counter()
        xlsx = OUT / f"import-{import_rows}.xlsx"
        _write_import_file(import_rows, xlsx)
        phase("import_file", t0)
        for tool in ("treem", "django-import-export"):
            t0 = time.perf_counter()
            db = OUT / f"import-{tool}.sqlite3"
            shutil.copy(template, db)
            args = ["--role", "import", "--db", str(db), "--tool", tool, "--file", str(xlsx)]
            runs[tool] = _run([*args, "--twice"] if tool == "treem" else args)
            phase(f"import_{tool}", t0)
        out["import"] = runs
        t_ours = runs["treem"].get("seconds")
        t_theirs = runs["django-import-export"].get("seconds")
        out["import_speedup_vs_django_import_export"] = (
            round(t_theirs / t_ours, 2) if t_ours and t_theirs else None
        )
    out["total_s"] = round(time.perf_counter() - started, 1)
    out["phase_s"] = phases
    out["load_avg_end"] = [round(x, 2) for x in os.getloadavg()]

    # Figures.
    for backend in ("sqlite", "postgresql"):
        r = out.get(backend)
        if not r:
            continue
        if "error" in r:
            print(f"{backend}: FAILED {r['error']}")
            continue
        ins = r["insert"]
        print(f"\n== {backend}: {ins['children']:,} children, {ins['persons']:,} carers, "
              f"inserted in {ins['insert_s']} s (generate {ins['generate_s']} s)")  # fmt: skip
        for x in r["list"]:
            print(f"  list {x['who']:<8} {x['url']:<55} median {x['median_ms']:>7} ms")
        print(f"  worst list median {r['list_worst_median_ms']} ms (target < 200)")
        print(f"  duplicate index build {r['dedup_index_build_s']} s for {r['dedup_index_size']:,}")
        print(
            f"  register through the app: median {r['register_median_ms']} ms, "
            f"p95 {r['register_p95_ms']} ms over {r['register_count']} (target median < 50)"
        )
        print(f"  peak memory {r['peak_mib']} MiB")
    if runs:
        print(f"\n== import of {import_rows:,} rows (xlsx)")
        for tool, r in runs.items():
            print(
                f"  {tool:<22} {r.get('seconds')} s  {r.get('summary')}  "
                f"peak {r.get('peak_mib')} MiB"
            )
        if "reimport_summary" in runs["treem"]:
            print(f"  treem re-import: {runs['treem']['reimport_seconds']} s "
                  f"{runs['treem']['reimport_summary']}")  # fmt: skip
        print(
            f"  speed-up vs django-import-export: {out['import_speedup_vs_django_import_export']}x"
        )
    print(
        f"\n{out['total_s']} s in all; load average {out['load_avg_start']} at the start, "
        f"{out['load_avg_end']} at the end, on {out['cpu_count']} cores"
    )
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
