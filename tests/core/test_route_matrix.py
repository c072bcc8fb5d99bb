"""Every staff route × every persona, generated from the URL configuration and compared with the
table in `tests/<app>/routes.py` (format: `tests/route_matrix.py`, docs/architecture.md). A route
with no entry fails, saying where to add it.

GET is compared with the table. POST is derived from it: a persona denied the GET (403, 404, or
the visitor sent to the login page) must be denied the POST the same way, with nothing written
to the database; a persona allowed the GET may get a form error, a 400 or a redirect from an
empty or a garbage POST, never a 500. A route that only accepts POST answers every GET with 405,
so its entry says who may POST (`post=route(...)`).

The full demo is seeded once per test module and worker (in a transaction rolled back at the
end), and each route is its own test, so the routes spread over the workers.
"""

from __future__ import annotations

import copy
import importlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import _client_for
from tests.route_matrix import DENIED, PERSONAS, Route
from treem.accounts.models import User

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parents[1]
STAFF_PREFIXES = ("app/", "accounts/", "api/")
# Documentation of the API, public by design and checked by tests/api.
NOT_IN_MATRIX = {"api:schema", "api:docs"}
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Writes a refused request may make: its audit entry, the session, the lock-out counters.
# A refusal may be audited: the entry and the chain head it moves.
WRITES_ALLOWED_ON_REFUSAL = ("audit_auditevent", "audit_audithead", "django_session", "axes_")


def staff_routes() -> dict[str, tuple[str, str]]:
    """{url name: (pattern, app)} of every named staff URL; app is the package of its view."""
    found: dict[str, tuple[str, str]] = {}

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern, prefix + str(pattern.pattern), ns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                path = prefix + str(pattern.pattern)
                name = ":".join((*namespaces, pattern.name))
                if path.startswith(STAFF_PREFIXES) and name not in NOT_IN_MATRIX:
                    module = getattr(pattern.callback, "__module__", "") or ""
                    app = module.split(".")[1] if module.startswith("treem.") else "core"
                    found[name] = ("/" + path, app)

    walk(get_resolver(), "", ())
    return found


def route_tables():
    """Each app's routes module (tests/<app>/routes.py)."""
    for path in sorted(TESTS.glob("*/routes.py")):
        yield importlib.import_module(f"tests.{path.parent.name}.routes")


def merged_table() -> tuple[dict[str, Route], list[str]]:
    table: dict[str, Route] = {}
    problems = []
    for module in route_tables():
        for name, entry in module.ROUTES.items():
            if name in table:
                problems.append(f"{name} has entries in two routes.py files")
            table[name] = entry
    return table, problems


def _post_only(entry: Route) -> bool:
    """A route no one may GET, which some answer 405: it only accepts POST."""
    statuses = set(entry.expect.values())
    return 405 in statuses and statuses <= {405, *DENIED, 302, 401}


TABLE, _TABLE_PROBLEMS = merged_table()
ROUTES_IN_TABLE = sorted(set(staff_routes()) & set(TABLE))


def test_every_staff_route_has_an_entry_in_the_table():
    routes = staff_routes()
    problems = list(_TABLE_PROBLEMS)
    for name, (pattern, app) in sorted(routes.items()):
        if name not in TABLE:
            problems.append(
                f"route {name} ({pattern}) has no entry in the route table: add it to "
                f"tests/{app}/routes.py ROUTES (expected status per persona)"
            )
    for name in sorted(set(TABLE) - set(routes)):
        problems.append(f"{name} is in the route table but no longer a staff route: remove it")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker):
    """The demo data of every app, as `make run` has it, and the records the routes need:
    seeded once for this module in this worker's database, rolled back at the end."""
    from treem.site.demo import demo_seed

    with django_db_blocker.unblock(), override_settings(TASKS=IMMEDIATE_TASKS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            ctx = demo_seed()
            objects: dict = {}
            for module in route_tables():
                if hasattr(module, "objects"):
                    objects.update(module.objects(ctx))
            yield objects
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _clients() -> dict[str, Client]:
    return {
        persona: _client_for(username) if username else Client()
        for persona, username in PERSONAS.items()
    }


@pytest.mark.parametrize("name", ROUTES_IN_TABLE)
def test_every_persona_gets_the_expected_status_on_every_staff_route(name, matrix, settings):
    settings.TASKS = IMMEDIATE_TASKS
    entry = TABLE[name]
    url = reverse(name, kwargs=entry.kwargs(matrix))
    mismatches = []
    for persona, client in _clients().items():
        expected = entry.expect[persona]
        response = client.get(url, entry.query)
        if response.status_code != expected:
            mismatches.append(
                f"{url} as {persona}: got {response.status_code}, table says {expected}"
            )
    assert not mismatches, "\n".join(mismatches)


class _FormFields(HTMLParser):
    """Names of the fields of the page's POST forms."""

    def __init__(self):
        super().__init__()
        self.names: list[str] = []
        self._in_post_form = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._in_post_form = (a.get("method") or "").lower() == "post"
        elif (
            tag in ("input", "select", "textarea")
            and self._in_post_form
            and a.get("name") not in (None, "csrfmiddlewaretoken", *self.names)
        ):
            self.names.append(a["name"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post_form = False


# Values no form expects: a number too large for any column, a negative one, text with a NUL
# and a bidi control, an impossible date, a number that overflows a float.
GARBAGE = ["9" * 40, "-1", "x\x00\u202e'\"<", "31/02/2026", "1e999"]


def _garbage(names: list[str]) -> dict[str, str]:
    data = {n: GARBAGE[i % len(GARBAGE)] for i, n in enumerate(names)}
    for n in ("pk", "id", "ids", "version", "action", "status", "page"):
        data.setdefault(n, GARBAGE[len(data) % len(GARBAGE)])
    return data


def _post(client: Client, url: str, data: dict) -> tuple[int, list[str]]:
    """POST in a savepoint rolled back afterwards (each POST sees the same data), keeping the
    client's cookies as they were (a POST to the logout route must not sign the next one out).
    Returns the status and the SQL writes outside the refusal's own."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        with CaptureQueriesContext(connection) as queries:
            try:
                status = client.post(url, data).status_code
            except Exception as exc:  # noqa: BLE001 - a view that raises is a 500 for the user
                status = f"500 ({type(exc).__name__}: {exc})"
        transaction.set_rollback(True)
    client.cookies = cookies
    writes = []
    for q in queries:
        sql = q["sql"].lstrip().upper()
        if sql.startswith(("INSERT", "UPDATE", "DELETE")) and not any(
            t.upper() in sql[:60] for t in WRITES_ALLOWED_ON_REFUSAL
        ):
            writes.append(q["sql"][:120])
    return status, writes


def _is_server_error(status) -> bool:
    return isinstance(status, str) or status >= 500


@pytest.mark.parametrize("name", ROUTES_IN_TABLE)
def test_a_post_is_refused_like_the_get_and_never_fails(name, matrix, settings):
    settings.TASKS = IMMEDIATE_TASKS
    entry = TABLE[name]
    url = reverse(name, kwargs=entry.kwargs(matrix))
    if entry.query:
        # The page's own query (the child a dossier is opened for) goes with its form's POST.
        url = f"{url}?{urlencode(entry.query, doseq=True)}"
    post_only = _post_only(entry)
    expect = entry.post if post_only else entry.expect
    missing = expect is None
    if missing:
        # Until the entry says who may POST: the visitor is refused as on GET, nobody gets a
        # server error; the test is then marked "xfail" with the file to complete.
        expect = dict.fromkeys(entry.expect, 405) | {"anonymous": entry.expect["anonymous"]}
    clients = _clients()
    denied = {
        p
        for p in clients
        if p == "anonymous" or (not missing and (expect[p] in DENIED or expect[p] == 405))
    }
    empty = {p: _post(c, url, {}) for p, c in clients.items()}
    # A route only for reading answers 405 to whoever may read it: then a refused persona may
    # get the 405 too (the method is checked before the right).
    accepts_post = post_only or any(empty[p][0] != 405 for p in set(clients) - denied)
    problems = []
    for persona, client in clients.items():
        expected = expect[persona]
        if persona in denied:
            for data, (status, writes) in (
                ({}, empty[persona]),
                (_garbage([]), _post(client, url, _garbage([]))),
            ):
                if status != expected and (accepts_post or status != 405):
                    problems.append(
                        f"POST {url} as {persona} with {sorted(data)}: got {status}, "
                        f"the table denies {expected}"
                    )
                if writes:
                    problems.append(f"POST {url} as {persona} was refused but wrote: {writes}")
            continue
        fields = []
        if not post_only:
            page = client.get(url, entry.query)
            if page.status_code == 200 and "html" in page.get("Content-Type", ""):
                parser = _FormFields()
                parser.feed(page.content.decode())
                fields = parser.names
        garbage = _garbage(fields)
        for data, (status, _writes) in (
            ({}, empty[persona]),
            (garbage, _post(client, url, garbage)),
        ):
            if _is_server_error(status):
                problems.append(f"POST {url} as {persona} with {sorted(data)}: {status}")
            elif post_only and not missing and status in (*DENIED, 405):
                problems.append(f"POST {url} as {persona}: got {status}, the table allows it")
    assert not problems, "\n".join(problems)
    if missing:
        pytest.xfail(
            f"{name} only accepts POST: say who may POST with post=route(...) in its entry in "
            f"tests/{staff_routes()[name][1]}/routes.py"
        )


def test_route_table_personas_are_the_demo_accounts(demo):
    usernames = {u for u in PERSONAS.values() if u}
    assert usernames <= set(User.objects.values_list("username", flat=True))
