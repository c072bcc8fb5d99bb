"""The free health-insurance card: request → issued → delivered (or cancelled), the list of
entitled children without a valid card, bad input, double submit, scoping, pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.assistance import health_cards
from treem.assistance.models import HealthCard, HealthCardEvent, Policy
from treem.core.concurrency import ConcurrentEditError

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


def missing_names(user, today=TODAY):
    return [m.full_name for m in health_cards.entitled_without_card(user=user, today=today)]


def walk(card, officer, *, number="TE1750123456789", valid_to=dt.date(2025, 12, 31)):
    card = health_cards.health_card_issue(
        actor=officer,
        card=card,
        expected_version=card.version,
        card_number=number,
        issued_on=dt.date(2025, 2, 20),
        valid_from=dt.date(2025, 2, 1),
        valid_to=valid_to,
    )
    return health_cards.health_card_deliver(
        actor=officer,
        card=card,
        expected_version=card.version,
        delivered_on=dt.date(2025, 2, 25),
        received_by="Trần Thị Bình",
    )


def test_full_path_and_the_list(decided, make_child, users):
    an = decided(make_child("Nguyễn Văn An"))
    binh = decided(make_child("Đỗ Thị Bình"))
    assert set(missing_names(users.officer_a)) == {"Nguyễn Văn An", "Đỗ Thị Bình"}
    card = health_cards.health_card_request(
        actor=users.officer_a, recipient=an, requested_on=dt.date(2025, 2, 10)
    )
    assert card.status == "requested"
    # Requested is not yet a card: still listed, with the request to follow up.
    pending = {m.full_name: m.pending for m in health_cards.entitled_without_card(
        user=users.officer_a, today=TODAY)}  # fmt: skip
    assert pending["Nguyễn Văn An"] == card and pending["Đỗ Thị Bình"] is None
    card = walk(card, users.officer_a)
    assert card.status == "delivered"
    assert card.card_number == "TE1750123456789"
    assert missing_names(users.officer_a) == ["Đỗ Thị Bình"]
    # After the card's end it is missing again (a new card is due).
    assert "Nguyễn Văn An" in missing_names(users.officer_a, today=dt.date(2026, 1, 1))
    assert list(HealthCardEvent.objects.filter(card=card).values_list("action", flat=True)) == [
        "request",
        "issue",
        "deliver",
    ]
    assert binh


def test_double_request_makes_one(decided, make_child, users):
    recipient = decided(make_child())
    a = health_cards.health_card_request(
        actor=users.officer_a, recipient=recipient, requested_on=dt.date(2025, 2, 10)
    )
    b = health_cards.health_card_request(
        actor=users.officer_a, recipient=recipient, requested_on=dt.date(2025, 2, 11)
    )
    assert a.pk == b.pk and HealthCard.objects.count() == 1


def test_transitions_refused_out_of_order(decided, make_child, users):
    card = health_cards.health_card_request(
        actor=users.officer_a, recipient=decided(make_child()), requested_on=dt.date(2025, 2, 10)
    )
    with pytest.raises(ValidationError, match="không thể làm bước này"):
        health_cards.health_card_deliver(
            actor=users.officer_a,
            card=card,
            expected_version=card.version,
            delivered_on=dt.date(2025, 2, 25),
            received_by="Trần Thị Bình",
        )
    card = walk(card, users.officer_a)
    with pytest.raises(ValidationError, match="không thể làm bước này"):
        health_cards.health_card_cancel(
            actor=users.officer_a, card=card, expected_version=card.version, reason="nhầm"
        )


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"card_number": "TE12"}, "card_number"),
        ({"card_number": ""}, "card_number"),
        ({"issued_on": dt.date(2025, 2, 1)}, "issued_on"),  # before the request
        ({"valid_to": dt.date(2025, 1, 1)}, "valid_to"),
        ({"issued_on": dt.date(2099, 1, 1)}, "issued_on"),
    ],
)
def test_issue_bad_input(decided, make_child, users, kw, field):
    card = health_cards.health_card_request(
        actor=users.officer_a, recipient=decided(make_child()), requested_on=dt.date(2025, 2, 10)
    )
    values = {
        "actor": users.officer_a,
        "card": card,
        "expected_version": card.version,
        "card_number": "TE1750123456789",
        "issued_on": dt.date(2025, 2, 20),
        "valid_from": dt.date(2025, 2, 1),
        "valid_to": dt.date(2025, 12, 31),
    }
    values.update(kw)
    with pytest.raises(ValidationError) as err:
        health_cards.health_card_issue(**values)
    assert field in err.value.message_dict
    card.refresh_from_db()
    assert card.status == "requested" and card.card_number == ""


def test_concurrent_issue_refused(decided, make_child, users):
    card = health_cards.health_card_request(
        actor=users.officer_a, recipient=decided(make_child()), requested_on=dt.date(2025, 2, 10)
    )
    stale = HealthCard.objects.get(pk=card.pk)
    health_cards.health_card_cancel(
        actor=users.officer_a, card=card, expected_version=card.version, reason="Trùng"
    )
    with pytest.raises(ConcurrentEditError):
        health_cards.health_card_issue(
            actor=users.officer_a,
            card=stale,
            expected_version=stale.version,
            card_number="TE1750123456789",
            issued_on=dt.date(2025, 2, 20),
            valid_from=dt.date(2025, 2, 1),
            valid_to=dt.date(2025, 12, 31),
        )
    assert HealthCard.objects.get(pk=card.pk).status == "cancelled"


def test_policy_is_data(decided, make_child, users):
    decided(make_child())
    assert missing_names(users.officer_a) == ["Nguyễn Văn An"]
    Policy.objects.filter(code="health_insurance").update(is_active=False)
    assert missing_names(users.officer_a) == []


def test_scoping(decided, make_child, users, demo):
    recipient = decided(make_child())
    assert missing_names(users.officer_b) == []
    assert missing_names(users.specialist) == ["Nguyễn Văn An"]
    for actor in (users.officer_b, users.specialist, users.leader):
        with pytest.raises(PermissionDenied):
            health_cards.health_card_request(
                actor=actor, recipient=recipient, requested_on=dt.date(2025, 2, 10)
            )


def test_pages(decided, make_child, users, officer_a_client, officer_b_client, specialist_client):
    recipient = decided(make_child("Lê Thị =Hoa"))
    page = officer_a_client.get(reverse("assistance:health_cards"))
    assert page.status_code == 200 and "Lê Thị =Hoa" in page.content.decode()
    assert "Đề nghị cấp thẻ hôm nay" in page.content.decode()
    # The province sees the child, with the commune column, but the commune asks for the card.
    province = specialist_client.get(reverse("assistance:health_cards")).content.decode()
    assert "Lê Thị =Hoa" in province and "Đề nghị cấp thẻ hôm nay" not in province
    response = officer_a_client.post(
        reverse("assistance:health_card_request", args=[recipient.pk]),
        {"requested_on": "2025-02-10"},
    )
    card = HealthCard.objects.get()
    assert response.url == reverse("assistance:health_card", args=[card.pk])
    assert officer_b_client.get(response.url).status_code == 404
    assert specialist_client.get(response.url).status_code == 200
    assert (
        specialist_client.post(
            reverse("assistance:health_card_action", args=[card.pk, "cancel"]),
            {"version": card.version, "reason": "x"},
        ).status_code
        == 403
    )
    bad = officer_a_client.post(
        reverse("assistance:health_card_action", args=[card.pk, "issue"]),
        {
            "version": card.version,
            "card_number": "12",
            "issued_on": "2025-02-20",
            "valid_from": "2025-02-01",
            "valid_to": "2025-12-31",
        },
        follow=True,
    )
    assert "15 ký tự" in bad.content.decode()
    ok = officer_a_client.post(
        reverse("assistance:health_card_action", args=[card.pk, "issue"]),
        {
            "version": card.version,
            "card_number": "te1 750 123 456 789",
            "issued_on": "2025-02-20",
            "valid_from": "2025-02-01",
            "valid_to": "2025-12-31",
        },
        follow=True,
    )
    assert "TE1750123456789" in ok.content.decode()
    assert HealthCard.objects.get().status == "issued"
