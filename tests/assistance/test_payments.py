"""Payment lists prepared in batch and in the background, and deductions, with figures worked by
hand (1.5 × 500,000 = 750,000 đ a month for a child aged 4 to 15 with no source of support)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from treem.assistance import exports, payments, services
from treem.assistance.models import Deduction, PaymentLine, PaymentList, PaymentRun, Recipient
from treem.audit.models import AuditEvent
from treem.core.concurrency import ConcurrentEditError

pytestmark = pytest.mark.django_db

FEB, MAR, APR = dt.date(2025, 2, 1), dt.date(2025, 3, 1), dt.date(2025, 4, 1)


def _prepare(users, demo, month):
    return services.payment_list_prepare(
        actor=users.officer_a, commune_code=demo.commune_a.code, month=month
    )


def _approve(users, payment_list):
    return services.payment_list_approve(
        actor=users.chairman_a, payment_list=payment_list, expected_version=payment_list.version
    )


def _figures(month):
    return sorted(
        (line.payment_list.commune_id, line.recipient_id, line.kind, line.amount, line.total)
        for line in PaymentLine.objects.filter(payment_list__month=month).select_related(
            "payment_list"
        )
    )


# ---- Batch preparation ------------------------------------------------------------------------


def test_batch_gives_the_same_lines_as_commune_by_commune_and_twice_gives_one_list(
    decided, users, demo, make_child
):
    decided()  # aged 10: 750,000
    decided(make_child(name="Lê Thị Hoa", birth="2023-03-01"))  # under 4: 2.5 × 500,000
    single = _prepare(users, demo, FEB)
    by_hand = _figures(FEB)
    assert [(x[3], x[4]) for x in by_hand] == [(750_000, 750_000), (1_250_000, 1_250_000)]
    codes = [demo.commune_a.code, demo.commune_b.code]
    province = demo.commune_a.province_id
    outcomes = payments.payment_lists_prepare(
        actor=None, province_code=province, month=FEB, commune_codes=codes
    )
    assert _figures(FEB) == by_hand
    again = payments.payment_lists_prepare(
        actor=None, province_code=province, month=FEB, commune_codes=codes
    )
    assert _figures(FEB) == by_hand
    # One list for commune A (rebuilt, same id), none for B which has no recipient.
    assert PaymentList.objects.filter(month=FEB).count() == 1
    assert outcomes[0].payment_list_id == again[0].payment_list_id == single.pk
    assert (outcomes[0].lines, outcomes[0].total_payable) == (2, 2_000_000)
    assert outcomes[1].payment_list_id is None and not outcomes[1].refused
    # Each rebuild of the draft moves its version: a chairman's older page is refused.
    assert PaymentList.objects.get(pk=single.pk).version == single.version + 2


def test_preparing_costs_the_same_queries_for_one_recipient_or_many(
    decided, users, demo, make_child
):
    decided()
    _prepare(users, demo, FEB)  # the list exists: both measures below rebuild its draft
    with CaptureQueriesContext(connection) as one:
        _prepare(users, demo, FEB)
    for n in range(5):
        decided(make_child(name=f"Trần Văn Bảo {n}", birth="2016-05-0%d" % (n + 1)))
    with CaptureQueriesContext(connection) as six:
        payment_list = _prepare(users, demo, FEB)
    assert payment_list.lines.count() == 6
    assert len(six) == len(one)


def test_batch_skips_an_approved_list_and_says_why(decided, users, demo):
    decided()
    _approve(users, _prepare(users, demo, FEB))
    outcomes = payments.payment_lists_prepare(
        actor=None,
        province_code=demo.commune_a.province_id,
        month=FEB,
        commune_codes=[demo.commune_a.code],
    )
    assert "khoá" in outcomes[0].refused
    assert PaymentList.objects.get(month=FEB).status == "approved"


def test_worker_in_a_batch_prepares_only_their_commune(decided, users, demo):
    decided()
    outcomes = payments.payment_lists_prepare(
        actor=users.officer_b,
        province_code=demo.commune_a.province_id,
        month=FEB,
        commune_codes=[demo.commune_a.code],
    )
    assert outcomes[0].refused and outcomes[0].payment_list_id is None
    assert not PaymentList.objects.filter(month=FEB).exists()


def test_province_run_in_the_background_reports_progress_and_is_started_once(
    decided, users, demo, django_capture_on_commit_callbacks
):
    decided()
    with django_capture_on_commit_callbacks() as queued:
        run, new = payments.payment_run_start(actor=users.specialist, month=FEB)
    assert new and len(queued) == 1 and run.status == PaymentRun.Status.QUEUED
    # Asked again (a double click) while it waits: the same run, nothing queued.
    with django_capture_on_commit_callbacks() as queued_again:
        same, new_again = payments.payment_run_start(actor=users.specialist, month=FEB)
    assert same.pk == run.pk and not new_again and not queued_again
    # The worker's work (what the queued task calls).
    run = payments.payment_run_execute(run.pk)
    assert run.status == PaymentRun.Status.DONE
    assert run.communes_done == run.communes_total > 1
    assert run.lines == 1
    line = PaymentList.objects.get(commune=demo.commune_a, month=FEB).lines.get()
    assert line.total == 750_000
    # A retried task finds the run claimed and does nothing.
    assert payments.payment_run_execute(run.pk).finished_at == run.finished_at
    with pytest.raises(PermissionDenied):
        payments.payment_run_start(actor=users.officer_a, month=FEB)


# ---- Deductions -------------------------------------------------------------------------------


def _line(payment_list):
    return payment_list.lines.select_related("payment_list").get(kind=PaymentLine.Kind.PAYMENT)


def _back_dated(decided):
    # Decided 2025-02-03 with effect from 2025-01: February pays 750,000 for February and
    # 750,000 arrears for January, gross 1,500,000.
    r = decided(applied="2025-01-06", decided="2025-02-03")
    Recipient.objects.filter(pk=r.pk).update(from_month=dt.date(2025, 1, 1))
    return r


def test_other_deduction_shows_gross_deduction_reason_and_net(decided, users, demo):
    _back_dated(decided)
    feb = _prepare(users, demo, FEB)
    line = _line(feb)
    assert (line.amount, line.arrears, line.gross, line.total) == (
        750_000,
        750_000,
        1_500_000,
        1_500_000,
    )
    services.deduction_set(
        actor=users.officer_a,
        line=line,
        kind=Deduction.Kind.OTHER,
        amount="200 000",
        reason="Trừ tiền đã tạm ứng ngày 10/01/2025",
        expected_version=None,
    )
    line.refresh_from_db()
    feb.refresh_from_db()
    # 1,500,000 − 200,000 = 1,300,000 handed over; the 200,000 is shown, with its reason.
    assert (line.gross, line.deductions, line.total) == (1_500_000, 200_000, 1_300_000)
    assert line.deduction["reason"] == "Trừ tiền đã tạm ứng ngày 10/01/2025"
    assert (feb.total_deductions, feb.total_payable) == (200_000, 1_300_000)
    assert feb.total_amount + feb.total_arrears + feb.total_carried - feb.total_deductions == (
        feb.total_payable
    )
    # Preparing the draft again keeps the deduction (it is a row, not a figure typed on a line).
    feb = _prepare(users, demo, FEB)
    line = _line(feb)
    assert (line.deductions, line.total, feb.total_payable) == (200_000, 1_300_000, 1_300_000)
    # The export shows gross, deduction, reason and net.
    sheet = load_workbook(io.BytesIO(exports.payment_list_xlsx(feb))).active
    rows = list(sheet.iter_rows(values_only=True))
    row = next(r for r in rows if r[0] == 1)
    assert row[9:13] == (1_500_000, 200_000, "Trừ tiền đã tạm ứng ngày 10/01/2025", 1_300_000)
    assert exports.payment_list_pdf(feb).startswith(b"%PDF")
    assert AuditEvent.objects.filter(object_type="assistance.deduction", action="create").count()


@pytest.mark.parametrize("typed", ["1.500.000", "1,500,000", "1500000.5", "1,5", "-100", "1e6"])
def test_amount_with_separators_or_decimals_is_refused_in_both_languages(
    decided, users, demo, typed
):
    decided()
    line = _line(_prepare(users, demo, FEB))
    kwargs = {
        "actor": users.officer_a,
        "line": line,
        "kind": "other",
        "reason": "Lý do",
        "expected_version": None,
    }
    with pytest.raises(ValidationError) as vi:
        services.deduction_set(amount=typed, **kwargs)
    assert "chỉ gồm chữ số" in vi.value.message_dict["amount"][0]
    with translation.override("en"), pytest.raises(ValidationError) as en:
        services.deduction_set(amount=typed, **kwargs)
    assert "digits only" in en.value.message_dict["amount"][0]
    assert not Deduction.objects.exists()
    line.refresh_from_db()
    assert line.deductions == 0 and line.total == 750_000


def test_deduction_above_gross_or_without_reason_or_zero_is_refused(decided, users, demo):
    decided()
    line = _line(_prepare(users, demo, FEB))  # gross 750,000
    common = {"actor": users.officer_a, "line": line, "expected_version": None}
    with pytest.raises(ValidationError, match=r"750\.000"):
        services.deduction_set(kind="other", amount="750001", reason="Lý do", **common)
    with pytest.raises(ValidationError, match="lý do"):
        services.deduction_set(kind="other", amount="1000", reason="  ", **common)
    with pytest.raises(ValidationError, match="lớn hơn 0"):
        services.deduction_set(kind="other", amount="0", reason="Lý do", **common)
    # Nothing to recover from this recipient: a recovery deduction is refused.
    with pytest.raises(ValidationError, match="thu hồi"):
        services.deduction_set(kind="recovery", amount="1000", reason="", **common)
    with pytest.raises(PermissionDenied):
        services.deduction_set(
            actor=users.officer_b,
            line=line,
            kind="other",
            amount="1000",
            reason="Lý do",
            expected_version=None,
        )
    assert not Deduction.objects.exists()


def test_recovery_deducted_from_the_amount_carried_never_more_than_owed(decided, users, demo):
    r = decided()  # 750,000 a month from 2025-02
    feb = _approve(users, _prepare(users, demo, FEB))
    services.payment_mark(
        actor=users.officer_a, line=_line(feb), paid=True, paid_on=dt.date(2025, 2, 10)
    )
    mar = _approve(users, _prepare(users, demo, MAR))
    services.payment_mark(actor=users.officer_a, line=_line(mar), paid=False)
    # Adopted on 2025-02-20, recorded late: February is still owed, March (listed, not collected)
    # is to be recovered: 750,000. April carries March's 750,000 not collected.
    r.refresh_from_db()
    services.recipient_end(
        actor=users.officer_a, recipient=r, ended_on=dt.date(2025, 2, 20), reason="Nhận con nuôi"
    )
    apr = _prepare(users, demo, APR)
    line = _line(apr)
    assert (line.amount, line.carried, line.gross) == (0, 750_000, 750_000)
    assert apr.lines.get(kind=PaymentLine.Kind.RECOVERY).recovery == 750_000
    assert payments.recovery_outstanding(r.pk, APR) == 750_000
    common = {"actor": users.officer_a, "line": line, "kind": "recovery", "reason": ""}
    with pytest.raises(ValidationError, match=r"750\.000"):
        services.deduction_set(amount="750010", expected_version=None, **common)
    d = services.deduction_set(amount="500000", expected_version=None, **common)
    assert d.reason == "Thu hồi tiền trợ cấp đã chi sai"
    line.refresh_from_db()
    # 750,000 carried − 500,000 recovered = 250,000 handed over; 250,000 still to recover.
    assert (line.deductions, line.total) == (500_000, 250_000)
    assert payments.recovery_outstanding(r.pk, APR) == 250_000
    # Changed to the whole 750,000: 750,000 − 750,000 = 0 handed over, nothing left to recover.
    services.deduction_set(amount="750000", expected_version=d.version, **common)
    line.refresh_from_db()
    apr.refresh_from_db()
    assert (line.deductions, line.total, apr.total_payable) == (750_000, 0, 0)
    assert apr.total_recovery == 750_000  # the recovery line stays listed, never netted away
    assert payments.recovery_outstanding(r.pk, APR) == 0


def test_concurrent_edit_refused_double_submit_done_once_and_locked_list_refused(
    decided, users, demo
):
    decided()
    feb = _prepare(users, demo, FEB)
    line = _line(feb)
    form = {
        "actor": users.officer_a,
        "line": line,
        "kind": "other",
        "amount": "100000",
        "reason": "Lý do",
    }
    first = services.deduction_set(expected_version=None, **form)
    # The same form sent twice: one deduction, one audit entry.
    assert services.deduction_set(expected_version=None, **form).pk == first.pk
    assert Deduction.objects.count() == 1
    assert AuditEvent.objects.filter(object_type="assistance.deduction").count() == 1
    # Another official opened the page before, typed another amount: told, not written over.
    with pytest.raises(ValidationError, match="vừa được"):
        services.deduction_set(expected_version=None, **{**form, "amount": "90000"})
    # Two officials edit version 1: the first saves, the second is refused.
    services.deduction_set(expected_version=1, **{**form, "amount": "120000"})
    with pytest.raises(ConcurrentEditError):
        services.deduction_set(expected_version=1, **{**form, "amount": "130000"})
    assert Deduction.objects.get().amount == 120_000
    # The chairman looking at the list before the deduction must reload it.
    with pytest.raises(ValidationError, match="lập lại"):
        services.payment_list_approve(
            actor=users.chairman_a, payment_list=feb, expected_version=feb.version
        )
    feb.refresh_from_db()
    _approve(users, feb)
    with pytest.raises(ValidationError, match="khoá"):
        services.deduction_set(expected_version=2, **{**form, "amount": "1000"})
    with pytest.raises(ValidationError, match="khoá"):
        services.deduction_remove(actor=users.officer_a, line=line, expected_version=2)
    assert Deduction.objects.get().amount == 120_000


def test_removing_a_deduction_pays_the_gross_again(decided, users, demo):
    decided()
    feb = _prepare(users, demo, FEB)
    line = _line(feb)
    d = services.deduction_set(
        actor=users.officer_a,
        line=line,
        kind="other",
        amount="50000",
        reason="Lý do",
        expected_version=None,
    )
    with pytest.raises(ValidationError, match="người khác"):
        services.deduction_remove(actor=users.officer_a, line=line, expected_version=d.version + 1)
    services.deduction_remove(actor=users.officer_a, line=line, expected_version=d.version)
    line.refresh_from_db()
    feb.refresh_from_db()
    assert (line.deductions, line.total, feb.total_payable) == (0, 750_000, 750_000)
    assert "deduction" not in line.details
    assert AuditEvent.objects.filter(object_type="assistance.deduction", action="delete").exists()


# ---- Pages ------------------------------------------------------------------------------------


def test_deduction_page_refuses_a_dotted_amount_then_saves_and_the_list_shows_it(
    decided, users, demo, officer_a_client, chairman_a_client
):
    decided()
    feb = _prepare(users, demo, FEB)
    line = _line(feb)
    url = reverse("assistance:payment_deduction", args=[feb.pk, line.pk])
    assert officer_a_client.get(url).status_code == 200
    # The chairman reads the list but does not enter deductions.
    assert chairman_a_client.get(url).status_code == 403
    bad = officer_a_client.post(url, {"kind": "other", "amount": "1.500.000", "reason": "Tạm ứng"})
    assert bad.status_code == 400
    assert "chỉ gồm chữ số" in bad.content.decode()
    assert not Deduction.objects.exists()
    ok = officer_a_client.post(url, {"kind": "other", "amount": "150000", "reason": "Tạm ứng"})
    assert ok.status_code == 302
    page = officer_a_client.get(reverse("assistance:payment_list", args=[feb.pk])).content.decode()
    # Gross 750.000, deduction 150.000 with its reason, net 600.000.
    for text in ("750.000", "150.000", "Tạm ứng", "600.000", "Thực nhận"):
        assert text in page


def test_province_run_page_is_the_specialists_and_a_double_post_starts_one_run(
    specialist_client, officer_a_client, django_capture_on_commit_callbacks
):
    url = reverse("assistance:payment_runs")
    assert officer_a_client.get(url).status_code == 403
    assert specialist_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks() as queued:
        specialist_client.post(url, {"month": "2025-02"})
        specialist_client.post(url, {"month": "2025-02"})
    assert PaymentRun.objects.count() == 1 and len(queued) == 1
    assert "Đang chờ" in specialist_client.get(url).content.decode()


# ---- Money not collected is never lost ---------------------------------------------------------


def test_a_payment_marked_not_collected_after_next_months_draft_is_carried_into_it(
    decided, users, demo
):
    decided()  # 750,000 a month
    feb = _approve(users, _prepare(users, demo, FEB))
    mar = _prepare(users, demo, MAR)
    assert mar.total_payable == 750_000
    version = mar.version
    # February's money was not collected, recorded after March's draft was made: March is made
    # again and carries it (750,000 + 750,000), and a chairman holding the old draft must reload.
    services.payment_mark(actor=users.officer_a, line=_line(feb), paid=False)
    mar.refresh_from_db()
    assert (mar.total_payable, mar.version) == (1_500_000, version + 1)
    assert _line(mar).carried_from_id == _line(feb).pk
    # Now carried, it is recorded in March's list, not February's.
    with pytest.raises(ValidationError, match="đã được chuyển"):
        services.payment_mark(
            actor=users.officer_a, line=_line(feb), paid=True, paid_on=dt.date(2025, 3, 2)
        )
    assert _line(feb).paid_status == PaymentLine.PaidStatus.UNPAID
    mar.refresh_from_db()
    assert mar.total_payable == 1_500_000


def test_a_payment_not_collected_is_refused_once_next_months_list_is_approved(decided, users, demo):
    decided()
    feb = _approve(users, _prepare(users, demo, FEB))
    _approve(users, _prepare(users, demo, MAR))
    with pytest.raises(ValidationError, match="không còn được chuyển"):
        services.payment_mark(actor=users.officer_a, line=_line(feb), paid=False)
    assert _line(feb).paid_status == PaymentLine.PaidStatus.PENDING


def test_a_mark_between_the_batch_read_and_its_write_is_carried(decided, users, demo):
    """The province's batch reads every commune first and writes later: a payment marked not
    collected in between is still carried (read again under the lock of last month's lists)."""
    decided()
    feb = _approve(users, _prepare(users, demo, FEB))
    province = demo.commune_a.province_id
    inputs = payments._read_inputs([demo.commune_a.code], MAR)  # the batch's read
    services.payment_mark(actor=users.officer_a, line=_line(feb), paid=False)  # meanwhile
    from django.db import transaction

    from treem.assistance import rules

    with transaction.atomic():
        done, refused = payments._write_lists(
            actor=None,
            commune_codes=[demo.commune_a.code],
            first_day=MAR,
            rules_=rules.load_rules(province_code=province),
            inputs=inputs,
            audit_each=False,
        )
    assert not refused
    mar, _n = done[demo.commune_a.code]
    assert mar.total_payable == 1_500_000
