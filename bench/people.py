"""Workforce coverage, award history and certificate printing at the scale of a province.

    .venv/bin/python bench/people.py [--quick] [--repeat N] [--keep] [--fresh]

Creates the database `treem_bench_people` (BENCH_PEOPLE_PG_URL, default
postgres://postgres@127.0.0.1:5432/treem_bench_people) as a copy of `treem_bench_people_base`
(migrated, with the geography and the foundation demo's accounts; built on the first run, and
again whenever a migration, the demo or the geography package changes, or with --fresh), then
fills Đồng Nai's 95 communes with 6 villages each, 3,000 staff and
collaborators (with past periods, so turnover has something to count), 400 courses with 20,000
attendances, and 5,000 nominations over 10 years (2016–2025), most awarded by 10 decisions a year.

Measured, as the provincial specialist through Django's test client:
- the coverage page (/app/people/): target under 200 ms median;
- the award history page (/app/people/awards/history/): target under 200 ms median;
- printing 100 certificates of one decision as one PDF: target under 10 s.

`--quick` puts everything in one commune (a thirtieth of the people, 50 courses, 200
nominations) and runs in under a minute once the base database exists (building the base costs
the migrations, 1 to 4 minutes depending on the machine's load; the "setup" figures say which).
The last line of output is one JSON object with every figure and "ok" per target. The database
is dropped at the end unless `--keep` (the base is kept).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
PG_URL = os.environ.get(
    "BENCH_PEOPLE_PG_URL", "postgres://postgres@127.0.0.1:5432/treem_bench_people"
)
# Migrated, with the geography and the demo accounts; kept between runs (see main()).
BASE_URL = PG_URL.rsplit("/", 1)[0] + "/" + PG_URL.rsplit("/", 1)[1] + "_base"

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hữu", "Đức", "Thu", "Gia", "Bảo"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quân", "Vy"]
D = datetime.date


def _db(url: str, *, create: bool, template: str | None = None) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create and template:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        elif create:
            conn.execute(f'CREATE DATABASE "{name}"')


def _fingerprint() -> str:
    """What the prepared base database depends on: every migration, the demo's accounts and the
    geography package. A change to any of them rebuilds the base."""
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256(version("vietnam-provinces").encode())
    files = [*sorted(ROOT.glob("treem/*/migrations/*.py")), ROOT / "treem/site/demo.py"]
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def _base_ready(url: str, fingerprint: str) -> bool:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [parsed.path.lstrip("/")],
        ).fetchone()
    return row is not None and row[0] == fingerprint


def _mark_base(url: str, fingerprint: str) -> None:
    import psycopg

    parsed = urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"COMMENT ON DATABASE \"{parsed.path.lstrip('/')}\" IS '{fingerprint}'")


def _no_sync_commits() -> None:
    """A throw-away database: a commit need not wait for the disk (the fsync of each migration's
    commit was most of the set-up time on a machine shared with other sessions)."""
    from django.db.backends.signals import connection_created

    def no_sync(sender, connection, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")

    connection_created.connect(no_sync, weak=False)


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treem.settings")
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ["LOG_LEVEL"] = "error"
    import django

    django.setup()


def fill(*, quick: bool, seed: int = 2026) -> dict:
    from treem.accounts.models import Organisation
    from treem.geo.models import Commune, Village
    from treem.lib.text import fold
    from treem.lib.text import vi_sort_key as sort_key
    from treem.people.models import (
        Attendance,
        AwardForm,
        Council,
        CouncilMeeting,
        Course,
        Decision,
        Movement,
        Nomination,
        Person,
        PostKind,
        ServicePeriod,
        TrainingTopic,
        VotingRule,
    )

    rng = random.Random(seed)
    t0 = time.perf_counter()
    communes = list(Commune.objects.filter(province_id="75").order_by("code"))
    if quick:
        communes = [c for c in communes if c.code == "26041"]
    province = communes[0].province
    org = Organisation.objects.get(province=province, commune=None, name__startswith="Sở Y tế")
    n_people = 100 if quick else 3000
    n_courses = 50 if quick else 400
    n_attend = 700 if quick else 20000
    n_noms = 200 if quick else 5000

    villages = []
    for c in communes:
        for i in range(1, 7):
            name = f"Ấp {i}"
            villages.append(Village(commune=c, name=name, name_folded=fold(name)))
    Village.objects.bulk_create(villages, ignore_conflicts=True)
    villages_by = {}
    for v in Village.objects.filter(commune__in=communes):
        villages_by.setdefault(v.commune_id, []).append(v)

    people = []
    for _ in range(n_people):
        name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        commune = rng.choice(communes)
        people.append(
            Person(
                full_name=name,
                name_folded=fold(name),
                sort_key=sort_key(name, given_name_first=True),
                province=province,
                commune=commune,
            )
        )
    Person.objects.bulk_create(people, batch_size=1000)
    people = list(Person.objects.filter(commune__in=communes))
    periods = []
    covers = []
    # One responsible official per commune for most communes; the rest collaborators and
    # officials, a fifth of them with a past period that ended (turnover).
    responsible = {}
    for p in people:
        kind = PostKind.COMMUNE_OFFICIAL if rng.random() < 0.3 else PostKind.VILLAGE_COLLABORATOR
        start = D(rng.randint(2012, 2025), rng.randint(1, 12), 1)
        ended = None
        if rng.random() < 0.2:
            ended = min(start + datetime.timedelta(days=rng.randint(200, 2500)), D(2026, 6, 30))
        is_resp = (
            kind == PostKind.COMMUNE_OFFICIAL
            and ended is None
            and p.commune_id not in responsible
            and rng.random() < 0.9
        )
        if is_resp:
            responsible[p.commune_id] = p
        periods.append(
            ServicePeriod(
                person=p,
                kind=kind,
                position="Công chức Văn hóa - Xã hội"
                if kind == PostKind.COMMUNE_OFFICIAL
                else "Cộng tác viên",
                employment="full_time" if kind == PostKind.COMMUNE_OFFICIAL else "",
                is_responsible=is_resp,
                commune_id=p.commune_id,
                started_on=start,
                ended_on=ended,
            )
        )
    ServicePeriod.objects.bulk_create(periods, batch_size=1000)
    through = ServicePeriod.villages.through
    for period in ServicePeriod.objects.filter(
        commune__in=communes, kind=PostKind.VILLAGE_COLLABORATOR
    ):
        for v in rng.sample(villages_by[period.commune_id], 1):
            covers.append(through(serviceperiod_id=period.pk, village_id=v.pk))
    through.objects.bulk_create(covers, batch_size=2000, ignore_conflicts=True)

    topics = list(TrainingTopic.objects.all())
    courses = []
    for i in range(n_courses):
        start = D(rng.randint(2016, 2026), rng.randint(1, 12), rng.randint(1, 25))
        courses.append(
            Course(
                title=f"Lớp tập huấn số {i + 1}",
                topic=rng.choice(topics),
                organiser=org,
                province=province,
                starts_on=start,
                ends_on=start + datetime.timedelta(days=2),
                place="Sở Y tế",
                hours=16,
            )
        )
    Course.objects.bulk_create(courses)
    course_ids = list(Course.objects.values_list("id", flat=True))
    person_ids = [p.pk for p in people]
    seen = set()
    attendances = []
    while len(attendances) < n_attend:
        pair = (rng.choice(course_ids), rng.choice(person_ids))
        if pair in seen:
            continue
        seen.add(pair)
        attendances.append(
            Attendance(course_id=pair[0], person_id=pair[1], certified=rng.random() < 0.85)
        )
    Attendance.objects.bulk_create(attendances, batch_size=2000)

    form = AwardForm.objects.get(code="bang-khen-ubnd-tinh")
    council = Council.objects.create(name="Hội đồng Thi đua - Khen thưởng tỉnh", province=province)
    rule = VotingRule.objects.order_by("effective_from").first()
    collectives = [f"Tập thể UBND {c.name}" for c in communes] + [
        f"Trường Tiểu học số {i}" for i in range(1, 200)
    ]
    units = {c.code: None for c in communes}
    commune_orgs = []
    for c in communes:
        o, _ = Organisation.objects.get_or_create(
            province=province,
            commune=c,
            name=f"UBND {c.name}",
            defaults={"kind": Organisation.Kind.COMMUNE_COMMITTEE},
        )
        units[c.code] = o
        commune_orgs.append(o)
    per_year = n_noms // 10
    nominations = []
    decisions = {}
    used = set()
    for year in range(2016, 2026):
        movement = Movement.objects.create(
            title=f"Phong trào thi đua năm {year}",
            province=province,
            launched_by=org,
            period_start=D(year, 1, 1),
            period_end=D(year, 12, 31),
            criteria="Hoàn thành xuất sắc nhiệm vụ.",
            nomination_deadline=D(year + 1, 3, 31),
        )
        meeting = CouncilMeeting.objects.create(
            council=council,
            held_on=D(year + 1, 4, 15),
            rule=rule,
            members_count=9,
            status="closed",
        )
        for k in range(10):
            decisions[(year, k)] = Decision.objects.create(
                number=f"{100 + k}/QĐ-UBND-{year}",
                signed_on=D(year + 1, 5, 1 + k),
                signer_name="Lê Quang Minh",
                signer_title="Chủ tịch",
                award_form=form,
                province=province,
                meeting=meeting,
            )
        made = 0
        while made < per_year:
            individual = rng.random() < 0.6
            if individual:
                person = rng.choice(people)
                key = f"p:{person.pk}"
                name = person.full_name
                commune_code = person.commune_id
            else:
                person = None
                name = rng.choice(collectives)
                key = "c:" + fold(name)
                commune_code = rng.choice(communes).code
            if (key, year) in used:
                continue
            used.add((key, year))
            awarded = rng.random() < 0.9
            nominations.append(
                Nomination(
                    movement=movement,
                    nominating_unit=units[commune_code],
                    commune_id=commune_code,
                    province=province,
                    award_form=form,
                    award_year=year,
                    nominee_kind="individual" if individual else "collective",
                    person=person,
                    collective_name="" if individual else name,
                    nominee_key=key,
                    nominee_sort_key=sort_key(name, given_name_first=individual),
                    nominee_unit="Công chức Văn hóa - Xã hội, UBND xã",
                    achievement_line="Đã có thành tích xuất sắc trong công tác bảo vệ, chăm sóc "
                    "trẻ em",
                    achievement_report="<p>Báo cáo thành tích.</p>",
                    report_file="people/bench/bao-cao.pdf",
                    minutes_file="people/bench/bien-ban.pdf",
                    status="awarded" if awarded else "rejected",
                    meeting=meeting,
                    yes_votes=9 if awarded else 3,
                    decision=decisions[(year, made % 10)] if awarded else None,
                    awarded_on=decisions[(year, made % 10)].signed_on if awarded else None,
                    submitted_at=datetime.datetime(year + 1, 3, 1, tzinfo=datetime.UTC),
                )
            )
            made += 1
    Nomination.objects.bulk_create(nominations, batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "communes": len(communes),
        "people": len(people),
        "periods": len(periods),
        "attendances": len(attendances),
        "nominations": len(nominations),
        "fill_s": round(time.perf_counter() - t0, 1),
    }


def measure(fn, repeat: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    fn()  # warm-up
    times = []
    cpu = []
    sql = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            fn()
            cpu.append((time.process_time() - c) * 1000)
            times.append((time.perf_counter() - t) * 1000)
        queries = len(ctx.captured_queries)
        sql.append(sum(float(q["time"]) for q in ctx.captured_queries) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        # This process's CPU (Python: Django, the view, the template) and the time spent waiting
        # for PostgreSQL's answers, per request: on a shared machine these say more than wall time.
        "cpu_ms": round(statistics.median(cpu), 1),
        "sql_ms": round(statistics.median(sql), 1),
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument(
        "--repeat", type=int, default=None, help="requests per page (15; 7 with --quick)"
    )
    parser.add_argument("--keep", action="store_true")
    parser.add_argument(
        "--fresh", action="store_true", help="rebuild the base database (migrations, geography)"
    )
    args = parser.parse_args()
    if args.repeat is None:
        args.repeat = 7 if args.quick else 15
    started = time.perf_counter()

    phases: dict[str, float] = {}
    # The schema, the geography and the demo accounts do not depend on the run: they are built
    # once into a base database (BASE_URL) and each run copies it (CREATE DATABASE … TEMPLATE, a
    # file copy of seconds) instead of migrating again, which took 2 to 4 minutes of --quick on a
    # loaded machine. The base is rebuilt when a migration, the demo or the geography package
    # changes (its fingerprint is the database's comment), or with --fresh.
    fingerprint = _fingerprint()
    reuse = not args.fresh and _base_ready(BASE_URL, fingerprint)
    phases["base_reused"] = reuse
    if not reuse:
        t0 = time.perf_counter()
        _db(BASE_URL, create=True)
        setup_django(BASE_URL)
        _no_sync_commits()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        phases["migrate_s"] = time.perf_counter() - t0
        from treem.geo.services import geography_load
        from treem.site.demo import demo_seed

        t0 = time.perf_counter()
        geography_load()
        demo_seed(with_apps=False)
        phases["geography_and_users_s"] = time.perf_counter() - t0
        from django.db import connections

        connections.close_all()
        _mark_base(BASE_URL, fingerprint)
    t0 = time.perf_counter()
    _db(PG_URL, create=True, template=urlparse(BASE_URL).path.lstrip("/"))
    phases["copy_base_s"] = time.perf_counter() - t0
    if reuse:
        setup_django(PG_URL)
        _no_sync_commits()
    else:
        from django.db import connections

        connections["default"].settings_dict["NAME"] = urlparse(PG_URL).path.lstrip("/")
    sizes = fill(quick=args.quick)
    print(json.dumps({"filled": sizes}, ensure_ascii=False), flush=True)

    from django.test import Client

    from treem.accounts.models import User
    from treem.people import documents
    from treem.people.models import Decision

    client = Client()
    client.force_login(User.objects.get(username="chuyenvien"))

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return run

    results = {
        # A page with almost no data, for the machine's floor in this run (only ratios from the
        # same run compare on a shared machine).
        "baseline_small_page": measure(get("/app/people/training/"), args.repeat),
        "coverage_page": measure(get("/app/people/"), args.repeat),
        "coverage_page_with_table": measure(get("/app/people/?table=1"), args.repeat),
        "history_page": measure(get("/app/people/awards/history/"), args.repeat),
        "history_page_search": measure(get("/app/people/awards/history/?q=nguyen"), args.repeat),
    }
    decision = max(Decision.objects.all(), key=lambda d: d.nominations.count())
    listed = list(
        decision.nominations.select_related("person", "nominating_unit", "movement")[:100]
    )
    while len(listed) < 100:
        listed = (listed * 2)[:100]
    t = time.perf_counter()
    pdf = documents.certificates_pdf(decision, listed)
    print_s = time.perf_counter() - t
    results["print_100_certificates"] = {"seconds": round(print_s, 2), "bytes": len(pdf)}
    ok = {
        "coverage_page": results["coverage_page"]["median_ms"] < 200,
        "history_page": results["history_page"]["median_ms"] < 200,
        "print_100_certificates": print_s < 10,
    }
    if not args.keep:
        from django.db import connections

        connections.close_all()
        t0 = time.perf_counter()
        _db(PG_URL, create=False)
        phases["drop_db_s"] = time.perf_counter() - t0
    phases["total_s"] = time.perf_counter() - started
    print(
        json.dumps(
            {
                "bench": "people",
                "quick": args.quick,
                "sizes": sizes,
                "setup": {k: round(v, 1) if isinstance(v, float) else v for k, v in phases.items()},
                "cpu_s": round(time.process_time(), 1),
                "load_average": [round(x, 2) for x in os.getloadavg()],
                "results": results,
                "ok": ok,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
