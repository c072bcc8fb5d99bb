import pytest

from treem.registry import services as registry_services

pytestmark = pytest.mark.django_db


def _child_of_commune_b(demo):
    return registry_services.child_register(
        actor=demo.users["canbo.b"],
        raw={
            "full_name": "Trần Thị Bích",
            "birth_date": "05/03/2017",
            "sex": "F",
            "commune": demo.commune_b.code,
        },
        decision="new",
    ).child


def test_worker_cannot_link_a_case_to_a_child_of_another_commune(case_a, demo, officer_a_client):
    other = _child_of_commune_b(demo)
    response = officer_a_client.post(
        f"/app/cases/{case_a.pk}/child/", {"child_id": other.pk, "decision": ""}
    )
    # The service refuses a child outside the worker's jurisdiction as if it did not exist.
    assert response.status_code == 200
    assert "Không tìm thấy trẻ này trong phạm vi bạn phụ trách" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.child_id != other.pk
