"""Every foundation page, every persona: allowed (200) or denied (403 for a role that may never do
it, 404 for an object outside the jurisdiction, 302 to login for anonymous)."""

import pytest

from treem.accounts.models import User
from treem.geo.models import Village

pytestmark = pytest.mark.django_db

PERSONAS = [
    "admin_client",
    "specialist_client",
    "leader_client",
    "officer_a_client",
    "officer_b_client",
    "collaborator_a_client",
    "partner_client",
    "anon_client",
]


def _urls(demo):
    village_a = Village.objects.filter(commune=demo.commune_a, name="Khu phố 1").get()
    user_b = User.objects.get(username="canbo.b")
    return {
        "dashboard": "/app/",
        "villages": "/app/geo/villages/",
        "village_a": f"/app/geo/villages/{village_a.pk}/",
        "village_new": "/app/geo/villages/new/",
        "users": "/accounts/users/",
        "user_b": f"/accounts/users/{user_b.pk}/",
        "user_new": "/accounts/users/new/",
        "user_b_log": f"/accounts/users/{user_b.pk}/access-log/",
        "audit": "/app/audit/",
        "profile": "/accounts/profile/",
    }


# persona -> {url key: expected status}; keys not listed expect 403 (role never allowed).
EXPECTED = {
    "admin_client": {
        "dashboard": 200, "villages": 200, "village_a": 200, "village_new": 200, "users": 200,
        "user_b": 200, "user_new": 200, "user_b_log": 302, "audit": 200, "profile": 200,
    },
    "specialist_client": {
        "dashboard": 200, "villages": 200, "village_a": 200, "village_new": 200, "profile": 200,
        "audit": 200,
    },
    "leader_client": {"dashboard": 200, "profile": 200},
    "officer_a_client": {
        "dashboard": 200, "villages": 200, "village_a": 200, "village_new": 200, "profile": 200,
    },
    # Commune B's officer may work with villages, but commune A's village is outside: 404.
    "officer_b_client": {
        "dashboard": 200, "villages": 200, "village_a": 404, "village_new": 200, "profile": 200,
    },
    "collaborator_a_client": {
        "dashboard": 200, "villages": 200, "village_a": 200, "profile": 200,
    },
    "partner_client": {"dashboard": 200, "profile": 200},
}  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_foundation_page_for_every_persona(persona, request, demo):
    client = request.getfixturevalue(persona)
    for key, url in _urls(demo).items():
        response = client.get(url)
        if persona == "anon_client":
            assert response.status_code == 302, (key, url)
            assert response["Location"].startswith("/accounts/login/"), (key, url)
            continue
        expected = EXPECTED[persona].get(key, 403)
        assert response.status_code == expected, (persona, key, url, response.status_code)
