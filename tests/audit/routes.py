"""Expected status of every audit route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route

ROUTES = {
    "audit:event_list": route(403, admin=200, specialist=200, chairman_a=200),
}
