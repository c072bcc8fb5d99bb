"""A user's jurisdiction: a province, a commune, or a set of villages.

The jurisdiction type and `scope_queryset` live in `treem.geo.jurisdiction` and are re-exported
here, where the apps above accounts have always imported them.
"""

from __future__ import annotations

from treem.geo.jurisdiction import NO_JURISDICTION, Jurisdiction, Level, scope_queryset

__all__ = ["NO_JURISDICTION", "Jurisdiction", "Level", "jurisdiction_for", "scope_queryset"]


def jurisdiction_for(user) -> Jurisdiction:
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_JURISDICTION
    if user.commune_id:
        return Jurisdiction(
            level=Level.COMMUNE,
            province_code=user.commune.province_id,
            commune_codes=frozenset([user.commune_id]),
        )
    village_ids = frozenset(user.villages.values_list("id", flat=True)) if user.pk else frozenset()
    if village_ids:
        communes = frozenset(user.villages.values_list("commune_id", flat=True))
        return Jurisdiction(level=Level.VILLAGES, commune_codes=communes, village_ids=village_ids)
    if user.province_id:
        return Jurisdiction(level=Level.PROVINCE, province_code=user.province_id)
    return NO_JURISDICTION
