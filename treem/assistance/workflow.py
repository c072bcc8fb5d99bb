"""The dossier workflow: one transition table, read by the services, the views and the templates.

status → {action: (next status, who may do it)}; "prepare" is the commune worker, "decide" the
commune chairman (see `treem.assistance.access`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from treem.assistance import access
from treem.assistance.models import Dossier

S = Dossier.Status

TRANSITIONS: dict[str, dict[str, tuple[str, str]]] = {
    S.DRAFT: {"review": (S.REVIEWED, "prepare"), "refuse": (S.REFUSED, "decide")},
    S.REVIEWED: {"post": (S.POSTED, "prepare"), "refuse": (S.REFUSED, "decide")},
    S.POSTED: {"decide": (S.DECIDED, "decide"), "refuse": (S.REFUSED, "decide")},
    S.DECIDED: {},
    S.REFUSED: {},
}

ACTION_LABELS = {
    "create": _("Lập hồ sơ"),
    "document": _("Đính kèm giấy tờ"),
    "review": _("Hội đồng xét duyệt"),
    "post": _("Niêm yết công khai"),
    "decide": _("Quyết định trợ cấp"),
    "refuse": _("Không đồng ý trợ cấp"),
    "end": _("Thôi hưởng"),
    "change": _("Quyết định điều chỉnh trợ cấp"),
}

# The steps of the stepper on the dossier page, in order.
STEPS = [S.DRAFT, S.REVIEWED, S.POSTED, S.DECIDED]


def can_do(user, dossier: Dossier, action: str) -> bool:
    move = TRANSITIONS.get(dossier.status, {}).get(action)
    if move is None:
        return False
    role = move[1]
    if role == "prepare":
        return access.can_prepare(user, dossier.commune_id)
    return access.can_decide(user, dossier.commune_id)


def allowed_actions(user, dossier: Dossier) -> list[str]:
    return [a for a in TRANSITIONS.get(dossier.status, {}) if can_do(user, dossier, a)]
