"""Who may see and do what in the people app: the rules in one place.

- A commune's staff see and manage their own commune's staff and nominations; the province sees
  all. Provincial and partner staff (no commune) are seen by the province only.
- Only members of the council vote, and only in a meeting that is open.
- The province specialist manages training, movements, meetings and decisions.
- Provincial leadership reads coverage and the commendation record.
Role permissions come from `treem.accounts.policy`; the place from the user's jurisdiction.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from treem.accounts.jurisdiction import Level, scope_queryset
from treem.accounts.policy import Action, can
from treem.audit.services import audit_record
from treem.people.models import CouncilMeeting, CouncilMember, Nomination, Person


def province_code(user) -> str | None:
    return user.jurisdiction.province_code


def is_province(user) -> bool:
    return user.jurisdiction.level == Level.PROVINCE


def scope_people(user, qs: QuerySet) -> QuerySet:
    if not can(user, Action.STAFF_VIEW):
        return qs.none()
    return scope_queryset(
        qs,
        user.jurisdiction,
        commune_field="commune",
        village_field=None,
        province_field="province",
    )


def scope_nominations(user, qs: QuerySet) -> QuerySet:
    if not can(user, Action.NOMINATION_VIEW):
        return qs.none()
    return scope_queryset(
        qs,
        user.jurisdiction,
        commune_field="commune",
        village_field=None,
        province_field="province",
    )


def covers_person(user, person: Person) -> bool:
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        return person.province_id == j.province_code
    if j.level == Level.COMMUNE:
        return person.commune_id in j.commune_codes
    return False


def can_manage_person(user, person: Person) -> bool:
    return can(user, Action.STAFF_MANAGE) and covers_person(user, person)


def person_get_for_user(user, pk: int) -> Person:
    """The person, if the user may see them; 404 otherwise. Writes the read audit."""
    person = (
        scope_people(user, Person.objects.all())
        .select_related("commune", "organisation", "user")
        .filter(pk=pk)
        .first()
    )
    if person is None:
        raise Http404
    audit_record(actor=user, action="view", obj=person)
    return person


def nomination_get_for_user(user, pk: int) -> Nomination:
    nomination = (
        scope_nominations(user, Nomination.objects.all())
        .select_related(
            "movement", "nominating_unit", "award_form", "person", "meeting", "decision"
        )
        .filter(pk=pk)
        .first()
    )
    if nomination is None:
        raise Http404
    audit_record(actor=user, action="view", obj=nomination)
    return nomination


def council_seat(user, meeting: CouncilMeeting) -> CouncilMember | None:
    if not can(user, Action.AWARD_VOTE):
        return None
    return CouncilMember.objects.filter(
        council_id=meeting.council_id, user=user, is_active=True
    ).first()


def require_council_seat(user, meeting: CouncilMeeting) -> CouncilMember:
    """The user's seat on the meeting's council, or a refusal (403) that says why."""
    seat = council_seat(user, meeting)
    if seat is None:
        raise PermissionDenied(
            _(
                "Bạn không phải thành viên Hội đồng thi đua, khen thưởng của phiên họp này nên "
                "không được bỏ phiếu."
            )
        )
    return seat


def can_vote(user, meeting: CouncilMeeting) -> bool:
    return meeting.status == CouncilMeeting.Status.OPEN and council_seat(user, meeting) is not None


def can_manage_awards(user) -> bool:
    return can(user, Action.AWARD_MANAGE) and is_province(user)


def can_manage_training(user) -> bool:
    return can(user, Action.TRAINING_MANAGE) and is_province(user)


def can_submit_for(user, organisation) -> bool:
    """A commune submits for its own units; the province for any unit of the province."""
    if not can(user, Action.NOMINATION_SUBMIT):
        return False
    j = user.jurisdiction
    if j.level == Level.PROVINCE:
        return organisation.province_id == j.province_code
    if j.level == Level.COMMUNE:
        return organisation.commune_id in j.commune_codes
    return False


def require_manage_awards(user) -> None:
    if not can_manage_awards(user):
        raise PermissionDenied(
            _(
                "Chỉ chuyên viên cấp tỉnh phụ trách thi đua, khen thưởng mới làm được việc này. "
                "Hãy liên hệ Sở Y tế."
            )
        )


def require_manage_training(user) -> None:
    if not can_manage_training(user):
        raise PermissionDenied(
            _("Chỉ chuyên viên cấp tỉnh mới quản lý lớp tập huấn. Hãy liên hệ Sở Y tế.")
        )


def require_manage_person(user, person: Person) -> None:
    if not can_manage_person(user, person):
        raise PermissionDenied(
            _("Người này không thuộc đơn vị bạn quản lý nên bạn không thể sửa hồ sơ.")
        )


def can_sit_on_council(user, council) -> bool:
    """A council member is a provincial account of the council's province that may vote."""
    j = user.jurisdiction
    return (
        user.is_active
        and can(user, Action.AWARD_VOTE)
        and j.level == Level.PROVINCE
        and j.province_code == council.province_id
    )


def council_candidates(council):
    """Accounts that may be added to the council (active members excluded)."""
    from treem.accounts.models import User

    users = User.objects.filter(is_active=True, province_id=council.province_id).exclude(
        council_seats__council=council, council_seats__is_active=True
    )
    return [u for u in users if can_sit_on_council(u, council)]


def can_link_account(actor, user) -> bool:
    """An account may be linked to a person by someone whose area covers the account: the
    province any account of its province, a commune the accounts of its own communes."""
    j = actor.jurisdiction
    if not user.is_active:
        return False
    if j.level == Level.PROVINCE:
        return user.province_id == j.province_code
    if j.level == Level.COMMUNE:
        return _account_communes(user) <= set(j.commune_codes) and bool(_account_communes(user))
    return False


def _account_communes(user) -> set[str]:
    """The communes an account works in: its commune, or those of its villages (a collaborator)."""
    if user.commune_id:
        return {user.commune_id}
    return set(user.villages.values_list("commune_id", flat=True))


def linkable_accounts(actor):
    from treem.accounts.models import User

    j = actor.jurisdiction
    qs = User.objects.filter(is_active=True, person__isnull=True)
    if j.level == Level.PROVINCE:
        return qs.filter(province_id=j.province_code)
    if j.level == Level.COMMUNE:
        return qs.filter(
            Q(commune_id__in=j.commune_codes)
            | Q(commune__isnull=True, villages__commune_id__in=j.commune_codes)
        ).distinct()
    return qs.none()
