"""The portal's one door (`treem.portal.access`): who reads the public's concerns.

Attack reproduced (issue 14, item 5): a partner officer (police, school...) holds the right to
report cases and so could open the portal's queue of unforwarded concerns, reporter's phone
included. Partners see referrals sent to them, nothing else."""

from unittest import mock

import pytest
from django.test import Client

from tests.portal.test_concerns import concern_data
from treem.portal import access
from treem.portal.models import Concern

PHONE = "0912 345 678"


@pytest.fixture
def pending_concern(demo, cfg, django_capture_on_commit_callbacks):
    """A concern in commune A that case management has not taken (intake down)."""
    with (
        mock.patch("treem.portal.services.intake_module", return_value=None),
        django_capture_on_commit_callbacks(execute=True),
    ):
        Client(REMOTE_ADDR="203.0.113.50").post("/bao-tin/", concern_data(demo))
    concern = Concern.objects.get()
    assert concern.forwarded_at is None and concern.reporter_phone == PHONE
    return concern


def test_partner_officer_cannot_read_unforwarded_concerns(pending_concern, client_for, demo):
    partner = client_for("doitac")
    listing = partner.get("/quan-tri/tin-bao/")
    assert listing.status_code == 403
    assert PHONE not in listing.content.decode()
    detail = partner.get(f"/quan-tri/tin-bao/{pending_concern.pk}/")
    assert detail.status_code == 404
    assert PHONE not in detail.content.decode()
    # Nor through the dashboard card, nor the access module itself.
    assert "/quan-tri/tin-bao/" not in partner.get("/app/").content.decode()
    assert not access.concerns_for_user(demo.users["doitac"]).exists()


def test_village_collaborator_cannot_read_the_concern_queue(pending_concern, client_for):
    collaborator = client_for("ctv.a")
    assert collaborator.get("/quan-tri/tin-bao/").status_code == 403
    assert collaborator.get(f"/quan-tri/tin-bao/{pending_concern.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("username", "listed", "detail"),
    [
        ("canbo.a", True, 200),
        ("chutich.a", True, 200),
        ("chuyenvien", True, 200),
        ("canbo.b", False, 404),
        ("chutich.b", False, 404),
        ("lanhdao", None, 404),
        ("admin", None, 404),
        ("bientap", None, 404),
        ("kiemduyet", None, 404),
        ("doitac", None, 404),
    ],
)
def test_concern_queue_persona_matrix(pending_concern, client_for, username, listed, detail):
    client = client_for(username)
    listing = client.get("/quan-tri/tin-bao/")
    if listed is None:
        assert listing.status_code == 403
    else:
        assert listing.status_code == 200
        assert (pending_concern.tracking_code in listing.content.decode()) is listed
    response = client.get(f"/quan-tri/tin-bao/{pending_concern.pk}/")
    assert response.status_code == detail
    assert (PHONE in response.content.decode()) is (detail == 200)


def test_reading_a_concern_is_audited(pending_concern, client_for, demo):
    from treem.audit.models import AuditEvent

    before = AuditEvent.objects.filter(action="view").count()
    client_for("canbo.a").get(f"/quan-tri/tin-bao/{pending_concern.pk}/")
    assert AuditEvent.objects.filter(action="view").count() > before
