"""Pages and API: scoping (a commune sees its own staff and nominations, the province all), the
persona matrix, and the query counts of list pages."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.people.conftest import pdf_upload
from treem.people import services
from treem.people.models import CouncilMeeting, Nomination, NominationStatus, Vote

D = datetime.date


@pytest.fixture
def noms(users, staff, nominate):
    a = nominate(person=staff.official_a)
    b = nominate(person=staff.official_b, actor=users.officer_b, unit="ubnd_b")
    return a, b


def test_commune_sees_its_own_staff_and_the_province_all(
    staff, officer_a_client, officer_b_client, specialist_client
):
    page = officer_a_client.get(reverse("people:staff_list")).content.decode()
    assert "Võ Thị Hồng Nhung" in page and "Huỳnh Thị Mai" not in page
    page = officer_b_client.get(reverse("people:staff_list")).content.decode()
    assert "Huỳnh Thị Mai" in page and "Võ Thị Hồng Nhung" not in page
    page = specialist_client.get(reverse("people:staff_list")).content.decode()
    assert "Võ Thị Hồng Nhung" in page and "Huỳnh Thị Mai" in page
    url_b = reverse("people:person_detail", args=[staff.official_b.pk])
    assert officer_a_client.get(url_b).status_code == 404
    assert specialist_client.get(url_b).status_code == 200


def test_search_folds_diacritics(staff, specialist_client):
    page = specialist_client.get(reverse("people:staff_list") + "?q=hong nhung").content.decode()
    assert "Võ Thị Hồng Nhung" in page and "Huỳnh Thị Mai" not in page


def test_commune_sees_its_own_nominations_and_the_province_all(
    noms, officer_a_client, officer_b_client, specialist_client, leader_client
):
    a, b = noms
    for client, sees, hidden in (
        (officer_a_client, a, b),
        (officer_b_client, b, a),
    ):
        assert client.get(reverse("people:nomination_detail", args=[sees.pk])).status_code == 200
        assert client.get(reverse("people:nomination_detail", args=[hidden.pk])).status_code == 404
        body = client.get(reverse("api:people:nomination_list")).json()
        rows = body["results"] if isinstance(body, dict) else body
        assert [r["nominee"] for r in rows] == [sees.nominee_name]
    for client in (specialist_client, leader_client):
        page = client.get(reverse("people:movement_detail", args=[a.movement_id])).content.decode()
        assert "Võ Thị Hồng Nhung" in page and "Huỳnh Thị Mai" in page


@pytest.mark.parametrize(
    ("client_name", "url_name", "expected"),
    [
        ("specialist_client", "people:coverage", 200),
        ("leader_client", "people:coverage", 200),
        ("officer_a_client", "people:coverage", 200),
        ("collaborator_a_client", "people:coverage", 403),
        ("partner_client", "people:coverage", 403),
        ("leader_client", "people:staff_list", 403),
        ("officer_a_client", "people:staff_new", 200),
        ("leader_client", "people:staff_new", 403),
        ("specialist_client", "people:course_new", 200),
        ("officer_a_client", "people:course_new", 403),
        ("specialist_client", "people:movement_new", 200),
        ("officer_a_client", "people:movement_new", 403),
        ("leader_client", "people:movement_new", 403),
        ("specialist_client", "people:meeting_new", 200),
        ("chairman_a_client", "people:meeting_new", 403),
        ("leader_client", "people:history", 200),
        ("partner_client", "people:history", 403),
        ("specialist_client", "people:training_needs", 200),
        ("officer_a_client", "people:course_list", 200),
    ],
)
def test_persona_matrix(request, staff, client_name, url_name, expected):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse(url_name)).status_code == expected


def test_anonymous_is_sent_to_login(anon_client):
    response = anon_client.get(reverse("people:coverage"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_coverage_page_leads_with_the_gaps(demo, staff, specialist_client):
    page = specialist_client.get(reverse("people:coverage")).content.decode()
    # Neither responsible official is trained yet: both demo communes are gaps among 95.
    assert "xã, phường chưa có người phụ trách được tập huấn" in page
    assert page.index("Phường Trấn Biên") < page.index("Theo xã, phường")
    assert "Khu phố 3" not in page  # the 95-row table is shown on request
    page = specialist_client.get(reverse("people:coverage") + "?table=1").content.decode()
    assert "Khu phố 3" in page  # a village without a collaborator


def test_list_pages_have_bounded_queries(
    staff, noms, specialist_client, django_assert_max_num_queries
):
    for url in (
        reverse("people:staff_list"),
        reverse("people:coverage"),
        reverse("people:history"),
        reverse("people:movement_list"),
        reverse("api:people:staff_list"),
        reverse("api:people:nomination_list"),
    ):
        with django_assert_max_num_queries(25):
            assert specialist_client.get(url).status_code == 200


def test_staff_created_through_the_page_with_a_first_post(demo, officer_a_client):
    village = demo.villages["a"][3]
    response = officer_a_client.post(
        reverse("people:staff_new"),
        {
            "full_name": "  Trương   Thị Ngọc  ",
            "kind": "village_collaborator",
            "position": "Cộng tác viên",
            "commune": demo.commune_a.code,
            "villages": [village.pk],
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    from treem.people.models import Person

    person = Person.objects.get(full_name="Trương Thị Ngọc")
    assert person.name_folded == "truong thi ngoc"
    assert list(person.periods.get().villages.all()) == [village]


def test_commune_cannot_register_staff_for_another_commune(demo, officer_a_client):
    response = officer_a_client.post(
        reverse("people:staff_new"),
        {
            "full_name": "Người Khác",
            "kind": "commune_official",
            "position": "Công chức",
            "employment": "part_time",
            "commune": demo.commune_b.code,
            "started_on": "2026-01-05",
        },
    )
    assert response.status_code == 200  # the form again, with the error on the commune
    from treem.people.models import Person

    assert not Person.objects.filter(full_name="Người Khác").exists()


def test_nomination_page_keeps_what_was_typed_when_refused(
    demo, users, staff, movement, officer_a_client
):
    from treem.people.models import AwardForm

    response = officer_a_client.post(
        reverse("people:nomination_new", args=[movement.pk]),
        {
            "nominating_unit": demo.organisations["ubnd_a"].pk,
            "award_form": AwardForm.objects.get(code="bang-khen-ubnd-tinh").pk,
            "nominee_kind": "individual",
            "person": staff.official_a.pk,
            "nominee_unit": "Công chức Văn hóa - Xã hội",
            "achievement_line": "Thành tích xuất sắc năm 2025",
            "achievement_report": "",
            "report_file": pdf_upload(),
            "minutes_file": pdf_upload("bien-ban.pdf"),
        },
    )
    page = response.content.decode()
    # The movement's deadline (31/03/2026) has passed on the real clock in this test run, or the
    # report is missing: either way the form comes back with the typed values.
    assert response.status_code == 200
    assert "Hồ sơ chưa có báo cáo thành tích" in page
    assert "Thành tích xuất sắc năm 2025" in page
    assert not Nomination.objects.exists()


def test_vote_api_refuses_non_members_and_second_votes(
    users, staff, council, nominate, leader_client, officer_a_client, client_for
):
    n = nominate(person=staff.official_a)
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="",
        nominations=[n],
    )
    url = reverse("api:people:vote_create", args=[meeting.pk])
    body = {"nomination": n.pk, "in_favour": True}
    assert leader_client.post(url, body, content_type="application/json").status_code == 201
    second = leader_client.post(url, body, content_type="application/json")
    assert (
        second.status_code == 400
        and "đã bỏ phiếu" in second.json()["error"]["fields"]["non_field_errors"][0]
    )
    outsider = client_for("kiemduyet")
    assert outsider.post(url, body, content_type="application/json").status_code in (403, 404)
    assert Vote.objects.count() == 1


def test_vote_and_close_through_the_pages(
    users, staff, council, nominate, leader_client, specialist_client
):
    n = nominate(person=staff.official_a)
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="",
        nominations=[n],
    )
    for client in (leader_client, specialist_client):
        r = client.post(
            reverse("people:vote", args=[meeting.pk]), {"nomination": n.pk, "in_favour": "1"}
        )
        assert r.status_code == 302
    r = specialist_client.post(reverse("people:meeting_close", args=[meeting.pk]))
    assert r.status_code == 302
    meeting.refresh_from_db()
    n.refresh_from_db()
    assert meeting.status == CouncilMeeting.Status.CLOSED and n.status == NominationStatus.PASSED
    page = specialist_client.get(reverse("people:decision_new", args=[meeting.pk]))
    assert page.status_code == 200
    r = specialist_client.post(
        reverse("people:decision_new", args=[meeting.pk]),
        {
            "number": "77/QĐ-UBND",
            "signed_on": "2026-05-02",
            "signer_name": "Lê Quang Minh",
            "signer_title": "Chủ tịch",
            "award_form": n.award_form_id,
            "nominations": [n.pk],
        },
    )
    assert r.status_code == 302
    decision_url = r["Location"]
    pdf = specialist_client.get(decision_url + "certificates.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for fmt in ("docx", "xlsx"):
        assert specialist_client.get(decision_url + f"annex.{fmt}").status_code == 200


def test_coverage_api(staff, officer_a_client, collaborator_a_client):
    rows = officer_a_client.get(reverse("api:people:coverage")).json()
    assert [r["commune_name"] for r in rows] == ["Phường Trấn Biên"]
    assert rows[0]["collaborators"] == 1 and rows[0]["villages_without"] == [
        "Khu phố 3",
        "Khu phố 4",
    ]
    assert collaborator_a_client.get(reverse("api:people:coverage")).status_code == 403
    bad = officer_a_client.get(reverse("api:people:coverage") + "?on=31-12-2025")
    assert bad.status_code == 400


def test_vote_page_refuses_a_non_member_first_and_a_garbage_nomination_is_a_400(
    open_meeting, leader_client, client_for
):
    meeting, n = open_meeting
    url = reverse("people:vote", args=[meeting.pk])
    # Someone who may read the meeting but has no seat: 403, whatever the form holds.
    chairman = client_for("chutich.a")
    for body in ({"nomination": n.pk, "in_favour": "1"}, {}, {"nomination": "abc"}):
        response = chairman.post(url, body)
        assert response.status_code in (403, 404), body
        assert response.status_code != 302
    # A member: a nomination that is not a number, or none, is a 400, never a 500.
    assert leader_client.post(url, {"nomination": "abc", "in_favour": "1"}).status_code == 400
    assert leader_client.post(url, {"in_favour": "1"}).status_code == 400
    assert not Vote.objects.exists()
