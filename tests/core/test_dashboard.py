import pytest

pytestmark = pytest.mark.django_db


def _card_values(response):
    return {card.label: card.value for card in response.context["cards"]}


def test_commune_officer_sees_counts_of_their_commune(officer_a_client):
    values = _card_values(officer_a_client.get("/app/"))
    assert values["Xã, phường trong phạm vi phụ trách"] == 1
    assert values["Thôn, ấp, khu phố"] == 4


def test_province_specialist_sees_counts_of_the_province(specialist_client):
    from treem.geo.models import Commune

    values = _card_values(specialist_client.get("/app/"))
    assert (
        values["Xã, phường trong phạm vi phụ trách"]
        == Commune.objects.filter(province_id="75").count()
    )


def test_collaborator_sees_only_assigned_villages(collaborator_a_client):
    assert _card_values(collaborator_a_client.get("/app/"))["Thôn, ấp, khu phố"] == 2


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("admin_client", ["Người dùng", "Nhật ký truy cập"], []),
        ("officer_a_client", ["Thôn, ấp"], ["Người dùng", "Nhật ký truy cập"]),
        ("leader_client", ["Tổng quan"], ["Thôn, ấp", "Người dùng"]),
    ],
)
def test_navigation_follows_the_role(persona, visible, hidden, request):
    response = request.getfixturevalue(persona).get("/app/")
    labels = [str(item["label"]) for item in response.context["nav_items"]]
    assert all(v in labels for v in visible)
    assert not any(h in labels for h in hidden)


def test_anonymous_dashboard_redirects_to_login(anon_client):
    assert anon_client.get("/app/")["Location"].startswith("/accounts/login/")


def test_portal_roles_land_on_their_own_pages(client_for):
    response = client_for("bientap").get("/app/")
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"


def test_a_role_with_no_page_at_all_is_refused(demo):
    from django.test import Client

    from treem.accounts.services import user_create

    user = user_create(
        actor=None,
        username="khongvaitro",
        password="A-long-enough-password",
        full_name="Không Vai Trò",
        role="",
        province=demo.province,
    )
    client = Client()
    client.force_login(user)
    assert client.get("/app/").status_code == 403


def test_dashboard_query_count_is_bounded(specialist_client, django_assert_max_num_queries):
    # A few queries per card (each app's cards count through their selectors), never one per row.
    with django_assert_max_num_queries(45):
        specialist_client.get("/app/")
