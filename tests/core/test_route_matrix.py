"""Every staff route × every persona, generated from the URL configuration and compared with the
table in `tests/<app>/routes.py` (format: `tests/route_matrix.py`, docs/architecture.md). A route
with no entry fails, saying where to add it."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import _client_for
from tests.route_matrix import PERSONAS, Route
from treem.accounts.models import User

pytestmark = pytest.mark.django_db

TESTS = Path(__file__).resolve().parents[1]
STAFF_PREFIXES = ("app/", "accounts/", "api/")
# Documentation of the API, public by design and checked by tests/api.
NOT_IN_MATRIX = {"api:schema", "api:docs"}


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


def test_every_staff_route_has_an_entry_in_the_table():
    routes = staff_routes()
    table, problems = merged_table()
    for name, (pattern, app) in sorted(routes.items()):
        if name not in table:
            problems.append(
                f"route {name} ({pattern}) has no entry in the route table: add it to "
                f"tests/{app}/routes.py ROUTES (expected status per persona)"
            )
    for name in sorted(set(table) - set(routes)):
        problems.append(f"{name} is in the route table but no longer a staff route: remove it")
    assert not problems, "\n".join(problems)


@pytest.fixture
def full_demo(demo):
    """The demo data of every app, as `make run` has it (inside this test's transaction)."""
    from treem.site.demo import demo_seed

    return demo_seed()


def test_every_persona_gets_the_expected_status_on_every_staff_route(full_demo, settings):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    objects: dict = {}
    for module in route_tables():
        if hasattr(module, "objects"):
            objects.update(module.objects(full_demo))
    table, _problems = merged_table()
    routes = staff_routes()
    clients = {
        persona: _client_for(username) if username else Client()
        for persona, username in PERSONAS.items()
    }
    mismatches = []
    for name in sorted(routes):
        entry = table.get(name)
        if entry is None:
            continue  # reported by the test above
        url = reverse(name, kwargs=entry.kwargs(objects))
        for persona, expected in entry.expect.items():
            response = clients[persona].get(url, entry.query)
            if response.status_code != expected:
                mismatches.append(
                    f"{name} {url} as {persona}: got {response.status_code}, table says {expected}"
                )
    assert not mismatches, "\n".join(mismatches)


def test_route_table_personas_are_the_demo_accounts(demo):
    usernames = {u for u in PERSONAS.values() if u}
    assert usernames <= set(User.objects.values_list("username", flat=True))
