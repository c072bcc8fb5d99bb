"""Reads of the registry. Every query of children goes through `children_for_user`, the one place
that applies the user's jurisdiction (and hides merged and restricted records)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Exists, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from treem.accounts.policy import Action, require
from treem.lib.text import fold
from treem.registry.access import children_scope
from treem.registry.keys import byte_order, byte_order_of
from treem.registry.models import (
    Child,
    ChildCarer,
    ChildMerge,
    DuplicatePair,
    Person,
    SpecialCircumstance,
)
from treem.registry.validation import born_after_for_age

# A child is a person under 16 (Law on Children 102/2016/QH13, Art. 1).
CHILD_AGE_LIMIT = 16

# Age groups of the list filter, as [from, to) in whole years; the statistics indicator set
# (Circular 13/2021/TT-BLĐTBXH) disaggregates by these bands.
AGE_GROUPS: dict[str, tuple[int, int]] = {
    "0-2": (0, 3),
    "3-5": (3, 6),
    "6-10": (6, 11),
    "11-15": (11, 16),
}


def active_q(today: dt.date) -> Q:
    """Children under 16 on `today`, computed from the birth date in the query itself.

    `birth_date_latest` is the last day the child may have been born on (the end of the month or
    year when only that is known), so a child whose birth date is partial stays on the list until
    the latest date they could turn 16: the registry never drops a child early.
    """
    return Q(birth_date_latest__gt=born_after_for_age(today, CHILD_AGE_LIMIT))


def age_group_q(group: str, today: dt.date) -> Q:
    lo, hi = AGE_GROUPS[group]
    # Age >= lo: born on or before today - lo years (earliest possible birth date counts).
    # Age < hi: born after today - hi years.
    return Q(birth_date__lte=born_after_for_age(today, lo)) & Q(
        birth_date_latest__gt=born_after_for_age(today, hi)
    )


@dataclass(frozen=True)
class ChildFilters:
    query: str = ""
    guardian: str = ""
    commune: str = ""
    village: int | None = None
    age_group: str = ""
    sex: str = ""
    circumstance: str = ""
    school_status: str = ""
    include_over_16: bool = False

    def as_audit(self) -> dict:
        """The filters without personal data: search text is reduced to its length."""
        return {
            "query_length": len(self.query),
            "guardian_length": len(self.guardian),
            "commune": self.commune,
            "village": self.village,
            "age_group": self.age_group,
            "sex": self.sex,
            "circumstance": self.circumstance,
            "school_status": self.school_status,
        }


_ID_LIKE = re.compile(r"^[\d\s.\-]{9,}$")


def children_for_user(
    *, user, filters: ChildFilters | None = None, today: dt.date
) -> QuerySet[Child]:
    """The active children (under 16, not merged, not restricted) the user may see, filtered and
    ordered by name. Name searches use the folded keys' indexes (prefix), never a scan."""
    f = filters or ChildFilters()
    qs = children_scope(user=user).filter(
        is_active=True, merged_into__isnull=True, processing_restricted=False
    )
    if not f.include_over_16:
        qs = qs.filter(active_q(today))
    if f.commune:
        qs = qs.filter(commune_id=f.commune)
    if f.village:
        qs = qs.filter(village_id=f.village)
    if f.sex:
        qs = qs.filter(sex=f.sex)
    if f.school_status:
        qs = qs.filter(school_status=f.school_status)
    if f.age_group in AGE_GROUPS:
        qs = qs.filter(age_group_q(f.age_group, today))
    if f.circumstance:
        # The children of the group's current periods, as a set the database reads first from
        # the (group, end date, child) index: few children are in one group, and an EXISTS per
        # child made SQLite visit every child of the province to count them (4.6 s at a million).
        current = SpecialCircumstance.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today),
            group=f.circumstance,
            start_date__lte=today,
        )
        qs = qs.filter(pk__in=current.values("child_id"))
    query = f.query.strip()
    if query:
        if _ID_LIKE.match(query):
            digits = "".join(ch for ch in query if ch.isdigit())
            qs = qs.filter(id_number=digits)
        else:
            key = fold(query)
            # Vietnamese order first: one prefix range on the column the list is ordered by, so
            # the database walks one index and stops after a page. Only when that finds nobody
            # is the name tried in Western order (given name first). One query with an OR of
            # both made PostgreSQL scan the whole name index at a million children.
            by_name = qs.filter(name_key__prefix=key)
            qs = by_name if by_name.exists() else qs.filter(name_key_given_first__prefix=key)
    if f.guardian.strip():
        return _by_guardian(qs, fold(f.guardian), hint=not query)
    # Vietnamese alphabetical order ("Dương" before "Đặng"), the same on SQLite and PostgreSQL.
    return qs.order_by(byte_order("name_sort"), "id")


def _by_guardian(qs: QuerySet[Child], key: str, *, hint: bool) -> QuerySet[Child]:
    """Children with a carer whose folded name starts with `key`, in the order of the carer's
    name, then of registration (child id).

    That order is exactly the (carer_name_key, child_id) index of the links, so the database
    reads the matching links in one range of that index, joins each to its child (where the
    jurisdiction and the other filters apply) and stops after a page: a few ms at a million
    children wherever the matches fall in the alphabet. Sorting by the *child's* name instead
    needs every match read and sorted first (1.8 s for "nguyen" on SQLite at a million), or a
    walk of the children in name order until enough match (0.3-0.9 s for "le van", whose
    matches are children named Lê, in the middle of the alphabet). A child with several
    matching carers appears once, under the first of them recorded.

    `hint` marks the key range as selective for SQLite's planner (see `SelectivePrefix`); it is
    left off when a name query narrows the children better than the carer's name does.
    """
    lookup = "carer_name_key__selective_prefix" if hint else "carer_name_key__prefix"
    qs = (
        qs.alias(
            guardian_link=FilteredRelation("carers", condition=Q(**{f"carers__{lookup}": key}))
        )
        .filter(guardian_link__isnull=False)
        .alias(
            guardian_link_id=F("guardian_link__pk"),
            guardian_key=F("guardian_link__carer_name_key"),
            guardian_child=F("guardian_link__child_id"),
        )
    )
    earlier = ChildCarer.objects.filter(
        child=OuterRef("pk"), carer_name_key__prefix=key, pk__lt=OuterRef("guardian_link_id")
    )
    return qs.filter(~Exists(earlier)).order_by(byte_order("guardian_key"), "guardian_child")


# Above this page number a list is certainly past its end: Việt Nam has about 26 million children
# under 16, 520,000 pages of 50. The bound keeps OFFSET inside the databases' 64-bit integers (a
# page number of 22 digits made SQLite fail with "datatype mismatch").
MAX_PAGE = 1_000_000


class InvalidPage(ValueError):
    """A page number that is not a whole number from 1 to MAX_PAGE."""


def page_number(raw: str | None) -> int:
    """The page number of a query string; absent means 1. Raises InvalidPage otherwise."""
    if raw is None or raw == "":
        return 1
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_PAGE)):
        raise InvalidPage(raw)
    page = int(text)
    if not 1 <= page <= MAX_PAGE:
        raise InvalidPage(raw)
    return page


def children_page(
    qs: QuerySet[Child], *, page: int, per_page: int = 50
) -> tuple[list[Child], bool]:
    """One page of a list and whether another follows, without counting the whole set (a
    COUNT(*) over a province's million children costs more than the page itself). A page past
    MAX_PAGE is empty without asking the database."""
    page = max(1, page)
    if page > MAX_PAGE:
        return [], False
    start = (page - 1) * per_page
    rows = list(qs.select_related("commune", "village")[start : start + per_page + 1])
    return rows[:per_page], len(rows) > per_page


# The child list's total: exact while it is cheap to count, that is up to this many children (a
# bounded COUNT over at most this many index entries: any commune, any search); above it, the
# exact count of a province's list costs a scan of its children (hundreds of milliseconds at a
# million on PostgreSQL, more than the page), so it is counted once and kept for a few minutes,
# and the page says when it was counted.
COUNT_EXACT_LIMIT = 10_000
COUNT_CACHE_SECONDS = 600


@dataclass(frozen=True)
class ListTotal:
    n: int
    counted_at: dt.datetime | None = None  # None: counted now, exactly


def sorted_after_reading(qs: QuerySet[Child]) -> QuerySet[Child]:
    """The same list in the same order (Vietnamese, then registration), for a list known to hold
    at most COUNT_EXACT_LIMIT children: the database reads the matching children through the
    filters' own indexes and sorts them, instead of walking the province's name index in order
    until a page is found. The walk is right for a long list, whose children come up at once;
    for a short one it reads every name before the matches' place in the alphabet (2.6 s for
    "tran thi", aged 11-15, among a million children on PostgreSQL, against 20 ms sorted). The
    sort key is written as an expression no index serves, so no planner takes the walk."""
    from django.db.models import Value
    from django.db.models.functions import Concat

    return qs.order_by(byte_order_of(Concat("name_sort", Value(""))), "id")


def children_total(qs: QuerySet[Child], *, cache_key: str) -> ListTotal:
    """The number of children in a list (see COUNT_EXACT_LIMIT)."""
    qs = qs.order_by()
    # A large list counted a moment ago is not counted again, not even up to the limit (that
    # bounded count alone took 200-400 ms for a carer's name shared by 20,000 children).
    key = "registry:list-total:" + hashlib.sha256(cache_key.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return ListTotal(hit[0], hit[1])
    n = qs[: COUNT_EXACT_LIMIT + 1].count()
    if n <= COUNT_EXACT_LIMIT:
        return ListTotal(n)
    total = ListTotal(qs.count(), timezone.now())
    cache.set(key, (total.n, total.counted_at), COUNT_CACHE_SECONDS)
    return total


def merges_of(child: Child) -> QuerySet[ChildMerge]:
    return ChildMerge.objects.filter(Q(survivor=child) | Q(merged=child)).select_related(
        "survivor", "merged", "merged_by", "undone_by"
    )


def duplicate_pairs_for_user(*, user, status: str = "open") -> QuerySet[DuplicatePair]:
    """Pairs whose both children lie in the user's jurisdiction."""
    require(user, Action.CHILD_MERGE)
    visible = children_scope(user=user).values("pk")
    return (
        DuplicatePair.objects.filter(status=status, child_a__in=visible, child_b__in=visible)
        .select_related("child_a__commune", "child_b__commune")
        .order_by("-score", "id")
    )


def persons_by_name(*, key: str) -> QuerySet[Person]:
    return Person.objects.filter(name_key__prefix=fold(key))


@dataclass(frozen=True)
class DashboardCounts:
    total: int
    special: int
    counted_at: dt.datetime | None = None  # None: counted now, exactly


def dashboard_counts(*, user, today: dt.date) -> DashboardCounts:
    """Children in the user's jurisdiction and, of them, those in special circumstances now.

    Exact while the jurisdiction holds at most COUNT_EXACT_LIMIT children (a bounded count);
    above, counted once and kept for COUNT_CACHE_SECONDS with the time of counting, as the
    list's total is. The dashboard is the page read at every sign-in: counting a commune of
    87,000 children (a large list being imported) took 220 ms a request on SQLite, more than the
    rest of the page."""
    qs = children_for_user(user=user, today=today).order_by()
    current = SpecialCircumstance.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=today),
        child=OuterRef("pk"),
        start_date__lte=today,
    )
    key = f"registry:dashboard-counts:{user.pk}:{today.isoformat()}"
    hit = cache.get(key)
    if hit is not None:
        return DashboardCounts(*hit)
    n = qs[: COUNT_EXACT_LIMIT + 1].count()
    if n <= COUNT_EXACT_LIMIT:
        return DashboardCounts(n, qs.filter(Exists(current)).count())
    counts = DashboardCounts(qs.count(), qs.filter(Exists(current)).count(), timezone.now())
    cache.set(key, (counts.total, counts.special, counts.counted_at), COUNT_CACHE_SECONDS)
    return counts


# How many children a search-to-pick shows: enough to choose among namesakes, small enough to read.
PICK_LIMIT = 20


def child_search(
    *, user, name: str, born: str, parent: str, exclude: str = "", today: dt.date
) -> tuple[list[Child], bool]:
    """Children the user may see matching a name, a birth date (any precision) and a parent's
    name, for picking one (linking a case, merging records). ([children], searched?)."""
    from treem.registry.validation import DateParseError, parse_birth_date

    name, born, parent = name.strip(), born.strip(), parent.strip()
    if not (name or parent) and not born:
        return [], False
    filters = ChildFilters(query=name, guardian=parent, include_over_16=True)
    qs = children_for_user(user=user, filters=filters, today=today)
    if born:
        try:
            earliest, latest, _precision = parse_birth_date(born)
        except DateParseError:
            return [], True
        # Overlapping periods: a child recorded with only a year matches a full date in it.
        qs = qs.filter(birth_date__lte=latest, birth_date_latest__gte=earliest)
    if exclude.isdigit():
        qs = qs.exclude(pk=int(exclude))
    rows = list(
        qs.select_related("commune", "village").prefetch_related(
            Prefetch(
                "carers",
                queryset=ChildCarer.objects.select_related("person").order_by("id"),
            )
        )[:PICK_LIMIT]
    )
    return rows, True
