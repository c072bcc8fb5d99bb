"""The persona × route table: every staff route, every persona, the status each must get.

Each app keeps its own entries in `tests/<app>/routes.py`, which exposes

- `ROUTES`: {url name: `route(...)`}, one entry per named URL of the app under /app/,
  /accounts/ or /api/ (the app is the package of the route's view; the site package's routes live in
  `tests/site/routes.py`);
- optionally `objects(ctx) -> dict`: the records its URLs need, picked from (or added to) the full
  demo data; the dicts of every app are merged and handed to each route's `kwargs` function.

`tests/core/test_route_matrix.py` walks the URL configuration, fails for any route without an entry
(naming the file to add it to) and requests every route as every persona with GET, comparing the
status with the table, then with POST: a persona denied the GET must be denied the POST the same
way and nothing written; a persona allowed must never get a 500 from an empty or garbage POST. A
route that answers every GET with 405 (it only accepts POST) says who may POST with
`post=route(...)`: 200 there means "allowed" (any answer but a refusal or a server error).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# Persona name -> demo username (None: not signed in).
PERSONAS: dict[str, str | None] = {
    "admin": "admin",
    "specialist": "chuyenvien",
    "leader": "lanhdao",
    "chairman_a": "chutich.a",
    "officer_a": "canbo.a",
    "officer_b": "canbo.b",
    "collaborator_a": "ctv.a",
    "partner": "doitac",
    "anonymous": None,
}


# The answers that refuse a signed-in persona.
DENIED = (403, 404)


def _no_kwargs(objects: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    expect: dict[str, int]
    kwargs: Callable[[dict], dict] = _no_kwargs
    query: dict[str, str] = field(default_factory=dict)
    # Who may POST to a route that only accepts POST ({persona: 200 allowed, 403, 404, ...}).
    post: dict[str, int] | None = None


def route(
    default: int = 403,
    *,
    anonymous: int = 302,
    kwargs: Callable[[dict], dict] = _no_kwargs,
    query: dict[str, str] | None = None,
    post: Route | None = None,
    **statuses: int,
) -> Route:
    """An entry: `default` for every signed-in persona, `anonymous` (302 to the login page for a
    page, 401/403 for the API) for the visitor, and any persona named otherwise."""
    unknown = set(statuses) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas {sorted(unknown)}; use {sorted(PERSONAS)}")
    expect = dict.fromkeys(PERSONAS, default)
    expect["anonymous"] = anonymous
    expect.update(statuses)
    return Route(
        expect=expect, kwargs=kwargs, query=query or {}, post=post.expect if post else None
    )


def pk_of(key: str, name: str = "pk") -> Callable[[dict], dict]:
    """`kwargs` for a route taking one record: {name: objects[key].pk}, failing with the key's name
    when an `objects(ctx)` found no such record in the demo."""

    def kwargs(objects: dict) -> dict:
        record = objects.get(key)
        if record is None:
            raise LookupError(f"objects()[{key!r}] is missing: the demo has no such record")
        return {name: record.pk}

    return kwargs
