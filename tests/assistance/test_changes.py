"""A decision changing a recipient's disability level or studies: amounts worked out by hand,
history kept, concurrent edit refused, scoping, the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.assistance import changes, rules
from treem.assistance.models import DossierEvent, RecipientChange
from treem.assistance.services import recipient_case
from treem.audit.models import AuditEvent
from treem.core.concurrency import ConcurrentEditError
from treem.lib import allowance
from treem.lib.allowance import Month

pytestmark = pytest.mark.django_db


def months(recipient) -> dict[str, int]:
    recipient.refresh_from_db()
    r = rules.load_rules(province_code=recipient.commune.province_id)
    return {
        str(m.month): m.amount
        for m in allowance.entitlement(recipient_case(recipient), r, check=False)
    }


def change(recipient, actor, **kw):
    values = {
        "actor": actor,
        "recipient": recipient,
        "expected_version": recipient.version,
        "kind": "disability_level",
        "event_on": dt.date(2025, 5, 20),
        "decision_number": "45/QĐ-UBND",
        "decided_on": dt.date(2025, 5, 26),
        "signer": "Phạm Minh Tuấn",
        "reason": "Hội đồng xác định lại mức độ khuyết tật ngày 20/5/2025",
        "disability": "disability_especially_severe",
    }
    values.update(kw)
    return changes.recipient_change(**values)


def test_disability_level_up_from_the_month_after(decided, make_child, users):
    # Born 10/01/2015: 10 years old in 2025, a child (under 16). Severe disability: coefficient
    # 2.0 × 500,000 = 1,000,000 đ. Reassessed especially severe on 20/05/2025: May is still paid
    # at the old rate (the month of the event), June at 2.5 × 500,000 = 1,250,000 đ.
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    before = months(recipient)
    assert before["2025-05"] == 1_000_000 and before["2025-06"] == 1_000_000
    c = change(recipient, users.chairman_a)
    after = months(recipient)
    assert after["2025-02"] == 1_000_000
    assert after["2025-05"] == 1_000_000
    assert after["2025-06"] == 1_250_000
    assert c.effective_month == dt.date(2025, 6, 1)
    assert (c.amount_before, c.amount_after) == (1_000_000, 1_250_000)
    # Nothing overwritten: the severe basis is still there, closed on the event's date.
    recipient.refresh_from_db()
    assert recipient.bases[0]["basis"] == "disability_severe"
    assert recipient.bases[0]["to"] == "2025-05-20"
    assert recipient.bases[1] == {
        "basis": "disability_especially_severe",
        "from": "2025-05-20",
        "to": None,
    }
    assert c.before["bases"] == [{"basis": "disability_severe", "from": None, "to": None}]
    assert DossierEvent.objects.filter(dossier=recipient.dossier, action="change").exists()
    assert AuditEvent.objects.filter(
        object_type="assistance.recipient", object_id=str(recipient.pk), action="update"
    ).exists()


def test_disability_no_longer_severe_ends_that_basis(decided, make_child, users):
    # Severe disability and no source of support: 2.0 wins (1,000,000 đ). The disability is
    # found no longer severe on 3/4/2025: from May only no_support remains, 1.5 × 500,000.
    recipient = decided(
        make_child(), bases=[{"basis": "disability_severe"}, {"basis": "no_support"}]
    )
    change(
        recipient, users.chairman_a, event_on=dt.date(2025, 4, 3), disability="",
        decided_on=dt.date(2025, 4, 10),
    )  # fmt: skip
    after = months(recipient)
    assert after["2025-04"] == 1_000_000
    assert after["2025-05"] == 750_000


def test_studies_keep_a_sixteen_year_old(decided, make_child, users):
    # Born 15/03/2009, no source of support, decided 03/02/2025: 1.5 × 500,000 = 750,000 đ for
    # February and March (16 on 15 March: March is still paid), nothing from April without
    # studies. The school certifies studies until 31/05/2026: April 2025 to May 2026 are paid
    # 1.5 × 500,000 = 750,000 (June 2026 is not: the studies ended in May).
    recipient = decided(make_child(birth="2009-03-15"))
    assert "2025-04" not in months(recipient)
    c = change(
        recipient,
        users.chairman_a,
        kind="studies",
        event_on=dt.date(2025, 3, 20),
        decided_on=dt.date(2025, 3, 25),
        disability=None,
        studying_until=dt.date(2026, 5, 31),
        reason="Giấy xác nhận đang học lớp 10",
    )
    after = months(recipient)
    assert after["2025-03"] == 750_000
    assert after["2025-04"] == 750_000
    assert after["2026-05"] == 750_000
    assert "2026-06" not in after
    assert sum(after.values()) == 750_000 * 16  # Feb 2025 … May 2026
    assert c.effective_month == dt.date(2025, 4, 1)
    assert c.before["studying_until"] is None
    assert c.after["studying_until"] == "2026-05-31"


def test_studies_stopped(decided, make_child, users):
    # Studying until 2026-05-31, then leaves school on 10/09/2025: paid through September,
    # nothing from October.
    recipient = decided(make_child(birth="2009-03-15"), studying_until=dt.date(2026, 5, 31))
    assert months(recipient)["2025-10"] == 750_000
    change(
        recipient,
        users.chairman_a,
        kind="studies",
        event_on=dt.date(2025, 9, 10),
        decided_on=dt.date(2025, 9, 15),
        disability=None,
        studying_until=None,
        reason="Thôi học",
    )
    after = months(recipient)
    assert after["2025-09"] == 750_000
    assert "2025-10" not in after


def test_history_keeps_every_change(decided, make_child, users):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    change(recipient, users.chairman_a)
    recipient.refresh_from_db()
    change(
        recipient,
        users.chairman_a,
        event_on=dt.date(2025, 8, 4),
        decided_on=dt.date(2025, 8, 5),
        disability="disability_severe",
        decision_number="60/QĐ-UBND",
    )
    history = list(RecipientChange.objects.filter(recipient=recipient).order_by("id"))
    assert [h.decision_number for h in history] == ["45/QĐ-UBND", "60/QĐ-UBND"]
    assert history[0].after == history[1].before
    after = months(recipient)
    assert after["2025-06"] == 1_250_000 and after["2025-08"] == 1_250_000
    assert after["2025-09"] == 1_000_000
    assert len(recipient.bases) == 3


def test_concurrent_edit_refused(decided, make_child, users):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    stale = recipient.version
    change(recipient, users.chairman_a)
    recipient.refresh_from_db()
    with pytest.raises(ConcurrentEditError):
        change(
            recipient,
            users.chairman_a,
            expected_version=stale,
            event_on=dt.date(2025, 8, 4),
            decided_on=dt.date(2025, 8, 5),
            disability="disability_severe",
        )
    assert RecipientChange.objects.filter(recipient=recipient).count() == 1


@pytest.mark.parametrize(
    "kw,message",
    [
        ({"disability": "disability_severe"}, "giống mức đang hưởng"),
        ({"decided_on": dt.date(2025, 5, 1)}, "trước ngày phát sinh"),
        ({"event_on": dt.date(2024, 12, 1)}, "trước tháng bắt đầu hưởng"),
        ({"event_on": dt.date(2099, 1, 1), "decided_on": dt.date(2099, 1, 2)}, "tương lai"),
        ({"decision_number": " "}, "số quyết định"),
        ({"reason": ""}, "lý do"),
    ],
)
def test_bad_input_saves_nothing(decided, make_child, users, kw, message):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    with pytest.raises(ValidationError) as err:
        change(recipient, users.chairman_a, **kw)
    assert message in " ".join(err.value.messages)
    recipient.refresh_from_db()
    assert len(recipient.bases) == 1 and not RecipientChange.objects.exists()


def test_only_the_communes_chairman(decided, make_child, users):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    for actor in (users.officer_a, users.chairman_b, users.specialist):
        with pytest.raises(PermissionDenied):
            change(recipient, actor)


def test_late_change_asks_the_next_list_to_reconcile(decided, make_child, users):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    recipient.listed_through = dt.date(2025, 7, 1)
    recipient.save(update_fields=["listed_through"])
    change(recipient, users.chairman_a)
    recipient.refresh_from_db()
    assert recipient.reconcile_needed  # June and July were paid at 1,000,000: arrears follow


def test_page_records_a_change(decided, make_child, users, chairman_a_client, officer_a_client):
    recipient = decided(make_child(), bases=[{"basis": "disability_severe"}])
    url = reverse("assistance:recipient_change", args=[recipient.pk])
    page = officer_a_client.get(url)
    assert page.status_code == 200 and "Ghi quyết định" not in page.content.decode()
    # The child's own record (where the registry keeps the disability level) is one click away.
    child_url = reverse("registry:child_detail", args=[recipient.child_id])
    assert f'href="{child_url}"' in page.content.decode()
    assert officer_a_client.get(child_url).status_code == 200
    assert officer_a_client.post(url, {}).status_code == 403
    data = {
        "version": recipient.version,
        "kind": "disability_level",
        "event_on": "2025-05-20",
        "disability": "disability_especially_severe",
        "decision_number": "45/QĐ-UBND",
        "decided_on": "2025-05-26",
        "signer": "Phạm Minh Tuấn",
        "reason": "Xác định lại mức độ khuyết tật",
    }
    response = chairman_a_client.post(url, data, follow=True)
    assert "áp dụng từ tháng 06/2025" in response.content.decode()
    # The same form sent again (a double submit) is refused as stale: one change only.
    again = chairman_a_client.post(url, data, follow=True)
    assert "người khác sửa" in again.content.decode()
    assert RecipientChange.objects.filter(recipient=recipient).count() == 1
    assert Month.of(RecipientChange.objects.get().effective_month) == Month(2025, 6)
