"""Dossier to decision to payment list, through the services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from treem.assistance import services
from treem.assistance.models import Dossier, DossierEvent, PaymentLine, PaymentList, Recipient
from treem.audit.models import AuditEvent

from .conftest import pdf

pytestmark = pytest.mark.django_db


def test_dossier_walks_to_a_decision_and_every_step_is_audited(decided, users):
    recipient = decided()
    dossier = recipient.dossier
    assert dossier.status == Dossier.Status.DECIDED
    assert dossier.decision_level == "district" or dossier.decision_level == "commune"
    steps = list(DossierEvent.objects.filter(dossier=dossier).values_list("action", flat=True))
    assert steps[0] == "create" and steps[-3:] == ["review", "post", "decide"]
    assert (
        AuditEvent.objects.filter(
            object_type="assistance.dossier", object_id=str(dossier.pk)
        ).count()
        >= 6
    )
    assert len(dossier.tracking_code) == 10


def test_posting_counts_working_days(decided, users, make_child):
    # Posted on Friday 2025-01-10 for 2 working days: Monday 13 and Tuesday 14.
    child = make_child()
    dossier = services.dossier_create(
        actor=users.officer_a,
        child=child,
        applicant_name="Bình",
        applicant_relation="Bà",
        applied_on=dt.date(2025, 1, 6),
        bases=[{"basis": "no_support"}],
    )
    for kind in services.required_documents(dossier):
        services.document_add(actor=users.officer_a, dossier=dossier, kind=kind, upload=pdf())
    dossier = services.dossier_review(
        actor=users.officer_a,
        dossier=dossier,
        expected_version=dossier.version,
        reviewed_on=dt.date(2025, 1, 9),
        review_note="",
        minutes=pdf(),
    )
    dossier = services.dossier_post(
        actor=users.officer_a,
        dossier=dossier,
        expected_version=dossier.version,
        posted_on=dt.date(2025, 1, 10),
    )
    assert dossier.posting_until == dt.date(2025, 1, 14)
    with pytest.raises(ValidationError, match="niêm yết"):
        services.dossier_decide(
            actor=users.chairman_a,
            dossier=dossier,
            expected_version=dossier.version,
            decision_number="1",
            decided_on=dt.date(2025, 1, 14),
            signer="X",
        )


def test_decision_before_the_application_is_refused_and_nothing_saved(users, make_child, decided):
    with pytest.raises(ValidationError, match="trước ngày nộp đơn"):
        decided(applied="2025-01-06", decided="2025-01-02")
    assert not Recipient.objects.exists()
    assert Dossier.objects.get().status == Dossier.Status.POSTED


def test_birth_date_that_makes_the_child_ineligible(users, make_child):
    child = make_child(birth="2020-01-01")
    with pytest.raises(ValidationError, match="quá tuổi"):
        services.dossier_create(
            actor=users.officer_a,
            child=child,
            applicant_name="A",
            applicant_relation="Mẹ",
            applied_on=dt.date(2025, 1, 6),
            bases=[{"basis": "under3_poor_mountain"}],
        )
    assert not Dossier.objects.exists()


def test_basis_that_ended_before_the_decision(users, make_child):
    with pytest.raises(ValidationError, match="kết thúc trước"):
        services.dossier_create(
            actor=users.officer_a,
            child=make_child(),
            applicant_name="A",
            applicant_relation="Mẹ",
            applied_on=dt.date(2025, 1, 6),
            bases=[{"basis": "no_support", "basis_to": dt.date(2024, 12, 1)}],
        )
    assert not Dossier.objects.exists()


@pytest.mark.parametrize("number", ["12ab3456", "123", "12345678901234567890"])
def test_bad_account_number_is_refused(users, make_child, number):
    with pytest.raises(ValidationError) as exc:
        services.dossier_create(
            actor=users.officer_a,
            child=make_child(),
            applicant_name="A",
            applicant_relation="Mẹ",
            applied_on=dt.date(2025, 1, 6),
            bases=[{"basis": "no_support"}],
            payment_channel="bank",
            bank_name="Agribank",
            account_number=number,
        )
    assert "account_number" in exc.value.message_dict
    assert not Dossier.objects.exists()


def test_spaced_account_number_is_kept_as_digits(users, make_child):
    dossier = services.dossier_create(
        actor=users.officer_a,
        child=make_child(),
        applicant_name="A",
        applicant_relation="Mẹ",
        applied_on=dt.date(2025, 1, 6),
        bases=[{"basis": "no_support"}],
        payment_channel="bank",
        bank_name="Agribank",
        account_number="5900 2050 12345",
    )
    assert dossier.account_number == "5900205012345"


def test_renamed_executable_is_refused_as_a_document(users, make_child):
    from django.core.files.uploadedfile import SimpleUploadedFile

    dossier = services.dossier_create(
        actor=users.officer_a,
        child=make_child(),
        applicant_name="A",
        applicant_relation="Mẹ",
        applied_on=dt.date(2025, 1, 6),
        bases=[{"basis": "no_support"}],
    )
    fake = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.document_add(
            actor=users.officer_a, dossier=dossier, kind="declaration", upload=fake
        )
    assert not dossier.documents.exists()


def test_worker_of_another_commune_and_worker_deciding_are_refused(users, make_child, decided):
    child = make_child()
    with pytest.raises(PermissionDenied):
        services.dossier_create(
            actor=users.officer_b,
            child=child,
            applicant_name="A",
            applicant_relation="Mẹ",
            applied_on=dt.date(2025, 1, 6),
            bases=[{"basis": "no_support"}],
        )


def _prepare(users, demo, month):
    return services.payment_list_prepare(
        actor=users.officer_a, commune_code=demo.commune_a.code, month=month
    )


def test_payment_list_with_arrears_totals_equal_the_sum_of_lines(decided, users, demo, make_child):
    # Child aged 10 (1.5): decided 2025-02-03 with effect from 2025-01 → February's list pays
    # February 750,000 and January's 750,000 as arrears.
    r1 = decided(applied="2025-01-06", decided="2025-02-03")
    dossier = r1.dossier
    Recipient.objects.filter(pk=r1.pk).update(from_month=dt.date(2025, 1, 1))
    # A second child under 4 (2.5 → 1,250,000 a month) decided in February.
    decided(make_child(name="Lê Thị Hoa", birth="2023-03-01"))
    payment_list = _prepare(users, demo, dt.date(2025, 2, 1))
    lines = list(payment_list.lines.order_by("recipient_id"))
    assert [(x.amount, x.arrears, x.total) for x in lines] == [
        (750_000, 750_000, 1_500_000),
        (1_250_000, 0, 1_250_000),
    ]
    assert payment_list.total_payable == sum(x.total for x in lines) == 2_750_000
    assert payment_list.total_amount == 2_000_000
    assert payment_list.total_arrears == 750_000
    assert dossier.pk


def test_approval_locks_and_second_approver_is_told(decided, users, demo):
    decided()
    payment_list = _prepare(users, demo, dt.date(2025, 2, 1))
    stale_version = payment_list.version
    services.payment_list_approve(
        actor=users.chairman_a, payment_list=payment_list, expected_version=stale_version
    )
    with pytest.raises(ValidationError, match="đã được"):
        services.payment_list_approve(
            actor=users.chairman_a, payment_list=payment_list, expected_version=stale_version
        )
    with pytest.raises(ValidationError, match="khoá"):
        _prepare(users, demo, dt.date(2025, 2, 1))
    with pytest.raises(PermissionDenied):
        services.payment_list_approve(
            actor=users.officer_a, payment_list=payment_list, expected_version=stale_version
        )


def test_unpaid_is_carried_and_end_gives_recovery(decided, users, demo):
    r = decided()  # 750,000 a month from 2025-02
    feb = _prepare(users, demo, dt.date(2025, 2, 1))
    feb = services.payment_list_approve(
        actor=users.chairman_a, payment_list=feb, expected_version=feb.version
    )
    line = feb.lines.get()
    services.payment_mark(actor=users.officer_a, line=line, paid=False)
    mar = _prepare(users, demo, dt.date(2025, 3, 1))
    mar_line = mar.lines.get()
    assert (mar_line.amount, mar_line.carried, mar_line.total) == (750_000, 750_000, 1_500_000)
    assert mar_line.carried_from_id == line.pk
    mar = services.payment_list_approve(
        actor=users.chairman_a, payment_list=mar, expected_version=mar.version
    )
    services.payment_mark(
        actor=users.officer_a, line=mar_line, paid=True, paid_on=dt.date(2025, 3, 10)
    )
    apr = _prepare(users, demo, dt.date(2025, 4, 1))
    services.payment_list_approve(
        actor=users.chairman_a, payment_list=apr, expected_version=apr.version
    )
    # Death recorded late, on 2025-02-20: February is still paid; March and April were paid and
    # are to be recovered: 2 × 750,000 = 1,500,000, listed on May's list, not netted.
    r.refresh_from_db()
    services.recipient_end(
        actor=users.officer_a, recipient=r, ended_on=dt.date(2025, 2, 20), reason="Trẻ mất"
    )
    may = _prepare(users, demo, dt.date(2025, 5, 1))
    recovery = may.lines.get(kind=PaymentLine.Kind.RECOVERY)
    assert recovery.recovery == 1_500_000
    assert recovery.details["months"] == {"2025-03": -750_000, "2025-04": -750_000}
    assert may.total_payable == 0 and may.total_recovery == 1_500_000
    may = services.payment_list_approve(
        actor=users.chairman_a, payment_list=may, expected_version=may.version
    )
    jun = _prepare(users, demo, dt.date(2025, 6, 1))
    assert not jun.lines.exists()  # recovered once, not again


def test_recipient_decided_after_preparation_blocks_approval(decided, users, demo, make_child):
    decided()
    payment_list = _prepare(users, demo, dt.date(2025, 2, 1))
    decided(make_child(name="Lê Thị Hoa"))
    with pytest.raises(ValidationError, match="lập lại"):
        services.payment_list_approve(
            actor=users.chairman_a, payment_list=payment_list, expected_version=payment_list.version
        )
    assert PaymentList.objects.get(pk=payment_list.pk).status == "draft"
