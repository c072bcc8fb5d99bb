"""Merging keeps every fact of both records, records who merged, and can be undone exactly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from treem.audit.models import AuditEvent
from treem.registry import selectors, services
from treem.registry.models import Child, ChildCarer, ChildMerge, Consent, SpecialCircumstance

from .conftest import TODAY


def facts(child_id: int) -> dict:
    c = Child.objects.get(pk=child_id)
    return {
        "fields": {
            f.attname: getattr(c, f.attname)
            for f in Child._meta.concrete_fields
            if f.attname not in ("updated_at", "version")
        },
        "carers": sorted(ChildCarer.objects.filter(child_id=child_id).values_list("pk", flat=True)),
        "circ": sorted(
            SpecialCircumstance.objects.filter(child_id=child_id).values_list("pk", flat=True)
        ),
        "consents": sorted(Consent.objects.filter(child_id=child_id).values_list("pk", flat=True)),
    }


@pytest.fixture
def pair(demo, register):
    officer = demo.users["canbo.a"]
    a = register(
        full_name="Nguyễn Thị Ngọc Ánh",
        sex="F",
        carers=[{"full_name": "Phạm Thị Hoa", "relationship": "mother"}],
        address="Số 45",
    )
    b = register(
        full_name="Nguyen Thi Ngoc Anh",
        sex="F",
        id_number="075318123456",
        ethnicity="Kinh",
        carers=[{"full_name": "Nguyễn Văn Tùng", "relationship": "father"}],
    )
    services.circumstance_add(
        actor=officer,
        child=b,
        group="d",
        start_date=dt.date(2023, 1, 1),
        evidence="Giấy xác nhận khuyết tật",
        confirmed_by="Hội đồng xác định mức độ khuyết tật",
    )
    services.consent_record(
        actor=officer,
        child=b,
        given_by="guardian",
        given_by_name="Phạm Thị Hoa",
        scope="registry",
        given_on=dt.date(2025, 1, 1),
    )
    return a, b


def test_merge_keeps_every_fact_and_undo_restores_exactly(demo, pair):
    a, b = pair
    officer = demo.users["canbo.a"]
    before_a, before_b = facts(a.pk), facts(b.pk)
    merge = services.child_merge(actor=officer, survivor=a, merged=b, reason="cùng một trẻ")

    after_a, after_b = facts(a.pk), facts(b.pk)
    # Every related fact of b now belongs to a; a's own stay.
    assert set(after_a["carers"]) == set(before_a["carers"]) | set(before_b["carers"])
    assert set(after_a["circ"]) == set(before_a["circ"]) | set(before_b["circ"])
    assert set(after_a["consents"]) == set(before_b["consents"])
    # a's empty fields were filled from b, a's own values untouched.
    assert after_a["fields"]["id_number"] == "075318123456"
    assert after_a["fields"]["ethnicity"] == "01"
    assert after_a["fields"]["full_name"] == "Nguyễn Thị Ngọc Ánh"
    assert after_a["fields"]["address"] == "Số 45"
    # b is kept, pointing at a, with its own name and date.
    assert after_b["fields"]["merged_into_id"] == a.pk
    assert after_b["fields"]["full_name"] == "Nguyen Thi Ngoc Anh"
    assert not after_b["fields"]["is_active"]
    assert merge.merged_by == officer
    assert AuditEvent.objects.filter(action="merge", object_id=str(a.pk)).exists()
    # b no longer appears in lists.
    listed = selectors.children_for_user(user=officer, today=TODAY)
    assert list(listed.values_list("pk", flat=True)) == [a.pk]

    services.merge_undo(actor=officer, merge=ChildMerge.objects.get(pk=merge.pk))
    assert facts(a.pk) == before_a
    assert facts(b.pk) == before_b


def test_merge_is_refused_across_jurisdiction(demo, register):
    a = register()
    b = register(officer="canbo.b")
    with pytest.raises(Exception) as exc:
        services.child_merge(actor=demo.users["canbo.a"], survivor=a, merged=b)
    assert exc.type.__name__ == "PermissionDenied"


def test_undo_twice_is_refused(demo, pair):
    a, b = pair
    officer = demo.users["canbo.a"]
    merge = services.child_merge(actor=officer, survivor=a, merged=b)
    services.merge_undo(actor=officer, merge=merge)
    with pytest.raises(ValidationError):
        services.merge_undo(actor=officer, merge=merge)


def test_merge_and_undo_through_the_pages(officer_a_client, pair):
    a, b = pair
    r = officer_a_client.post(f"/app/registry/{b.pk}/merge/", {"survivor": a.pk})
    assert r.status_code == 302
    assert Child.objects.get(pk=b.pk).merged_into_id == a.pk
    page = officer_a_client.get(f"/app/registry/{a.pk}/").content.decode()
    assert "Nguyen Thi Ngoc Anh" in page  # the merged record's facts are shown
    merge = ChildMerge.objects.get(survivor=a)
    assert officer_a_client.post(f"/app/registry/merges/{merge.pk}/undo/").status_code == 302
    assert Child.objects.get(pk=b.pk).merged_into_id is None


def test_background_scan_lists_pairs_for_review(demo, pair, officer_a_client):
    from treem.registry.models import DuplicatePair

    assert services.duplicates_scan(province_code="75") >= 1
    a, b = pair
    p = DuplicatePair.objects.get(child_a=min(a.pk, b.pk), child_b=max(a.pk, b.pk))
    assert officer_a_client.get("/app/registry/duplicates/").status_code == 200
    r = officer_a_client.get(f"/app/registry/duplicates/{p.pk}/")
    page = r.content.decode()
    # Labels and values as an official reads them; no engine field names, levels or weights.
    assert r.status_code == 200 and "Họ và tên" in page and "Nguyễn Thị Ngọc Ánh" in page
    assert "Giống (khác dấu hoặc chữ hoa)" in page and "cùng một trẻ" in page
    assert "given_name" not in page and "weight" not in page
    # Scanning again does not repeat pairs already listed.
    assert services.duplicates_scan(province_code="75") == 0
