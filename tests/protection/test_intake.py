"""The portal contract: report_from_concern and public_status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.protection.conftest import concern
from treem.geo.models import Village
from treem.protection import services
from treem.protection.intake import public_status, report_from_concern
from treem.protection.models import Case, Channel, Report

pytestmark = pytest.mark.django_db


def test_concern_becomes_a_portal_report_routed_to_its_commune(demo):
    report = report_from_concern(concern=concern(demo))
    assert report.channel == Channel.PORTAL
    assert report.source_concern_id == 4242
    assert report.case.commune_id == demo.commune_a.code
    assert report.case.status == Case.Status.RECEIVED
    assert report.case.due_at is not None
    assert report.reporter_name == "Người báo"


def test_calling_twice_returns_the_same_report(demo):
    first = report_from_concern(concern=concern(demo))
    second = report_from_concern(concern=concern(demo))
    assert first.pk == second.pk
    assert Report.objects.filter(source_concern_id=4242).count() == 1


def test_anonymous_concern_keeps_no_reporter_identity(demo):
    report = report_from_concern(concern=concern(demo, pk=1, is_anonymous=True))
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == ("", "", "")


def test_held_concern_is_still_routed_and_marked(demo):
    report = report_from_concern(concern=concern(demo, pk=2, is_held=True))
    assert report.is_held is True
    assert report.case.commune_id == demo.commune_a.code


def test_concern_with_future_date_or_foreign_village_is_not_refused(demo):
    report = report_from_concern(
        concern=concern(
            demo,
            pk=3,
            happened_on=timezone.localdate() + timedelta(days=3),
            village=Village.objects.filter(commune=demo.commune_b).first(),
        )
    )
    assert report.happened_on is None
    assert report.village is None


def test_public_status_says_only_received_in_progress_or_closed(demo, users):
    report = report_from_concern(concern=concern(demo, pk=7))
    assert public_status(concern_id=7) == "received"
    services.case_initial_assess(
        actor=users.officer_a, case=report.case, in_danger=False, findings="Không nguy hiểm ngay."
    )
    assert public_status(concern_id=7) == "in_progress"
    assert public_status(concern_id=999999) == "received"
