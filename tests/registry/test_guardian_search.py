"""Search by a parent's or carer's name: the folded key on the child-carer link, kept by the
services that link carers, searched by prefix in the carer's name order."""

from __future__ import annotations

import importlib
import unicodedata

import pytest
from django.apps import apps

from treem.registry import importer, selectors, services
from treem.registry.models import ChildCarer
from treem.registry.selectors import ChildFilters

from .conftest import TODAY


def names(user, **filters):
    qs = selectors.children_for_user(user=user, filters=ChildFilters(**filters), today=TODAY)
    return [c.full_name for c in qs]


def mother(name):
    return [{"full_name": name, "relationship": "mother"}]


@pytest.fixture
def family(register):
    """Two children of Lê Văn Bình in commune A, one of Lê Thị Hoa in commune B."""
    father = [{"full_name": "Lê Văn Bình", "relationship": "father"}]
    return {
        "first": register(full_name="Lê Minh Anh", carers=father),
        "second": register(
            full_name="Lê Minh Châu", sex="F", birth_date="01/02/2016", carers=father
        ),
        "other": register(officer="canbo.b", full_name="Trần Văn Bảo", carers=mother("Lê Thị Hoa")),
    }


def test_registration_stores_the_carers_folded_name_on_the_link(family):
    keys = ChildCarer.objects.filter(child=family["first"]).values_list("carer_name_key", flat=True)
    assert list(keys) == ["le van binh"]


@pytest.mark.parametrize(
    "query",
    [
        "le van binh",
        "Lê Văn Bình",
        "LÊ VĂN BÌNH",
        unicodedata.normalize("NFD", "Lê Văn Bình"),
        "  le   van ",
        "le v",
    ],
)
def test_guardian_search_ignores_diacritics_case_spacing_and_unicode_form(demo, family, query):
    assert names(demo.users["canbo.a"], guardian=query) == ["Lê Minh Anh", "Lê Minh Châu"]


def test_guardian_search_respects_jurisdiction(demo, family):
    assert names(demo.users["canbo.b"], guardian="le van binh") == []
    assert names(demo.users["canbo.b"], guardian="le") == ["Trần Văn Bảo"]
    assert names(demo.users["canbo.a"], guardian="le thi hoa") == []
    assert names(demo.users["chuyenvien"], guardian="le") == [
        "Trần Văn Bảo",  # under "le thi hoa"
        "Lê Minh Anh",  # under "le van binh", in registration order
        "Lê Minh Châu",
    ]


def test_guardian_search_combines_with_other_filters(demo, family):
    officer = demo.users["canbo.a"]
    assert names(officer, guardian="le van", sex="F") == ["Lê Minh Châu"]
    assert names(officer, guardian="le van", query="le minh c") == ["Lê Minh Châu"]
    assert names(officer, guardian="le van", query="tran") == []


def test_child_with_two_matching_carers_is_listed_once(demo, register):
    register(
        full_name="Nguyễn Gia Huy",
        carers=[
            {"full_name": "Nguyễn Văn Tùng", "relationship": "father"},
            {"full_name": "Nguyễn Thị Lan", "relationship": "mother"},
        ],
    )
    officer = demo.users["canbo.a"]
    assert names(officer, guardian="nguyen") == ["Nguyễn Gia Huy"]
    qs = selectors.children_for_user(
        user=officer, filters=ChildFilters(guardian="nguyen"), today=TODAY
    )
    assert qs.count() == 1


def test_merged_and_restricted_children_leave_the_guardian_search(demo, register):
    officer = demo.users["canbo.a"]
    kept = register(full_name="Phạm Thu Hà", sex="F", carers=mother("Đỗ Thị Mai"))
    gone = register(full_name="Pham Thu Ha", sex="F", carers=mother("Đỗ Thị Mai Anh"))
    services.child_merge(actor=officer, survivor=kept, merged=gone)
    # The merged record's carer moved to the survivor, key and all: still one child.
    assert names(officer, guardian="do thi mai anh") == ["Phạm Thu Hà"]
    assert names(officer, guardian="do thi mai") == ["Phạm Thu Hà"]


def test_imported_children_are_found_by_guardian(demo):
    headers = ["Họ và tên", "Ngày sinh", "Giới tính", "Họ tên mẹ", "Họ tên cha"]
    report = importer.run_import(
        actor=demo.users["canbo.a"],
        headers=headers,
        rows=[["Võ Thành Đạt", "05/03/2018", "Nam", "Hồ Thị Thu", "Võ Văn Hùng"]],
        mapping=importer.guess_mapping(headers),
        commune_code=demo.commune_a.code,
        today=TODAY,
    )
    assert report.imported == 1
    officer = demo.users["canbo.a"]
    assert names(officer, guardian="ho thi thu") == ["Võ Thành Đạt"]
    assert names(officer, guardian="Võ Văn") == ["Võ Thành Đạt"]


def test_data_migration_fills_and_clears_the_keys(demo, family):
    migration = importlib.import_module(
        "treem.registry.migrations.0004_carer_name_key_for_guardian_search"
    )
    migration.clear_keys(apps, None)
    assert set(ChildCarer.objects.values_list("carer_name_key", flat=True)) == {""}
    assert names(demo.users["canbo.a"], guardian="le van binh") == []
    migration.fill_keys(apps, None)
    assert set(ChildCarer.objects.values_list("carer_name_key", flat=True)) == {
        "le van binh",
        "le thi hoa",
    }
    assert names(demo.users["canbo.a"], guardian="le van binh") == ["Lê Minh Anh", "Lê Minh Châu"]


def test_guardian_list_page_and_api_query_counts_do_not_grow(
    officer_a_client, register, django_assert_max_num_queries
):
    for i in range(3):
        register(full_name=f"Con Thứ {chr(65 + i)}", carers=mother("Đặng Thị Ngọc"))
    with django_assert_max_num_queries(16):
        r = officer_a_client.get("/app/registry/?guardian=dang+thi")
    assert r.status_code == 200 and "Con Thứ C" in r.content.decode()
    with django_assert_max_num_queries(12):  # page + session: 7; search audit: 5
        r = officer_a_client.get("/api/registry/children/?guardian=dang+thi")
    assert len(r.json()["results"]) == 3
    for i in range(3, 15):
        register(full_name=f"Con Thứ {chr(65 + i)}", carers=mother("Đặng Thị Ngọc"))
    with django_assert_max_num_queries(16):
        officer_a_client.get("/app/registry/?guardian=dang+thi")
    with django_assert_max_num_queries(12):  # page + session: 7; search audit: 5
        r = officer_a_client.get("/api/registry/children/?guardian=dang+thi")
    assert len(r.json()["results"]) == 15


def test_guardian_search_through_the_page_is_scoped(officer_b_client, specialist_client, family):
    assert "Lê Minh Anh" not in officer_b_client.get("/app/registry/?guardian=le").content.decode()
    page = specialist_client.get("/app/registry/?guardian=le").content.decode()
    assert "Lê Minh Anh" in page and "Trần Văn Bảo" in page
    r = officer_b_client.get("/app/registry/export.csv?guardian=le+van")
    assert "Lê Minh Anh" not in r.content.decode("utf-8-sig")
