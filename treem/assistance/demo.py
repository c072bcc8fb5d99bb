"""Demo social assistance for `manage.py seed_demo`: from the registry's demo children in special
circumstances, a few recipients in communes A and B walked through the real services (dossier,
council review, posting, decision), last month's payment list approved and paid, this month's
prepared as a draft, and two dossiers still in progress. Deterministic (children taken in record
order, dates relative to today) and idempotent (nothing is done if the demo dossiers exist)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.utils import timezone

from treem.assistance import services
from treem.assistance.models import Dossier, PaymentList
from treem.lib.allowance import Month, add_years
from treem.registry.models import Child

_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_BASIS_OF_GROUP = {
    "a": "no_support",
    "b": "no_support",
    "c": "no_support",
    "d": "disability_severe",
}


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _PDF, content_type="application/pdf")


def _candidates(commune, today: dt.date) -> list[tuple[Child, str, dt.date | None]]:
    out = []
    qs = (
        Child.objects.filter(
            Q(circumstances__group__in=list(_BASIS_OF_GROUP)),
            commune=commune,
            source_ref__startswith="demo:",
            birth_date__gt=add_years(today, -15),
            birth_date__lt=today - dt.timedelta(days=200),
        )
        .prefetch_related("circumstances")
        .distinct()
        .order_by("pk")
    )
    for child in qs:
        circ = next(c for c in child.circumstances.all() if c.group in _BASIS_OF_GROUP)
        out.append((child, _BASIS_OF_GROUP[circ.group], circ.start_date))
    return out


def _walk(child, basis, since, *, worker, chairman, applied, number, decide=True):
    dossier = services.dossier_create(
        actor=worker,
        child=child,
        applicant_name="Nguyễn Thị Hạnh",
        applicant_relation="Bà nội",
        applied_on=applied,
        bases=[{"basis": basis, "basis_from": since if since and since <= applied else None}],
        payment_channel="bank" if number % 3 == 0 else ("post" if number % 3 == 1 else "cash"),
        bank_name="Agribank" if number % 3 == 0 else "",
        account_number=f"5900205{number:06d}" if number % 3 == 0 else "",
    )
    for kind in services.required_documents(dossier):
        services.document_add(actor=worker, dossier=dossier, kind=kind, upload=_pdf(f"{kind}.pdf"))
    if not decide:
        return dossier
    dossier = services.dossier_review(
        actor=worker,
        dossier=dossier,
        expected_version=dossier.version,
        reviewed_on=applied + dt.timedelta(days=2),
        review_note="Hội đồng thống nhất đề nghị trợ cấp.",
        minutes=_pdf("bien-ban-hoi-dong.pdf"),
    )
    dossier = services.dossier_post(
        actor=worker,
        dossier=dossier,
        expected_version=dossier.version,
        posted_on=applied + dt.timedelta(days=3),
    )
    services.dossier_decide(
        actor=chairman,
        dossier=dossier,
        expected_version=dossier.version,
        decision_number=f"{number:03d}/QĐ-UBND",
        decided_on=dossier.posting_until + dt.timedelta(days=3),
        signer=chairman.full_name,
    )
    return dossier


def seed(ctx) -> None:
    communes = [ctx.commune_a, ctx.commune_b]
    if Dossier.objects.filter(commune__in=communes).exists():
        return
    today = timezone.localdate()
    this_month = Month.of(today)
    last_month = this_month.prev()
    # Decisions about three months ago, so last month's list pays arrears for none and this
    # month's is an ordinary month.
    applied = this_month.prev().prev().prev().first_day() + dt.timedelta(days=4)
    number = 0
    for key, commune in (("a", ctx.commune_a), ("b", ctx.commune_b)):
        worker, chairman = ctx.users.get(f"canbo.{key}"), ctx.users.get(f"chutich.{key}")
        if worker is None or chairman is None:
            continue
        candidates = _candidates(commune, today)
        # Some decided, one in progress, the rest left for the entitlement scan to find.
        decided = candidates[:3]
        pending = candidates[3:4]
        for child, basis, since in decided:
            number += 1
            _walk(
                child,
                basis,
                since,
                worker=worker,
                chairman=chairman,
                applied=applied,
                number=number,
            )
        for child, basis, since in pending:
            number += 1
            _walk(
                child,
                basis,
                since,
                worker=worker,
                chairman=chairman,
                applied=today - dt.timedelta(days=3),
                number=number,
                decide=False,
            )
        if not decided:
            continue
        for month in months_between(Month.of(applied).next(), last_month):
            payment_list = services.payment_list_prepare(
                actor=worker, commune_code=commune.code, month=month.first_day()
            )
            payment_list = services.payment_list_approve(
                actor=chairman, payment_list=payment_list, expected_version=payment_list.version
            )
            for i, line in enumerate(payment_list.lines.filter(kind="payment").order_by("id")):
                paid = not (month == last_month and i == 0)
                services.payment_mark(
                    actor=worker,
                    line=line,
                    paid=paid,
                    paid_on=month.first_day() + dt.timedelta(days=9) if paid else None,
                )
        if not PaymentList.objects.filter(commune=commune, month=this_month.first_day()).exists():
            services.payment_list_prepare(
                actor=worker, commune_code=commune.code, month=this_month.first_day()
            )


def months_between(first: Month, last: Month) -> list[Month]:
    out, m = [], first
    while m <= last:
        out.append(m)
        m = m.next()
    return out
