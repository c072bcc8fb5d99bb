"""Registration: likely duplicates are shown before anything is saved; the decision is kept."""

from __future__ import annotations

import pytest

from treem.registry import services
from treem.registry.models import Child, DuplicateDecision

from .conftest import TODAY

PARENTS = [
    {"full_name": "Trần Thị Hoa", "relationship": "mother"},
    {"full_name": "Nguyễn Văn Tùng", "relationship": "father"},
]


def test_duplicates_are_shown_before_saving(demo, register):
    existing = register(carers=PARENTS, address="Số 5, tổ 3")
    before = Child.objects.count()
    with pytest.raises(services.DuplicatesFound) as exc:
        services.child_register(
            actor=demo.users["canbo.a"],
            raw={
                "full_name": "NGUYEN VAN AN",
                "birth_date": "03/05/2018",  # day and month swapped
                "sex": "M",
                "commune": demo.commune_a.code,
            },
            carers=[{"full_name": "Tran Thi Hoa", "relationship": "mother"}],
            today=TODAY,
        )
    assert Child.objects.count() == before
    match = exc.value.matches[0]
    assert match.child_id == existing.pk and match.visible
    assert match.score > 0.5
    fields = {e["field"]: e for e in match.evidence}
    assert {"given_name", "birth_date", "mother_name", "id_number"} <= set(fields)
    assert fields["birth_date"]["level"] != "exact"


def test_confirming_new_records_the_decision(demo, register):
    register(carers=PARENTS)
    child = register(carers=PARENTS, full_name="Nguyễn Văn An")
    decision = DuplicateDecision.objects.get(child=child)
    assert decision.decision == "new"
    assert decision.candidates and decision.candidates[0]["score"] > 0.5


def test_linking_to_existing_creates_nothing(demo, register):
    existing = register(carers=PARENTS)
    before = Child.objects.count()
    result = services.child_register(
        actor=demo.users["canbo.a"],
        raw={
            "full_name": "Nguyễn Văn An",
            "birth_date": "05/03/2018",
            "sex": "M",
            "commune": demo.commune_a.code,
        },
        carers=PARENTS,
        decision="linked",
        link_to=existing.pk,
        today=TODAY,
    )
    assert result.child == existing and not result.created
    assert Child.objects.count() == before
    assert DuplicateDecision.objects.filter(child=existing, decision="linked").exists()


def test_twins_are_not_flagged_as_one_child(demo, register):
    register(carers=PARENTS, full_name="Lê Minh Khang", address="Số 12")
    result = services.child_register(
        actor=demo.users["canbo.a"],
        raw={
            "full_name": "Lê Minh Khôi",
            "birth_date": "05/03/2018",
            "sex": "M",
            "commune": demo.commune_a.code,
            "address": "Số 12",
        },
        carers=PARENTS,
        today=TODAY,
    )
    assert result.created
    assert all(m.score < 0.5 for m in result.matches)


def test_duplicate_in_another_commune_is_shown_without_identity(demo, register):
    register(officer="canbo.b", carers=PARENTS)
    with pytest.raises(services.DuplicatesFound) as exc:
        services.child_register(
            actor=demo.users["canbo.a"],
            raw={
                "full_name": "Nguyễn Văn An",
                "birth_date": "05/03/2018",
                "sex": "M",
                "commune": demo.commune_a.code,
            },
            carers=PARENTS,
            today=TODAY,
        )
    m = exc.value.matches[0]
    assert not m.visible and m.child is None
    shown = m.as_json()
    assert shown["child_id"] is None
    assert all(set(e) == {"field", "level"} for e in shown["evidence"])
    assert shown["commune"] == demo.commune_b.name


def test_register_page_shows_duplicates_then_saves_on_confirm(officer_a_client, register, demo):
    register(carers=PARENTS)
    form = {
        "full_name": "Nguyễn Văn An",
        "birth_date": "05/03/2018",
        "sex": "M",
        "commune": demo.commune_a.code,
        "mother_name": "Trần Thị Hoa",
        "birth_registration": "unknown",
        "school_status": "unknown",
        "nutrition_status": "unknown",
        "legal_basis": "legal_duty",
        "poverty_status": "unknown",
    }
    before = Child.objects.count()
    r = officer_a_client.post("/app/registry/new/", form)
    assert r.status_code == 200
    assert "Có thể trẻ này đã có trong sổ" in r.content.decode()
    assert Child.objects.count() == before
    r = officer_a_client.post("/app/registry/new/", {**form, "decision": "new"})
    assert r.status_code == 302
    assert Child.objects.count() == before + 1
