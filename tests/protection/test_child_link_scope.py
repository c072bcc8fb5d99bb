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


def _child_of_commune_a(demo, **raw):
    values = {
        "full_name": "Lê Văn Tám",
        "birth_date": "12/08/2016",
        "sex": "M",
        "commune": demo.commune_a.code,
    }
    values.update(raw)
    return registry_services.child_register(
        actor=demo.users["canbo.a"],
        raw=values,
        carers=[{"full_name": "Phạm Thị Lan", "relationship": "mother"}],
        decision="new",
    ).child


def test_link_page_has_search_and_no_record_number_field(case_a, officer_a_client):
    page = officer_a_client.get(f"/app/cases/{case_a.pk}/child/").content.decode()
    assert 'type="number"' not in page and "Số hồ sơ" not in page
    pick = page.split('id="child-pick"', 1)[1].split("</form>", 1)[0]
    assert 'name="child_id"' not in pick  # no field to type into: radios come from the search
    for name in ('name="q"', 'name="born"', 'name="parent"', 'name="full_name"'):
        assert name in page, name
    assert f'hx-get="/app/cases/{case_a.pk}/child/"' in page


def test_worker_searches_by_name_and_links_the_child_found(case_a, demo, officer_a_client):
    child = _child_of_commune_a(demo)
    _child_of_commune_a(demo, full_name="Lê Văn Tám", birth_date="01/01/2013")
    url = f"/app/cases/{case_a.pk}/child/"
    r = officer_a_client.get(url, {"q": "le van tam", "born": "2016"}, HTTP_HX_REQUEST="true")
    part = r.content.decode()
    assert "<html" not in part  # htmx answers the pick list only
    assert part.count('type="radio"') == 1 and f'name="child_id" value="{child.pk}"' in part
    assert "12/08/2016" in part and "Phạm Thị Lan" in part
    # By a parent's name, without JavaScript: the whole page comes back with the radios in the
    # pick form.
    page = officer_a_client.get(url, {"parent": "pham thi lan"}).content.decode()
    pick = page.split('id="child-pick"', 1)[1].split("</form>", 1)[0]
    assert f'name="child_id" value="{child.pk}"' in pick and 'value="pham thi lan"' in page
    r = officer_a_client.post(url, {"mode": "pick", "child_id": child.pk})
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.child_id == child.pk
    # Once linked, the child is no longer offered.
    r = officer_a_client.get(url, {"q": "le van tam", "born": "2016"}, HTTP_HX_REQUEST="true")
    assert 'type="radio"' not in r.content.decode()


def test_pick_without_a_choice_is_an_error_and_keeps_the_search(case_a, demo, officer_a_client):
    child = _child_of_commune_a(demo)
    r = officer_a_client.post(f"/app/cases/{case_a.pk}/child/?q=le+van+tam", {"mode": "pick"})
    page = r.content.decode()
    assert r.status_code == 200 and "Hãy tìm rồi chọn một trẻ trong danh sách." in page
    assert f'name="child_id" value="{child.pk}"' in page
    case_a.refresh_from_db()
    assert case_a.child_id is None


def test_another_communes_child_is_neither_offered_nor_accepted(case_a, demo, specialist_client):
    """A province specialist sees both communes in the registry, but a case of commune A is
    linked only to a child of commune A."""
    own = _child_of_commune_a(demo, full_name="Trần Thị Bích", birth_date="05/03/2017", sex="F")
    other = _child_of_commune_b(demo)
    url = f"/app/cases/{case_a.pk}/child/"
    part = specialist_client.get(url, {"q": "tran thi bich"}, HTTP_HX_REQUEST="true")
    part = part.content.decode()
    assert f'value="{own.pk}"' in part and f'value="{other.pk}"' not in part
    r = specialist_client.post(url, {"mode": "pick", "child_id": other.pk})
    assert r.status_code == 200
    assert "Không tìm thấy trẻ này trong phạm vi bạn phụ trách" in r.content.decode()
    case_a.refresh_from_db()
    assert case_a.child_id is None
    r = specialist_client.post(url, {"mode": "pick", "child_id": own.pk})
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.child_id == own.pk


def test_register_a_new_child_still_links_the_case(case_a, demo, officer_a_client):
    r = officer_a_client.post(
        f"/app/cases/{case_a.pk}/child/",
        {"full_name": "Đỗ Minh Khôi", "birth_date": "2015", "sex": "M"},
    )
    assert r.status_code == 302
    case_a.refresh_from_db()
    assert case_a.child.full_name == "Đỗ Minh Khôi"
    assert case_a.child.commune_id == demo.commune_a.code
