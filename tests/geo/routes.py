"""Expected status of every geo route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    from treem.geo.models import LegacyCommune

    return {
        "village_a": ctx.villages["a"][0],
        "commune_a": ctx.commune_a,
        "legacy_commune": LegacyCommune.objects.filter(province__code="75")
        .order_by("code")
        .first(),
    }


ROUTES = {
    "geo:village_list": route(200, leader=403, partner=403),
    "geo:village_create": route(200, leader=403, collaborator_a=403, partner=403),
    "geo:village_detail": route(
        200, leader=403, officer_b=404, partner=403, kwargs=lambda o: {"pk": o["village_a"].pk}
    ),
    "api:province_list": route(200, anonymous=200),
    "api:province_detail": route(200, anonymous=200, kwargs=lambda o: {"code": "75"}),
    "api:commune_list": route(200, anonymous=200),
    "api:commune_detail": route(200, anonymous=200, kwargs=lambda o: {"code": o["commune_a"].code}),
    "api:legacy_conversion": route(
        200, anonymous=200, kwargs=lambda o: {"code": o["legacy_commune"].code}
    ),
}
