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
from treem.core import uploads
from treem.lib.text import fold, nfc, vi_sort_key
from treem.people import access, workflow
from treem.people.models import (
    Attendance,
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
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")})
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
    members = council.members.count()
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
    seat = access.council_seat(actor, meeting)
    if seat is None:
        raise PermissionDenied(
            _(
                "Bạn không phải thành viên Hội đồng thi đua, khen thưởng của phiên họp này nên "
                "không được bỏ phiếu."
            )
        )
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
    access.require_manage_awards(actor)
    member, _created = CouncilMember.objects.get_or_create(
        council=council, user=user, defaults={"title": nfc(title)}
    )
    audit_record(actor=actor, action="create", obj=member)
    return member
