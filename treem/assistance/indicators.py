"""What the assistance app gives the indicators app and the review report, through
`treem.indicators.hooks` only (registered from AppConfig.ready()).

Computed figures, per commune, from the approved payment lists of the period:
- ALLOWANCE_RECIPIENTS: children paid the monthly allowance at least once in the period (count);
- ALLOWANCE_AMOUNT: đồng paid in the period (monthly amounts, arrears and carried sums).
"""

from __future__ import annotations

from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from treem.assistance.models import Basis, PaymentLine, PaymentList
from treem.indicators import hooks

RECIPIENTS = "ALLOWANCE_RECIPIENTS"
AMOUNT = "ALLOWANCE_AMOUNT"


def _lines(period_start, period_end, commune_codes):
    qs = PaymentLine.objects.filter(
        kind=PaymentLine.Kind.PAYMENT,
        payment_list__status=PaymentList.Status.APPROVED,
        payment_list__month__gte=period_start.replace(day=1),
        payment_list__month__lte=period_end,
    )
    if commune_codes is not None:
        qs = qs.filter(payment_list__commune_id__in=list(commune_codes))
    return qs


def recipients(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    rows = (
        _lines(request.period_start, request.period_end, request.commune_codes)
        .values("payment_list__commune_id")
        .annotate(n=Count("recipient", distinct=True))
    )
    return [hooks.CommuneFigure(r["payment_list__commune_id"], r["n"]) for r in rows]


def amount(request: hooks.ComputeRequest) -> list[hooks.CommuneFigure]:
    rows = (
        _lines(request.period_start, request.period_end, request.commune_codes)
        .values("payment_list__commune_id")
        .annotate(s=Sum("total"))
    )
    return [hooks.CommuneFigure(r["payment_list__commune_id"], int(r["s"] or 0)) for r in rows]


def report_section(scope: hooks.ReportScope) -> hooks.ReportSection | None:
    qs = PaymentLine.objects.filter(
        kind=PaymentLine.Kind.PAYMENT,
        payment_list__status=PaymentList.Status.APPROVED,
        payment_list__month__year__gte=scope.year_from,
        payment_list__month__year__lte=scope.year_to,
    )
    code = scope.unit_code
    if len(code) <= 2:
        qs = qs.filter(payment_list__commune__province_id=code)
    else:
        qs = qs.filter(payment_list__commune_id=code)
    by_year = list(
        qs.values("payment_list__month__year")
        .annotate(n=Count("recipient", distinct=True), s=Sum("total"))
        .order_by("payment_list__month__year")
    )
    if not by_year:
        return None
    labels = dict(Basis.choices)
    by_basis = list(
        qs.values("basis")
        .annotate(n=Count("recipient", distinct=True), s=Sum("total"))
        .order_by("basis")
    )
    total = sum(int(r["s"] or 0) for r in by_year)
    return hooks.ReportSection(
        title=_("Trợ giúp xã hội cho trẻ em"),
        paragraphs=[
            _(
                "Từ năm %(a)s đến năm %(b)s đã chi trả trợ cấp xã hội hằng tháng tổng cộng "
                "%(s)s đồng theo Nghị định 20/2021/NĐ-CP."
            )
            % {"a": scope.year_from, "b": scope.year_to, "s": f"{total:,}".replace(",", ".")}
        ],
        tables=[
            hooks.ReportTable(
                title=_("Trẻ em được chi trả và số tiền theo năm"),
                columns=[_("Năm"), _("Số trẻ"), _("Số tiền (đồng)")],
                rows=[[r["payment_list__month__year"], r["n"], int(r["s"] or 0)] for r in by_year],
            ),
            hooks.ReportTable(
                title=_("Theo diện hưởng"),
                columns=[_("Diện hưởng"), _("Số trẻ"), _("Số tiền (đồng)")],
                rows=[
                    [str(labels.get(r["basis"], _("Chỉ truy lĩnh"))), r["n"], int(r["s"] or 0)]
                    for r in by_basis
                ],
            ),
        ],
    )


def register() -> None:
    hooks.register_computed(RECIPIENTS, recipients)
    hooks.register_computed(AMOUNT, amount)
    hooks.register_report_section("assistance", report_section)
