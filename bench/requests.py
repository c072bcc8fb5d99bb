"""Latency of the dashboard and /healthz under a small concurrent load, against gunicorn, on SQLite
and on PostgreSQL.

    .venv/bin/python bench/requests.py [--quick] [--concurrency 8] [--requests 2000]

For each database: a fresh database is migrated and filled with the geography and the demo data,
gunicorn serves it on a loopback port, a signed-in commune worker's session is taken through the
real login form, then `--concurrency` threads send `--requests` requests to each URL. Prints median
and p95 per URL and database; the last line is one JSON object with every figure.
"""

from __future__ import annotations

import argparse
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
        {"SQLITE_PATH": str(sqlite_path), "LOG_LEVEL": "error", "TASKS_BACKEND": "immediate"}
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


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


def recreate_pg_database(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    import psycopg

    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_pg_database(url: str) -> None:
    parsed = urllib.parse.urlparse(url)
    import psycopg

    with psycopg.connect(parsed._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{parsed.path.lstrip("/")}" WITH (FORCE)')


def start_gunicorn(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
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


def run_database(label: str, database_url: str | None, args) -> dict:
    sqlite_path = OUT / "requests.sqlite3"
    if database_url:
        recreate_pg_database(database_url)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    env = base_env(database_url, sqlite_path)
    prepare(env)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    base = f"http://127.0.0.1:{port}"
    try:
        cookie = login(base, "canbo.a", "Treem-demo-2026")
        load(f"{base}/app/", cookie, 20, 2)  # warm up
        results = {
            "healthz": load(f"{base}/healthz", None, args.requests, args.concurrency),
            "dashboard": load(f"{base}/app/", cookie, args.requests, args.concurrency),
        }
    finally:
        server.terminate()
        server.wait(timeout=15)
        if database_url:
            drop_pg_database(database_url)
    for name, figures in results.items():
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
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    args.requests = args.requests or (200 if args.quick else 2000)
    OUT.mkdir(parents=True, exist_ok=True)
    figures: dict = {
        "concurrency": args.concurrency,
        "workers": args.workers,
        "requests_per_url": args.requests,
    }
    figures["sqlite"] = run_database("sqlite", None, args)
    if not args.skip_postgres and shutil.which("pg_isready"):
        figures["postgresql"] = run_database("postgresql", PG_URL, args)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
