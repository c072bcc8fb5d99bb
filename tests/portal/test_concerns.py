from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.portal.conftest import concern_token
from treem.geo.models import Commune, Village
from treem.portal import services
from treem.portal.models import Concern
from treem.protection.models import Channel, Report


@pytest.fixture
def village_a(demo):
    return Village.objects.filter(commune=demo.commune_a).order_by("name_folded").first()


def concern_data(demo, village=None, **overrides):
    data = {
        "what_happened": "Một bé gái khoảng 8 tuổi thường bị đánh, khóc nhiều buổi tối.",
        "province": demo.province.code,
        "commune": demo.commune_a.code,
        "village": village.pk if village else "",
        "happened_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        "child_description": "Bé gái, tóc ngắn, học lớp 3.",
        "reporter_name": "Người hàng xóm",
        "reporter_phone": "0912 345 678",
        "reporter_email": "",
        "homepage": "",
        "token": concern_token(),
    }
    data.update(overrides)
    return data


def _submit(client, data):
    return client.post("/bao-tin/", data)


def test_concern_creates_routed_report_and_gives_tracking_code(
    demo, village_a, cfg, django_capture_on_commit_callbacks
):
    client = Client(REMOTE_ADDR="203.0.113.90")
    with django_capture_on_commit_callbacks(execute=True):
        response = _submit(client, concern_data(demo, village_a))
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.intake_status == Concern.IntakeStatus.FORWARDED
    assert concern.forwarded_at is not None and not concern.is_held
    report = Report.objects.get(source_concern_id=concern.pk)
    assert report.channel == Channel.PORTAL
    assert report.commune_id == demo.commune_a.code
    assert report.village_id == village_a.pk
    # The receipt page shows the tracking code.
    receipt = client.get(response["Location"])
    assert concern.tracking_code in receipt.content.decode()
    assert receipt["Cache-Control"] == "no-store"


def test_tracking_page_reveals_only_the_status(
    demo, village_a, cfg, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(Client(REMOTE_ADDR="203.0.113.91"), concern_data(demo, village_a))
    concern = Concern.objects.get()
    typed = concern.tracking_code.lower().replace("-", " ")
    response = Client().post("/tra-cuu/", {"code": typed})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="tracking-status"' in html and "Đã tiếp nhận" in html
    for detail in [
        "bé gái",
        "Bé gái",
        "tóc ngắn",
        "0912",
        "Người hàng xóm",
        demo.commune_a.name,
        village_a.name,
    ]:
        assert detail not in html, detail
    # The date of each step reached and what happens next; nothing of the case itself.
    received_on = timezone.localtime(concern.created_at).strftime("%d/%m/%Y")
    steps = html.split('data-testid="tracking-steps"')[1].split("</ol>")[0]
    assert "Đã tiếp nhận" in steps and received_on in steps
    assert steps.count("chưa đến bước này") == 2
    assert "đánh giá ban đầu" in html.split('data-testid="tracking-next"')[1]


def test_tracking_follows_case_management_status(demo, cfg, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(Client(REMOTE_ADDR="203.0.113.92"), concern_data(demo))
    concern = Concern.objects.get()
    with mock.patch("treem.protection.intake.public_status", return_value="in_progress"):
        html = Client().post("/tra-cuu/", {"code": concern.tracking_code}).content.decode()
    assert "Đang xử lý" in html
    assert html.count("chưa đến bước này") == 1


def test_tracking_shows_the_dates_of_a_real_case_without_its_detail(
    demo, cfg, django_capture_on_commit_callbacks
):
    from treem.protection.models import Case, CaseEvent

    with django_capture_on_commit_callbacks(execute=True):
        _submit(Client(REMOTE_ADDR="203.0.113.97"), concern_data(demo))
    concern = Concern.objects.get()
    case = Case.objects.filter(report__source_concern_id=concern.pk).first()
    if case is None:
        pytest.skip("case management opens cases from reports later in this tree")
    moved = timezone.now() - timedelta(days=2)
    CaseEvent.objects.create(
        case=case, kind="initial_assessed", at=moved, actor=demo.users["canbo.a"]
    )
    Case.objects.filter(pk=case.pk).update(status=Case.Status.ASSESSMENT)
    html = Client().post("/tra-cuu/", {"code": concern.tracking_code}).content.decode()
    assert timezone.localtime(moved).strftime("%d/%m/%Y") in html
    assert "Đang xử lý" in html


def test_unknown_tracking_code_says_not_found(db, cfg):
    response = Client().post("/tra-cuu/", {"code": "AAAA-BBBB-CCCC"})
    assert response.status_code == 404


def test_tracking_codes_are_unguessable_and_typable(demo, cfg):
    codes = {
        services.concern_submit(
            what_happened="x",
            commune=demo.commune_a,
            ip_address=None,
            form_token=concern_token(),
            is_anonymous=True,
        ).tracking_code
        for _ in range(20)
    }
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 14 and code.count("-") == 2
        assert not set(code) & set("01ILO")


def test_abuse_signals_hold_a_concern_but_never_drop_it(
    demo, cfg, django_capture_on_commit_callbacks
):
    client = Client(REMOTE_ADDR="203.0.113.93")
    with django_capture_on_commit_callbacks(execute=True):
        _submit(client, concern_data(demo, homepage="bot was here", token=concern_token(seconds=0)))
        _submit(client, concern_data(demo))  # flood: same address within the interval
    concerns = list(Concern.objects.order_by("pk"))
    assert len(concerns) == 2
    assert concerns[0].is_held and set(concerns[0].hold_reasons) == {"honeypot", "too_fast"}
    assert concerns[1].is_held and concerns[1].hold_reasons == ["flood"]
    # Held concerns are kept and wait for a person; they are not cases yet.
    assert all(c.review == Concern.Review.WAITING for c in concerns)
    assert not Report.objects.filter(source_concern_id__in=[c.pk for c in concerns]).exists()


def test_anonymous_concern_keeps_no_contact(demo, cfg, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(
            Client(REMOTE_ADDR="203.0.113.94"),
            concern_data(demo, is_anonymous="on", reporter_email="a@example.org"),
        )
    concern = Concern.objects.get()
    assert concern.is_anonymous
    assert (concern.reporter_name, concern.reporter_phone, concern.reporter_email) == ("", "", "")


def test_contact_or_anonymous_is_required(demo, cfg):
    response = _submit(
        Client(), concern_data(demo, reporter_phone="", reporter_email="", reporter_name="")
    )
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_village_of_another_commune_is_refused(demo, cfg):
    other = Village.objects.filter(commune=demo.commune_b).first()
    response = _submit(Client(), concern_data(demo, other))
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_intake_failure_never_loses_the_concern_and_retry_forwards_it(
    demo, cfg, django_capture_on_commit_callbacks
):
    with (
        mock.patch("treem.protection.intake.report_from_concern", side_effect=RuntimeError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = _submit(Client(REMOTE_ADDR="203.0.113.95"), concern_data(demo))
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.intake_status == Concern.IntakeStatus.FAILED
    assert concern.forwarded_at is None and "down" in concern.intake_error
    assert not Report.objects.filter(source_concern_id=concern.pk).exists()
    call_command("portal_forward_concerns")
    concern.refresh_from_db()
    assert concern.intake_status == Concern.IntakeStatus.FORWARDED
    assert Report.objects.filter(source_concern_id=concern.pk).count() == 1
    # Idempotent: forwarding again creates nothing new.
    services.concern_forward(concern_id=concern.pk)
    from treem.protection import intake

    intake.report_from_concern(concern=concern)
    assert Report.objects.filter(source_concern_id=concern.pk).count() == 1


def test_without_intake_concerns_stay_received_and_are_listed_to_commune_workers(
    demo, cfg, client_for, django_capture_on_commit_callbacks
):
    with (
        mock.patch("treem.portal.services.intake_module", return_value=None),
        mock.patch("treem.portal.selectors.intake_module", return_value=None),
        django_capture_on_commit_callbacks(execute=True),
    ):
        _submit(Client(REMOTE_ADDR="203.0.113.96"), concern_data(demo))
        concern = Concern.objects.get()
        assert concern.intake_status == Concern.IntakeStatus.PENDING
        html = Client().post("/tra-cuu/", {"code": concern.tracking_code}).content.decode()
        assert "Đã tiếp nhận" in html
    officer_a = client_for("canbo.a")
    listing = officer_a.get("/quan-tri/tin-bao/")
    assert listing.status_code == 200 and concern.tracking_code in listing.content.decode()
    assert officer_a.get(f"/quan-tri/tin-bao/{concern.pk}/").status_code == 200
    officer_b = client_for("canbo.b")
    assert concern.tracking_code not in officer_b.get("/quan-tri/tin-bao/").content.decode()
    assert officer_b.get(f"/quan-tri/tin-bao/{concern.pk}/").status_code == 404
    assert client_for("bientap").get("/quan-tri/tin-bao/").status_code == 403
    assert client_for("bientap").get(f"/quan-tri/tin-bao/{concern.pk}/").status_code == 404
    assert Client().get("/quan-tri/tin-bao/").status_code == 302
    # The dashboard card points commune workers at it.
    assert "/quan-tri/tin-bao/" in officer_a.get("/app/").content.decode()


def test_chained_place_selects_work_with_htmx_and_without_js(demo, cfg):
    communes = Client().get("/bao-tin/xa/", {"province": demo.province.code}).content.decode()
    assert demo.commune_a.name in communes and 'id="id_commune"' in communes
    assert 'hx-swap-oob="true"' in communes
    villages = Client().get("/bao-tin/thon/", {"commune": demo.commune_a.code}).content.decode()
    first = Village.objects.filter(commune=demo.commune_a).first()
    assert first.name in villages
    other_province = Commune.objects.exclude(province=demo.province).first()
    # Without JavaScript: "refresh" posts the form back with the lists for the chosen places.
    page = (
        Client()
        .post(
            "/bao-tin/",
            {
                "refresh": "1",
                "province": other_province.province_id,
                "commune": other_province.code,
                "what_happened": "giữ lại nội dung",
            },
        )
        .content.decode()
    )
    assert other_province.name in page
    assert "giữ lại nội dung" in page
    assert "field-error" not in page


def test_purge_clears_concern_sender_address(demo, cfg):
    cfg.retention_days = 10
    cfg.save()
    concern = services.concern_submit(
        what_happened="x",
        commune=demo.commune_a,
        ip_address="203.0.113.97",
        form_token=concern_token(),
        is_anonymous=True,
    )
    Concern.objects.filter(pk=concern.pk).update(created_at=timezone.now() - timedelta(days=11))
    assert services.personal_data_purge()["concerns"] == 1
    concern.refresh_from_db()
    assert concern.ip_address is None and concern.what_happened == "x"
