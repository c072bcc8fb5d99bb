"""Expected status of every portal route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    from treem.portal.models import Article

    return {
        "article": Article.objects.filter(status=Article.Status.PUBLISHED).order_by("pk").first()
    }


ROUTES = {
    "api:portal_article_list": route(200, anonymous=200),
    "api:portal_article_detail": route(
        200, anonymous=200, kwargs=lambda o: {"slug": o["article"].slug}
    ),
    "api:portal_article_comments": route(
        200, anonymous=200, kwargs=lambda o: {"slug": o["article"].slug}
    ),
}
