"""The one door to a child's record (STYLE: one door per object type).

Every page, API view, export and import that reads a child or a pair of possible duplicates gets
it here: the query is scoped to the user's jurisdiction (`scope_queryset`), a record outside it
answers 404 (it does not exist for that user), the role is checked against the policy, and a read
of personal data writes its audit entry. Lists go through `selectors.children_for_user`, which
starts from `children_scope`.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from treem.accounts.jurisdiction import scope_queryset
from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record
from treem.registry.models import Child, ChildCarer, DuplicatePair, SpecialCircumstance


def children_scope(*, user) -> QuerySet[Child]:
    """Every child record inside the user's jurisdiction, merged and restricted ones included
    (for pages that must still open them); lists use `children_for_user`."""
    require(user, Action.CHILD_VIEW)
    return scope_queryset(
        Child.objects.all(),
        user.jurisdiction,
        commune_field="commune",
        village_field="village",
        province_field="province",
    )


def _child_for_user(*, user, pk: int) -> Child:
    try:
        return (
            children_scope(user=user)
            .select_related(
                "commune",
                "village",
                "current_commune",
                "household",
                "merged_into",
                "created_by",
            )
            .prefetch_related(
                Prefetch(
                    "carers",
                    queryset=ChildCarer.objects.select_related("person").order_by("id"),
                ),
                Prefetch(
                    "circumstances",
                    queryset=SpecialCircumstance.objects.select_related("subgroup"),
                ),
                "consents",
                Prefetch("merged_from", queryset=Child.objects.select_related("commune")),
            )
            .get(pk=pk)
        )
    except Child.DoesNotExist as exc:
        raise Http404 from exc


def child_get_for_user(*, user, pk: int, audit: bool = True, details: dict | None = None) -> Child:
    """A child inside the user's jurisdiction, with everything its page shows; 404 outside it.
    With `audit` (the default), the read is written to the audit log; callers that go on to
    change the record (whose service audits the change) pass `audit=False`."""
    child = _child_for_user(user=user, pk=pk)
    if audit:
        audit_record(actor=user, action="view", obj=child, details=details or {})
    return child


def duplicate_pair_get_for_user(*, user, pk: int, audit: bool = True) -> DuplicatePair:
    """A pair of possible duplicates whose two children the user may see; both reads audited."""
    require(user, Action.CHILD_MERGE)
    visible = children_scope(user=user).values("pk")
    try:
        pair = (
            DuplicatePair.objects.filter(child_a__in=visible, child_b__in=visible)
            .select_related("child_a__commune", "child_b__commune")
            .get(pk=pk)
        )
    except DuplicatePair.DoesNotExist as exc:
        raise Http404 from exc
    if audit:
        for c in (pair.child_a, pair.child_b):
            audit_record(actor=user, action="view", obj=c, details={"duplicate_pair": pk})
    return pair


def can_view_sensitive(user) -> bool:
    """ID and insurance numbers, ethnicity, health, disability: need-to-know."""
    return can(user, Action.CHILD_VIEW_SENSITIVE)


def can_change(user) -> bool:
    return can(user, Action.CHILD_CHANGE)


def can_merge(user) -> bool:
    return can(user, Action.CHILD_MERGE)
