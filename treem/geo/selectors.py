"""Reads of geography. Administrative units are public; villages are scoped to the user's
jurisdiction because they are where personal records are placed."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from treem.core.permissions import require
from treem.geo import actions
from treem.geo.jurisdiction import scope_queryset
from treem.geo.models import Commune, CommuneConversion, Province, Village
from treem.lib.text import fold


def provinces_search(*, query: str = "") -> QuerySet[Province]:
    qs = Province.objects.all()
    if query:
        qs = qs.filter(name_folded__contains=fold(query))
    return qs


def communes_search(*, province_code: str | None = None, query: str = "") -> QuerySet[Commune]:
    """Communes by province and accent-insensitive name (*bien hoa* finds *Biên Hòa*)."""
    qs = Commune.objects.select_related("province")
    if province_code:
        qs = qs.filter(province_id=province_code)
    if query:
        qs = qs.filter(name_folded__contains=fold(query))
    return qs


def commune_get(*, code: str) -> Commune:
    try:
        return Commune.objects.select_related("province").get(code=code)
    except Commune.DoesNotExist as exc:
        raise Http404 from exc


def communes_for_legacy(*, legacy_code: str) -> QuerySet[CommuneConversion]:
    return CommuneConversion.objects.filter(legacy_commune_id=legacy_code).select_related(
        "commune", "legacy_commune"
    )


def villages_for_user(*, user, commune_code: str | None = None) -> QuerySet[Village]:
    require(user, actions.VILLAGE_VIEW)
    qs = scope_queryset(
        Village.objects.select_related("commune"),
        user.jurisdiction,
        commune_field="commune",
        village_field="id",
    )
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    return qs


def village_get_for_user(*, user, pk: int) -> Village:
    """A village inside the user's jurisdiction; outside it, 404 (the record's existence is not
    revealed)."""
    try:
        return villages_for_user(user=user).get(pk=pk)
    except Village.DoesNotExist as exc:
        raise Http404 from exc


def communes_for_user(*, user) -> QuerySet[Commune]:
    """Communes the user works in (for pickers and dashboards)."""
    return scope_queryset(
        Commune.objects.select_related("province"),
        user.jurisdiction,
        commune_field="code",
        province_field="province",
        village_field="villages",
    ).distinct()
