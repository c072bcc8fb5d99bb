"""Reads of the people app. Everything a user sees is scoped here through `access`; the figures
fed to the indicators app come from the same functions, without a user."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import ExtractYear

from treem.accounts.jurisdiction import Level
from treem.geo.models import Commune, Village
from treem.lib.text import fold, vi_sort_key
from treem.people import access
from treem.people.models import (
    Attendance,
    Nomination,
    NominationStatus,
    Person,
    PostKind,
    ServicePeriod,
    TrainingTopic,
)


@functools.lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    return vi_sort_key(name)


def _active(qs: QuerySet, on: datetime.date, prefix: str = "") -> QuerySet:
    return qs.filter(
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": on}),
        **{f"{prefix}started_on__lte": on},
    )


# ---- Register


def people_list(
    *,
    user,
    q: str = "",
    kind: str = "",
    commune_code: str = "",
    current_only: bool = True,
    on: datetime.date | None = None,
) -> QuerySet:
    on = on or datetime.date.today()
    qs = access.scope_people(user, Person.objects.all()).select_related("commune", "organisation")
    if q:
        qs = qs.filter(name_folded__contains=fold(q))
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    periods = _active(ServicePeriod.objects.filter(person=OuterRef("pk")), on)
    if kind:
        periods = periods.filter(kind=kind)
    if current_only or kind:
        qs = qs.filter(Exists(periods))
    return qs.order_by("sort_key", "id")


def current_periods(persons: list[Person], on: datetime.date) -> dict[int, list[ServicePeriod]]:
    out: dict[int, list[ServicePeriod]] = defaultdict(list)
    for period in _active(ServicePeriod.objects.filter(person__in=persons), on).prefetch_related(
        "villages"
    ):
        out[period.person_id].append(period)
    return out


# ---- Training


def required_topics() -> dict[str, list[TrainingTopic]]:
    by_kind: dict[str, list[TrainingTopic]] = defaultdict(list)
    for topic in TrainingTopic.objects.filter(is_active=True):
        for kind in topic.required_for or []:
            by_kind[kind].append(topic)
    return by_kind


def certified_topics(person_ids, on: datetime.date) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    rows = (
        Attendance.objects.filter(person_id__in=person_ids, certified=True, course__ends_on__lte=on)
        .values_list("person_id", "course__topic_id")
        .distinct()
    )
    for person_id, topic_id in rows:
        out[person_id].add(topic_id)
    return out


@dataclass
class Need:
    person: Person
    kinds: list[str]
    missing: list[TrainingTopic]


def training_needs(*, user, on: datetime.date | None = None) -> list[Need]:
    """Each current person in the user's reach with the required topics they hold no
    certificate for."""
    on = on or datetime.date.today()
    required = required_topics()
    periods = list(
        _active(
            ServicePeriod.objects.filter(
                person__in=access.scope_people(user, Person.objects.all())
            ),
            on,
        ).select_related("person", "person__commune")
    )
    kinds: dict[int, set[str]] = defaultdict(set)
    people: dict[int, Person] = {}
    for period in periods:
        kinds[period.person_id].add(period.kind)
        people[period.person_id] = period.person
    held = certified_topics(list(people), on)
    needs = []
    for pid, person in people.items():
        wanted = {t.pk: t for k in kinds[pid] for t in required.get(k, [])}
        missing = [t for tid, t in wanted.items() if tid not in held.get(pid, set())]
        if missing:
            needs.append(Need(person, sorted(kinds[pid]), sorted(missing, key=lambda t: t.name)))
    needs.sort(key=lambda n: (n.person.sort_key, n.person.pk))
    return needs


# ---- Coverage


@dataclass
class CommuneCoverage:
    commune: Commune
    officials: int = 0
    responsible: list[str] = field(default_factory=list)
    trained_responsible: bool = False
    trained_officials: int = 0
    collaborators: int = 0
    villages: int = 0
    villages_without: list[str] = field(default_factory=list)
    # The number of villages without a collaborator when their names were not read.
    uncovered_count: int | None = None

    @property
    def villages_covered(self) -> int:
        if self.uncovered_count is not None:
            return self.villages - self.uncovered_count
        return self.villages - len(self.villages_without)


@dataclass
class TurnoverYear:
    year: int
    at_start: int
    left: int
    joined: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.left / self.at_start, 1) if self.at_start else None


@dataclass
class Coverage:
    on: datetime.date
    rows: list[CommuneCoverage]
    turnover: list[TurnoverYear]

    @property
    def gaps(self) -> list[CommuneCoverage]:
        return [r for r in self.rows if not r.trained_responsible]

    @property
    def totals(self) -> dict[str, int]:
        return {
            "communes": len(self.rows),
            "with_trained": sum(1 for r in self.rows if r.trained_responsible),
            "officials": sum(r.officials for r in self.rows),
            "collaborators": sum(r.collaborators for r in self.rows),
            "villages": sum(r.villages for r in self.rows),
            "villages_covered": sum(r.villages_covered for r in self.rows),
        }


def coverage_for_communes(
    communes: QuerySet,
    on: datetime.date,
    *,
    turnover_years: int = 5,
    village_names: bool = True,
) -> Coverage:
    """Coverage of the given communes on a day, in a fixed number of grouped queries whatever
    their number (a province's 95 communes and thousands of staff included): the communes with
    their collaborator and village counts, the officials with their training, the turnover, and
    (with `village_names`) the villages no collaborator covers. Without `village_names` the
    villages without a collaborator are counted, not named, in the same first query.

    A commune is covered when its responsible official (is_responsible) holds a certificate for
    every topic required of commune officials; a village is covered when a collaborator whose
    period is current on that day covers it.
    """
    current = _active(ServicePeriod.objects.all(), on)
    collaborators = current.filter(kind=PostKind.VILLAGE_COLLABORATOR)
    covering = ServicePeriod.villages.through.objects.filter(
        village_id=OuterRef("pk"),
        serviceperiod__in=collaborators.values("pk"),
    )
    # Per commune, as subqueries of the one commune query: a round trip costs more than the
    # counting on a loaded machine (bench/people.py).
    communes = list(
        communes.annotate(
            n_collaborators=_count_subquery(
                collaborators.filter(commune_id=OuterRef("code")).values("commune_id")
            ),
            n_villages=_count_subquery(
                Village.objects.filter(commune_id=OuterRef("code")).values("commune_id")
            ),
            n_uncovered=_count_subquery(
                Village.objects.filter(commune_id=OuterRef("code"))
                .exclude(Exists(covering))
                .values("commune_id")
            ),
        )
    )
    communes.sort(key=lambda c: _name_key(c.name))
    codes = [c.code for c in communes]
    rows = {c.code: CommuneCoverage(commune=c) for c in communes}
    uncovered: dict[str, int] = {}
    for c in communes:
        row = rows[c.code]
        row.collaborators = c.n_collaborators or 0
        row.villages = c.n_villages or 0
        uncovered[c.code] = c.n_uncovered or 0
    officials = current.filter(commune_id__in=codes, kind=PostKind.COMMUNE_OFFICIAL)
    required = [t.pk for t in required_topics().get(PostKind.COMMUNE_OFFICIAL, [])]
    # The officials are few (one to a handful per commune): one query reads them with whether
    # each holds every required certificate, then they are counted in Python.
    trained = trained_people_query(officials.values("person_id"), required, on)
    for commune_id, is_responsible, name, is_trained in (
        officials.annotate(
            is_trained=ExpressionWrapper(Q(person_id__in=trained), output_field=BooleanField())
        )
        .values_list("commune_id", "is_responsible", "person__full_name", "is_trained")
        .order_by("person__sort_key")
    ):
        row = rows[commune_id]
        row.officials += 1
        row.trained_officials += int(is_trained)
        if is_responsible:
            row.responsible.append(name)
            row.trained_responsible = row.trained_responsible or is_trained
    if village_names:
        names = (
            Village.objects.filter(commune_id__in=codes)
            .exclude(Exists(covering))
            .order_by("name_folded")
            .values_list("commune_id", "name")
        )
        for commune_id, name in names:
            rows[commune_id].villages_without.append(name)
    else:
        for code, n in uncovered.items():
            rows[code].uncovered_count = n
    return Coverage(
        on=on,
        rows=list(rows.values()),
        turnover=turnover(codes, on.year, turnover_years),
    )


def _count_subquery(qs: QuerySet) -> Subquery:
    return Subquery(
        qs.order_by().annotate(n=Func(F("commune_id"), function="COUNT")).values("n")[:1],
        output_field=IntegerField(),
    )


def trained_people_query(person_ids, required: list[int], on: datetime.date) -> QuerySet:
    """A subquery of `person_id`s certified by `on` in every topic of `required`."""
    qs = Attendance.objects.filter(
        person_id__in=person_ids, certified=True, course__ends_on__lte=on
    )
    if not required:
        return ServicePeriod.objects.filter(person_id__in=person_ids).values("person_id").distinct()
    return (
        qs.filter(course__topic_id__in=required)
        .values("person_id")
        .annotate(topics=Count("course__topic_id", distinct=True))
        .filter(topics=len(required))
        .values("person_id")
    )


def turnover(codes: list[str], last_year: int, years: int) -> list[TurnoverYear]:
    """Per year: staff and collaborators in post on 1 January, how many left and joined in the
    year. Turnover = left ÷ in post on 1 January.

    Two grouped queries (periods by start year, by end year) whatever the number of people: in
    post on 1 January of Y = started before Y − ended before Y, since a period that ended before
    Y also started before it."""
    spans = ServicePeriod.objects.filter(
        commune_id__in=codes,
        kind__in=[PostKind.COMMUNE_OFFICIAL, PostKind.VILLAGE_COLLABORATOR],
    )
    # One grouped query on (start year, end year) pairs: at most a few hundred rows.
    started: dict[int, int] = defaultdict(int)
    ended: dict[int, int] = defaultdict(int)
    for start_year, end_year, n in (
        spans.annotate(sy=ExtractYear("started_on"), ey=ExtractYear("ended_on"))
        .values("sy", "ey")
        .annotate(n=Count("id"))
        .values_list("sy", "ey", "n")
        .order_by()
    ):
        started[start_year] += n
        if end_year is not None:
            ended[end_year] += n
    out = []
    for year in range(last_year - years + 1, last_year + 1):
        before = sum(n for y, n in started.items() if y < year) - sum(
            n for y, n in ended.items() if y < year
        )
        out.append(TurnoverYear(year, before, ended.get(year, 0), started.get(year, 0)))
    return out


def coverage_for_user(
    *, user, on: datetime.date | None = None, village_names: bool = True
) -> Coverage:
    on = on or datetime.date.today()
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        communes = Commune.objects.filter(province_id=j.province_code)
    elif j.level == Level.COMMUNE:
        communes = Commune.objects.filter(code__in=j.commune_codes)
    else:
        communes = Commune.objects.none()
    return coverage_for_communes(communes, on, village_names=village_names)


# ---- Commendation


def nominations_for_user(*, user, status: str = "", movement_id: int | None = None) -> QuerySet:
    qs = access.scope_nominations(user, Nomination.objects.all()).select_related(
        "nominating_unit", "award_form", "person", "movement", "decision"
    )
    if status:
        qs = qs.filter(status=status)
    if movement_id:
        qs = qs.filter(movement_id=movement_id)
    return qs.order_by("nominee_sort_key", "id")


@dataclass
class HistoryRow:
    nominee_key: str
    name: str
    kind: str
    times: int
    since: int
    sort_key: str


def award_history(*, user, q: str = "", kind: str = "") -> QuerySet:
    """One row per person or collective ever awarded in the user's reach: how many times and the
    first year ("khen thưởng 3 lần từ 2012"). Grouped in the database so that 5,000 nominations
    cost one query per page."""
    qs = access.scope_nominations(user, Nomination.objects.all()).filter(
        status=NominationStatus.AWARDED
    )
    if kind:
        qs = qs.filter(nominee_kind=kind)
    if q:
        key = fold(q)
        qs = qs.filter(
            Q(person__name_folded__contains=key)
            | Q(nominee_key__startswith="c:", nominee_key__contains=key)
        )
    return (
        qs.values("nominee_key", "nominee_kind")
        .annotate(
            times=Count("id"),
            since=Min(ExtractYear("awarded_on")),
            sort=Min("nominee_sort_key"),
            person_id=Min("person_id"),
            collective=Min("collective_name"),
            person_name=Min("person__full_name"),
        )
        .order_by("sort", "nominee_key")
    )


def awards_of(*, user, nominee_key: str) -> QuerySet:
    return (
        access.scope_nominations(user, Nomination.objects.all())
        .filter(nominee_key=nominee_key, status=NominationStatus.AWARDED)
        .select_related("award_form", "decision", "nominating_unit")
        .order_by("awarded_on", "id")
    )


def commended_counts(
    *, province_code: str, commune_code: str | None, year_from: int, year_to: int
) -> list[tuple[str, str, int, int]]:
    """(level label, form name, collectives, individuals) awarded in the years, for the review
    report."""
    qs = Nomination.objects.filter(
        status=NominationStatus.AWARDED,
        province_id=province_code,
        awarded_on__year__gte=year_from,
        awarded_on__year__lte=year_to,
    )
    if commune_code:
        qs = qs.filter(commune_id=commune_code)
    rows = (
        qs.values("award_form__level", "award_form__name")
        .annotate(
            collectives=Count("id", filter=Q(nominee_kind="collective")),
            individuals=Count("id", filter=Q(nominee_kind="individual")),
        )
        .order_by("award_form__level", "award_form__name")
    )
    from treem.people.models import AwardForm

    labels = dict(AwardForm.Level.choices)
    return [
        (
            str(labels.get(r["award_form__level"], r["award_form__level"])),
            r["award_form__name"],
            r["collectives"],
            r["individuals"],
        )
        for r in rows
    ]
