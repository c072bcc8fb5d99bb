"""Expected status of every assistance route for every persona (format: tests/route_matrix.py).

Per-record pages go through `treem.assistance.access.*_get_for_user`, which scopes by role and
jurisdiction: a role without the assistance grants, or a commune outside the user's, gets 404."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    """A decided dossier of commune A (with its recipient) and an approved payment list of
    commune A with one line, from the assistance demo."""
    from treem.assistance.models import Dossier, PaymentList, Recipient

    recipient = Recipient.objects.filter(commune=ctx.commune_a).order_by("pk").first()
    from treem.registry.models import Child

    child = (
        Child.objects.filter(commune=ctx.commune_a, merged_into__isnull=True).order_by("pk").first()
    )
    # The query string cannot name a record before the demo exists: fill it in now.
    ROUTES["assistance:dossier_new"].query["child"] = str(child.pk)
    from treem.accounts.models import User
    from treem.assistance import health_cards

    card = health_cards.health_card_request(
        actor=User.objects.get(username="canbo.a"),
        recipient=recipient,
        requested_on=recipient.decided_on,
    )
    payment_list = (
        PaymentList.objects.filter(commune=ctx.commune_a, lines__isnull=False)
        .order_by("pk")
        .first()
    )
    return {
        "dossier_a": Dossier.objects.filter(commune=ctx.commune_a).order_by("pk").first(),
        "recipient_a": recipient,
        "payment_list_a": payment_list,
        "payment_line_a": payment_list.lines.order_by("pk").first(),
        "health_card_a": card,
        "payment_pay_line_a": payment_list.lines.filter(kind="payment").order_by("pk").first(),
    }


_VIEW = {"specialist": 200, "chairman_a": 200, "officer_a": 200, "officer_b": 200}
_RECORD_A = {"specialist": 200, "chairman_a": 200, "officer_a": 200}


def _dossier(o):
    return {"pk": o["dossier_a"].pk}


def _list(o):
    return {"pk": o["payment_list_a"].pk}


ROUTES = {
    # Aggregates only (leadership): redirected to the province figures.
    "assistance:index": route(200, admin=403, leader=302, collaborator_a=403, partner=403),
    "assistance:scan": route(403, **_VIEW),
    # Only the commune worker prepares a dossier; a child the user may not open is 404 (as the
    # registry's door answers), one they may open but not prepare for is 403.
    # Every dossier the user may see (scoped in the list itself); the export likewise.
    "assistance:dossier_list": route(403, **_VIEW),
    "assistance:dossier_export": route(403, **_VIEW),
    # A recipient's changes: read by whoever may open the recipient, recorded by the chairman.
    "assistance:recipient_change": route(
        404, **_RECORD_A, kwargs=lambda o: {"pk": o["recipient_a"].pk}
    ),
    # Requesting a card: the commune worker of the recipient's commune only; refused before the
    # form is read (as the card's other steps).
    "assistance:health_card_request": route(
        405,
        kwargs=lambda o: {"pk": o["recipient_a"].pk},
        post=route(404, specialist=403, chairman_a=403, officer_a=200),
    ),
    "assistance:health_cards": route(403, **_VIEW),
    "assistance:health_card": route(
        404, **_RECORD_A, kwargs=lambda o: {"pk": o["health_card_a"].pk}
    ),
    # Issuing, delivering or cancelling a card: the commune worker of the card's commune only.
    "assistance:health_card_action": route(
        405,
        kwargs=lambda o: {"pk": o["health_card_a"].pk, "action": "issue"},
        post=route(404, specialist=403, chairman_a=403, officer_a=200),
    ),
    "assistance:dossier_new": route(
        404,
        specialist=403,
        chairman_a=403,
        officer_a=200,
        collaborator_a=403,
        query={"child": ""},  # filled in by objects(): a child of commune A
    ),
    "assistance:dossier_detail": route(404, **_RECORD_A, kwargs=_dossier),
    "assistance:dossier_document": route(
        405, kwargs=_dossier, post=route(404, specialist=200, chairman_a=200, officer_a=200)
    ),
    # dossier_a is decided: no step is left, so the review is refused to everyone who may open it
    # (a draft's review is the commune worker's, workflow.TRANSITIONS); others do not find it.
    "assistance:dossier_action": route(
        405,
        kwargs=lambda o: {"pk": o["dossier_a"].pk, "action": "review"},
        post=route(404, specialist=403, chairman_a=403, officer_a=403),
    ),
    "assistance:recipient_end": route(
        405,
        kwargs=lambda o: {"pk": o["recipient_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "assistance:payment_list_prepare": route(
        405, post=route(200, admin=404, specialist=404, leader=404)
    ),
    # Every commune's drafts at once: the province specialist only.
    "assistance:payment_runs": route(403, specialist=200),
    "assistance:payment_list": route(404, **_RECORD_A, kwargs=_list),
    "assistance:payment_list_approve": route(
        405, kwargs=_list, post=route(404, specialist=403, chairman_a=200, officer_a=403)
    ),
    "assistance:payment_mark": route(
        405,
        kwargs=lambda o: {"pk": o["payment_list_a"].pk, "line_pk": o["payment_line_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    # Deductions are entered by the commune worker; others who may read the list get 403.
    "assistance:payment_deduction": route(
        404,
        specialist=403,
        chairman_a=403,
        officer_a=200,
        kwargs=lambda o: {"pk": o["payment_list_a"].pk, "line_pk": o["payment_pay_line_a"].pk},
    ),
    "assistance:payment_list_export": route(
        404, **_RECORD_A, kwargs=lambda o: {"pk": o["payment_list_a"].pk, "fmt": "xlsx"}
    ),
    # Figures of the user's own communes (aggregates or the commune's own assistance work).
    "assistance:province": route(200, admin=403, collaborator_a=403, partner=403),
    "assistance:calculator": route(200, admin=403, collaborator_a=403, partner=403),
    "assistance:rules": route(200, admin=403, collaborator_a=403, partner=403),
    # Public: the applicant follows a dossier by its code.
    "assistance:track": route(200, anonymous=200),
    "api:assistance:calculate": route(
        405,
        anonymous=401,
        post=route(200, anonymous=401, admin=403, collaborator_a=403, partner=403),
    ),
    "api:assistance:dossier_list": route(403, anonymous=401, **_VIEW),
    "api:assistance:track": route(
        200, anonymous=200, kwargs=lambda o: {"code": o["dossier_a"].tracking_code}
    ),
    "api:assistance:list_list": route(403, anonymous=401, **_VIEW),
    "api:assistance:list_detail": route(404, anonymous=401, **_RECORD_A, kwargs=_list),
    "api:assistance:list_approve": route(
        405,
        anonymous=401,
        kwargs=_list,
        post=route(404, anonymous=401, specialist=200, chairman_a=200, officer_a=200),
    ),
}
