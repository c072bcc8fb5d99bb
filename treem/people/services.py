"""Writes of the people app. Each service validates, runs in one transaction and writes its audit
event; views, the API, the demo and the benchmark all call these functions."""

from __future__ import annotations

import datetime
from fractions import Fraction

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import Organisation
from treem.audit.services import audit_record
from treem.core import budget_lines, uploads
from treem.core.concurrency import ConcurrentEditError, save_versioned
from treem.lib.text import fold, nfc, vi_sort_key
from treem.people import access, workflow
from treem.people.models import (
    Attendance,
    AttendanceCorrection,
    AwardForm,
    Council,
    CouncilMeeting,
    CouncilMember,
    Course,
    Decision,
    Movement,
    Nomination,
    NominationEvent,
    NominationStatus,
    Person,
    PostKind,
    ServicePeriod,
    TrainingTopic,
    Vote,
    VotingRule,
)
from treem.portal.sanitize import clean_html, html_to_text

# ---- Workforce register


@transaction.atomic
def person_register(
    *,
    actor,
    full_name: str,
    province,
    commune=None,
    organisation: Organisation | None = None,
    user=None,
    sex: str = "",
    birth_year: int | None = None,
    phone: str = "",
) -> Person:
    name = nfc(full_name)
    person = Person(
        full_name=name,
        name_folded=fold(name),
        sort_key=vi_sort_key(name, given_name_first=True),
        sex=sex,
        birth_year=birth_year,
        phone=nfc(phone),
        province=province,
        commune=commune,
        organisation=organisation,
        user=user,
    )
    if commune is not None and commune.province_id != province.code:
        raise ValidationError(
            {"commune": _("Xã, phường không thuộc tỉnh đã chọn. Hãy chọn xã của tỉnh.")}
        )
    person.full_clean()
    person.save()
    audit_record(actor=actor, action="create", obj=person, changes={"commune": person.commune_id})
    return person


@transaction.atomic
def period_start(
    *,
    actor,
    person: Person,
    kind: str,
    position: str,
    started_on: datetime.date,
    employment: str = "",
    is_responsible: bool = False,
    commune=None,
    organisation: Organisation | None = None,
    villages=(),
) -> ServicePeriod:
    """Record a post the person takes up. A change of post is a new period, never an edit."""
    commune = commune if commune is not None else person.commune
    villages = list(villages)
    errors: dict[str, str] = {}
    if kind in (PostKind.COMMUNE_OFFICIAL, PostKind.VILLAGE_COLLABORATOR) and commune is None:
        errors["commune"] = _("Cán bộ xã và cộng tác viên phải thuộc một xã, phường. Hãy chọn xã.")
    if kind == PostKind.VILLAGE_COLLABORATOR:
        if not villages:
            errors["villages"] = _(
                "Cộng tác viên phải phụ trách ít nhất một thôn, ấp. Hãy chọn thôn, ấp."
            )
        elif commune is not None and any(v.commune_id != commune.code for v in villages):
            errors["villages"] = _(
                "Có thôn, ấp không thuộc xã của cộng tác viên. Hãy chỉ chọn thôn, ấp của xã đó."
            )
    if kind != PostKind.COMMUNE_OFFICIAL and is_responsible:
        errors["is_responsible"] = _("Chỉ cán bộ xã mới được ghi là người phụ trách chính.")
    if kind == PostKind.COMMUNE_OFFICIAL and not employment:
        errors["employment"] = _("Hãy cho biết cán bộ làm chuyên trách hay kiêm nhiệm.")
    if errors:
        raise ValidationError(errors)
    overlapping = ServicePeriod.objects.select_for_update().filter(
        person=person, kind=kind, commune=commune, ended_on__isnull=True
    )
    if overlapping.exists():
        raise ValidationError(
            _(
                "Người này đang giữ một vị trí cùng loại tại đơn vị này. Hãy ghi ngày thôi "
                "vị trí cũ trước khi ghi vị trí mới."
            )
        )
    period = ServicePeriod(
        person=person,
        kind=kind,
        position=nfc(position),
        employment=employment,
        is_responsible=is_responsible,
        commune=commune,
        organisation=organisation,
        started_on=started_on,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    period.full_clean()
    period.save()
    if villages:
        period.villages.set(villages)
    audit_record(
        actor=actor,
        action="create",
        obj=period,
        changes={"person": person.pk, "kind": kind, "started_on": started_on},
    )
    return period


@transaction.atomic
def period_end(*, actor, period: ServicePeriod, ended_on: datetime.date, reason: str = "") -> None:
    """Close a period. The end is written once: a period already closed is never rewritten."""
    period = ServicePeriod.objects.select_for_update().get(pk=period.pk)
    if period.ended_on is not None:
        raise ValidationError(
            _(
                "Thời gian công tác này đã kết thúc ngày %(d)s và không sửa được. Nếu người này "
                "quay lại, hãy ghi một thời gian công tác mới."
            )
            % {"d": period.ended_on.strftime("%d/%m/%Y")}
        )
    if ended_on < period.started_on:
        raise ValidationError(
            {"ended_on": _("Ngày thôi không được trước ngày bắt đầu. Hãy kiểm tra lại ngày.")}
        )
    period.ended_on = ended_on
    period.end_reason = nfc(reason)
    period.save(update_fields=["ended_on", "end_reason"])
    audit_record(actor=actor, action="update", obj=period, changes={"ended_on": [None, ended_on]})


# ---- Training


@transaction.atomic
def course_create(
    *,
    actor,
    title: str,
    topic: TrainingTopic,
    organiser: Organisation,
    starts_on: datetime.date,
    ends_on: datetime.date,
    place: str,
    hours: int,
    budget_line: str = "",
    budget_line_ref: int | None = None,
) -> Course:
    course = Course(
        title=nfc(title),
        topic=topic,
        organiser=organiser,
        province=organiser.province,
        starts_on=starts_on,
        ends_on=ends_on,
        place=nfc(place),
        hours=hours,
        budget_line=nfc(budget_line),
        budget_line_ref=budget_line_ref,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    check_budget_line(
        province_code=organiser.province_id,
        starts_on=starts_on,
        ends_on=ends_on,
        ref=budget_line_ref,
    )
    course.full_clean()
    course.save()
    audit_record(actor=actor, action="create", obj=course)
    return course


@transaction.atomic
def attendance_record(*, actor, course: Course, person: Person, certified: bool) -> Attendance:
    """Record that a person attended; recording twice updates the certificate flag only."""
    attendance, created = Attendance.objects.select_for_update().get_or_create(
        course=course, person=person, defaults={"certified": certified}
    )
    if not created and attendance.certified != certified:
        attendance.certified = certified
        attendance.save(update_fields=["certified"])
    audit_record(
        actor=actor,
        action="create" if created else "update",
        obj=attendance,
        changes={"person": person.pk, "certified": certified},
    )
    return attendance


# ---- Emulation and commendation


@transaction.atomic
def movement_launch(
    *,
    actor,
    title: str,
    launched_by: Organisation,
    period_start: datetime.date,
    period_end: datetime.date,
    criteria: str,
    nomination_deadline: datetime.date,
) -> Movement:
    movement = Movement(
        title=nfc(title),
        province=launched_by.province,
        launched_by=launched_by,
        period_start=period_start,
        period_end=period_end,
        criteria=criteria.strip(),
        nomination_deadline=nomination_deadline,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if period_end < period_start:
        raise ValidationError({"period_end": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
    movement.full_clean()
    movement.save()
    audit_record(actor=actor, action="create", obj=movement)
    return movement


def _nominee_key(*, kind: str, person: Person | None, collective_name: str) -> str:
    if kind == Nomination.NomineeKind.INDIVIDUAL and person is not None:
        return f"p:{person.pk}"
    return "c:" + fold(collective_name)


def duplicate_of(*, nominee_key: str, award_form: AwardForm, award_year: int):
    return (
        Nomination.objects.filter(
            nominee_key=nominee_key, award_form=award_form, award_year=award_year
        )
        .exclude(status__in=[NominationStatus.WITHDRAWN, NominationStatus.REJECTED])
        .select_related("nominating_unit")
        .first()
    )


def in_register(person: Person, start: datetime.date, end: datetime.date) -> bool:
    """Whether the person held a post during the period (the register check of a nominee)."""
    return person.periods.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start), started_on__lte=end
    ).exists()


def nomination_submit(
    *,
    actor,
    movement: Movement,
    nominating_unit: Organisation,
    award_form: AwardForm,
    nominee_kind: str,
    nominee_unit: str,
    achievement_line: str,
    achievement_report: str,
    report_file,
    minutes_file,
    person: Person | None = None,
    collective_name: str = "",
    idempotency_key: str = "",
    today: datetime.date | None = None,
) -> Nomination:
    """A unit's proposal for one nominee. Every problem is reported at once, per field, so the
    unit corrects the dossier without losing what it entered."""
    if idempotency_key:
        done = Nomination.objects.filter(idempotency_key=idempotency_key).first()
        if done is not None:
            return done  # a double submit or a retry: the work was done once
    if not access.can_submit_for(actor, nominating_unit):
        raise PermissionDenied(
            _("Bạn chỉ gửi được hồ sơ của đơn vị thuộc địa bàn mình. Hãy chọn đúng đơn vị.")
        )
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if today > movement.nomination_deadline:
        err(
            "movement",
            _(
                "Phong trào này đã hết hạn nhận hồ sơ ngày %(d)s. Hồ sơ gửi sau hạn không được "
                "xét; hãy liên hệ Sở Y tế nếu có lý do chính đáng."
            )
            % {"d": movement.nomination_deadline.strftime("%d/%m/%Y")},
        )
    report_html = clean_html(achievement_report or "")
    if not html_to_text(report_html).strip():
        err(
            "achievement_report",
            _("Hồ sơ chưa có báo cáo thành tích. Hãy nhập báo cáo thành tích của đối tượng."),
        )
    if not nfc(achievement_line):
        err("achievement_line", _("Hãy ghi thành tích sẽ in trên bằng khen."))
    for field, upload in (("report_file", report_file), ("minutes_file", minutes_file)):
        if upload is None:
            err(
                field,
                _("Hãy đính kèm bản có chữ ký (PDF hoặc ảnh quét)."),
            )
            continue
        try:
            uploads.check_upload(upload, allowed=uploads.SCAN_TYPES)
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                err(field, message)
    collective_name = nfc(collective_name)
    if nominee_kind == Nomination.NomineeKind.INDIVIDUAL:
        if not award_form.for_individuals:
            err("award_form", _("Hình thức khen thưởng này không dành cho cá nhân."))
        if person is None:
            err("person", _("Hãy chọn cá nhân được đề nghị trong danh sách nhân lực."))
        elif person.province_id != movement.province_id or not in_register(
            person, movement.period_start, movement.period_end
        ):
            err(
                "person",
                _(
                    "Người này không có trong danh sách nhân lực làm công tác trẻ em trong thời "
                    "gian của phong trào. Hãy ghi thời gian công tác của họ trước."
                ),
            )
        collective_name = ""
    else:
        person = None
        if not award_form.for_collectives:
            err("award_form", _("Hình thức khen thưởng này không dành cho tập thể."))
        if not collective_name:
            err("collective_name", _("Hãy ghi tên tập thể được đề nghị."))
    award_year = movement.period_end.year
    key = _nominee_key(kind=nominee_kind, person=person, collective_name=collective_name)
    if "person" not in errors and "collective_name" not in errors:
        previous = duplicate_of(nominee_key=key, award_form=award_form, award_year=award_year)
        if previous is not None:
            err(
                "person" if person else "collective_name",
                _(
                    "Đối tượng này đã được %(unit)s đề nghị %(form)s năm %(year)s. Mỗi đối tượng "
                    "chỉ được đề nghị một lần cho cùng hình thức và cùng kỳ."
                )
                % {
                    "unit": previous.nominating_unit.name,
                    "form": award_form.name,
                    "year": award_year,
                },
            )
    if errors:
        raise ValidationError(errors)
    name = person.full_name if person else collective_name
    nomination = Nomination(
        movement=movement,
        nominating_unit=nominating_unit,
        commune=nominating_unit.commune,
        province=movement.province,
        award_form=award_form,
        award_year=award_year,
        nominee_kind=nominee_kind,
        person=person,
        collective_name=collective_name,
        nominee_key=key,
        nominee_sort_key=vi_sort_key(name, given_name_first=True) if person else vi_sort_key(name),
        nominee_unit=nfc(nominee_unit),
        achievement_line=nfc(achievement_line),
        achievement_report=report_html,
        report_file=report_file,
        minutes_file=minutes_file,
        submitted_at=timezone.now(),
        submitted_by=actor,
        idempotency_key=idempotency_key,
    )
    nomination.full_clean(exclude=["report_file", "minutes_file"])
    try:
        with transaction.atomic():
            nomination.save()
            NominationEvent.objects.create(
                nomination=nomination,
                actor=actor,
                action="submit",
                to_status=nomination.status,
            )
            audit_record(
                actor=actor,
                action="create",
                obj=nomination,
                changes={"nominee_kind": nominee_kind, "award_form": award_form.code},
            )
    except IntegrityError:
        # Two submissions raced past the check above; the constraint kept one.
        if idempotency_key:
            done = Nomination.objects.filter(idempotency_key=idempotency_key).first()
            if done is not None:
                return done
        raise ValidationError(
            {
                "person" if person else "collective_name": _(
                    "Đối tượng này vừa được đề nghị cho cùng hình thức và cùng kỳ."
                )
            }
        ) from None
    return nomination


def _transition(*, actor, nomination: Nomination, action: str, to: str, details=None) -> None:
    """Apply one move of the transition table to a locked row, and record it."""
    move = workflow.move(nomination.status, action)
    if move is None or to not in move.targets:
        raise ValidationError(
            _("Hồ sơ đang ở bước “%(status)s” nên không thể thực hiện thao tác này.")
            % {"status": nomination.get_status_display()}
        )
    before = nomination.status
    nomination.status = to
    nomination.version += 1
    nomination.save(
        update_fields=["status", "version", "meeting", "yes_votes", "decision", "awarded_on"]
    )
    NominationEvent.objects.create(
        nomination=nomination,
        actor=actor,
        action=action,
        from_status=before,
        to_status=to,
        details=details or {},
    )
    audit_record(actor=actor, action="update", obj=nomination, changes={"status": [before, to]})


@transaction.atomic
def nomination_withdraw(*, actor, nomination: Nomination) -> None:
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if not access.can_submit_for(actor, nomination.nominating_unit):
        raise PermissionDenied(_("Chỉ đơn vị đã gửi hồ sơ mới rút được hồ sơ."))
    _transition(
        actor=actor, nomination=nomination, action="withdraw", to=NominationStatus.WITHDRAWN
    )


def rule_in_force(on: datetime.date) -> VotingRule:
    rule = VotingRule.objects.filter(effective_from__lte=on).order_by("-effective_from").first()
    if rule is None:
        raise ValidationError(
            _(
                "Chưa có quy định biểu quyết áp dụng cho ngày họp. Hãy nhập quy định biểu quyết "
                "trước khi mở phiên họp."
            )
        )
    return rule


def passes(*, yes: int, members: int, threshold) -> bool:
    """A nominee passes when yes ÷ members is AT LEAST the threshold. Exact fractions, so that
    2 of 3 against a threshold of 2/3 written as 0.667 is not decided by float rounding: the
    threshold is taken as the decimal stored, and 2/3 < 0.667 fails while 0.666 passes."""
    if members <= 0:
        return False
    return Fraction(yes, members) >= Fraction(str(threshold))


@transaction.atomic
def meeting_open(
    *,
    actor,
    council: Council,
    held_on: datetime.date,
    place: str,
    nominations: list[Nomination],
) -> CouncilMeeting:
    access.require_manage_awards(actor)
    members = council.members.filter(is_active=True).count()
    if members == 0:
        raise ValidationError(
            _("Hội đồng chưa có thành viên. Hãy thêm thành viên trước khi mở phiên họp.")
        )
    if not nominations:
        raise ValidationError({"nominations": _("Hãy chọn ít nhất một hồ sơ để Hội đồng xét.")})
    meeting = CouncilMeeting.objects.create(
        council=council,
        held_on=held_on,
        place=nfc(place),
        rule=rule_in_force(held_on),
        members_count=members,
    )
    locked = Nomination.objects.select_for_update().filter(pk__in=[n.pk for n in nominations])
    for nomination in locked:
        nomination.meeting = meeting
        _transition(
            actor=actor, nomination=nomination, action="schedule", to=NominationStatus.IN_REVIEW
        )
    audit_record(actor=actor, action="create", obj=meeting, details={"items": len(nominations)})
    return meeting


@transaction.atomic
def vote_cast(*, actor, meeting: CouncilMeeting, nomination: Nomination, in_favour: bool) -> Vote:
    meeting = CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)
    seat = access.require_council_seat(actor, meeting)
    if meeting.status != CouncilMeeting.Status.OPEN:
        raise ValidationError(_("Phiên họp đã kết thúc bỏ phiếu; không thể bỏ thêm phiếu."))
    nomination = Nomination.objects.get(pk=nomination.pk)
    if nomination.meeting_id != meeting.pk or nomination.status != NominationStatus.IN_REVIEW:
        raise ValidationError(_("Hồ sơ này không có trong danh sách xét của phiên họp."))
    if Vote.objects.filter(meeting=meeting, nomination=nomination, member=seat).exists():
        raise ValidationError(
            _(
                "Bạn đã bỏ phiếu cho đối tượng này. Mỗi thành viên chỉ bỏ một phiếu; phiếu đã "
                "bỏ được giữ nguyên."
            )
        )
    vote = Vote.objects.create(
        meeting=meeting, nomination=nomination, member=seat, in_favour=in_favour
    )
    audit_record(actor=actor, action="create", obj=vote, details={"meeting": meeting.pk})
    return vote


@transaction.atomic
def meeting_close(*, actor, meeting: CouncilMeeting) -> dict[str, int]:
    """Count the votes by the rule fixed when the meeting opened; forward those who passed."""
    access.require_manage_awards(actor)
    meeting = (
        CouncilMeeting.objects.select_for_update(of=("self",))
        .select_related("rule")
        .get(pk=meeting.pk)
    )
    if meeting.status != CouncilMeeting.Status.OPEN:
        raise ValidationError(_("Phiên họp này đã được kiểm phiếu."))
    yes = dict(
        Vote.objects.filter(meeting=meeting, in_favour=True)
        .values("nomination")
        .annotate(n=Count("id"))
        .values_list("nomination", "n")
    )
    result = {"passed": 0, "rejected": 0}
    for nomination in Nomination.objects.select_for_update().filter(
        meeting=meeting, status=NominationStatus.IN_REVIEW
    ):
        nomination.yes_votes = yes.get(nomination.pk, 0)
        ok = passes(
            yes=nomination.yes_votes,
            members=meeting.members_count,
            threshold=meeting.rule.threshold,
        )
        to = NominationStatus.PASSED if ok else NominationStatus.REJECTED
        _transition(
            actor=actor,
            nomination=nomination,
            action="count",
            to=to,
            details={"yes": nomination.yes_votes, "members": meeting.members_count},
        )
        result["passed" if ok else "rejected"] += 1
    meeting.status = CouncilMeeting.Status.CLOSED
    meeting.save(update_fields=["status"])
    audit_record(actor=actor, action="update", obj=meeting, details=result)
    return result


@transaction.atomic
def decision_issue(
    *,
    actor,
    number: str,
    signed_on: datetime.date,
    signer_name: str,
    signer_title: str,
    award_form: AwardForm,
    nominations: list[Nomination],
    meeting: CouncilMeeting | None = None,
) -> Decision:
    """The chairman's decision. Only nominees the council passed may be listed; a list with any
    other is refused whole, and nothing is written."""
    access.require_manage_awards(actor)
    if not nominations:
        raise ValidationError({"nominations": _("Quyết định phải có ít nhất một đối tượng.")})
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("person")
        .filter(pk__in=[n.pk for n in nominations])
    )
    refused = [n for n in locked if n.status != NominationStatus.PASSED]
    if refused:
        raise ValidationError(
            {
                "nominations": _(
                    "Không thể đưa vào quyết định những đối tượng Hội đồng chưa đề nghị khen "
                    "thưởng: %(names)s. Hãy bỏ các đối tượng này khỏi danh sách."
                )
                % {
                    "names": ", ".join(
                        f"{n.nominee_name} ({n.get_status_display()})" for n in refused
                    )
                }
            }
        )
    other_form = [n for n in locked if n.award_form_id != award_form.pk]
    if other_form:
        raise ValidationError(
            {
                "nominations": _(
                    "Có đối tượng được đề nghị hình thức khác với quyết định: %(names)s."
                )
                % {"names": ", ".join(n.nominee_name for n in other_form)}
            }
        )
    number = nfc(number)
    if Decision.objects.filter(province=locked[0].province, number=number).exists():
        raise ValidationError({"number": _("Số quyết định này đã có. Hãy kiểm tra lại số.")})
    decision = Decision(
        number=number,
        signed_on=signed_on,
        signer_name=nfc(signer_name),
        signer_title=nfc(signer_title),
        award_form=award_form,
        province=locked[0].province,
        meeting=meeting,
        created_by=actor,
    )
    decision.full_clean()
    decision.save()
    for nomination in locked:
        nomination.decision = decision
        nomination.awarded_on = decision.signed_on
        _transition(
            actor=actor,
            nomination=nomination,
            action="award",
            to=NominationStatus.AWARDED,
            details={"decision": decision.number},
        )
    audit_record(actor=actor, action="create", obj=decision, details={"count": len(locked)})
    return decision


@transaction.atomic
def council_member_add(*, actor, council: Council, user, title: str) -> CouncilMember:
    """Add a member, or bring back one who had left (their row, and past votes, are kept)."""
    access.require_manage_awards(actor)
    title = nfc(title)
    if not title:
        raise ValidationError({"title": _("Hãy ghi chức danh trong Hội đồng.")})
    if council.province_id != access.province_code(actor):
        raise PermissionDenied(_("Hội đồng này không thuộc tỉnh của bạn."))
    if not access.can_sit_on_council(user, council):
        raise ValidationError(
            {
                "user": _(
                    "Tài khoản này không được bỏ phiếu thi đua, khen thưởng của tỉnh. Hãy chọn "
                    "lãnh đạo hoặc chuyên viên cấp tỉnh."
                )
            }
        )
    member = CouncilMember.objects.select_for_update().filter(council=council, user=user).first()
    if member is not None and member.is_active:
        raise ValidationError({"user": _("%(name)s đã là thành viên Hội đồng.") % {"name": user}})
    if member is not None:
        member.is_active = True
        member.title = title
        member.version += 1
        member.save(update_fields=["is_active", "title", "version"])
        audit_record(actor=actor, action="update", obj=member, changes={"is_active": [False, True]})
        return member
    member = CouncilMember.objects.create(council=council, user=user, title=title)
    audit_record(actor=actor, action="create", obj=member)
    return member


@transaction.atomic
def council_member_remove(*, actor, member: CouncilMember, expected_version: int) -> None:
    """A member leaves the council. The row stays, so their past votes still name them; they no
    longer vote and are not counted in the membership of a meeting opened afterwards."""
    access.require_manage_awards(actor)
    if not member.is_active:
        raise ValidationError(_("Người này đã thôi là thành viên Hội đồng."))
    _save_versioned(member, expected_version=expected_version, values={"is_active": False})
    audit_record(
        actor=actor,
        action="update",
        obj=member,
        changes={"is_active": [True, False]},
        details={"council": member.council_id},
    )


def _save_versioned(obj, *, expected_version: int, values: dict) -> None:
    """Set `values` and write them if the row still has `expected_version`; on a refusal the
    object in memory is put back as it was, so the page shows what is stored, not the attempt."""
    before = {name: getattr(obj, name) for name in values}
    for name, value in values.items():
        setattr(obj, name, value)
    try:
        with transaction.atomic():
            save_versioned(obj, expected_version=expected_version, fields=list(values))
    except (ValidationError, IntegrityError):
        for name, value in before.items():
            setattr(obj, name, value)
        raise


# ---- A person and a Treem account


@transaction.atomic
def person_link_user(*, actor, person: Person, user, expected_version: int) -> None:
    """Link a person of the register to their Treem account. One person per account and one
    account per person: a link elsewhere is refused, never moved silently."""
    access.require_manage_person(actor, person)
    if not access.can_link_account(actor, user):
        raise ValidationError(
            {"user": _("Tài khoản này không thuộc địa bàn bạn quản lý. Hãy chọn tài khoản khác.")}
        )
    if person.user_id is not None:
        raise ValidationError(
            {
                "user": _(
                    "Người này đã gắn với tài khoản %(u)s. Hãy gỡ liên kết cũ trước khi gắn "
                    "tài khoản khác."
                )
                % {"u": person.user}
            }
        )
    other = Person.objects.filter(user=user).exclude(pk=person.pk).first()
    if other is not None:
        raise ValidationError(
            {
                "user": _(
                    "Tài khoản này đã gắn với %(name)s trong danh sách nhân lực. Mỗi tài khoản "
                    "chỉ gắn với một người."
                )
                % {"name": other.full_name}
            }
        )
    try:
        _save_versioned(person, expected_version=expected_version, values={"user": user})
    except IntegrityError:
        # Another person got this account between the check and the write.
        raise ValidationError(
            {"user": _("Tài khoản này vừa được gắn với một người khác. Hãy tải lại trang.")}
        ) from None
    audit_record(actor=actor, action="update", obj=person, changes={"user": [None, user.pk]})


@transaction.atomic
def person_unlink_user(*, actor, person: Person, expected_version: int, reason: str) -> None:
    access.require_manage_person(actor, person)
    reason = nfc(reason)
    if person.user_id is None:
        raise ValidationError(_("Người này chưa gắn với tài khoản nào."))
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do gỡ liên kết tài khoản.")})
    before = person.user_id
    _save_versioned(person, expected_version=expected_version, values={"user": None})
    audit_record(
        actor=actor,
        action="update",
        obj=person,
        changes={"user": [before, None]},
        details={"reason": reason},
    )


# ---- Correcting an attendance record


@transaction.atomic
def attendance_correct(
    *,
    actor,
    attendance: Attendance,
    person: Person,
    certified: bool,
    reason: str,
    expected_version: int,
) -> AttendanceCorrection:
    """Correct who attended or whether they were certified. The attendance row takes the new
    values; an `AttendanceCorrection` keeps the old ones with the reason. An edit made from a copy
    someone else has since corrected is refused."""
    access.require_manage_training(actor)
    reason = nfc(reason)
    errors: dict[str, str] = {}
    if not reason:
        errors["reason"] = _("Hãy ghi lý do sửa (ví dụ: ghi nhầm người, nhầm chứng nhận).")
    if person.pk == attendance.person_id and certified == attendance.certified:
        errors["__all__"] = _("Không có gì thay đổi. Hãy sửa học viên hoặc chứng nhận.")
    if (
        person.pk != attendance.person_id
        and Attendance.objects.filter(course_id=attendance.course_id, person=person).exists()
    ):
        errors["person"] = _(
            "%(name)s đã có trong danh sách học viên của lớp này. Hãy chọn đúng người."
        ) % {"name": person.full_name}
    if errors:
        raise ValidationError(errors)
    before_person, before_certified = attendance.person_id, attendance.certified
    try:
        _save_versioned(
            attendance,
            expected_version=expected_version,
            values={"person": person, "certified": certified},
        )
    except IntegrityError:
        raise ValidationError(
            {"person": _("Người này vừa được ghi vào lớp. Hãy tải lại trang.")}
        ) from None
    correction = AttendanceCorrection.objects.create(
        attendance=attendance,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        person_before_id=before_person,
        person_after=person,
        certified_before=before_certified,
        certified_after=certified,
        reason=reason,
    )
    audit_record(
        actor=actor,
        action="update",
        obj=attendance,
        changes={
            "person": [before_person, person.pk],
            "certified": [before_certified, certified],
        },
        details={"reason": reason},
    )
    return correction


# ---- A course's budget line


def check_budget_line(*, province_code: str, starts_on, ends_on, ref: int | None) -> None:
    if ref is None:
        return
    years = range(starts_on.year, ends_on.year + 1)
    if ref not in {r.id for r in budget_lines.choices(province_code, years)}:
        raise ValidationError(
            {
                "budget_line_ref": _(
                    "Dòng kinh phí đã chọn không thuộc kế hoạch của tỉnh trong năm tổ chức lớp. "
                    "Hãy chọn một dòng kinh phí khác, hoặc ghi chú nguồn kinh phí."
                )
            }
        )


@transaction.atomic
def course_budget_link(
    *, actor, course: Course, budget_line_ref: int | None, expected_version: int
) -> None:
    """Link a course (an old one with only a note, too) to the plan's budget line that pays for
    it, or clear the link. The free-text note is never touched."""
    access.require_manage_training(actor)
    check_budget_line(
        province_code=course.province_id,
        starts_on=course.starts_on,
        ends_on=course.ends_on,
        ref=budget_line_ref,
    )
    before = course.budget_line_ref
    _save_versioned(
        course, expected_version=expected_version, values={"budget_line_ref": budget_line_ref}
    )
    audit_record(
        actor=actor,
        action="update",
        obj=course,
        changes={"budget_line_ref": [before, budget_line_ref]},
    )


# ---- Returned for completion


def nomination_return(
    *,
    actor,
    nomination: Nomination,
    reason: str,
    complete_by: datetime.date,
    expected_version: int,
    today: datetime.date | None = None,
) -> None:
    """The council's secretariat returns a dossier to the nominating unit to complete, saying
    what is missing and by when."""
    access.require_manage_awards(actor)
    today = today or timezone.localdate()
    reason = nfc(reason)
    errors: dict[str, str] = {}
    if not html_to_text(clean_html(reason)).strip():
        errors["reason"] = _("Hãy ghi những nội dung đơn vị cần bổ sung.")
    if complete_by is None or complete_by < today:
        errors["complete_by"] = _("Hạn bổ sung phải từ hôm nay trở đi. Hãy chọn lại ngày.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
        _check_version(locked, expected_version)
        locked.return_reason = reason
        locked.complete_by = complete_by
        locked.save(update_fields=["return_reason", "complete_by"])
        _transition(
            actor=actor,
            nomination=locked,
            action="return",
            to=NominationStatus.RETURNED,
            details={"reason": reason, "complete_by": complete_by.isoformat()},
        )
    nomination.refresh_from_db()


def _check_version(nomination: Nomination, expected_version: int) -> None:
    if nomination.version != expected_version:
        raise ConcurrentEditError(
            _(
                "Hồ sơ này vừa được người khác thay đổi sau khi bạn mở nó. Thay đổi của bạn chưa "
                "được lưu: hãy tải lại trang, xem nội dung mới rồi làm lại."
            ),
            code="concurrent_edit",
        )


def nomination_resubmit(
    *,
    actor,
    nomination: Nomination,
    nominee_unit: str,
    achievement_line: str,
    achievement_report: str,
    expected_version: int,
    report_file=None,
    minutes_file=None,
    note: str = "",
    today: datetime.date | None = None,
) -> None:
    """The nominating unit completes a returned dossier and sends it again.

    Deadline rule (Treem's decision, docs/people.md): a dossier returned for completion was
    received on time, so it is not refused because the movement's deadline has passed since; it
    is refused after the completion date the secretariat set when returning it. A new file
    replaces the old one only when given; what is not changed stays as submitted."""
    today = today or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def err(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    report_html = clean_html(achievement_report or "")
    if not html_to_text(report_html).strip():
        err(
            "achievement_report",
            _("Hồ sơ chưa có báo cáo thành tích. Hãy nhập báo cáo thành tích của đối tượng."),
        )
    if not nfc(achievement_line):
        err("achievement_line", _("Hãy ghi thành tích sẽ in trên bằng khen."))
    if not nfc(nominee_unit):
        err("nominee_unit", _("Hãy ghi chức vụ, đơn vị in trên bằng."))
    for field, upload in (("report_file", report_file), ("minutes_file", minutes_file)):
        if upload is None:
            continue
        try:
            uploads.check_upload(upload, allowed=uploads.SCAN_TYPES)
        except ValidationError as exc:
            for message in exc.message_dict.get("file", exc.messages):
                err(field, message)
    with transaction.atomic():
        locked = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("nominating_unit")
            .get(pk=nomination.pk)
        )
        if not access.can_submit_for(actor, locked.nominating_unit):
            raise PermissionDenied(_("Chỉ đơn vị đã gửi hồ sơ mới bổ sung được hồ sơ."))
        _check_version(locked, expected_version)
        if (
            locked.status == NominationStatus.RETURNED
            and locked.complete_by
            and (today > locked.complete_by)
        ):
            err(
                "__all__",
                _(
                    "Đã quá hạn bổ sung hồ sơ (%(d)s). Hãy liên hệ Thường trực Hội đồng thi đua, "
                    "khen thưởng để được gia hạn."
                )
                % {"d": locked.complete_by.strftime("%d/%m/%Y")},
            )
        if errors:
            raise ValidationError(errors)
        changed = []
        for field, value in (
            ("nominee_unit", nfc(nominee_unit)),
            ("achievement_line", nfc(achievement_line)),
            ("achievement_report", report_html),
        ):
            if getattr(locked, field) != value:
                setattr(locked, field, value)
                changed.append(field)
        if report_file is not None:
            locked.report_file = report_file
            changed.append("report_file")
        if minutes_file is not None:
            locked.minutes_file = minutes_file
            changed.append("minutes_file")
        locked.return_reason = ""
        locked.complete_by = None
        locked.save(
            update_fields=[
                "nominee_unit",
                "achievement_line",
                "achievement_report",
                "report_file",
                "minutes_file",
                "return_reason",
                "complete_by",
            ]
        )
        _transition(
            actor=actor,
            nomination=locked,
            action="resubmit",
            to=NominationStatus.SUBMITTED,
            details={"changed": changed, "note": nfc(note)},
        )
    nomination.refresh_from_db()
