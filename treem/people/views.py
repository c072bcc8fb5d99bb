"""Pages of the people app: thin views that parse a form, call a service or selector, render."""

from __future__ import annotations

import datetime
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record
from treem.core import budget_lines
from treem.core.forms import apply_validation_error
from treem.core.parsing import InvalidParameter, parse_id
from treem.people import access, documents, forms, selectors, services, workflow
from treem.people.models import (
    Attendance,
    Council,
    CouncilMeeting,
    CouncilMember,
    Course,
    Decision,
    Movement,
    Nomination,
    NominationStatus,
    Person,
    PostKind,
    Vote,
)


def _parse_day(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value) if value else datetime.date.today()
    except ValueError:
        return datetime.date.today()


# ---- Coverage and register


@login_required
def coverage_view(request):
    require(request.user, Action.COVERAGE_VIEW)
    on = _parse_day(request.GET.get("on"))
    # A province's 95-row table is shown on request; a commune sees its row at once. Without
    # the table the villages' names are not read (bench/people.py).
    want_table = request.GET.get("table") == "1" or not access.is_province(request.user)
    cov = selectors.coverage_for_user(user=request.user, on=on, village_names=want_table)
    return render(
        request,
        "people/coverage.html",
        {
            "cov": cov,
            "on": on,
            "can_staff": can(request.user, Action.STAFF_VIEW),
            "can_manage": can(request.user, Action.STAFF_MANAGE),
            "show_table": want_table or len(cov.rows) <= 10,
        },
    )


@login_required
def staff_list_view(request):
    require(request.user, Action.STAFF_VIEW)
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    qs = selectors.people_list(
        user=request.user,
        q=q,
        kind=kind if kind in PostKind.values else "",
        commune_code=request.GET.get("commune", ""),
        current_only=request.GET.get("all") != "1",
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    periods = selectors.current_periods(list(page.object_list), datetime.date.today())
    rows = [(p, periods.get(p.pk, [])) for p in page.object_list]
    audit_record(
        actor=request.user,
        action="search",
        object_type="people.person",
        details={"query_length": len(q), "kind": kind, "page": page.number},
    )
    return render(
        request,
        "people/staff_list.html",
        {
            "page": page,
            "rows": rows,
            "kinds": PostKind.choices,
            "can_manage": can(request.user, Action.STAFF_MANAGE),
        },
    )


def _start_period(user, person: Person, data: dict):
    return services.period_start(
        actor=user,
        person=person,
        kind=data["kind"],
        position=data["position"],
        started_on=data["started_on"],
        employment=data.get("employment") or "",
        is_responsible=data.get("is_responsible", False),
        commune=data.get("commune"),
        organisation=data.get("organisation"),
        villages=data.get("villages") or [],
    )


@login_required
@require_http_methods(["GET", "POST"])
def staff_new_view(request):
    require(request.user, Action.STAFF_MANAGE)
    form = forms.PersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        j = request.user.jurisdiction
        try:
            with transaction.atomic():
                person = services.person_register(
                    actor=request.user,
                    full_name=data["full_name"],
                    province=_province(j),
                    commune=data.get("commune"),
                    organisation=data.get("organisation"),
                    sex=data.get("sex") or "",
                    birth_year=data.get("birth_year"),
                    phone=data.get("phone") or "",
                )
                if not access.covers_person(request.user, person):
                    raise ValidationError(
                        {"commune": _("Bạn chỉ ghi được nhân lực của xã mình. Hãy chọn xã.")}
                    )
                _start_period(request.user, person, data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã ghi %(name)s vào danh sách.") % {"name": person})
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


def _province(j):
    from treem.geo.models import Province

    return Province.objects.get(code=j.province_code)


@login_required
def person_detail_view(request, pk: int):
    person = access.person_get_for_user(request.user, pk)
    periods = person.periods.select_related("commune", "organisation").prefetch_related("villages")
    attendances = person.attendances.select_related("course", "course__topic").order_by(
        "-course__starts_on"
    )
    awards = selectors.awards_of(user=request.user, nominee_key=f"p:{person.pk}")
    can_manage = access.can_manage_person(request.user, person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "periods": periods,
            "attendances": attendances,
            "awards": awards,
            "can_manage": can_manage,
            "period_form": forms.PeriodForm(user=request.user) if can_manage else None,
            "end_form": forms.PeriodEndForm(person=person) if can_manage else None,
        },
    )


@login_required
@require_POST
def period_add_view(request, pk: int):
    person = access.person_get_for_user(request.user, pk)
    access.require_manage_person(request.user, person)
    form = forms.PeriodForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            _start_period(request.user, person, form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã ghi thời gian công tác mới."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/period_form.html", {"form": form, "person": person})


@login_required
@require_POST
def period_end_view(request, pk: int):
    person = access.person_get_for_user(request.user, pk)
    access.require_manage_person(request.user, person)
    form = forms.PeriodEndForm(request.POST, person=person)
    if form.is_valid():
        try:
            services.period_end(
                actor=request.user,
                period=form.cleaned_data["period"],
                ended_on=form.cleaned_data["ended_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Đã ghi ngày thôi công tác."))
    else:
        messages.error(request, _("Hãy chọn vị trí và ngày thôi hợp lệ."))
    return redirect("people:person_detail", pk=person.pk)


# ---- Training


@login_required
def course_list_view(request):
    require(request.user, Action.STAFF_VIEW)
    courses = Course.objects.filter(province_id=access.province_code(request.user)).select_related(
        "topic", "organiser"
    )
    page = Paginator(courses, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "people/course_list.html",
        {"page": page, "can_manage": access.can_manage_training(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_new_view(request):
    access.require_manage_training(request.user)
    year = datetime.date.today().year
    form = forms.CourseForm(
        request.POST or None,
        user=request.user,
        budget_lines=budget_lines.choices(
            access.province_code(request.user), range(year - 1, year + 2)
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("people:course_detail", pk=course.pk)
    return render(
        request, "people/simple_form.html", {"form": form, "title": _("Lớp tập huấn mới")}
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_detail_view(request, pk: int):
    require(request.user, Action.STAFF_VIEW)
    course = get_object_or_404(
        Course.objects.select_related("topic", "organiser"),
        pk=pk,
        province_id=access.province_code(request.user),
    )
    people = access.scope_people(request.user, Person.objects.all())
    can_manage = access.can_manage_training(request.user)
    form = forms.AttendanceForm(request.POST or None, people=people) if can_manage else None
    if request.method == "POST":
        access.require_manage_training(request.user)
        if form.is_valid():
            services.attendance_record(actor=request.user, course=course, **form.cleaned_data)
            return redirect("people:course_detail", pk=course.pk)
    attendances = (
        course.attendances.filter(person__in=people)
        .select_related("person", "person__commune")
        .order_by("person__sort_key")
    )
    linked = budget_lines.describe([course.budget_line_ref]).get(course.budget_line_ref)
    budget_form = None
    if can_manage and budget_lines.available():
        budget_form = forms.CourseBudgetForm(
            lines=budget_lines.choices(
                course.province_id, range(course.starts_on.year, course.ends_on.year + 1)
            ),
            initial={"version": course.version, "budget_line_ref": course.budget_line_ref},
        )
    return render(
        request,
        "people/course_detail.html",
        {
            "course": course,
            "attendances": attendances,
            "form": form,
            "can_manage": can_manage,
            "linked_line": linked,
            "budget_form": budget_form,
        },
    )


@login_required
def training_needs_view(request):
    require(request.user, Action.STAFF_VIEW)
    needs = selectors.training_needs(user=request.user)
    page = Paginator(needs, 100).get_page(request.GET.get("page"))
    return render(
        request, "people/training_needs.html", {"page": page, "kinds": dict(PostKind.choices)}
    )


# ---- Emulation and commendation


@login_required
def movement_list_view(request):
    require(request.user, Action.NOMINATION_VIEW)
    movements = Movement.objects.filter(province_id=access.province_code(request.user))
    nominations = selectors.nominations_for_user(user=request.user)
    manage = access.can_manage_awards(request.user)
    meetings = (
        CouncilMeeting.objects.filter(council__province_id=access.province_code(request.user))
        .select_related("council")
        .order_by("-held_on")[:10]
    )
    decisions = Decision.objects.filter(province_id=access.province_code(request.user)).order_by(
        "-signed_on"
    )[:10]
    return render(
        request,
        "people/movement_list.html",
        {
            "movements": movements[:50],
            "waiting": nominations.filter(
                status__in=[
                    NominationStatus.SUBMITTED,
                    NominationStatus.RETURNED,
                    NominationStatus.IN_REVIEW,
                ]
            )[:50],
            "meetings": meetings,
            "decisions": decisions,
            "can_manage": manage,
            "can_vote": can(request.user, Action.AWARD_VOTE),
            "today": datetime.date.today(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def movement_new_view(request):
    access.require_manage_awards(request.user)
    form = forms.MovementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            movement = services.movement_launch(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("people:movement_detail", pk=movement.pk)
    return render(
        request, "people/simple_form.html", {"form": form, "title": _("Phát động phong trào")}
    )


def _movement_for(user, pk: int) -> Movement:
    return get_object_or_404(Movement, pk=pk, province_id=access.province_code(user))


@login_required
def movement_detail_view(request, pk: int):
    require(request.user, Action.NOMINATION_VIEW)
    movement = _movement_for(request.user, pk)
    nominations = selectors.nominations_for_user(user=request.user, movement_id=movement.pk)
    return render(
        request,
        "people/movement_detail.html",
        {
            "movement": movement,
            "nominations": nominations,
            "can_submit": can(request.user, Action.NOMINATION_SUBMIT),
            "open": datetime.date.today() <= movement.nomination_deadline,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_new_view(request, pk: int):
    require(request.user, Action.NOMINATION_SUBMIT)
    movement = _movement_for(request.user, pk)
    people = access.scope_people(request.user, Person.objects.all())
    initial = {"idempotency_key": uuid.uuid4().hex}
    form = forms.NominationForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        people=people,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = services.nomination_submit(
                actor=request.user,
                movement=movement,
                nominating_unit=data["nominating_unit"],
                award_form=data["award_form"],
                nominee_kind=data["nominee_kind"],
                person=data.get("person"),
                collective_name=data.get("collective_name") or "",
                nominee_unit=data["nominee_unit"],
                achievement_line=data["achievement_line"],
                achievement_report=data.get("achievement_report") or "",
                report_file=data.get("report_file"),
                minutes_file=data.get("minutes_file"),
                idempotency_key=data.get("idempotency_key") or "",
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "movement" in exc.error_dict:
                exc.error_dict.setdefault("__all__", []).extend(exc.error_dict.pop("movement"))
            apply_validation_error(form, exc)
        except PermissionDenied as exc:
            form.add_error("nominating_unit", str(exc))
        else:
            messages.success(request, _("Đã gửi hồ sơ đề nghị khen thưởng."))
            return redirect("people:nomination_detail", pk=nomination.pk)
    return render(request, "people/nomination_form.html", {"form": form, "movement": movement})


# The moves offered as buttons on a nomination's page, and where each one goes.
NOMINATION_PAGE_ACTIONS = {
    "withdraw": "people:nomination_withdraw",
    "return": "people:nomination_return",
    "resubmit": "people:nomination_resubmit",
}


@login_required
def nomination_detail_view(request, pk: int):
    nomination = access.nomination_get_for_user(request.user, pk)
    # The buttons are the transition table's moves this user may make on this dossier; the
    # scheduling and counting moves are made from the meeting page, not here.
    moves = [
        m
        for m in workflow.actions_for(
            request.user,
            nomination.status,
            is_own_unit=access.can_submit_for(request.user, nomination.nominating_unit),
            is_manager=access.can_manage_awards(request.user),
        )
        if m.action in NOMINATION_PAGE_ACTIONS
    ]
    moves = [(m, reverse(NOMINATION_PAGE_ACTIONS[m.action], args=[nomination.pk])) for m in moves]
    meeting = nomination.meeting
    my_vote = None
    can_vote = False
    if meeting is not None:
        seat = access.council_seat(request.user, meeting)
        if seat is not None:
            my_vote = Vote.objects.filter(nomination=nomination, member=seat).first()
            can_vote = access.can_vote(request.user, meeting) and my_vote is None
    return render(
        request,
        "people/nomination_detail.html",
        {
            "n": nomination,
            "events": nomination.events.select_related("actor"),
            "moves": moves,
            "my_vote": my_vote,
            "can_vote": can_vote and nomination.status == NominationStatus.IN_REVIEW,
            "history": selectors.awards_of(user=request.user, nominee_key=nomination.nominee_key),
        },
    )


@login_required
def nomination_file_view(request, pk: int, which: str):
    nomination = access.nomination_get_for_user(request.user, pk)
    field = {"report": nomination.report_file, "minutes": nomination.minutes_file}.get(which)
    if not field:
        raise Http404
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=field.name.rsplit("/", 1)[-1]
    )


@login_required
@require_POST
def nomination_withdraw_view(request, pk: int):
    nomination = access.nomination_get_for_user(request.user, pk)
    try:
        services.nomination_withdraw(actor=request.user, nomination=nomination)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã rút hồ sơ."))
    return redirect("people:nomination_detail", pk=nomination.pk)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_new_view(request):
    access.require_manage_awards(request.user)
    nominations = selectors.nominations_for_user(user=request.user)
    form = forms.MeetingForm(request.POST or None, user=request.user, nominations=nominations)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_open(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            return redirect("people:meeting_detail", pk=meeting.pk)
    return render(
        request, "people/simple_form.html", {"form": form, "title": _("Mở phiên họp Hội đồng")}
    )


def _meeting_for(user, pk: int) -> CouncilMeeting:
    require(user, Action.NOMINATION_VIEW)
    return get_object_or_404(
        CouncilMeeting.objects.select_related("council", "rule"),
        pk=pk,
        council__province_id=access.province_code(user),
    )


@login_required
def meeting_detail_view(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    if not (access.can_manage_awards(request.user) or access.council_seat(request.user, meeting)):
        raise PermissionDenied(
            _("Chỉ thành viên Hội đồng và chuyên viên thi đua xem được phiên họp.")
        )
    seat = access.council_seat(request.user, meeting)
    items = list(
        meeting.nominations.select_related("person", "award_form", "nominating_unit").order_by(
            "nominee_sort_key", "id"
        )
    )
    mine = (
        set(
            Vote.objects.filter(meeting=meeting, member=seat).values_list(
                "nomination_id", flat=True
            )
        )
        if seat
        else set()
    )
    tallies = {}
    if access.can_manage_awards(request.user):
        for v in Vote.objects.filter(meeting=meeting).values("nomination_id", "in_favour"):
            yes, total = tallies.get(v["nomination_id"], (0, 0))
            tallies[v["nomination_id"]] = (yes + int(v["in_favour"]), total + 1)
    rows = [(n, n.pk in mine, tallies.get(n.pk, (0, 0))) for n in items]
    return render(
        request,
        "people/meeting_detail.html",
        {
            "meeting": meeting,
            "rows": rows,
            "can_vote": seat is not None and meeting.status == CouncilMeeting.Status.OPEN,
            "can_manage": access.can_manage_awards(request.user),
            "threshold_pct": round(meeting.rule.threshold * 100, 1),
            "members": meeting.council.members.select_related("user"),
            "decisions": meeting.decisions.all(),
            "awaiting_decision": any(n.status == NominationStatus.PASSED for n in items),
        },
    )


@login_required
@require_POST
def vote_view(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    # Who may not vote is refused first (403), whatever the form holds; a nomination that is not
    # a number (or is missing) is a 400, one that is not on this meeting's agenda a 404.
    access.require_council_seat(request.user, meeting)
    nomination_id = parse_id(request.POST.get("nomination"), name="nomination")
    if nomination_id is None:
        raise InvalidParameter("nomination", _("Phiếu không ghi người được đề nghị."))
    nomination = get_object_or_404(Nomination, pk=nomination_id, meeting=meeting)
    choice = request.POST.get("in_favour")
    if choice not in ("1", "0"):
        messages.error(request, _("Hãy chọn Đồng ý hoặc Không đồng ý."))
    else:
        try:
            services.vote_cast(
                actor=request.user, meeting=meeting, nomination=nomination, in_favour=choice == "1"
            )
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(request, text)
        else:
            messages.success(
                request, _("Đã ghi phiếu của bạn cho %(name)s.") % {"name": nomination}
            )
    next_url = request.POST.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        return redirect(next_url)
    return redirect("people:meeting_detail", pk=meeting.pk)


@login_required
@require_POST
def meeting_close_view(request, pk: int):
    meeting = _meeting_for(request.user, pk)
    try:
        result = services.meeting_close(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Đã kiểm phiếu: %(p)s đối tượng đạt, %(r)s không đạt.")
            % {"p": result["passed"], "r": result["rejected"]},
        )
    return redirect("people:meeting_detail", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decision_new_view(request, pk: int):
    access.require_manage_awards(request.user)
    meeting = _meeting_for(request.user, pk)
    nominations = meeting.nominations.select_related("person").order_by("nominee_sort_key")
    passed = [n.pk for n in nominations if n.status == NominationStatus.PASSED]
    form = forms.DecisionForm(
        request.POST or None, nominations=nominations, initial={"nominations": passed}
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_issue(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã ghi quyết định khen thưởng."))
            return redirect("people:decision_detail", pk=decision.pk)
    return render(
        request,
        "people/simple_form.html",
        {"form": form, "title": _("Quyết định khen thưởng")},
    )


def _decision_for(user, pk: int) -> tuple[Decision, list[Nomination]]:
    require(user, Action.NOMINATION_VIEW)
    decision = get_object_or_404(
        Decision.objects.select_related("award_form", "province"),
        pk=pk,
        province_id=access.province_code(user),
    )
    listed = list(
        access.scope_nominations(user, decision.nominations.all())
        .select_related("person", "nominating_unit", "movement")
        .order_by("nominee_kind", "nominee_sort_key", "id")
    )
    return decision, listed


@login_required
def decision_detail_view(request, pk: int):
    decision, listed = _decision_for(request.user, pk)
    return render(request, "people/decision_detail.html", {"decision": decision, "listed": listed})


@login_required
def certificates_pdf_view(request, pk: int):
    decision, listed = _decision_for(request.user, pk)
    only = request.GET.get("nomination")
    if only:
        listed = [n for n in listed if str(n.pk) == only]
        if not listed:
            raise Http404
    audit_record(actor=request.user, action="export", obj=decision, details={"pages": len(listed)})
    response = HttpResponse(
        documents.certificates_pdf(decision, listed), content_type="application/pdf"
    )
    response["Content-Disposition"] = 'inline; filename="bang-khen.pdf"'
    return response


@login_required
def annex_view(request, pk: int, fmt: str):
    decision, listed = _decision_for(request.user, pk)
    audit_record(actor=request.user, action="export", obj=decision, details={"format": fmt})
    if fmt == "docx":
        body = documents.annex_docx(decision, listed)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    elif fmt == "xlsx":
        body = documents.annex_xlsx(decision, listed)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        raise Http404
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="danh-sach-khen-thuong.{fmt}"'
    return response


@login_required
def history_view(request):
    require(request.user, Action.NOMINATION_VIEW)
    q = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    qs = selectors.award_history(
        user=request.user, q=q, kind=kind if kind in Nomination.NomineeKind.values else ""
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    key = request.GET.get("key", "")
    detail = selectors.awards_of(user=request.user, nominee_key=key) if key else None
    return render(
        request,
        "people/history.html",
        {"page": page, "detail": detail, "kinds": Nomination.NomineeKind.choices},
    )


def _errors_to_messages(request, exc) -> None:
    text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


# ---- The council and its members


@login_required
def council_list_view(request):
    access.require_manage_awards(request.user)
    councils = Council.objects.filter(province_id=access.province_code(request.user))
    return render(request, "people/council_list.html", {"councils": councils})


@login_required
@require_http_methods(["GET", "POST"])
def council_detail_view(request, pk: int):
    access.require_manage_awards(request.user)
    council = get_object_or_404(Council, pk=pk, province_id=access.province_code(request.user))
    form = forms.CouncilMemberAddForm(
        request.POST or None, candidates=access.council_candidates(council)
    )
    if request.method == "POST" and form.is_valid():
        try:
            member = services.council_member_add(
                actor=request.user,
                council=council,
                user=form.cleaned_data["user"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s vào Hội đồng.") % {"name": member.user})
            return redirect("people:council_detail", pk=council.pk)
    members = list(council.members.select_related("user"))
    members.sort(key=lambda m: (not m.is_active, m.id))
    return render(
        request,
        "people/council_detail.html",
        {
            "council": council,
            "active": [m for m in members if m.is_active],
            "former": [m for m in members if not m.is_active],
            "form": form,
        },
    )


@login_required
@require_POST
def council_member_remove_view(request, pk: int):
    access.require_manage_awards(request.user)
    member = get_object_or_404(
        CouncilMember.objects.select_related("council", "user"),
        pk=pk,
        council__province_id=access.province_code(request.user),
    )
    form = forms.VersionedForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Trang đã cũ. Hãy tải lại trang rồi làm lại."))
    else:
        try:
            services.council_member_remove(
                actor=request.user, member=member, expected_version=form.cleaned_data["version"]
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(
                request, _("%(name)s đã thôi là thành viên Hội đồng.") % {"name": member.user}
            )
    return redirect("people:council_detail", pk=member.council_id)


# ---- A person's Treem account


@login_required
@require_http_methods(["GET", "POST"])
def person_account_view(request, pk: int):
    person = access.person_get_for_user(request.user, pk)
    access.require_manage_person(request.user, person)
    initial = {"version": person.version}
    link_form = forms.PersonLinkForm(
        initial=initial, accounts=access.linkable_accounts(request.user)
    )
    unlink_form = forms.PersonUnlinkForm(initial=initial)
    if request.method == "POST":
        if request.POST.get("action") == "unlink":
            unlink_form = forms.PersonUnlinkForm(request.POST)
            form, call = unlink_form, services.person_unlink_user
            done = _("Đã gỡ liên kết tài khoản của %(name)s.")
        else:
            link_form = forms.PersonLinkForm(
                request.POST, accounts=access.linkable_accounts(request.user)
            )
            form, call = link_form, services.person_link_user
            done = _("Đã gắn %(name)s với tài khoản Treem.")
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                call(
                    actor=request.user,
                    person=person,
                    expected_version=data.pop("version"),
                    **data,
                )
            except ValidationError as exc:
                apply_validation_error(form, exc)
            else:
                messages.success(request, done % {"name": person.full_name})
                return redirect("people:person_detail", pk=person.pk)
    return render(
        request,
        "people/person_account.html",
        {"person": person, "link_form": link_form, "unlink_form": unlink_form},
    )


# ---- Correcting an attendance


@login_required
@require_http_methods(["GET", "POST"])
def attendance_correct_view(request, pk: int):
    access.require_manage_training(request.user)
    attendance = get_object_or_404(
        Attendance.objects.select_related("course", "person", "person__commune"),
        pk=pk,
        course__province_id=access.province_code(request.user),
    )
    people = access.scope_people(request.user, Person.objects.all())
    form = forms.AttendanceCorrectForm(
        request.POST or None,
        people=people,
        initial={
            "version": attendance.version,
            "person": attendance.person_id,
            "certified": attendance.certified,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.attendance_correct(
                actor=request.user,
                attendance=attendance,
                person=data["person"],
                certified=data["certified"],
                reason=data["reason"],
                expected_version=data["version"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã sửa danh sách học viên; lần sửa được lưu lại."))
            return redirect("people:course_detail", pk=attendance.course_id)
    history = attendance.corrections.select_related("actor", "person_before", "person_after")
    return render(
        request,
        "people/attendance_correct.html",
        {"attendance": attendance, "course": attendance.course, "form": form, "history": history},
    )


@login_required
@require_POST
def course_budget_view(request, pk: int):
    access.require_manage_training(request.user)
    course = get_object_or_404(Course, pk=pk, province_id=access.province_code(request.user))
    lines = budget_lines.choices(
        course.province_id, range(course.starts_on.year, course.ends_on.year + 1)
    )
    form = forms.CourseBudgetForm(request.POST, lines=lines)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn một dòng kinh phí trong danh sách."))
    else:
        try:
            services.course_budget_link(
                actor=request.user,
                course=course,
                budget_line_ref=form.cleaned_data["budget_line_ref"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            _errors_to_messages(request, exc)
        else:
            messages.success(request, _("Đã ghi dòng kinh phí của lớp."))
    return redirect("people:course_detail", pk=course.pk)


# ---- Returned for completion


@login_required
@require_http_methods(["GET", "POST"])
def nomination_return_view(request, pk: int):
    access.require_manage_awards(request.user)
    nomination = access.nomination_get_for_user(request.user, pk)
    form = forms.NominationReturnForm(
        request.POST or None,
        initial={
            "version": nomination.version,
            "complete_by": datetime.date.today() + datetime.timedelta(days=10),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_return(
                actor=request.user,
                nomination=nomination,
                reason=form.cleaned_data["reason"],
                complete_by=form.cleaned_data["complete_by"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã trả hồ sơ cho đơn vị để bổ sung."))
            return redirect("people:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "people/nomination_step.html",
        {
            "n": nomination,
            "form": form,
            "title": _("Trả lại hồ sơ để bổ sung"),
            "multipart": False,
            "open": workflow.move(nomination.status, "return") is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_resubmit_view(request, pk: int):
    nomination = access.nomination_get_for_user(request.user, pk)
    if not access.can_submit_for(request.user, nomination.nominating_unit):
        raise PermissionDenied(_("Chỉ đơn vị đã gửi hồ sơ mới bổ sung được hồ sơ."))
    form = forms.NominationResubmitForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "version": nomination.version,
            "nominee_unit": nomination.nominee_unit,
            "achievement_line": nomination.achievement_line,
            "achievement_report": nomination.achievement_report,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.nomination_resubmit(
                actor=request.user,
                nomination=nomination,
                expected_version=data.pop("version"),
                **data,
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã gửi lại hồ sơ đã bổ sung."))
            return redirect("people:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "people/nomination_step.html",
        {
            "n": nomination,
            "form": form,
            "title": _("Bổ sung hồ sơ và gửi lại"),
            "multipart": True,
            "open": workflow.move(nomination.status, "resubmit") is not None,
        },
    )
