"""What officials read: the duplicate warning, search-to-pick, the list's order, count and
filters, the forms."""

from __future__ import annotations

import pytest

from treem.lib.text import vi_sort_key
from treem.registry.models import Child, CircumstanceSubgroup


def test_vietnamese_alphabetical_key():
    names = ["Đỗ Văn Ba", "Đặng Thị Hoa", "Dương Văn Cường", "Bùi An", "Ân", "An", "Ăn", "Ưng",
             "Uông", "Lệ", "Lê"]  # fmt: skip
    assert sorted(names, key=vi_sort_key) == [
        "An", "Ăn", "Ân", "Bùi An", "Dương Văn Cường", "Đặng Thị Hoa", "Đỗ Văn Ba", "Lê", "Lệ",
        "Uông", "Ưng",
    ]  # fmt: skip


def test_child_list_is_in_vietnamese_order_with_a_total(officer_a_client, register):
    """Runs on SQLite and, with DATABASE_URL set, on PostgreSQL: the order is the database's."""
    for name in ["Đỗ Văn Ba", "Đặng Thị Hoa", "Dương Văn Cường", "Ân Thị Mai", "An Văn Nam"]:
        register(full_name=name, birth_date="01/01/2017")
    page = officer_a_client.get("/app/registry/").content.decode()
    positions = [
        page.index(n)
        for n in ["An Văn Nam", "Ân Thị Mai", "Dương Văn Cường", "Đặng Thị Hoa", "Đỗ Văn Ba"]
    ]
    assert positions == sorted(positions)
    assert "Tổng số: 5 trẻ" in page
    assert list(Child.objects.order_by("name_sort").values_list("full_name", flat=True))[2:4] == [
        "Dương Văn Cường",
        "Đặng Thị Hoa",
    ]


def test_filter_bar_has_commune_and_village_choices(officer_a_client, demo):
    page = officer_a_client.get("/app/registry/").content.decode()
    assert demo.commune_a.name in page
    from treem.geo.models import Village

    village = Village.objects.filter(commune=demo.commune_a).first()
    if village is None:
        village = Village.objects.create(
            commune=demo.commune_a, name="Khu phố 1", name_folded="khu pho 1"
        )
        page = officer_a_client.get("/app/registry/").content.decode()
    assert f'value="{village.pk}"' in page and village.name in page


def test_duplicate_warning_speaks_the_officials_language(officer_a_client, register, demo):
    register(
        full_name="Nguyễn Thị Ngọc Ánh",
        birth_date="05/03/2018",
        sex="F",
        carers=[{"full_name": "Trần Thị Hoa", "relationship": "mother"}],
    )
    r = officer_a_client.post(
        "/app/registry/new/",
        {
            "full_name": "Nguyen Thi Ngoc Anh",
            "birth_date": "05/03/2018",
            "sex": "F",
            "commune": demo.commune_a.code,
            "mother_name": "Trần Thị Hoa",
            "birth_registration": "unknown",
            "school_status": "unknown",
            "nutrition_status": "unknown",
            "legal_basis": "legal_duty",
        },
    )
    page = r.content.decode()
    assert "Có thể trẻ này đã có trong sổ" in page
    for text in ["Họ và tên", "Ngày sinh", "Giới tính", "Họ tên mẹ", "Nguyễn Thị Ngọc Ánh",
                 "05/03/2018", "Nữ", "cùng một trẻ", "Giống hệt"]:  # fmt: skip
        assert text in page, text
    for raw in ["given_name", "birth_date", "weight", "score", "1.00", "partial", "exact_"]:
        assert raw not in page.split("<form", 1)[1].split("</section>")[0], raw


def test_search_to_pick_a_child(officer_a_client, officer_b_client, register):
    a = register(
        full_name="Lê Văn Tám",
        birth_date="12/08/2016",
        carers=[{"full_name": "Phạm Thị Lan", "relationship": "mother"}],
    )
    register(full_name="Lê Văn Tám", birth_date="01/01/2014")
    url = "/app/registry/search/"
    r = officer_a_client.get(url, {"q": "le van tam", "born": "2016", "field": "survivor"},
                             HTTP_HX_REQUEST="true")  # fmt: skip
    page = r.content.decode()
    assert page.count('type="radio"') == 1 and f'name="survivor" value="{a.pk}"' in page
    assert "12/08/2016" in page and "Phạm Thị Lan" in page
    r = officer_a_client.get(url, {"parent": "pham thi"}, HTTP_HX_REQUEST="true")
    assert f'value="{a.pk}"' in r.content.decode()
    r = officer_a_client.get(url, {"q": "le van tam", "exclude": a.pk}, HTTP_HX_REQUEST="true")
    assert f'value="{a.pk}"' not in r.content.decode()
    # Another commune's officer finds nothing of commune A.
    r = officer_b_client.get(url, {"q": "le van tam"}, HTTP_HX_REQUEST="true")
    assert 'type="radio"' not in r.content.decode()


def test_merge_by_search_pick(officer_a_client, register):
    keep = register(full_name="Trần Văn Bình", birth_date="02/02/2017")
    other = register(full_name="Tran Van Binh", birth_date="02/02/2017")
    page = officer_a_client.get(f"/app/registry/{other.pk}/").content.decode()
    assert "Mã hồ sơ được giữ lại" not in page and 'hx-get="/app/registry/search/"' in page
    officer_a_client.post(f"/app/registry/{other.pk}/merge/", {"survivor": keep.pk})
    assert Child.objects.get(pk=other.pk).merged_into_id == keep.pk


def test_circumstance_form_preselects_no_group_and_tags_subgroups(officer_a_client, register):
    child = register()
    page = officer_a_client.get(f"/app/registry/{child.pk}/").content.decode()
    form = page.split('name="group"', 1)[1].split("</select>", 1)[0]
    assert 'value="" selected' in form or "selected" not in form
    sub = CircumstanceSubgroup.objects.filter(is_active=True).first()
    if sub is not None:
        assert f'data-group="{sub.group}"' in page


def test_registration_form_in_sections_with_one_date_style(officer_a_client):
    page = officer_a_client.get("/app/registry/new/").content.decode()
    sections = ["Thông tin của trẻ", "Gia đình và người chăm sóc", "Hoàn cảnh của trẻ",
                "Đồng ý và cơ sở pháp lý"]  # fmt: skip
    positions = [page.index(s) for s in sections]
    assert positions == sorted(positions)
    assert 'type="date"' not in page and 'placeholder="dd/mm/yyyy"' in page


@pytest.mark.parametrize("path", ["/app/registry/search/"])
def test_search_needs_the_right_to_view_children(anon_client, partner_client, path):
    assert anon_client.get(path).status_code == 302
    assert partner_client.get(path).status_code in (403, 404)


def test_this_child_button_links_without_javascript(officer_a_client, register, demo):
    existing = register(full_name="Hoàng Văn Khải", birth_date="09/09/2017")
    form = {
        "full_name": "Hoàng Văn Khải", "birth_date": "09/09/2017", "sex": "M",
        "commune": demo.commune_a.code, "birth_registration": "unknown",
        "school_status": "unknown", "nutrition_status": "unknown", "legal_basis": "legal_duty",
    }  # fmt: skip
    # The form's own hidden link_to (empty) and the button's value are both posted.
    r = officer_a_client.post(
        "/app/registry/new/", {**form, "decision": "", "link_to": ["", str(existing.pk)]}
    )
    assert r.status_code == 302 and r["Location"].endswith(f"/{existing.pk}/")
    assert Child.objects.filter(name_key="hoang van khai").count() == 1
