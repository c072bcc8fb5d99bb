"""What part of the map a data access covers, and the one function that applies it to a query.

Every selector of personal data calls `scope_queryset`; no view or serializer filters by place
itself. A user's jurisdiction is built by `treem.accounts.jurisdiction.jurisdiction_for` (which
also re-exports these names): the notion itself is geographic and needs nothing of accounts, so
`treem.geo` can scope its own lists without importing the layer above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from django.db.models import Q, QuerySet


class Level(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"
    VILLAGES = "villages"
    NONE = "none"


@dataclass(frozen=True)
class Jurisdiction:
    level: Level
    province_code: str | None = None
    commune_codes: frozenset[str] = field(default_factory=frozenset)
    village_ids: frozenset[int] = field(default_factory=frozenset)

    def covers_commune(self, commune_code: str | None) -> bool:
        """Whether a record placed in this commune lies inside the jurisdiction."""
        if not commune_code:
            return False
        if self.level == Level.PROVINCE:
            return self._commune_in_province(commune_code)
        if self.level in (Level.COMMUNE, Level.VILLAGES):
            return commune_code in self.commune_codes
        return False

    def _commune_in_province(self, commune_code: str) -> bool:
        from treem.geo.models import Commune

        return Commune.objects.filter(code=commune_code, province_id=self.province_code).exists()


NO_JURISDICTION = Jurisdiction(level=Level.NONE)


def scope_queryset(
    qs: QuerySet,
    jurisdiction: Jurisdiction,
    *,
    commune_field: str = "commune",
    village_field: str | None = "village",
    province_field: str | None = None,
) -> QuerySet:
    """Restrict `qs` to the rows inside `jurisdiction`.

    `commune_field` names the path to the row's commune; the province is reached through it unless
    `province_field` names a direct path. A village collaborator sees only rows placed in one of
    their villages: a row known only at commune level is outside their reach.
    """
    if jurisdiction.level == Level.PROVINCE:
        path = province_field or f"{commune_field}__province"
        return qs.filter(**{path: jurisdiction.province_code})
    if jurisdiction.level == Level.COMMUNE:
        return qs.filter(**{f"{commune_field}__in": jurisdiction.commune_codes})
    if jurisdiction.level == Level.VILLAGES and village_field:
        return qs.filter(Q(**{f"{village_field}__in": jurisdiction.village_ids}))
    return qs.none()
