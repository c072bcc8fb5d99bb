"""Latency of the public portal under concurrent load, against gunicorn on a demo database.

    .venv/bin/python bench/portal.py [--quick] [--concurrency 8] [--requests 1500] [--workers N]
                                     [--databases sqlite,postgres]

A fresh SQLite database is migrated and filled with the geography, the demo users and the
portal's demo content (a dozen articles with votes and comments); with `--quick`, the schema is
made from the models for only the apps the portal's models lead to and four demo articles are
written through the portal's services (seconds, both databases side by side). gunicorn serves
it on a loopback port with TRUSTED_PROXIES=127.0.0.1, so the load generator can play many distinct
readers by the X-Forwarded-For a trusted proxy would add.
`--concurrency` threads then send `--requests` requests to each of:

- static: a small static file served by the same server (WhiteNoise), the trivial baseline;
- article: a published article page for anonymous readers (page cached, rating block fresh);
- rate: the htmx rating POST (a new or changed vote, CSRF-checked, figures recomputed).

Each kind runs alone in short blocks taken in turn, ten rounds (four with `--quick`, see
`load_alternating`), votes going to another article than the one read. The gunicorn workers' CPU
time per request of each kind is read from /proc: on a loaded machine it says what the code costs
when latency mostly says how long the scheduler made it wait. Then a burst: the static file and
the article page, in turn, with 64 clients at once.

Runs on SQLite and on PostgreSQL (a scratch database, `--pg-name`, dropped and created) in one
go, both with Redis as the cache (`--redis`, keys under a prefix of this run, deleted at the end):
the page cache must be shared by the gunicorn workers. Prints median and p95 per target and the
ratios to the static baseline of the same run and database. Only loopback is contacted. The last
line of output is one JSON object with every figure and `"ok"` per target.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
ARTICLE = "/bai-viet/cham-soc-tre-so-sinh-trong-thang-dau/"
# Votes go to another article, so the interleaved reads of ARTICLE measure cached pages (a vote
# renders its own article's page anew, by design).
RATED = "/bai-viet/an-dam-dung-cach-cho-tre-tu-6-thang-tuoi/"
STATIC = "/static/css/treem.css"
# A reader's browser: the portal counts its reads (robots' are not counted), so the article page
# is measured with the view counting it does for the public.
BROWSER_UA = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(tmp: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        {
            "SQLITE_PATH": str(tmp / "bench.sqlite3"),
            "MEDIA_ROOT": str(tmp / "media"),
            "TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "TREEM_ENV": "development",
            "DEBUG": "false",
            "LOG_LEVEL": "warning",
            "TRUSTED_PROXIES": "127.0.0.1",
        }
    )
    return env


SEED = (
    "from treem.site.demo import demo_seed; from treem.portal.demo import seed; "
    "seed(demo_seed(with_apps=False))"
)


def prepare(env: dict[str, str], quick: bool) -> None:
    """The full run: every migration, the geography, the foundation demo (users) and the portal's
    demo content (the other apps' demo data plays no part in these pages). The quick run: the
    schema made from the models as they are now, without running the project's migrations one by
    one (`migrate --run-syncdb` with migrations disabled, as Django's test runner can), and only
    what the measured pages read (`seed_quick`): seconds instead of minutes."""
    if quick:
        steps = [[PY, str(Path(__file__).resolve()), "--seed-quick"]]
    else:
        steps = [
            [PY, "manage.py", *args]
            for args in (["migrate", "--noinput", "-v0"], ["load_geography"], ["shell", "-c", SEED])
        ]
    for cmd in steps:
        subprocess.run(cmd, cwd=ROOT, env=env, check=True, timeout=600, stdout=subprocess.DEVNULL)


QUICK_ARTICLES = 4


def seed_quick() -> None:
    """Schema from the models, then one editor and one moderator, one category and the first
    QUICK_ARTICLES demo articles (ARTICLE and RATED among them) with a cover, votes and approved
    comments, written by the portal's own services: the pages measured are the real ones."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    django.setup()
    from django.conf import settings

    class _NoMigrations(dict):
        def __contains__(self, item):
            return True

        def __getitem__(self, item):
            return None

    settings.MIGRATION_MODULES = _NoMigrations()
    from django.apps import apps
    from django.core.management.commands.migrate import Command as Migrate
    from django.db import connection

    # Only the tables of the apps the portal's models lead to (a third of the project's).
    labels, todo = set(), ["portal", "audit", "sessions"]
    while todo:
        label = todo.pop()
        if label in labels:
            continue
        labels.add(label)
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                related = field.related_model if field.is_relation else None
                if related is not None and not isinstance(related, str):
                    todo.append(related._meta.app_label)
    migrate = Migrate()
    migrate.verbosity, migrate.stdout = 0, sys.stdout
    migrate.sync_apps(connection, sorted(labels))
    from treem.portal import ratings

    ratings.install(connection)  # the triggers migration 0004 creates

    from datetime import timedelta

    from django.utils import timezone

    from treem.accounts.models import Role, User
    from treem.lib.text import slugify_vi
    from treem.portal import demo, services
    from treem.portal.demo_articles import ARTICLES
    from treem.portal.models import ArticleEvent

    rng = random.Random(20260611)
    editor, moderator = (
        User.objects.create(username=name, full_name=full, role=role)
        for name, full, role in (
            ("bench-bientap", "Biên tập", Role.PORTAL_EDITOR),
            ("bench-kiemduyet", "Kiểm duyệt", Role.PORTAL_MODERATOR),
        )
    )
    wanted = {ARTICLE.split("/")[2], RATED.split("/")[2]}
    chosen = [a for a in ARTICLES if slugify_vi(a[1]) in wanted]
    chosen += [a for a in ARTICLES if slugify_vi(a[1]) not in wanted][: QUICK_ARTICLES - 2]
    categories = {}
    now = timezone.now()
    for cat, title, tags, excerpt, body, days_ago in chosen:
        if cat not in categories:
            categories[cat] = services.category_ensure(name=cat)
        article = services.article_create(
            actor=editor,
            title=title,
            category=categories[cat],
            excerpt=excerpt,
            body=body,
            tag_names=tags,
            cover_image=demo._demo_cover(rng),
            cover_alt=title,
        )
        article = services.article_transition(
            actor=editor,
            article=article,
            kind=ArticleEvent.Kind.SUBMIT,
            expected_version=article.version,
        )
        article = services.article_transition(
            actor=moderator,
            article=article,
            kind=ArticleEvent.Kind.APPROVE,
            expected_version=article.version,
            publish_at=now - timedelta(days=days_ago),
        )
        demo._votes(article, rng)
        demo._comments(article, rng)


def wait_ready(port: int, process: subprocess.Popen, deadline: float = 60) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited early")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", STATIC)
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


class Reader:
    """One simulated browser: its own cookies and CSRF token, a fresh address per vote."""

    def __init__(self, port: int, index: int):
        self.port = port
        self.index = index
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.n = 0

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = {"User-Agent": BROWSER_UA, **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers=h)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        conn.close()
        return response.status, data

    def prime(self) -> None:
        _status, html = self.request("GET", ARTICLE)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the article page")
        self.token = match.group(1).decode()

    def vote(self):
        self.n += 1
        # A new reader address on most votes, a re-vote now and then: both paths are measured.
        if self.n % 5:
            self.cookies.pop("treem_voter", None)
        addr = f"10.{self.index % 250}.{(self.n // 250) % 250}.{self.n % 250 + 1}"
        body = f"csrfmiddlewaretoken={self.token}&stars={random.randint(1, 5)}"
        return self.request(
            "POST",
            RATED + "danh-gia/",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "HX-Request": "true",
                "X-Forwarded-For": addr,
            },
        )


_TICK = os.sysconf("SC_CLK_TCK")


def workers_cpu_s(master: int | None) -> float:
    """CPU seconds (user + system) used so far by the gunicorn workers of `master`: the server's
    own cost of the requests, which the load of a shared machine does not inflate as it does
    their latency."""
    if master is None:
        return 0.0
    total = 0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / _TICK


def load(port: int, kind: str, total: int, concurrency: int, master: int | None = None) -> dict:
    timings: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    counter = iter(range(total))
    readers = [Reader(port, i + 1) for i in range(concurrency)]
    for reader in readers:
        reader.prime()

    def work(reader: Reader) -> None:
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            start = time.perf_counter()
            if kind == "static":
                status, _ = reader.request("GET", STATIC)
            elif kind == "article":
                status, _ = reader.request("GET", ARTICLE)
            else:
                status, _ = reader.vote()
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    cpu_before = workers_cpu_s(master)
    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(r,)) for r in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = workers_cpu_s(master) - cpu_before
    timings.sort()
    return {
        "requests": len(timings),
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "rps": round(len(timings) / wall, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "timings": timings,
        "cpu_s": cpu,
    }


def load_alternating(
    port: int,
    kinds: list[str],
    per_kind: int,
    concurrency: int,
    rounds: int = 10,
    master: int | None = None,
) -> dict:
    """Each kind alone in flight, in short blocks taken in turn (static, article, rate, static,
    ...) `rounds` times, timings pooled per kind. One kind at a time, so a request's latency is
    its own cost and not the queue behind another kind; in turn, so the load of a shared machine,
    which swings by the second, weighs on every kind alike (phases run one after the other
    measured the machine's mood as much as the code)."""
    pooled: dict[str, list[float]] = {k: [] for k in kinds}
    statuses: dict[str, dict[str, int]] = {k: {} for k in kinds}
    walls: dict[str, float] = dict.fromkeys(kinds, 0.0)
    cpus: dict[str, float] = dict.fromkeys(kinds, 0.0)
    block = max(concurrency, per_kind // rounds)
    for _round in range(rounds):
        for kind in kinds:
            result = load(port, kind, block, concurrency, master)
            pooled[kind] += result.pop("timings")
            cpus[kind] += result["cpu_s"]
            walls[kind] += result["requests"] / max(result["rps"], 0.001)
            for status, n in result["statuses"].items():
                statuses[kind][status] = statuses[kind].get(status, 0) + n
    out = {}
    for kind in kinds:
        ts = sorted(pooled[kind])
        out[kind] = {
            "requests": len(ts),
            "median_ms": round(statistics.median(ts), 2),
            "p95_ms": round(ts[max(0, int(len(ts) * 0.95) - 1)], 2),
            "rps": round(len(ts) / walls[kind], 1),
            "statuses": dict(sorted(statuses[kind].items())),
            "cpu_ms": round(cpus[kind] * 1000 / len(ts), 2) if master else None,
        }
    return out


TARGETS = {
    # issue 15: medians against a static file served by the same server in the same run.
    "article_median_vs_static": 2.0,
    "rate_median_vs_static": 5.0,
    # Under a burst of BURST clients, p95 against the static p95 at the same concurrency.
    "burst_article_p95_vs_static": 10.0,
}
BURST = 64


def pg_database_url(name: str) -> str:
    base = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    return f"{base}/{name}"


def recreate_pg(name: str) -> None:
    for cmd in (["dropdb", "--if-exists"], ["createdb"]):
        subprocess.run(
            [*cmd, "-h", "127.0.0.1", "-U", "postgres", name],
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )


def clear_redis_prefix(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    for i in range(0, len(keys), 500):
        client.delete(*keys[i : i + 500])


def setup_database(database: str, args) -> tuple[Path, dict[str, str], str, float]:
    tmp = Path(tempfile.mkdtemp(prefix=f"treem-bench-portal-{database}-"))
    env = server_env(tmp)
    prefix = f"{args.key_prefix}-{database}-{os.getpid()}"
    env["CACHE_URL"] = args.redis
    env["CACHE_KEY_PREFIX"] = prefix
    t0 = time.perf_counter()
    if database == "postgres":
        recreate_pg(args.pg_name)
        env["DATABASE_URL"] = pg_database_url(args.pg_name)
    prepare(env, args.quick)
    return tmp, env, prefix, round(time.perf_counter() - t0, 1)


def run_database(database: str, args, total: int, burst_total: int, setup) -> dict:
    tmp, env, prefix, setup_s = setup
    port = free_port()
    log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [
            GUNICORN,
            "treem.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--backlog",
            "256",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_ready(port, process)
        # Warm every worker's connections and the page cache.
        load(port, "article", args.workers * 10, args.concurrency).pop("timings")
        load(port, "rate", args.workers * 5, args.concurrency).pop("timings")
        rounds = 4 if args.quick else 10
        results = load_alternating(
            port, ["static", "article", "rate"], total, args.concurrency, rounds, process.pid
        )
        burst = load_alternating(
            port, ["static", "article"], burst_total, BURST, 2 if args.quick else 5
        )
        results["burst_static"] = burst["static"]
        results["burst_article"] = burst["article"]
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        clear_redis_prefix(args.redis, prefix)
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    base = results["static"]
    ratios = {
        "article_median_vs_static": round(results["article"]["median_ms"] / base["median_ms"], 2),
        "rate_median_vs_static": round(results["rate"]["median_ms"] / base["median_ms"], 2),
        "article_p95_vs_static": round(results["article"]["p95_ms"] / base["p95_ms"], 2),
        "rate_p95_vs_static": round(results["rate"]["p95_ms"] / base["p95_ms"], 2),
        "burst_article_p95_vs_static": round(
            results["burst_article"]["p95_ms"] / results["burst_static"]["p95_ms"], 2
        ),
        # The server's CPU time per request, against the static file's (not a target: read
        # beside the medians when the machine is loaded).
        "article_cpu_vs_static": round(results["article"]["cpu_ms"] / base["cpu_ms"], 2)
        if base.get("cpu_ms")
        else None,
        "rate_cpu_vs_static": round(results["rate"]["cpu_ms"] / base["cpu_ms"], 2)
        if base.get("cpu_ms")
        else None,
    }
    errors = sum(
        n for r in results.values() for status, n in r["statuses"].items() if status != "200"
    )
    ok = {name: ratios[name] <= limit for name, limit in TARGETS.items()}
    ok["no_errors"] = errors == 0
    for kind, r in results.items():
        cpu = f"  cpu {r['cpu_ms']:6.2f} ms/req" if r.get("cpu_ms") is not None else ""
        print(
            f"[{database}] {kind:14} median {r['median_ms']:8.2f} ms  p95 {r['p95_ms']:8.2f} ms  "
            f"{r['rps']:7.1f} req/s{cpu}  statuses {r['statuses']}"
        )
    for name, value in ratios.items():
        limit = TARGETS.get(name)
        verdict = "" if limit is None else (" ok" if value <= limit else f" FAIL (> {limit})")
        if value is not None:
            print(f"[{database}] {name}: x{value}{verdict}")
    return {
        "setup_seconds": setup_s,
        "results": results,
        "ratios": ratios,
        "errors": errors,
        "ok": ok,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--requests", type=int, default=1500)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument(
        "--redis", default=os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--key-prefix", default="portal-bench", help="Redis key prefix of the run")
    parser.add_argument("--pg-name", default="treem_portal_bench")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--seed-quick", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.seed_quick:
        seed_quick()
        return
    total = 200 if args.quick else args.requests
    burst_total = 256 if args.quick else 3200
    random.seed(7)
    t_start = time.perf_counter()
    print(f"load average before: {os.getloadavg()}")
    databases = [d.strip() for d in args.databases.split(",") if d.strip()]
    # The databases are prepared side by side (nothing is measured yet), then measured in turn.
    with ThreadPoolExecutor(max_workers=len(databases)) as pool:
        setups = dict(
            zip(databases, pool.map(lambda d: setup_database(d, args), databases), strict=True)
        )
    runs = {}
    for database in databases:
        runs[database] = run_database(database, args, total, burst_total, setups[database])
    ok = {f"{db}.{name}": value for db, run in runs.items() for name, value in run["ok"].items()}
    summary = {
        "bench": "portal",
        "seconds": round(time.perf_counter() - t_start, 1),
        "loadavg": list(os.getloadavg()),
        "server": f"gunicorn sync x{args.workers}",
        "cache": "redis (django.core.cache.backends.redis.RedisCache)",
        "concurrency": args.concurrency,
        "burst_concurrency": BURST,
        "requests_per_target": total,
        "burst_requests": burst_total,
        "targets": TARGETS,
        "ratios": {db: run["ratios"] for db, run in runs.items()},
        "runs": runs,
        "ok": ok,
        "all_ok": all(ok.values()),
    }
    print(json.dumps(summary))
    if not summary["all_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
