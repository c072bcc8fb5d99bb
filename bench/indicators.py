"""Indicators benchmark on PostgreSQL: 3,321 communes × 15 years × 60 indicators, a third of them
disaggregated by sex (about 5 million figures), the national scale of the two-tier map.

Measures, each as the median of repeated runs:
- the province roll-up of an indicator for all 15 years (Σnum ÷ Σden by year),
- the national roll-up of an indicator for all 15 years,
- the province dashboard page (headline indicators with their series and targets), rendered,
- the whole review report for the province (docx and PDF), once each;
and compares the roll-ups with the same aggregation done by DuckDB over the same rows exported to
Parquet (DuckDB's COPY … TO 'x.parquet'), checking both give the same sums.

    .venv/bin/python bench/indicators.py           # national scale
    .venv/bin/python bench/indicators.py --quick   # one province (Đồng Nai, 95 communes)

Database `treem_indicators_bench` on 127.0.0.1:5432 (user postgres, trust), created and dropped
here. The last line is one JSON object with "ok" per target.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DB = "treem_indicators_bench"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

N_INDICATORS = 60
DISAGGREGATED_EVERY = 3  # every third indicator also has rows by sex
YEARS = (2011, 2025)
PROVINCE = "75"


def _template_name() -> str:
    """A migrated database with the geography, named by the migrations it holds: later runs copy
    it (CREATE DATABASE … TEMPLATE) instead of migrating and loading the map again."""
    import hashlib

    digest = hashlib.sha1(usedforsecurity=False)
    for path in sorted(ROOT.glob("treem/*/migrations/*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return f"treem_ind_bench_tpl_{digest.hexdigest()[:10]}"


def _recreate_db() -> bool:
    """Fresh bench database; True when it was copied from a prepared template."""
    import psycopg

    template = _template_name()
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        exists = c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if exists:
            c.execute(f"CREATE DATABASE {DB} TEMPLATE {template}")
            return True
        c.execute(f"CREATE DATABASE {DB}")
    return False


def _save_template() -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"CREATE DATABASE {_template_name()} TEMPLATE {DB}")


def _drop_db() -> None:
    import psycopg

    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
        c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")


def _setup_django() -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "treem.settings"
    os.environ["DATABASE_URL"] = PG_URL
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["LOG_LEVEL"] = "error"
    os.environ["DEBUG"] = "false"
    os.environ["REQUIRE_ADMIN_2FA"] = "false"
    import django

    django.setup()


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _generate(quick: bool) -> dict:
    from django.db import connection

    from treem.indicators.catalogue import load_catalogue
    from treem.indicators.models import Indicator

    load_catalogue()
    # Only the generated indicators count in this benchmark's dashboard and report.
    Indicator.objects.update(is_active=False, is_headline=False)
    units = ["count", "percent", "per_1000"]
    for k in range(1, N_INDICATORS + 1):
        Indicator.objects.create(
            code=f"B{k:02d}",
            name_vi=f"Chỉ tiêu thử {k:02d}",
            group="general",
            unit=units[k % 3],
            period_type="year",
            obtained="imported",
            disaggregations=["sex"] if k % DISAGGREGATED_EVERY == 0 else [],
            is_headline=k <= 8,
            order=k,
        )
    where = f"AND c.province_id = '{PROVINCE}'" if quick else ""
    t0 = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute(
            f"""
            INSERT INTO indicators_indicatorvalue
              (indicator_id, commune_id, province_id, unit_code, legacy_code, period, year, sex,
               age_group, circumstance, ethnicity, numerator, denominator, source, is_final,
               updated_at, report_id)
            SELECT i.id, c.code, c.province_id, c.code, '', y::text, y, s.sex, '', '', '',
                   CASE WHEN i.unit = 'count'
                        THEN abs(hashtext(c.code || y || i.code || s.sex)) % 40
                        ELSE (100 + abs(hashtext(c.code || y || i.code || s.sex)) % 900)
                             * (40 + abs(hashtext(i.code || c.code || y)) % 60) / 100 END,
                   CASE WHEN i.unit = 'count' THEN NULL
                        ELSE 100 + abs(hashtext(c.code || y || i.code || s.sex)) % 900 END,
                   'imported', true, now(), NULL
            FROM indicators_indicator i
            CROSS JOIN geo_commune c
            CROSS JOIN generate_series({YEARS[0]}, {YEARS[1]}) y
            CROSS JOIN (VALUES (''), ('M'), ('F')) s(sex)
            WHERE i.code ~ '^B[0-9]+$' {where}
              AND (s.sex = '' OR i.disaggregations::text LIKE '%%sex%%')
            """
        )
        rows = cur.rowcount
    # As autovacuum would after a bulk load: the visibility map lets roll-ups scan the index only.
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE indicators_indicatorvalue")
    return {"rows": rows, "generate_s": round(time.perf_counter() - t0, 1)}


def _export_parquet() -> tuple[Path, float]:
    import duckdb
    import psycopg

    OUT.mkdir(parents=True, exist_ok=True)
    csv_path, parquet = OUT / "indicator_values.csv", OUT / "indicator_values.parquet"
    t0 = time.perf_counter()
    with (
        psycopg.connect(PG_URL) as conn,
        open(csv_path, "wb") as f,
        conn.cursor().copy(
            "COPY (SELECT i.code AS indicator, v.province_id AS province, v.unit_code AS unit, "
            "v.year, v.sex, v.age_group, v.numerator, v.denominator, v.is_final, "
            "v.commune_id IS NULL AS province_row FROM indicators_indicatorvalue v "
            "JOIN indicators_indicator i ON i.id = v.indicator_id) TO STDOUT WITH CSV HEADER"
        ) as copy,
    ):
        for chunk in copy:
            f.write(chunk)
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{parquet}' (FORMAT parquet)")
    csv_path.unlink()
    return parquet, time.perf_counter() - t0


def _duckdb_rollup(con, parquet: Path, code: str, province: str | None) -> dict:
    where = "AND province = ?" if province else ""
    params = [code] + ([province] if province else [])
    rows = con.execute(
        f"SELECT year, sum(numerator), sum(denominator) FROM '{parquet}' "
        f"WHERE indicator = ? {where} AND coalesce(sex, '') = '' "
        f"AND coalesce(age_group, '') = '' AND is_final "
        f"AND NOT province_row GROUP BY year ORDER BY year",
        params,
    ).fetchall()
    return {y: (Decimal(n), None if d is None else Decimal(d)) for y, n, d in rows}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="one province instead of the country")
    ap.add_argument("--repeat", type=int, default=15)
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    a = ap.parse_args()
    result: dict = {"scale": "province" if a.quick else "national"}
    started = time.perf_counter()
    from_template = _recreate_db()
    _setup_django()
    from django.core.management import call_command
    from django.test import Client

    from treem.accounts.models import Role, User
    from treem.geo.services import geography_load
    from treem.indicators import review, rollup
    from treem.indicators.models import Indicator

    t0 = time.perf_counter()
    if not from_template:
        call_command("migrate", verbosity=0)
        geography_load()
        _save_template()
    result["setup_s"] = round(time.perf_counter() - t0, 1)
    print(f"schema and geography in {result['setup_s']} s", flush=True)
    result.update(_generate(a.quick))
    print(f"generated {result['rows']:,} figures in {result['generate_s']} s", flush=True)

    years = list(range(YEARS[0], YEARS[1] + 1))
    province = rollup.scope_for(PROVINCE)
    national = rollup.scope_for("VN")
    codes = [f"B{k:02d}" for k in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47)]
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    cycle = iter(codes * (a.repeat + 2))

    def province_rollup():
        return rollup.figures(indicators[next(cycle)], province, years)

    def national_rollup():
        return rollup.figures(indicators[next(cycle)], national, years)

    province_rollup()  # warm the connection and the plan cache
    result["province_rollup_ms"], _ = _median_ms(province_rollup, a.repeat)
    result["national_rollup_ms"], _ = _median_ms(national_rollup, a.repeat)

    user = User.objects.create_user(
        username="bench.chuyenvien",
        password="x",  # noqa: S106 - throw-away database
        role=Role.PROVINCE_SPECIALIST,
        province_id=PROVINCE,
    )
    client = Client()
    client.force_login(user)
    url = f"/app/indicators/unit/{PROVINCE}/?year={YEARS[1]}"
    assert client.get(url).status_code == 200
    result["province_dashboard_ms"], _ = _median_ms(lambda: client.get(url), max(5, a.repeat // 2))

    t0 = time.perf_counter()
    docx = review.generate(PROVINCE, YEARS[0], YEARS[1], "docx")
    result["review_docx_s"] = round(time.perf_counter() - t0, 2)
    t0 = time.perf_counter()
    pdf = review.generate(PROVINCE, YEARS[0], YEARS[1], "pdf")
    result["review_pdf_s"] = round(time.perf_counter() - t0, 2)
    print(f"review reports in {result['review_docx_s'] + result['review_pdf_s']:.1f} s", flush=True)
    result["review_sizes_kb"] = [len(docx) // 1024, len(pdf) // 1024]

    # DuckDB over the same rows in Parquet.
    import duckdb

    parquet, export_s = _export_parquet()
    result["parquet_export_s"] = round(export_s, 1)
    con = duckdb.connect()
    same = True
    for code in codes[:5]:
        ours = rollup.figures(indicators[code], province, years)
        theirs = _duckdb_rollup(con, parquet, code, PROVINCE)
        for year in years:
            mine = (ours[year].numerator, ours[year].denominator)
            same &= mine == theirs[year]
        ours_n = rollup.figures(indicators[code], national, years)
        theirs_n = _duckdb_rollup(con, parquet, code, None)
        same &= all((ours_n[y].numerator, ours_n[y].denominator) == theirs_n[y] for y in years)
    cycle_d = iter(codes * (a.repeat + 2))
    result["duckdb_province_rollup_ms"], _ = _median_ms(
        lambda: _duckdb_rollup(con, parquet, next(cycle_d), PROVINCE), a.repeat
    )
    result["duckdb_national_rollup_ms"], _ = _median_ms(
        lambda: _duckdb_rollup(con, parquet, next(cycle_d), None), a.repeat
    )
    result["same_sums_as_duckdb"] = same
    parquet.unlink()

    for key in list(result):
        if key.endswith("_ms"):
            result[key] = round(result[key], 1)
    print(
        f"province roll-up (15 years): Treem/PostgreSQL {result['province_rollup_ms']} ms, "
        f"DuckDB/Parquet {result['duckdb_province_rollup_ms']} ms"
    )
    print(
        f"national roll-up (15 years): Treem/PostgreSQL {result['national_rollup_ms']} ms, "
        f"DuckDB/Parquet {result['duckdb_national_rollup_ms']} ms"
    )
    print(f"province dashboard: {result['province_dashboard_ms']} ms")
    print(f"review report: docx {result['review_docx_s']} s, pdf {result['review_pdf_s']} s")
    print(f"same sums as DuckDB: {same}")
    result["ok"] = {
        "province_rollup_under_300ms": result["province_rollup_ms"] < 300,
        "national_rollup_under_300ms": result["national_rollup_ms"] < 300,
        "province_dashboard_under_300ms": result["province_dashboard_ms"] < 300,
        "review_report_under_30s": max(result["review_docx_s"], result["review_pdf_s"]) < 30,
        "same_sums_as_duckdb": same,
    }
    if not a.keep:
        from django.db import connections

        connections.close_all()
        _drop_db()
    result["total_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
