"""The "returned for completion" step (trả lại để bổ sung): the secretariat returns a dossier with
what to complete and by when; the nominating unit completes and resubmits. The deadline rule on
resubmission (docs/people.md): the movement's deadline does not apply again, the completion date
does."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.people import services, workflow
from treem.people.models import Nomination, NominationEvent, NominationStatus

from .conftest import pdf_upload

pytestmark = pytest.mark.django_db
D = datetime.date
COMPLETE_BY = D(2026, 4, 15)
RETURNED_ON = D(2026, 4, 1)


def _return(users, nomination, *, complete_by=COMPLETE_BY, today=RETURNED_ON):
    services.nomination_return(
        actor=users.specialist,
        nomination=nomination,
        reason="Thiếu biên bản họp Hội đồng thi đua của đơn vị có chữ ký.",
        complete_by=complete_by,
        expected_version=nomination.version,
        today=today,
    )


def _resubmit(users, nomination, *, today, **kw):
    values = {
        "actor": users.officer_a,
        "nomination": nomination,
        "nominee_unit": nomination.nominee_unit,
        "achievement_line": nomination.achievement_line,
        "achievement_report": "<p>Báo cáo đã bổ sung số liệu năm 2025.</p>",
        "minutes_file": pdf_upload("bien-ban-bo-sung.pdf"),
        "expected_version": nomination.version,
        "today": today,
    }
    values.update(kw)
    services.nomination_resubmit(**values)


def test_the_transition_table_has_the_return_and_resubmit_moves():
    assert workflow.move(NominationStatus.SUBMITTED, "return").targets == (
        NominationStatus.RETURNED,
    )
    assert workflow.move(NominationStatus.RETURNED, "resubmit").targets == (
        NominationStatus.SUBMITTED,
    )
    assert workflow.move(NominationStatus.IN_REVIEW, "return") is None


def test_return_and_resubmit_after_the_movement_deadline_within_the_completion_date(
    users, staff, nominate, movement
):
    nomination = nominate(person=staff.official_a)  # on 01/03/2026, deadline 31/03/2026
    _return(users, nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED
    assert nomination.complete_by == D(2026, 4, 15)
    # 10/04/2026: past the movement's deadline, before the completion date: accepted.
    _resubmit(users, nomination, today=D(2026, 4, 10))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.return_reason == "" and nomination.complete_by is None
    assert "2025" in nomination.achievement_report
    assert "bien-ban-bo-sung" in nomination.minutes_file.name
    actions = list(
        NominationEvent.objects.filter(nomination=nomination).values_list("action", flat=True)
    )
    assert actions == ["submit", "return", "resubmit"]
    resubmit = NominationEvent.objects.get(nomination=nomination, action="resubmit")
    assert set(resubmit.details["changed"]) == {"achievement_report", "minutes_file"}


def test_resubmission_after_the_completion_date_is_refused_and_nothing_changes(
    users, staff, nominate
):
    nomination = nominate(person=staff.official_a)
    _return(users, nomination)
    nomination.refresh_from_db()
    before = nomination.achievement_report
    with pytest.raises(ValidationError) as exc:
        _resubmit(users, nomination, today=D(2026, 4, 16))
    assert "15/04/2026" in " ".join(exc.value.messages)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED
    assert nomination.achievement_report == before
    # On the completion date itself it is accepted.
    _resubmit(users, nomination, today=D(2026, 4, 15))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED


def test_return_needs_a_reason_and_a_date_not_in_the_past(users, staff, nominate):
    nomination = nominate(person=staff.official_a)
    with pytest.raises(ValidationError) as exc:
        services.nomination_return(
            actor=users.specialist,
            nomination=nomination,
            reason="  ",
            complete_by=D(2026, 3, 1),
            expected_version=nomination.version,
            today=D(2026, 4, 1),
        )
    assert set(exc.value.message_dict) == {"reason", "complete_by"}
    assert Nomination.objects.get(pk=nomination.pk).status == NominationStatus.SUBMITTED


def test_only_the_secretariat_returns_and_only_the_unit_resubmits(users, staff, nominate):
    nomination = nominate(person=staff.official_a)
    with pytest.raises(PermissionDenied):
        services.nomination_return(
            actor=users.officer_a,
            nomination=nomination,
            reason="x",
            complete_by=D(2030, 1, 1),
            expected_version=nomination.version,
        )
    _return(users, nomination)
    nomination.refresh_from_db()
    with pytest.raises(PermissionDenied):
        _resubmit(users, nomination, actor=users.officer_b, today=D(2026, 4, 10))


def test_a_returned_dossier_cannot_be_scheduled_and_a_stale_return_is_refused(
    users, staff, nominate, council
):
    nomination = nominate(person=staff.official_a)
    stale = nomination.version
    _return(users, nomination)
    with pytest.raises(ValidationError):
        services.meeting_open(
            actor=users.specialist,
            council=council,
            held_on=D(2026, 4, 20),
            place="Sở Y tế",
            nominations=[nomination],
        )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED
    with pytest.raises(ValidationError):
        services.nomination_return(
            actor=users.specialist,
            nomination=nomination,
            reason="Lần hai",
            complete_by=D(2030, 1, 1),
            expected_version=stale,
        )


def test_a_returned_dossier_still_blocks_a_duplicate(users, staff, nominate):
    nomination = nominate(person=staff.official_a)
    _return(users, nomination)
    with pytest.raises(ValidationError):
        nominate(person=staff.official_a, unit="ubnd_a")


def test_the_pages_show_the_moves_of_the_transition_table(
    users, staff, nominate, specialist_client, officer_a_client, leader_client
):
    nomination = nominate(person=staff.official_a)
    detail = reverse("people:nomination_detail", args=[nomination.pk])
    assert reverse("people:nomination_return", args=[nomination.pk]) in (
        specialist_client.get(detail).content.decode()
    )
    assert "nomination_return" not in officer_a_client.get(detail).content.decode()
    today = datetime.date.today()
    response = specialist_client.post(
        reverse("people:nomination_return", args=[nomination.pk]),
        {
            "reason": "Bổ sung số liệu trẻ em được hỗ trợ năm 2025.",
            "complete_by": (today + datetime.timedelta(days=7)).isoformat(),
            "version": nomination.version,
        },
    )
    assert response.status_code == 302
    page = officer_a_client.get(detail).content.decode()
    assert "Bổ sung số liệu trẻ em được hỗ trợ năm 2025." in page
    resubmit_url = reverse("people:nomination_resubmit", args=[nomination.pk])
    assert resubmit_url in page
    assert resubmit_url not in leader_client.get(detail).content.decode()
    nomination.refresh_from_db()
    # An empty report is refused on the page and what was typed stays.
    response = officer_a_client.post(
        resubmit_url,
        {
            "nominee_unit": "Công chức Văn hóa - Xã hội",
            "achievement_line": "Thành tích mới đã sửa",
            "achievement_report": "",
            "version": nomination.version,
        },
    )
    assert response.status_code == 200
    assert "Thành tích mới đã sửa" in response.content.decode()
    response = officer_a_client.post(
        resubmit_url,
        {
            "nominee_unit": "Công chức Văn hóa - Xã hội",
            "achievement_line": "Thành tích mới đã sửa",
            "achievement_report": "<p>Đã bổ sung.</p>",
            "version": nomination.version,
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.achievement_line == "Thành tích mới đã sửa"
