"""Pages to manage the council's members, link a person to a Treem account and correct an
attendance record: allowed and refused, audited, a stale copy refused, nothing lost."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from treem.audit.models import AuditEvent
from treem.people import services
from treem.people.models import (
    Attendance,
    AttendanceCorrection,
    CouncilMeeting,
    CouncilMember,
    Person,
)

pytestmark = pytest.mark.django_db
D = datetime.date


# ---- Council members


def test_specialist_adds_and_removes_a_council_member_through_the_page(
    council, users, specialist_client
):
    url = reverse("people:council_detail", args=[council.pk])
    page = specialist_client.get(url)
    assert page.status_code == 200
    assert "Chủ tịch Hội đồng" in page.content.decode()
    member = CouncilMember.objects.get(council=council, user=users.leader)
    response = specialist_client.post(
        reverse("people:council_member_remove", args=[member.pk]), {"version": member.version}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert not member.is_active
    assert AuditEvent.objects.filter(object_type="people.councilmember", action="update").exists()
    # A former member is offered again and comes back on the same row.
    response = specialist_client.post(url, {"user": users.leader.pk, "title": "Ủy viên"})
    assert response.status_code == 302, response.content.decode()[:2000]
    member.refresh_from_db()
    assert member.is_active and member.title == "Ủy viên"
    assert CouncilMember.objects.filter(council=council, user=users.leader).count() == 1


def test_removing_a_member_from_a_stale_page_is_refused(council, users, specialist_client):
    member = CouncilMember.objects.get(council=council, user=users.leader)
    stale = member.version
    services.council_member_remove(actor=users.specialist, member=member, expected_version=stale)
    services.council_member_add(
        actor=users.specialist, council=council, user=users.leader, title="Ủy viên"
    )
    response = specialist_client.post(
        reverse("people:council_member_remove", args=[member.pk]), {"version": stale}, follow=True
    )
    assert "vừa được người khác sửa" in response.content.decode()
    member.refresh_from_db()
    assert member.is_active


def test_a_former_member_no_longer_votes_nor_counts_in_a_new_meeting(
    council, users, staff, nominate
):
    nomination = nominate(person=staff.official_a)
    leader_seat = CouncilMember.objects.get(council=council, user=users.leader)
    services.council_member_remove(
        actor=users.specialist, member=leader_seat, expected_version=leader_seat.version
    )
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 10),
        place="Sở Y tế",
        nominations=[nomination],
    )
    assert meeting.members_count == 1
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.vote_cast(
            actor=users.leader, meeting=meeting, nomination=nomination, in_favour=True
        )
    assert meeting.status == CouncilMeeting.Status.OPEN


def test_an_account_without_a_provincial_vote_cannot_join_the_council(
    council, users, specialist_client
):
    response = specialist_client.post(
        reverse("people:council_detail", args=[council.pk]),
        {"user": users.officer_a.pk, "title": "Ủy viên"},
    )
    assert response.status_code == 200  # the form again, with the choice refused
    assert not CouncilMember.objects.filter(council=council, user=users.officer_a).exists()


def test_commune_staff_cannot_open_the_council_pages(council, officer_a_client):
    assert officer_a_client.get(reverse("people:council_list")).status_code == 403
    url = reverse("people:council_detail", args=[council.pk])
    assert officer_a_client.get(url).status_code == 403


# ---- A person and an account


def test_commune_links_and_unlinks_a_person_with_an_account(staff, users, officer_a_client):
    person = staff.official_a
    url = reverse("people:person_account", args=[person.pk])
    page = officer_a_client.get(url).content.decode()
    assert users.collaborator_a.username in page  # an account of the commune is offered
    assert users.officer_b.username not in page  # another commune's is not
    response = officer_a_client.post(
        url, {"action": "link", "user": users.collaborator_a.pk, "version": person.version}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id == users.collaborator_a.pk
    # Unlinking needs a reason, and keeps the person.
    response = officer_a_client.post(url, {"action": "unlink", "reason": "", "version": 2})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.user_id == users.collaborator_a.pk
    response = officer_a_client.post(
        url, {"action": "unlink", "reason": "Ghi nhầm tài khoản", "version": person.version}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user_id is None
    events = AuditEvent.objects.filter(object_type="people.person", object_id=str(person.pk))
    assert events.filter(action="update", details__reason="Ghi nhầm tài khoản").exists()


def test_one_person_per_account(staff, users):
    services.person_link_user(
        actor=users.officer_a,
        person=staff.official_a,
        user=users.collaborator_a,
        expected_version=staff.official_a.version,
    )
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.person_link_user(
            actor=users.officer_a,
            person=staff.collaborator_a,
            user=users.collaborator_a,
            expected_version=staff.collaborator_a.version,
        )
    assert "Võ Thị Hồng Nhung" in exc.value.message_dict["user"][0]
    assert Person.objects.get(pk=staff.collaborator_a.pk).user_id is None


def test_a_commune_cannot_link_an_account_of_another_commune(staff, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.person_link_user(
            actor=users.officer_a,
            person=staff.official_a,
            user=users.officer_b,
            expected_version=staff.official_a.version,
        )


def test_linking_from_a_stale_page_is_refused(staff, users, officer_a_client):
    person = staff.official_a
    stale = person.version
    services.person_link_user(
        actor=users.officer_a, person=person, user=users.chairman_a, expected_version=stale
    )
    services.person_unlink_user(
        actor=users.officer_a, person=person, expected_version=stale + 1, reason="Nhầm"
    )
    response = officer_a_client.post(
        reverse("people:person_account", args=[person.pk]),
        {"action": "link", "user": users.collaborator_a.pk, "version": stale},
    )
    assert "vừa được người khác sửa" in response.content.decode(), response.context[
        "link_form"
    ].errors
    person.refresh_from_db()
    assert person.user_id is None


def test_officer_b_cannot_open_the_account_page_of_commune_a(staff, officer_b_client):
    url = reverse("people:person_account", args=[staff.official_a.pk])
    assert officer_b_client.get(url).status_code == 404


# ---- Correcting an attendance


@pytest.fixture
def course(demo, users):
    from treem.people.models import TrainingTopic

    return services.course_create(
        actor=users.specialist,
        title="Tập huấn kỹ năng bảo vệ trẻ em 2025",
        topic=TrainingTopic.objects.first(),
        organiser=demo.organisations["so_y_te"],
        starts_on=D(2025, 5, 5),
        ends_on=D(2025, 5, 6),
        place="Hội trường Sở Y tế",
        hours=16,
    )


def test_correcting_an_attendance_keeps_the_history(course, staff, users, specialist_client):
    attendance = services.attendance_record(
        actor=users.specialist, course=course, person=staff.official_a, certified=False
    )
    url = reverse("people:attendance_correct", args=[attendance.pk])
    assert specialist_client.get(url).status_code == 200
    # No reason: refused, the values typed stay on the page.
    response = specialist_client.post(
        url,
        {"person": staff.official_b.pk, "certified": "on", "reason": "", "version": 1},
    )
    assert response.status_code == 200
    attendance.refresh_from_db()
    assert attendance.person_id == staff.official_a.pk
    response = specialist_client.post(
        url,
        {
            "person": staff.official_b.pk,
            "certified": "on",
            "reason": "Ghi nhầm người theo danh sách ký nhận",
            "version": 1,
        },
    )
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert (attendance.person_id, attendance.certified, attendance.version) == (
        staff.official_b.pk,
        True,
        2,
    )
    correction = AttendanceCorrection.objects.get(attendance=attendance)
    assert (correction.person_before_id, correction.certified_before) == (
        staff.official_a.pk,
        False,
    )
    page = specialist_client.get(url).content.decode()
    assert "Ghi nhầm người theo danh sách ký nhận" in page
    assert "Võ Thị Hồng Nhung" in page  # the history names who was recorded before


def test_a_concurrent_attendance_correction_is_refused(course, staff, users, specialist_client):
    attendance = services.attendance_record(
        actor=users.specialist, course=course, person=staff.official_a, certified=False
    )
    services.attendance_correct(
        actor=users.specialist,
        attendance=attendance,
        person=staff.official_a,
        certified=True,
        reason="Bổ sung chứng nhận",
        expected_version=1,
    )
    response = specialist_client.post(
        reverse("people:attendance_correct", args=[attendance.pk]),
        {"person": staff.official_b.pk, "reason": "Nhầm người", "version": 1},
    )
    assert "vừa được người khác sửa" in response.content.decode()
    attendance.refresh_from_db()
    assert attendance.person_id == staff.official_a.pk and attendance.certified
    assert AttendanceCorrection.objects.filter(attendance=attendance).count() == 1


def test_correcting_to_someone_already_in_the_course_is_refused(course, staff, users):
    from django.core.exceptions import ValidationError

    first = services.attendance_record(
        actor=users.specialist, course=course, person=staff.official_a, certified=False
    )
    services.attendance_record(
        actor=users.specialist, course=course, person=staff.official_b, certified=False
    )
    with pytest.raises(ValidationError) as exc:
        services.attendance_correct(
            actor=users.specialist,
            attendance=first,
            person=staff.official_b,
            certified=False,
            reason="Nhầm",
            expected_version=1,
        )
    assert "person" in exc.value.message_dict
    assert Attendance.objects.get(pk=first.pk).person_id == staff.official_a.pk


def test_commune_staff_cannot_correct_an_attendance(course, staff, users, officer_a_client):
    attendance = services.attendance_record(
        actor=users.specialist, course=course, person=staff.official_a, certified=False
    )
    url = reverse("people:attendance_correct", args=[attendance.pk])
    assert officer_a_client.get(url).status_code == 403
    response = officer_a_client.post(
        url, {"person": staff.official_a.pk, "certified": "on", "reason": "x", "version": 1}
    )
    assert response.status_code == 403
    assert not Attendance.objects.get(pk=attendance.pk).certified
