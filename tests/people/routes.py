"""Expected status of every people route for every persona (format: tests/route_matrix.py).

Grants (treem/accounts/policy.py `_PEOPLE_GRANTS`): commune staff (chairman, worker) see and manage
their commune's staff and nominations; the province specialist everything, plus training, movements,
meetings and decisions; leadership reads coverage and the commendation record (and votes where it
sits on the council). The system administrator, collaborators and partners have no grant."""

from tests.route_matrix import pk_of, route


def objects(ctx) -> dict:
    """A staff member and a nomination of commune A; the province's course, movement, council
    meeting and decision, from the people demo."""
    from treem.people.models import (
        Attendance,
        Council,
        CouncilMeeting,
        CouncilMember,
        Course,
        Decision,
        Movement,
        Nomination,
        Person,
    )

    nominations = Nomination.objects.filter(commune=ctx.commune_a).order_by("pk")
    return {
        "person_a": Person.objects.filter(commune=ctx.commune_a).order_by("pk").first(),
        "people_course": Course.objects.order_by("pk").first(),
        "people_movement": Movement.objects.order_by("pk").first(),
        "nomination_a": nominations.first(),
        "nomination_file_a": nominations.exclude(report_file="").first() or nominations.first(),
        "council_meeting": CouncilMeeting.objects.order_by("pk").first(),
        "award_decision": Decision.objects.order_by("pk").first(),
        "people_attendance": Attendance.objects.order_by("pk").first(),
        "people_council": Council.objects.order_by("pk").first(),
        "council_member": CouncilMember.objects.order_by("pk").first(),
    }


# Commune staff and the province specialist.
_STAFF = {"specialist": 200, "chairman_a": 200, "officer_a": 200, "officer_b": 200}
# The same, and leadership (coverage, the commendation record).
_READ = {**_STAFF, "leader": 200}
# A record of commune A: 404 to a role that cannot see it and to commune B.
_RECORD_A = {"specialist": 200, "chairman_a": 200, "officer_a": 200}


ROUTES = {
    "people:coverage": route(403, **_READ),
    "people:staff_list": route(403, **_STAFF),
    "people:staff_new": route(403, **_STAFF),
    "people:person_detail": route(404, **_RECORD_A, kwargs=pk_of("person_a")),
    "people:period_add": route(
        405,
        kwargs=pk_of("person_a"),
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "people:period_end": route(
        405,
        kwargs=pk_of("person_a"),
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    # Linking a person to an account: those who manage the person (404 to those who cannot see
    # them, as for the person's page).
    "people:person_account": route(404, **_RECORD_A, kwargs=pk_of("person_a")),
    "people:course_list": route(403, **_STAFF),
    "people:course_new": route(403, specialist=200),
    "people:course_detail": route(403, **_STAFF, kwargs=pk_of("people_course")),
    "people:training_needs": route(403, **_STAFF),
    # Linking a course to a budget line: the province's training manager only.
    "people:course_budget": route(
        405, kwargs=pk_of("people_course"), post=route(403, specialist=200)
    ),
    # Correcting an attendance: the province's training manager only.
    "people:attendance_correct": route(403, specialist=200, kwargs=pk_of("people_attendance")),
    "people:movement_list": route(403, **_READ),
    "people:movement_new": route(403, specialist=200),
    "people:movement_detail": route(403, **_READ, kwargs=pk_of("people_movement")),
    "people:nomination_new": route(403, **_STAFF, kwargs=pk_of("people_movement")),
    # Leadership reads the commendation record of the whole province.
    "people:nomination_detail": route(404, **_RECORD_A, leader=200, kwargs=pk_of("nomination_a")),
    "people:nomination_file": route(
        404,
        **_RECORD_A,
        leader=200,
        kwargs=lambda o: {"pk": o["nomination_file_a"].pk, "which": "report"},
    ),
    "people:nomination_withdraw": route(
        405,
        kwargs=pk_of("nomination_a"),
        post=route(404, specialist=200, leader=403, chairman_a=200, officer_a=200),
    ),
    # Returning a dossier: the council's secretariat (the province specialist) only.
    "people:nomination_return": route(403, specialist=200, kwargs=pk_of("nomination_a")),
    # Completing it: the nominating unit (and the province); leadership reads it but may not.
    "people:nomination_resubmit": route(404, **_RECORD_A, leader=403, kwargs=pk_of("nomination_a")),
    "people:council_list": route(403, specialist=200),
    "people:council_detail": route(403, specialist=200, kwargs=pk_of("people_council")),
    # Recording that a member left: the awards specialist only (as the council page).
    "people:council_member_remove": route(
        405, kwargs=pk_of("council_member"), post=route(403, specialist=200)
    ),
    "people:meeting_new": route(403, specialist=200),
    # The awards specialist and the council's members only.
    "people:meeting_detail": route(
        403, specialist=200, leader=200, kwargs=pk_of("council_meeting")
    ),
    # Only a member of the meeting's council votes (docs/people.md): anyone else is refused
    # before the form is read; a member's empty POST (no nomination) is a 400, not a refusal.
    "people:vote": route(
        405,
        kwargs=pk_of("council_meeting"),
        post=route(403, specialist=200, leader=200),
    ),
    "people:meeting_close": route(
        405, kwargs=pk_of("council_meeting"), post=route(403, specialist=200)
    ),
    "people:decision_new": route(403, specialist=200, kwargs=pk_of("council_meeting")),
    "people:decision_detail": route(403, **_READ, kwargs=pk_of("award_decision")),
    "people:certificates_pdf": route(403, **_READ, kwargs=pk_of("award_decision")),
    "people:annex": route(
        403, **_READ, kwargs=lambda o: {"pk": o["award_decision"].pk, "fmt": "xlsx"}
    ),
    "people:history": route(403, **_READ),
    "api:people:staff_list": route(403, anonymous=401, **_STAFF),
    "api:people:coverage": route(403, anonymous=401, **_READ),
    "api:people:nomination_list": route(403, anonymous=401, **_READ),
    "api:people:vote_create": route(
        405,
        anonymous=401,
        kwargs=pk_of("council_meeting"),
        post=route(200, anonymous=401, collaborator_a=404),
    ),
}
