"""Pages of the dossier list, a recipient's changes and the health-insurance cards: thin views
that parse a form, call a service or selector through `treem.assistance.access`, and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.assistance import access, changes, dossier_list, forms, health_cards, rules
from treem.assistance.models import RecipientChange
from treem.assistance.services import recipient_case
from treem.audit.services import audit_record
from treem.core.parsing import parse_page
from treem.geo.models import Commune
from treem.lib import allowance
from treem.lib.allowance import Month


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _require_view(user) -> None:
    if not access.can(user, access.Action.ASSISTANCE_VIEW):
        raise PermissionDenied


def _communes(user) -> list[tuple[str, str]]:
    j = user.jurisdiction
    qs = Commune.objects.all()
    if j.commune_codes:
        qs = qs.filter(code__in=j.commune_codes)
    elif j.province_code:
        qs = qs.filter(province_id=j.province_code)
    else:
        qs = qs.none()
    return list(qs.order_by("name_folded").values_list("code", "name"))


def _filter(request) -> tuple[forms.DossierFilterForm, dossier_list.DossierFilter]:
    form = forms.DossierFilterForm(request.GET or None, communes=_communes(request.user))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return form, dossier_list.DossierFilter(
            status=d["status"],
            commune=d["commune"],
            basis=d["basis"],
            applied_from=d["applied_from"],
            applied_to=d["applied_to"],
            query=d["q"],
        )
    return form, dossier_list.DossierFilter()


@login_required
def dossier_list_view(request):
    user = request.user
    _require_view(user)
    form, f = _filter(request)
    if form.is_bound and not form.is_valid():
        _form_errors(request, form)
    qs = dossier_list.dossier_list(user=user, f=f)
    page = Paginator(qs, 50).get_page(parse_page(request.GET.get("page")))
    rows = list(page.object_list)
    bases = dossier_list.bases_of(rows)
    audit_record(
        actor=user,
        action="search",
        object_type="assistance.dossier_list",
        details={"n": page.paginator.count, "filtered": bool(request.GET)},
    )
    return render(
        request,
        "assistance/dossier_list.html",
        {
            "form": form,
            "page": page,
            "rows": [(d, bases[d.pk]) for d in rows],
            "total": page.paginator.count,
            "show_commune": len(_communes(user)) > 1,
        },
    )


@login_required
def dossier_export_view(request):
    user = request.user
    _require_view(user)
    _form, f = _filter(request)
    qs = dossier_list.dossier_list(user=user, f=f)
    title = _("Danh sách hồ sơ trợ cấp xã hội (lập ngày %(d)s)") % {
        "d": timezone.localdate().strftime("%d/%m/%Y")
    }
    content = dossier_list.dossiers_xlsx(qs, title=title)
    audit_record(
        actor=user,
        action="export",
        object_type="assistance.dossier_list",
        details={"format": "xlsx", "filtered": bool(request.GET)},
    )
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="ho-so-tro-cap-{timezone.localdate():%Y-%m-%d}.xlsx"'
    )
    return response


def _amounts(recipient, months: int = 4) -> list[tuple]:
    """This month and the next ones, as the calculator gives them now."""
    rules_ = rules.load_rules(province_code=recipient.commune.province_id)
    start = Month.of(timezone.localdate())
    end = start
    for _i in range(months - 1):
        end = end.next()
    found = {
        m.month: m
        for m in allowance.entitlement(
            recipient_case(recipient, to_month=end), rules_, window_from=start, check=False
        )
    }
    out = []
    month = start
    while month <= end:
        item = found.get(month)
        out.append((month.first_day(), item.amount if item else 0, item.coefficient if item else 0))
        month = month.next()
    return out


@login_required
@require_http_methods(["GET", "POST"])
def recipient_change_view(request, pk: int):
    user = request.user
    recipient = access.recipient_get_for_user(user, pk)
    may_decide = access.can_decide(user, recipient.commune_id) and recipient.ended_on is None
    current = changes.current_disability(recipient, timezone.localdate())
    form = forms.RecipientChangeForm(
        request.POST or None,
        initial={
            # The level a reassessment most often finds: the other of the two severe levels.
            "disability": changes.DISABILITY_BASES[0]
            if current != changes.DISABILITY_BASES[0]
            else changes.DISABILITY_BASES[1],
            "version": recipient.version,
            "event_on": timezone.localdate(),
            "decided_on": timezone.localdate(),
        },
    )
    if request.method == "POST":
        if not may_decide:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            try:
                change = changes.recipient_change(
                    actor=user,
                    recipient=recipient,
                    expected_version=d["version"],
                    kind=d["kind"],
                    event_on=d["event_on"],
                    decision_number=d["decision_number"],
                    decided_on=d["decided_on"],
                    signer=d["signer"],
                    reason=d["reason"],
                    disability=d["disability"],
                    studying_until=d["studying_until"],
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(
                    request,
                    _("Đã ghi quyết định %(n)s: áp dụng từ tháng %(m)s.")
                    % {"n": change.decision_number, "m": change.effective_month.strftime("%m/%Y")},
                )
                return redirect("assistance:recipient_change", recipient.pk)
        else:
            _form_errors(request, form)
    history = recipient.changes.select_related("actor").order_by("-created_at", "-id")
    return render(
        request,
        "assistance/recipient_change.html",
        {
            "recipient": recipient,
            "child": recipient.child,
            "current_disability": current,
            "amounts": _amounts(recipient),
            "form": form if may_decide else None,
            "history": history,
            "kinds": dict(RecipientChange.Kind.choices),
        },
    )


# ---- Health-insurance cards -----------------------------------------------------------------


@login_required
def health_cards_view(request):
    user = request.user
    _require_view(user)
    today = timezone.localdate()
    commune = request.GET.get("commune") or None
    if commune and not access.can_view(user, commune):
        raise Http404
    missing = health_cards.entitled_without_card(user=user, today=today, commune_code=commune)
    cards = health_cards.cards_for_user(user).select_related("child", "commune")
    if commune:
        cards = cards.filter(commune_id=commune)
    in_progress = list(
        cards.filter(status__in=[health_cards.S.REQUESTED, health_cards.S.ISSUED]).order_by(
            "requested_on", "id"
        )[:200]
    )
    audit_record(
        actor=user,
        action="search",
        object_type="assistance.health_cards",
        details={"commune": commune or "", "missing": len(missing)},
    )
    return render(
        request,
        "assistance/health_cards.html",
        {
            "missing": [(m, access.can_prepare(user, m.commune_code)) for m in missing[:500]],
            "missing_count": len(missing),
            "in_progress": in_progress,
            "request_form": forms.CardRequestForm(initial={"requested_on": today}),
            "show_commune": len(_communes(user)) > 1,
        },
    )


@login_required
@require_POST
def health_card_request_view(request, pk: int):
    recipient = access.recipient_get_for_user(request.user, pk)
    # Refused first, whatever the form holds (as the card's other steps are).
    if not access.can_prepare(request.user, recipient.commune_id):
        raise PermissionDenied
    form = forms.CardRequestForm(request.POST)
    if form.is_valid():
        try:
            card = health_cards.health_card_request(
                actor=request.user,
                recipient=recipient,
                requested_on=form.cleaned_data["requested_on"],
            )
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("assistance:health_cards")
        messages.success(request, _("Đã ghi đề nghị cấp thẻ BHYT."))
        return redirect("assistance:health_card", card.pk)
    _form_errors(request, form)
    return redirect("assistance:health_cards")


_CARD_FORMS = {
    "issue": forms.CardIssueForm,
    "deliver": forms.CardDeliverForm,
    "cancel": forms.CardCancelForm,
}


@login_required
def health_card_view(request, pk: int):
    user = request.user
    card = access.health_card_get_for_user(user, pk)
    today = timezone.localdate()
    v = {"version": card.version}
    initial = {
        "issue": v | {"issued_on": today, "valid_from": today},
        "deliver": v | {"delivered_on": today},
        "cancel": v,
    }
    actions = [
        (a, health_cards.ACTION_LABELS[a], _CARD_FORMS[a](initial=initial[a]))
        for a in health_cards.allowed_actions(user, card)
    ]
    return render(
        request,
        "assistance/health_card.html",
        {"card": card, "actions": actions, "labels": health_cards.ACTION_LABELS},
    )


@login_required
@require_POST
def health_card_action_view(request, pk: int, action: str):
    user = request.user
    card = access.health_card_get_for_user(user, pk)
    if action not in _CARD_FORMS:
        raise Http404
    if not access.can_prepare(user, card.commune_id):
        raise PermissionDenied
    form = _CARD_FORMS[action](request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect("assistance:health_card", card.pk)
    d = form.cleaned_data
    try:
        if action == "issue":
            health_cards.health_card_issue(
                actor=user,
                card=card,
                expected_version=d["version"],
                card_number=d["card_number"],
                issued_on=d["issued_on"],
                valid_from=d["valid_from"],
                valid_to=d["valid_to"],
            )
        elif action == "deliver":
            health_cards.health_card_deliver(
                actor=user,
                card=card,
                expected_version=d["version"],
                delivered_on=d["delivered_on"],
                received_by=d["received_by"],
            )
        else:
            health_cards.health_card_cancel(
                actor=user, card=card, expected_version=d["version"], reason=d["reason"]
            )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(
            request, _("Đã ghi: %(step)s.") % {"step": health_cards.ACTION_LABELS[action]}
        )
    return redirect("assistance:health_card", card.pk)
