import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from treem.accounts.models import User

pytestmark = pytest.mark.django_db


def test_schema_is_served_as_openapi_3(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/geo/communes/" in schema["paths"]
    assert "/api/me/" in schema["paths"]


def test_docs_page_uses_vendored_swagger_ui(client):
    body = client.get("/api/docs/").content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in body
    assert "cdn" not in body.lower()


def test_geography_is_public_and_searchable_without_accents(client):
    response = client.get("/api/geo/communes/", {"province": "75", "q": "tran bien"})
    assert response.status_code == 200
    assert [c["name"] for c in response.json()["results"]] == ["Phường Trấn Biên"]


def test_commune_detail_by_code(client):
    assert client.get("/api/geo/communes/26041/").json()["name"] == "Phường Trấn Biên"


def test_legacy_conversion_endpoint(client):
    from treem.geo.models import CommuneConversion

    row = CommuneConversion.objects.filter(legacy_commune__province_id="70").first()
    data = client.get(f"/api/geo/legacy-communes/{row.legacy_commune_id}/conversion/").json()
    assert row.commune_id in {item["commune"]["code"] for item in data}


def test_not_found_uses_the_one_error_shape(client):
    response = client.get("/api/geo/communes/00000/")
    assert response.status_code == 404
    assert set(response.json()["error"]) >= {"code", "message"}
    assert client.get("/api/no-such-endpoint/").json()["error"]["code"] == "not_found"


def test_me_requires_authentication_in_the_error_shape(client):
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_me_with_a_session(officer_a_client, demo):
    data = officer_a_client.get("/api/me/").json()
    assert data["username"] == "canbo.a"
    assert data["jurisdiction"] == {
        "level": "commune",
        "province": "75",
        "communes": [demo.commune_a.code],
        "villages": [],
    }
    assert "registry.child.view" in data["permissions"]


def test_me_with_a_token():
    user = User.objects.get(username="doitac")
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert client.get("/api/me/").json()["role"] == "partner_officer"


def test_bad_token_is_refused_in_the_error_shape():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_commune_list_query_count_is_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get("/api/geo/communes/", {"province": "75"})
