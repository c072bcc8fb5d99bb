"""Expected status of every accounts route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    return {"user_b": ctx.users["canbo.b"]}


ROUTES = {
    "accounts:login": route(302, anonymous=200),
    "accounts:login_token": route(302),
    "accounts:logout": route(405, anonymous=405, post=route(200)),
    "accounts:profile": route(200),
    "accounts:two_factor_setup": route(200),
    "accounts:user_list": route(403, admin=200),
    "accounts:user_create": route(403, admin=200),
    "accounts:user_detail": route(403, admin=200, kwargs=lambda o: {"pk": o["user_b"].pk}),
    "accounts:user_password": route(
        405, kwargs=lambda o: {"pk": o["user_b"].pk}, post=route(403, admin=200)
    ),
    "accounts:user_unlock": route(
        405, kwargs=lambda o: {"pk": o["user_b"].pk}, post=route(403, admin=200)
    ),
    "accounts:user_reset_2fa": route(
        405, kwargs=lambda o: {"pk": o["user_b"].pk}, post=route(403, admin=200)
    ),
    "accounts:user_access_log": route(403, admin=302, kwargs=lambda o: {"pk": o["user_b"].pk}),
    "api:me": route(200, anonymous=401),
}
