"""Expected status of every site route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route

ROUTES = {
    "core:dashboard": route(200),
}
