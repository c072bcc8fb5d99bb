"""The public concern form cannot be flooded into real cases (issue 14, item 6).

Attack reproduced: ten submissions in a second from one address, each becoming a report in case
management (and a message to the commune's chairman). Now: a cap per address and a signed form
token good for one submission; the excess waits for an officer's review, and nothing is lost."""

from django.core import mail
from django.test import Client

from tests.portal.conftest import concern_token
from tests.portal.test_concerns import concern_data
from treem.portal.models import Concern
from treem.protection.models import Report


def _reports(concerns):
    return Report.objects.filter(source_concern_id__in=[c.pk for c in concerns])


def test_ten_concerns_in_a_second_from_one_address_do_not_become_ten_cases(
    demo, cfg, settings, django_capture_on_commit_callbacks
):
    settings.PORTAL_CONCERN_MAX_PER_ADDRESS = 3
    cfg.flood_interval_seconds = 0  # only the per-address cap is exercised here
    cfg.save()
    client = Client(REMOTE_ADDR="198.51.100.7")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(10):
            data = concern_data(demo, what_happened=f"Tin báo số {i}: trẻ bị đánh.")
            assert client.post("/bao-tin/", data).status_code == 302
    concerns = list(Concern.objects.order_by("pk"))
    # Every submission is kept...
    assert len(concerns) == 10
    # ...only the first three become reports; the rest wait for review, with the reason.
    assert _reports(concerns).count() == 3
    waiting = [c for c in concerns if c.review == Concern.Review.WAITING]
    assert len(waiting) == 7
    assert all("address_cap" in c.hold_reasons for c in waiting)
    assert not _reports(waiting).exists()
    # Another address is not affected.
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="198.51.100.8").post("/bao-tin/", concern_data(demo))
    assert Concern.objects.latest("pk").review == Concern.Review.NONE


def test_default_flood_interval_also_holds_rapid_repeats(
    demo, cfg, django_capture_on_commit_callbacks
):
    client = Client(REMOTE_ADDR="198.51.100.9")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(10):
            client.post("/bao-tin/", concern_data(demo))
    concerns = list(Concern.objects.all())
    assert len(concerns) == 10
    assert _reports(concerns).count() == 1


def test_a_form_token_is_good_for_one_submission(demo, cfg, django_capture_on_commit_callbacks):
    token = concern_token()
    with django_capture_on_commit_callbacks(execute=True):
        # Two different addresses (a botnet replaying one captured form).
        Client(REMOTE_ADDR="198.51.100.10").post("/bao-tin/", concern_data(demo, token=token))
        Client(REMOTE_ADDR="198.51.100.11").post(
            "/bao-tin/", concern_data(demo, token=token, reporter_phone="0987 000 111")
        )
    first, second = Concern.objects.order_by("pk")
    assert first.review == Concern.Review.NONE and _reports([first]).count() == 1
    assert second.review == Concern.Review.WAITING
    assert second.hold_reasons == ["token_reused"]
    assert not _reports([second]).exists()


def test_forged_or_missing_token_is_held_not_lost(demo, cfg, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="198.51.100.12").post("/bao-tin/", concern_data(demo, token="forged"))
        Client(REMOTE_ADDR="198.51.100.13").post(
            "/bao-tin/", concern_data(demo, token="", reporter_phone="0987 000 222")
        )
    concerns = list(Concern.objects.all())
    assert len(concerns) == 2
    assert all(c.hold_reasons == ["token_invalid"] for c in concerns)
    assert not _reports(concerns).exists()


def test_the_form_page_carries_a_fresh_signed_token(demo, cfg):
    first = Client().get("/bao-tin/").content.decode()
    second = Client().get("/bao-tin/").content.decode()
    assert 'name="token"' in first
    token_1 = first.split('name="token" value="')[1].split('"')[0]
    token_2 = second.split('name="token" value="')[1].split('"')[0]
    assert token_1 != token_2


def test_officer_releases_a_held_concern_into_case_management(
    demo, cfg, client_for, django_capture_on_commit_callbacks
):
    token = concern_token()
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="198.51.100.14").post("/bao-tin/", concern_data(demo, token=token))
        Client(REMOTE_ADDR="198.51.100.15").post(
            "/bao-tin/", concern_data(demo, token=token, reporter_phone="0987 000 333")
        )
    held = Concern.objects.get(review=Concern.Review.WAITING)
    officer = client_for("canbo.a")
    page = officer.get(f"/quan-tri/tin-bao/{held.pk}/").content.decode()
    assert "Biểu mẫu đã được dùng để gửi trước đó" in page  # the reason, in words
    assert "token_reused" not in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(f"/quan-tri/tin-bao/{held.pk}/", {"decision": "released"})
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.review == Concern.Review.RELEASED and held.forwarded_at is not None
    assert _reports([held]).count() == 1
    # A decision already taken cannot be taken again.
    officer.post(f"/quan-tri/tin-bao/{held.pk}/", {"decision": "dismissed"})
    held.refresh_from_db()
    assert held.review == Concern.Review.RELEASED


def test_officer_dismisses_a_held_concern_which_is_kept(
    demo, cfg, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        Client(REMOTE_ADDR="198.51.100.16").post("/bao-tin/", concern_data(demo, token="x"))
    held = Concern.objects.get()
    officer = client_for("canbo.a")
    officer.post(f"/quan-tri/tin-bao/{held.pk}/", {"decision": "dismissed"})
    held.refresh_from_db()
    assert held.review == Concern.Review.DISMISSED and not _reports([held]).exists()
    assert held.tracking_code not in officer.get("/quan-tri/tin-bao/").content.decode()
    assert held.tracking_code in officer.get("/quan-tri/tin-bao/?xem=da-bo-qua").content.decode()
    # Officers of another commune cannot decide on it.
    other = client_for("canbo.b")
    assert other.post(f"/quan-tri/tin-bao/{held.pk}/", {"decision": "released"}).status_code == 404
