"""The registry's side of duplicate detection: turning children into the engine's records, the
in-memory index one new child is checked against, and the province-wide scan.

The engine (`treem.lib.dedup`) knows no Django. Checking one child against a million takes it a
few milliseconds once an `Index` is built, but building one reads the whole province (seconds at
a million children). So each process keeps one index per province, built on first use, plus a
"delta": children created or changed since the index was built, read from the database on each
check through the `updated_at` index (a handful of rows) and scored with a small index of their
own. When the delta grows past `DELTA_REBUILD` rows the big index is rebuilt. Merged,
deactivated and restricted children found by the big index are dropped after the fact by one
query on their ids, so a stale index never shows a child that is no longer in the registry.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from treem.lib.dedup import DEFAULT_THRESHOLD, Candidate, Index, find_pairs
from treem.registry.models import Child, ChildCarer, Relationship

# Delta rows beyond which the big index is rebuilt rather than carrying a growing side index.
DELTA_REBUILD = 5000
# Candidates scoring at least this are shown before saving. Lower than the engine's pair threshold
# on purpose: a person looks at these, and a missed duplicate costs more than one more line.
SHOW_THRESHOLD = 0.2
_FIELDS = (
    "id",
    "full_name",
    "birth_date",
    "birth_date_precision",
    "sex",
    "commune_id",
    "address",
    "id_number",
)


def birth_date_text(born: dt.date | None, precision: str) -> str:
    if born is None:
        return ""
    if precision == "year":
        return "%04d" % born.year
    if precision == "month":
        return "%04d-%02d" % (born.year, born.month)
    return born.isoformat()


def _parents(children) -> dict[int, tuple[str, str]]:
    """{child_id: (mother's name, father's name)} for the children of a queryset.

    A subquery, never a list of ids: SQLite plans `IN (20,000 parameters)` very badly."""
    qs = ChildCarer.objects.filter(
        relationship__in=[Relationship.MOTHER, Relationship.FATHER],
        child__in=children.values("pk"),
    )
    out: dict[int, list[str]] = {}
    for child_id, rel, name in qs.values_list("child_id", "relationship", "person__full_name"):
        pair = out.setdefault(child_id, ["", ""])
        pair[0 if rel == Relationship.MOTHER else 1] = name
    return {k: (v[0], v[1]) for k, v in out.items()}


def live_children() -> Q:
    """Children that take part in duplicate detection: in use, not merged, not restricted."""
    return Q(is_active=True, merged_into__isnull=True, processing_restricted=False)


def child_records(qs) -> Iterator[dict[str, str]]:
    """Engine records for the children of `qs` (two queries, whatever the size)."""
    rows = list(qs.values_list(*_FIELDS))
    parents = _parents(qs)
    for cid, name, born, precision, sex, commune, address, idn in rows:
        mother, father = parents.get(cid, ("", ""))
        yield {
            "record_id": str(cid),
            "full_name": name,
            "birth_date": birth_date_text(born, precision),
            "sex": sex,
            "commune_code": commune,
            "address": address,
            "mother_name": mother,
            "father_name": father,
            "id_number": idn,
        }


@dataclass
class _ProvinceIndex:
    index: Index
    built_from: dt.datetime  # rows changed at or after this moment are read as the delta
    size: int


_lock = threading.Lock()
_indexes: dict[str, _ProvinceIndex] = {}


def _province_qs(province_code: str):
    return Child.objects.filter(live_children(), province_id=province_code)


def _index_for(province_code: str) -> _ProvinceIndex:
    with _lock:
        entry = _indexes.get(province_code)
        if entry is None:
            started = timezone.now()
            records = list(child_records(_province_qs(province_code)))
            entry = _ProvinceIndex(Index(records), started, len(records))
            _indexes[province_code] = entry
        return entry


def index_forget(province_code: str | None = None) -> None:
    """Drop the cached index (all provinces when None): the next check rebuilds it."""
    with _lock:
        if province_code is None:
            _indexes.clear()
        else:
            _indexes.pop(province_code, None)


def index_warm(province_code: str) -> int:
    """Build the province's index now (at start-up or in a benchmark); returns its size."""
    return _index_for(province_code).size


def candidates_for(
    record: dict[str, str],
    *,
    province_code: str,
    exclude_id: int | None = None,
    threshold: float = SHOW_THRESHOLD,
    limit: int = 10,
) -> list[Candidate]:
    """Likely duplicates of `record` among the province's live children, best first."""
    entry = _index_for(province_code)
    found: dict[str, Candidate] = {}
    for c in entry.index.query(record, threshold=threshold, limit=limit * 2):
        found[c.record_id] = c
    delta_qs = _province_qs(province_code).filter(updated_at__gte=entry.built_from)
    delta_ids = list(delta_qs.values_list("id", flat=True)[: DELTA_REBUILD + 1])
    if len(delta_ids) > DELTA_REBUILD:
        index_forget(province_code)
    elif delta_ids:
        delta = [r for r in child_records(delta_qs) if _could_match(record, r)]
        # A changed child's old version may be in the big index: its delta version decides.
        for r in delta:
            found.pop(r["record_id"], None)
        if delta:
            for c in Index(delta).query(record, threshold=threshold, limit=limit):
                found[c.record_id] = c
    if exclude_id is not None:
        found.pop(str(exclude_id), None)
    if not found:
        return []
    # Drop children merged, deactivated or restricted since the big index was built.
    live = {
        str(i)
        for i in Child.objects.filter(live_children(), pk__in=[int(k) for k in found]).values_list(
            "pk", flat=True
        )
    }
    ranked = sorted((c for k, c in found.items() if k in live), key=lambda c: -c.score)
    return ranked[:limit]


def _could_match(query: dict[str, str], row: dict[str, str]) -> bool:
    """A cheap pre-filter for delta rows: the engine's own blocking decides the rest."""
    if query.get("id_number") and query["id_number"] == row["id_number"]:
        return True
    qy, ry = query.get("birth_date", "")[:4], row["birth_date"][:4]
    if qy and ry and abs(int(qy) - int(ry)) <= 1:
        return True
    return bool(query.get("commune_code") and query["commune_code"] == row["commune_code"])


def province_pairs(
    province_code: str, *, threshold: float = DEFAULT_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Every likely duplicate pair among the province's live children (the background scan)."""
    records = list(child_records(_province_qs(province_code)))
    return [(int(a), int(b), s) for a, b, s in find_pairs(records, threshold=threshold)]


def evidence_json(candidate: Candidate) -> list[dict]:
    return [
        {
            "field": e.field,
            "level": e.level,
            "similarity": e.similarity,
            "weight": e.weight,
            "value": e.value,
            "other_value": e.other_value,
        }
        for e in candidate.evidence
    ]
