import pytest

from treem.audit.models import AuditEvent
from treem.geo.models import Village

pytestmark = pytest.mark.django_db


def village_of(demo, key):
    commune = demo.commune_a if key == "a" else demo.commune_b
    return Village.objects.filter(commune=commune).order_by("name_folded").first()


def test_officer_lists_only_villages_of_their_commune(officer_a_client, demo):
    response = officer_a_client.get("/app/geo/villages/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Khu phố 1" in body
    assert "Ấp An Bình" not in body


def test_officer_of_commune_b_gets_404_for_a_village_of_commune_a(officer_b_client, demo):
    village = village_of(demo, "a")
    assert officer_b_client.get(f"/app/geo/villages/{village.pk}/").status_code == 404


def test_officer_of_commune_a_opens_own_village(officer_a_client, demo):
    village = village_of(demo, "a")
    assert officer_a_client.get(f"/app/geo/villages/{village.pk}/").status_code == 200


def test_unknown_village_is_404_like_a_foreign_one(officer_b_client):
    assert officer_b_client.get("/app/geo/villages/999999/").status_code == 404


def test_collaborator_sees_only_assigned_villages(collaborator_a_client, demo):
    body = collaborator_a_client.get("/app/geo/villages/").content.decode()
    assert "Khu phố 1" in body and "Khu phố 2" in body
    assert "Khu phố 3" not in body
    third = Village.objects.get(commune=demo.commune_a, name="Khu phố 3")
    assert collaborator_a_client.get(f"/app/geo/villages/{third.pk}/").status_code == 404


def test_specialist_sees_villages_of_the_whole_province(specialist_client):
    body = specialist_client.get("/app/geo/villages/").content.decode()
    assert "Khu phố 1" in body and "Ấp An Bình" in body


def test_partner_may_not_list_villages(partner_client):
    assert partner_client.get("/app/geo/villages/").status_code == 403


def test_leader_may_not_list_villages(leader_client):
    assert leader_client.get("/app/geo/villages/").status_code == 403


def test_anonymous_is_sent_to_login(anon_client):
    response = anon_client.get("/app/geo/villages/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_officer_creates_a_village_in_own_commune_and_it_is_audited(officer_a_client, demo):
    response = officer_a_client.post(
        "/app/geo/villages/new/",
        {"commune": demo.commune_a.code, "kind": "khu_pho", "name": "Khu phố  5"},
    )
    assert response.status_code == 302
    village = Village.objects.get(commune=demo.commune_a, name="Khu phố 5")
    assert AuditEvent.objects.filter(
        action="create", object_type="geo.village", object_id=str(village.pk)
    ).exists()


def test_officer_cannot_create_a_village_in_another_commune(officer_a_client, demo):
    response = officer_a_client.post(
        "/app/geo/villages/new/",
        {"commune": demo.commune_b.code, "kind": "ap", "name": "Ấp Mới"},
    )
    assert response.status_code == 200  # the form refuses the choice
    assert not Village.objects.filter(name="Ấp Mới").exists()


def test_duplicate_village_name_is_refused_with_a_clear_message(officer_a_client, demo):
    response = officer_a_client.post(
        "/app/geo/villages/new/",
        {"commune": demo.commune_a.code, "kind": "khu_pho", "name": "KHU PHO 1"},
    )
    assert response.status_code == 200
    assert "đã có thôn, ấp tên" in response.content.decode()


def test_village_list_query_count_is_bounded(officer_a_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        officer_a_client.get("/app/geo/villages/")
