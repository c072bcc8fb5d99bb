"""Latency of the dashboard and /healthz under a small concurrent load, against gunicorn, on SQLite
and on PostgreSQL; and the pages' latency while a large list is imported in the background.

    .venv/bin/python bench/requests.py [--quick] [--concurrency 8] [--requests 2000]
        [--skip-sqlite | --skip-postgres] [--import-rows N]

Import under load: a 100,000-row .xlsx (`--import-rows`; 2,000 with --quick) is uploaded through
the real form, read and checked by the background worker (`manage.py db_worker`, started here,
at a lower CPU priority as production should run it), then committed, while 8 clients keep
reading the dashboard and the child list. The page medians during the import are printed beside
the medians of the same pages in the same run without the import, and after it (the commune then
holds the imported children: what the list's length alone costs). Target, per database ("ok"):
ratio <= 1.5 and not one page request failed, with or without the import; a failed request is
counted by what it got (HTTP status or network error), and the server's and the worker's logs
are kept in bench/out/gunicorn-<db>.log and worker-<db>.log.

For each database: a fresh copy of a migrated database filled with the geography and the demo
data (prepared once per version of the code, then copied: a template database on PostgreSQL, a
file on SQLite), gunicorn serves it on a loopback port, a signed-in commune worker's session is
taken through the real login form, then `--concurrency` threads send `--requests` requests to
each URL. --quick runs SQLite only (add --postgres for both). Prints median and p95 per URL and
database and the load average; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/treem_bench_requests")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(database_url: str | None, sqlite_path: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        {
            "SQLITE_PATH": str(sqlite_path),
            # Warnings and errors (a failed request's traceback) go to bench/out/gunicorn-*.log.
            "LOG_LEVEL": "warning",
            # Tasks wait for the worker, as in production: an upload never runs in a web worker.
            "TASKS_BACKEND": "database",
            "MEDIA_ROOT": str(OUT / "media"),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _code_hash() -> str:
    """Of everything that shapes a prepared database: migrations, demo data, geography."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "treem").rglob("*")):
        if path.suffix in {".py", ".json", ".csv"} and path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def prepare(env: dict[str, str]) -> None:
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load_geography"],
        ["seed_demo", "--quiet-accounts"],
    ):
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def prepared_pg_database(url: str, sqlite_path: Path) -> None:
    """A fresh copy of a migrated and seeded database: the first run of this code prepares a
    template database (minutes), later runs copy it (seconds)."""
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    template = f"{name}_tpl_{_code_hash()}"
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        have = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone()
        if not have:
            for (old,) in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [f"{name}_tpl_%"]
            ).fetchall():
                conn.execute(f'DROP DATABASE "{old}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{template}"')
            try:
                prepare(base_env(parsed._replace(path=f"/{template}").geturl(), sqlite_path))
            except BaseException:
                conn.execute(f'DROP DATABASE "{template}" WITH (FORCE)')
                raise
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def prepared_sqlite_database(sqlite_path: Path) -> None:
    import sqlite3

    template = OUT / f"requests-template-{_code_hash()}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    if not template.exists():
        for old in OUT.glob("requests-template-*.sqlite3*"):
            old.unlink()
        partial = OUT / "requests-template.partial.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{partial}{suffix}").unlink(missing_ok=True)
        prepare(base_env(None, partial))
        with sqlite3.connect(partial) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(template)
    shutil.copyfile(template, sqlite_path)


def drop_pg_database(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    import psycopg

    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def start_gunicorn(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "treem.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def login(base: str, username: str, password: str) -> str:
    """Sign in through the real form; return the session cookie value."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": base}
    )
    opener.open(request).read()
    session = next(c.value for c in jar if c.name == "sessionid")
    return session


def load(url: str, cookie: str | None, total: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(total))

    def worker() -> None:
        nonlocal errors
        headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(url, headers=headers), timeout=30
                ) as r:
                    r.read()
                    ok = r.status == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - wall
    latencies.sort()
    return {
        "median_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 2),
        "requests_per_s": round(len(latencies) / wall, 1),
        "errors": errors,
        "requests": len(latencies),
    }


def write_import_file(rows: int, path: Path) -> None:
    """A list of `rows` children in the columns communes use (bench/datagen.py's records)."""
    import datagen
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    cols = ["record_id", "full_name", "birth_date", "sex", "address", "mother_name",
            "father_name"]  # fmt: skip
    ws.append(cols)
    for r in datagen.generate(rows, seed=21):
        parts = r["birth_date"].split("-") if r["birth_date"] else []
        if len(parts) == 3:
            r["birth_date"] = f"{parts[2]}/{parts[1]}/{parts[0]}"
        ws.append([r[c] for c in cols])
    wb.save(path)


def _multipart(fields: dict[str, str], name: str, filename: str, body: bytes):
    boundary = "----treem" + os.urandom(8).hex()
    parts = []
    for k, v in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        )
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        + body
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def import_in_background(base: str, path: Path, commune: str, log: dict) -> None:
    """Upload a list through the form, wait for the worker's check, commit, wait for the result."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": "canbo.a", "password": "Treem-demo-2026"}
    ).encode()
    try:
        opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data,
                                           headers={"Referer": base}))  # fmt: skip
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
    page = opener.open(f"{base}/app/registry/import/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body, ctype = _multipart(
        {"csrfmiddlewaretoken": token, "commune": commune}, "file", path.name, path.read_bytes()
    )
    t0 = time.perf_counter()
    request = urllib.request.Request(
        f"{base}/app/registry/import/",
        data=body,
        headers={"Content-Type": ctype, "Referer": base},
    )
    try:
        opener.open(request)
        raise RuntimeError("upload refused")
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
        detail = urllib.parse.urljoin(base, exc.headers["Location"])
    log["upload_s"] = round(time.perf_counter() - t0, 2)

    def wait() -> None:
        while True:
            # Read and closed at once, as the browser's poll is: a response left open kept a
            # gunicorn worker waiting for this client to close the connection (its graceful
            # close lingers up to 2 s), half the server's workers for the whole import.
            with opener.open(
                urllib.request.Request(f"{detail}?progress=1", headers={"HX-Request": "true"})
            ) as r:
                r.read()
                if r.headers.get("HX-Refresh"):
                    return
            time.sleep(0.5)

    log["_t_uploaded"] = time.perf_counter()
    wait()
    log["_t_checked"] = time.perf_counter()
    log["read_and_check_s"] = round(time.perf_counter() - t0 - log["upload_s"], 2)
    page = opener.open(detail).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    try:
        opener.open(
            urllib.request.Request(
                detail.replace("/preview/", "/commit/"),
                data=urllib.parse.urlencode({"csrfmiddlewaretoken": token}).encode(),
                headers={"Referer": base},
            )
        )
    except urllib.error.HTTPError as exc:
        if exc.code != 302:
            raise
    wait()
    log["_t_committed"] = time.perf_counter()
    log["total_s"] = round(time.perf_counter() - t0, 2)
    page = opener.open(detail).read().decode()
    found = re.search(r"Đã thêm ([\d.]+) trẻ mới", page)
    log["imported"] = found.group(1) if found else page[:200]


def _failure(exc: OSError) -> str:
    """What a failed request got: the status code, or the kind of network error."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    return type(getattr(exc, "reason", None) or exc).__name__


def pages_during(urls: dict[str, str], cookie: str, concurrency: int, busy) -> dict:
    """Medians of the pages read by `concurrency` clients for as long as `busy()` is true."""
    latencies: dict[str, list[float]] = {k: [] for k in urls}
    stamped: list[tuple[float, str, float]] = []  # (finished at, page, ms)
    errors = 0
    failures: collections.Counter = collections.Counter()
    lock = threading.Lock()
    names = list(urls)

    def worker(k: int) -> None:
        nonlocal errors
        i = k
        while busy():
            name = names[i % len(names)]
            i += 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(urls[name], headers={"Cookie": f"sessionid={cookie}"}),
                    timeout=60,
                ) as r:
                    r.read()
                    ok, why = r.status == 200, f"HTTP {r.status}"
            except OSError as exc:
                ok, why = False, _failure(exc)
            with lock:
                latencies[name].append((time.perf_counter() - started) * 1000)
                stamped.append((time.perf_counter(), name, latencies[name][-1]))
                errors += 0 if ok else 1
                if not ok:
                    failures[f"{name}: {why}"] += 1

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = {
        name: {"median_ms": round(statistics.median(v), 2), "requests": len(v)}
        for name, v in latencies.items()
        if v
    }
    out["errors"] = errors
    out["failures"] = dict(failures)
    out["_stamped"] = stamped
    return out


def import_under_load(base: str, env: dict[str, str], cookie: str, args, log_path: Path) -> dict:
    path = OUT / f"requests-import-{args.import_rows}.xlsx"
    if not path.exists():
        write_import_file(args.import_rows, path)
    urls = {"dashboard": f"{base}/app/", "children": f"{base}/app/registry/"}
    # Without the import, for the same time the import will take (bounded): the reference.
    stop_at = time.monotonic() + (10 if args.quick else 30)
    quiet = pages_during(urls, cookie, args.concurrency, lambda: time.monotonic() < stop_at)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.5"],
        cwd=ROOT,
        env=env,
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
        # The background worker yields the CPU to the web workers (run it so in production).
        preexec_fn=lambda: os.nice(10),
    )
    log: dict = {}
    failure: list[BaseException] = []

    def run() -> None:
        try:
            import_in_background(base, path, "26041", log)
        except BaseException as exc:
            failure.append(exc)

    job = threading.Thread(target=run)
    job.start()
    try:
        busy = pages_during(urls, cookie, args.concurrency, job.is_alive)
    finally:
        job.join()
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:  # at nice 10 on a loaded machine it may not get to
            worker.kill()  # its shutdown: the figures matter more than a clean exit
            worker.wait()
    if failure:
        raise failure[0]
    # The same pages once the import is in (the commune grew by tens of thousands of children):
    # a page slower because the list is longer shows here, apart from the import's interference.
    stop_at = time.monotonic() + (5 if args.quick else 30)
    after = pages_during(urls, cookie, args.concurrency, lambda: time.monotonic() < stop_at)
    after.pop("_stamped")
    # The pages' medians in each phase of the import: reading and checking the file (the
    # worker's CPU), then writing it (the database's writes as well).
    stamped = busy.pop("_stamped")
    quiet.pop("_stamped")
    phases = {}
    log.pop("_t_uploaded", None)
    checked = log.pop("_t_checked", 0.0)
    bounds = {
        "read_and_check": (0.0, checked),
        "commit": (checked, log.pop("_t_committed", float("inf"))),
    }
    for phase, (start, end) in bounds.items():
        phases[phase] = {
            name: round(statistics.median(v), 2)
            for name in urls
            if (v := [ms for at, n, ms in stamped if n == name and start <= at < end])
        }
        print(f"  during {phase.replace('_', ' ')}: medians {phases[phase]} ms")
    ratios = {
        name: round(busy[name]["median_ms"] / quiet[name]["median_ms"], 2)
        for name in urls
        if name in busy and name in quiet
    }
    for name in urls:
        print(
            f"  {name:<10} median without import {quiet[name]['median_ms']:>7} ms, "
            f"during import {busy.get(name, {}).get('median_ms')} ms, ratio {ratios.get(name)}, "
            f"after import {after.get(name, {}).get('median_ms')} ms"
        )
    print(
        f"  failed requests: {quiet['errors']} without import {quiet['failures']}, "
        f"{busy['errors']} during import {busy['failures']}, "
        f"{after['errors']} after import {after['failures']}"
    )
    print(f"  import of {args.import_rows:,} rows: {log}")
    return {
        "rows": args.import_rows,
        "without_import": quiet,
        "during_import": busy,
        "after_import": after,
        "ratio": ratios,
        "phase_medians_ms": phases,
        "import": log,
        # Within 1.5x of the same run without the import, and not one page failed.
        "ok": bool(ratios)
        and max(ratios.values()) <= 1.5
        and quiet["errors"] == 0
        and busy["errors"] == 0
        and after["errors"] == 0,
    }


def run_database(label: str, database_url: str | None, args) -> dict:
    sqlite_path = OUT / "requests.sqlite3"
    t0 = time.perf_counter()
    if database_url:
        prepared_pg_database(database_url, sqlite_path)
    else:
        prepared_sqlite_database(sqlite_path)
    print(f"{label:<10} database ready in {time.perf_counter() - t0:.0f} s")
    env = base_env(database_url, sqlite_path)
    load_before = os.getloadavg()
    port = free_port()
    server = start_gunicorn(env, port, args.workers, OUT / f"gunicorn-{label}.log")
    base = f"http://127.0.0.1:{port}"
    try:
        cookie = login(base, "canbo.a", "Treem-demo-2026")
        load(f"{base}/app/", cookie, 20, 2)  # warm up
        results = {
            "healthz": load(f"{base}/healthz", None, args.requests, args.concurrency),
            "dashboard": load(f"{base}/app/", cookie, args.requests, args.concurrency),
        }
        if args.import_rows:
            print(f"{label:<10} import under load")
            results["import_under_load"] = import_under_load(
                base, env, cookie, args, OUT / f"worker-{label}.log"
            )
    finally:
        server.terminate()
        server.wait(timeout=15)
        if database_url:
            drop_pg_database(database_url)
    results["load_average"] = {
        "before": [round(x, 2) for x in load_before],
        "after": [round(x, 2) for x in os.getloadavg()],
    }
    print(f"{label:<10} load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f}")
    for name, figures in results.items():
        if name in ("import_under_load", "load_average"):
            continue
        print(
            f"{label:<10} {name:<10} median {figures['median_ms']:>7} ms"
            f"  p95 {figures['p95_ms']:>7} ms  {figures['requests_per_s']:>7} req/s"
            f"  errors {figures['errors']}"
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests (under a minute)")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2 cores here)")
    parser.add_argument(
        "--skip-postgres", action="store_true", help="SQLite only (the default with --quick)"
    )
    parser.add_argument("--postgres", action="store_true", help="with --quick: PostgreSQL too")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--import-rows", type=int, default=None, help="0: no import phase")
    args = parser.parse_args()
    args.requests = args.requests or (200 if args.quick else 2000)
    if args.import_rows is None:
        args.import_rows = 2_000 if args.quick else 100_000
    OUT.mkdir(parents=True, exist_ok=True)
    figures: dict = {
        "concurrency": args.concurrency,
        "workers": args.workers,
        "requests_per_url": args.requests,
    }
    if args.quick and not args.postgres:
        args.skip_postgres = True
    if not args.skip_sqlite:
        figures["sqlite"] = run_database("sqlite", None, args)
    if not args.skip_postgres and shutil.which("pg_isready"):
        figures["postgresql"] = run_database("postgresql", PG_URL, args)
    figures["ok"] = {
        db: figures[db]["import_under_load"]["ok"]
        for db in ("sqlite", "postgresql")
        if db in figures and "import_under_load" in figures[db]
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
