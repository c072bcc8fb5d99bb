"""Writes to protection cases. Every move of the workflow is one service here: it checks the role,
the commune and the current state, refuses an invalid move with a sentence saying what to do,
records a `CaseEvent` and an audit entry, recomputes the case's due time, and queues notifications
after commit. The HTML views, the API, the portal intake and the demo all call these.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import Organisation, Role, User
from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record, diff_fields, snapshot
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune, Village
from treem.lib.text import nfc
from treem.protection import access, deadlines, notify, workflow
from treem.protection.models import (
    AbuseType,
    Attachment,
    Case,
    CaseEvent,
    CaseNote,
    Channel,
    DetailedAssessment,
    EmergencyMeasure,
    FollowUpVisit,
    FormRevision,
    InitialAssessment,
    Plan,
    PlanService,
    PublicHoliday,
    Referral,
    Report,
    Review,
    SeparationDecision,
    ServiceKind,
    Transfer,
)
from treem.protection.uploads import check_upload

S = Case.Status
E = CaseEvent.Kind


class TransitionError(ValidationError):
    """A move the case's current state does not allow."""


# --- helpers --------------------------------------------------------------------------------------


def _event(
    case: Case,
    *,
    actor: User | None,
    kind: str,
    at: datetime,
    from_status: str = "",
    to_status: str = "",
    details: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind=kind,
        at=at,
        from_status=from_status,
        to_status=to_status,
        details=details or {},
    )


def _lock(case: Case) -> Case:
    """Re-read the case under a row lock: two people moving the same case queue, and the second
    sees the state the first left (and is refused if its move no longer applies)."""
    return Case.objects.select_for_update().select_related("report").get(pk=case.pk)


def _minute(moment: datetime) -> datetime:
    """Forms take times to the minute: a time entered in the minute of the report is not before
    it."""
    return moment.replace(second=0, microsecond=0)


def _expect(case: Case, action: str) -> None:
    """Refuse a move the transition table does not allow in the case's current state."""
    move = workflow.CASE_TRANSITIONS.get(case.status, {}).get(action)
    if move is None:
        label = workflow.ACTION_LABELS.get(action, action)
        raise TransitionError(
            _(
                "Không thể %(action)s khi ca đang ở bước “%(status)s”. "
                "Hãy tải lại trang để xem bước hiện tại của ca."
            )
            % {"action": label, "status": case.get_status_display()},
            code="invalid_transition",
        )


def _step_due(case: Case) -> datetime | None:
    """The due time of the step the case is in, from the step's start and the rules in force."""
    code = case.commune_id
    start = case.step_started_at or case.report.received_at
    if case.status == S.RECEIVED:
        return deadlines.initial_assessment_due(
            received_at=case.report.received_at, commune_code=code
        )
    if case.status == S.ASSESSMENT:
        return deadlines.assessment_due(received_at=start, commune_code=code)
    if case.status == S.PLANNING:
        # Decree 56/2017, Art. 28(1): 5 working days from the needs assessment (the case
        # meeting of Form 03, which is where the step starts), or from the refusal or review that
        # asked for a new plan.
        return deadlines.plan_due(start=start, commune_code=code)
    if case.status == S.APPROVAL:
        return deadlines.approval_due(submitted_at=start, commune_code=code)
    if case.status == S.IMPLEMENTATION:
        return deadlines.review_due(approved_at=start, commune_code=code)
    return None


def _set_due(case: Case) -> None:
    """Set `step_due_at` and `due_at` (the earliest of the step, an unmet emergency and the end of
    an active temporary separation)."""
    step = _step_due(case)
    case.step_due_at = step
    candidates = [d for d in (step,) if d is not None]
    if case.is_emergency and case.emergency_met_at is None and case.emergency_due_at:
        candidates.append(case.emergency_due_at)
    if case.pk and case.status != S.CLOSED:
        active = getattr(case, "active_separations", None)
        if active is not None:  # prefetched by a batch recompute
            candidates.extend(s.ends_at for s in active)
        else:
            ends = case.separations.filter(ended_at__isnull=True).values_list("ends_at", flat=True)
            candidates.extend(ends)
    case.due_at = min(candidates) if candidates else None


def _refresh_due(case: Case, *, since: datetime) -> None:
    """A new step begins at `since`: its clock starts there."""
    case.step_started_at = since
    _set_due(case)
    case.escalated_at = None


def _move(
    case: Case,
    *,
    actor: User,
    to: str,
    kind: str,
    at: datetime,
    details: dict[str, Any] | None = None,
    extra_fields: list[str] | None = None,
    step_start: datetime | None = None,
) -> None:
    before = case.status
    case.status = to
    _refresh_due(case, since=step_start or at)
    fields = [
        "status",
        "step_started_at",
        "step_due_at",
        "due_at",
        "escalated_at",
        *(extra_fields or []),
    ]
    case.version += 1
    case.save(update_fields=[*fields, "version"])
    _event(case, actor=actor, kind=kind, at=at, from_status=before, to_status=to, details=details)
    audit_record(
        actor=actor,
        action="update",
        obj=case,
        changes={"status": [before, to]},
        details={"event": kind},
    )


def _revise(case: Case, *, form: str, obj: Any, fields: list[str], at: datetime, actor: User):
    """Keep the version of a form as it stood before it is changed or replaced."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        data[name] = value.isoformat() if hasattr(value, "isoformat") else value
    valid_from = getattr(obj, "assessed_at", None) or getattr(obj, "reviewed_at", None) or at
    revision = FormRevision.objects.create(
        case=case, form=form, data=data, valid_from=valid_from, replaced_at=at, replaced_by=actor
    )
    return revision


def _clean_abuse_types(values: list[str]) -> list[str]:
    valid = set(AbuseType.values)
    cleaned = []
    for value in values or []:
        if value not in valid:
            raise ValidationError(
                {
                    "abuse_types": _("Hình thức xâm hại “%(v)s” không có trong danh sách.")
                    % {"v": value}
                }
            )
        if value not in cleaned:
            cleaned.append(value)
    return cleaned or [AbuseType.OTHER]


def _text_required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- Form 01: receiving a report ------------------------------------------------------------------


@transaction.atomic
def report_receive(
    *,
    actor: User | None,
    channel: str,
    commune: Commune,
    what_happened: str,
    abuse_types: list[str] | None = None,
    village: Village | None = None,
    happened_on: date | None = None,
    suspected_person: str = "",
    child_description: str = "",
    child: Any = None,
    is_anonymous: bool = False,
    reporter_name: str = "",
    reporter_phone: str = "",
    reporter_email: str = "",
    reporter_relation: str = "",
    received_at: datetime | None = None,
    is_held: bool = False,
    source_concern_id: int | None = None,
    external_ref: str = "",
) -> Report:
    """Record a report and open its case, routed at once to the commune where it happened.

    A report is never refused because the child is unknown: the description is kept and the
    child is linked to (or registered in) the registry when one is given.
    `actor` is None only for the public portal.
    """
    if actor is not None:
        require(actor, Action.CASE_RECEIVE)
    if village is not None and village.commune_id != commune.code:
        raise ValidationError({"village": _("Thôn, ấp đã chọn không thuộc xã, phường đã chọn.")})
    if happened_on and happened_on > timezone.localdate():
        raise ValidationError({"happened_on": _("Ngày xảy ra không thể ở tương lai.")})
    now = timezone.now()
    received_at = received_at or now
    if is_anonymous:
        # Nothing that identifies an anonymous reporter is kept, not even by mistake.
        reporter_name = reporter_phone = reporter_email = reporter_relation = ""
    report = Report(
        channel=channel,
        received_at=received_at,
        received_by=actor,
        is_anonymous=is_anonymous,
        reporter_name=nfc(reporter_name),
        reporter_phone=(reporter_phone or "").strip(),
        reporter_email=(reporter_email or "").strip().lower(),
        reporter_relation=nfc(reporter_relation),
        commune=commune,
        village=village,
        happened_on=happened_on,
        what_happened=_text_required(
            what_happened, "what_happened", _("Hãy ghi nội dung sự việc được báo.")
        ),
        abuse_types=_clean_abuse_types(abuse_types or []),
        suspected_person=nfc(suspected_person),
        child_description=(child_description or "").strip(),
        is_held=is_held,
        source_concern_id=source_concern_id,
        external_ref=(external_ref or "").strip(),
    )
    if channel not in Channel.values:
        raise ValidationError({"channel": _("Hãy chọn kênh tiếp nhận trong danh sách.")})
    report.full_clean()
    report.save()
    case = Case(
        report=report,
        commune=commune,
        village=village,
        status=S.RECEIVED,
        opened_at=received_at,
    )
    if child is not None:
        case.child = child
    _refresh_due(case, since=received_at)
    case.save()
    _event(
        case,
        actor=actor,
        kind=E.RECEIVED,
        at=received_at,
        to_status=S.RECEIVED,
        details={"channel": channel, "commune": commune.code, "held": is_held},
    )
    audit_record(
        actor=actor,
        action="create",
        obj=report,
        details={"channel": channel, "commune": commune.code, "case": case.pk},
    )
    case_id = case.pk
    transaction.on_commit(lambda: notify.new_report(case_id=case_id))
    return report


@transaction.atomic
def case_link_child(*, actor: User, case: Case, child: Any) -> Case:
    """Link the case to a registered child the actor may see in the case's commune
    (`access.child_for_case`: 404 for any other child)."""
    access.require_work(actor, case)
    child = access.child_for_case(actor, case, child.pk)
    case = _lock(case)
    before = case.child_id
    case.child = child
    case.version += 1
    case.save(update_fields=["child", "version"])
    _event(case, actor=actor, kind=E.CHILD_LINKED, at=timezone.now(), details={"child": child.pk})
    audit_record(actor=actor, action="update", obj=case, changes={"child": [before, child.pk]})
    return case


def case_register_child(
    *,
    actor: User,
    case: Case,
    full_name: str,
    birth_date: Any,
    sex: str,
    decision: str | None = None,
    link_to: int | None = None,
) -> Case:
    """Register the reported child through the registry (with its duplicate check) and link it.

    Raises the registry's `DuplicatesFound` when likely duplicates exist and no decision was
    made: the caller shows them and asks "this one" (`decision="linked"`, `link_to`) or "a new
    child" (`decision="new"`).
    """
    from treem.registry.services import child_register

    access.require_work(actor, case)
    raw = {
        "full_name": full_name,
        "birth_date": birth_date,
        "sex": sex,
        "commune": case.commune_id,
        "village": case.village_id or "",
    }
    with transaction.atomic():
        result = child_register(
            actor=actor, raw=raw, decision=decision, link_to=link_to, source="register"
        )
        return case_link_child(actor=actor, case=case, child=result.child)


# --- assignment, transfer -------------------------------------------------------------------------


@transaction.atomic
def case_assign(*, actor: User, case: Case, worker: User) -> Case:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "assign")
    if worker.role not in {Role.COMMUNE_WORKER, Role.COMMUNE_CHAIRMAN} or (
        worker.commune_id != case.commune_id
    ):
        raise ValidationError(
            {"worker": _("Người phụ trách phải là cán bộ của xã, phường đang phụ trách ca.")}
        )
    before = case.assigned_to_id
    case.assigned_to = worker
    case.version += 1
    case.save(update_fields=["assigned_to", "version"])
    _event(case, actor=actor, kind=E.ASSIGNED, at=timezone.now(), details={"user": worker.pk})
    audit_record(
        actor=actor, action="update", obj=case, changes={"assigned_to": [before, worker.pk]}
    )
    return case


@transaction.atomic
def case_transfer(*, actor: User, case: Case, to_commune: Commune, reason: str) -> Case:
    """The child moved: the case and its whole history go to the new commune, which assigns its own
    worker. The old commune no longer sees the case; the transfer stays in the history."""
    access.require_transfer(actor, case)
    case = _lock(case)
    _expect(case, "transfer")
    reason = _text_required(reason, "reason", _("Hãy ghi lý do chuyển ca sang xã khác."))
    if to_commune.code == case.commune_id:
        raise ValidationError({"to_commune": _("Hãy chọn một xã, phường khác xã đang phụ trách.")})
    if to_commune.province_id != case.commune.province_id and not can(actor, Action.CASE_SUPERVISE):
        raise ValidationError({"to_commune": _("Chuyển ca sang tỉnh khác cần cấp tỉnh thực hiện.")})
    now = timezone.now()
    from_code = case.commune_id
    Transfer.objects.create(
        case=case, from_commune_id=from_code, to_commune=to_commune, at=now, by=actor, reason=reason
    )
    case.commune = to_commune
    case.village = None
    case.assigned_to = None
    case.version += 1
    case.save(update_fields=["commune", "village", "assigned_to", "version"])
    _event(
        case,
        actor=actor,
        kind=E.TRANSFERRED,
        at=now,
        details={"from": from_code, "to": to_commune.code},
    )
    audit_record(
        actor=actor, action="update", obj=case, changes={"commune": [from_code, to_commune.code]}
    )
    case_id = case.pk
    transaction.on_commit(lambda: notify.new_report(case_id=case_id))
    return case


# --- Form 02: initial assessment, emergency -------------------------------------------------------


@transaction.atomic
def case_initial_assess(
    *, actor: User, case: Case, in_danger: bool, findings: str, immediate_needs: str = ""
) -> InitialAssessment:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "initial_assess")
    now = timezone.now()
    assessment = InitialAssessment(
        case=case,
        assessed_at=now,
        assessed_by=actor,
        in_danger=in_danger,
        findings=_text_required(findings, "findings", _("Hãy ghi nhận định ban đầu.")),
        immediate_needs=(immediate_needs or "").strip(),
    )
    assessment.full_clean()
    assessment.save()
    extra = []
    if in_danger:
        # Decree 56/2017, Art. 31–32: the emergency clock runs from the report's receipt, not
        # from this assessment.
        case.is_emergency = True
        case.emergency_due_at = deadlines.emergency_due(
            received_at=case.report.received_at, commune_code=case.commune_id
        )
        extra = ["is_emergency", "emergency_due_at"]
    if case.assigned_to_id is None and actor.role == Role.COMMUNE_WORKER:
        case.assigned_to = actor
        extra.append("assigned_to")
    _move(
        case,
        actor=actor,
        to=S.ASSESSMENT,
        kind=E.INITIAL_ASSESSED,
        at=now,
        details={"in_danger": in_danger},
        extra_fields=extra,
    )
    return assessment


INITIAL_FIELDS = ["in_danger", "findings", "immediate_needs"]


@transaction.atomic
def initial_assessment_update(
    *,
    actor: User,
    assessment: InitialAssessment,
    expected_version: int,
    findings: str,
    immediate_needs: str = "",
) -> InitialAssessment:
    """Correct Form 02. Edited from a stale copy → refused, nothing overwritten."""
    access.require_work(actor, assessment.case)
    _expect(assessment.case, "edit_forms")
    before = snapshot(assessment, INITIAL_FIELDS)
    _revise(
        assessment.case,
        form="02",
        obj=InitialAssessment.objects.get(pk=assessment.pk),
        fields=["assessed_at", "assessed_by_id", *INITIAL_FIELDS],
        at=timezone.now(),
        actor=actor,
    )
    assessment.findings = _text_required(findings, "findings", _("Hãy ghi nhận định ban đầu."))
    assessment.immediate_needs = (immediate_needs or "").strip()
    save_versioned(
        assessment, expected_version=expected_version, fields=["findings", "immediate_needs"]
    )
    changes = diff_fields(before, assessment, INITIAL_FIELDS)
    _event(
        assessment.case,
        actor=actor,
        kind=E.ASSESSMENT_EDITED,
        at=timezone.now(),
        details={"form": "02", "fields": sorted(changes)},
    )
    audit_record(actor=actor, action="update", obj=assessment, changes=changes)
    return assessment


@transaction.atomic
def emergency_measure_record(
    *, actor: User, case: Case, kind: str, description: str, applied_at: datetime | None = None
) -> EmergencyMeasure:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "emergency")
    now = timezone.now()
    applied_at = applied_at or now
    if applied_at > now:
        raise ValidationError({"applied_at": _("Thời điểm áp dụng không thể ở tương lai.")})
    measure = EmergencyMeasure(
        case=case,
        kind=kind,
        applied_at=applied_at,
        description=_text_required(
            description, "description", _("Hãy mô tả biện pháp đã áp dụng.")
        ),
        recorded_by=actor,
    )
    measure.full_clean()
    measure.save()
    if case.emergency_met_at is None:
        case.emergency_met_at = applied_at
        if not case.is_emergency:
            case.is_emergency = True
            case.emergency_due_at = deadlines.emergency_due(
                received_at=case.report.received_at, commune_code=case.commune_id
            )
    _set_due(case)
    case.version += 1
    case.save(
        update_fields=[
            "emergency_met_at",
            "is_emergency",
            "emergency_due_at",
            "step_due_at",
            "due_at",
            "version",
        ]
    )
    _event(
        case,
        actor=actor,
        kind=E.EMERGENCY_MEASURE,
        at=applied_at,
        details={"measure": kind, "on_time": applied_at <= (case.emergency_due_at or applied_at)},
    )
    audit_record(actor=actor, action="create", obj=measure, details={"case": case.pk})
    return measure


# --- Form 03: detailed assessment and case meeting ------------------------------------------------


def _participants(rows: list[dict[str, str]] | None) -> list[dict[str, str]]:
    cleaned = []
    for row in rows or []:
        name = nfc(row.get("name", ""))
        if name:
            cleaned.append({"name": name, "role": nfc(row.get("role", ""))})
    if not cleaned:
        raise ValidationError(
            {"participants": _("Hãy ghi ít nhất một người tham dự cuộc họp (họ tên, chức vụ).")}
        )
    return cleaned


@transaction.atomic
def case_detailed_assess(
    *,
    actor: User,
    case: Case,
    child_needs: str,
    family_situation: str,
    meeting_at: datetime,
    meeting_place: str,
    participants: list[dict[str, str]],
    risks: str = "",
    strengths: str = "",
) -> DetailedAssessment:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "detailed_assess")
    now = timezone.now()
    if meeting_at is None:
        raise ValidationError({"meeting_at": _("Hãy ghi thời điểm họp ca.")})
    if meeting_at < _minute(case.report.received_at):
        raise ValidationError(
            {
                "meeting_at": _(
                    "Cuộc họp ca không thể diễn ra trước khi tiếp nhận tin báo (%(at)s). "
                    "Hãy kiểm tra lại ngày họp."
                )
                % {"at": timezone.localtime(case.report.received_at).strftime("%H:%M %d/%m/%Y")}
            }
        )
    if meeting_at > now:
        raise ValidationError(
            {"meeting_at": _("Hãy ghi Mẫu số 03 sau khi cuộc họp ca đã diễn ra.")}
        )
    values = {
        "assessed_at": now,
        "assessed_by": actor,
        "child_needs": _text_required(child_needs, "child_needs", _("Hãy ghi nhu cầu của trẻ.")),
        "family_situation": _text_required(
            family_situation, "family_situation", _("Hãy ghi hoàn cảnh gia đình.")
        ),
        "risks": (risks or "").strip(),
        "strengths": (strengths or "").strip(),
        "meeting_at": meeting_at,
        "meeting_place": _text_required(meeting_place, "meeting_place", _("Hãy ghi địa điểm họp.")),
        "participants": _participants(participants),
    }
    assessment = DetailedAssessment.objects.filter(case=case).first()
    if assessment is not None:
        # A reopened case is assessed again: the earlier Form 03 is kept as a revision (printable
        # as it was) and the row carries the new assessment.
        _revise(case, form="03", obj=assessment, fields=FORM_03_FIELDS, at=now, actor=actor)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.version += 1
    else:
        assessment = DetailedAssessment(case=case, **values)
    assessment.full_clean()
    assessment.save()
    # Decree 56/2017, Art. 28(1): the plan clock starts from the needs assessment, concluded at
    # the case meeting.
    _move(
        case,
        actor=actor,
        to=S.PLANNING,
        kind=E.DETAILED_ASSESSED,
        at=now,
        details={
            "participants": len(assessment.participants),
            "meeting_at": meeting_at.isoformat(),
        },
        step_start=meeting_at,
    )
    return assessment


FORM_03_FIELDS = [
    "assessed_at",
    "assessed_by_id",
    "child_needs",
    "family_situation",
    "risks",
    "strengths",
    "meeting_at",
    "meeting_place",
    "participants",
]
DETAILED_FIELDS = ["child_needs", "family_situation", "risks", "strengths"]


@transaction.atomic
def detailed_assessment_update(
    *, actor: User, assessment: DetailedAssessment, expected_version: int, **values: str
) -> DetailedAssessment:
    access.require_work(actor, assessment.case)
    _expect(assessment.case, "edit_forms")
    before = snapshot(assessment, DETAILED_FIELDS)
    _revise(
        assessment.case,
        form="03",
        obj=DetailedAssessment.objects.get(pk=assessment.pk),
        fields=FORM_03_FIELDS,
        at=timezone.now(),
        actor=actor,
    )
    for name in DETAILED_FIELDS:
        if name in values:
            setattr(assessment, name, (values[name] or "").strip())
    if not assessment.child_needs or not assessment.family_situation:
        raise ValidationError(_("Hãy ghi nhu cầu của trẻ và hoàn cảnh gia đình."))
    save_versioned(assessment, expected_version=expected_version, fields=DETAILED_FIELDS)
    changes = diff_fields(before, assessment, DETAILED_FIELDS)
    _event(
        assessment.case,
        actor=actor,
        kind=E.ASSESSMENT_EDITED,
        at=timezone.now(),
        details={"form": "03", "fields": sorted(changes)},
    )
    audit_record(actor=actor, action="update", obj=assessment, changes=changes)
    return assessment


# --- Forms 04 and 05: plan and decision -----------------------------------------------------------


@transaction.atomic
def plan_submit(*, actor: User, case: Case, goals: str, services: list[dict[str, Any]]) -> Plan:
    """Form 04: goals and services, each with who does it and by when; submitted to the chairman.

    `services` items: kind, description, due_on, and organisation and/or responsible_user.
    """
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "plan_submit")
    if not services:
        raise ValidationError({"services": _("Hãy thêm ít nhất một dịch vụ vào kế hoạch.")})
    now = timezone.now()
    plan = Plan(
        case=case,
        number=case.plans.count() + 1,
        status=Plan.Status.SUBMITTED,
        goals=_text_required(goals, "goals", _("Hãy ghi mục tiêu của kế hoạch.")),
        drafted_by=actor,
        drafted_at=now,
        submitted_at=now,
    )
    plan.full_clean()
    plan.save()
    for item in services:
        if item.get("kind") not in ServiceKind.values:
            raise ValidationError({"services": _("Hãy chọn loại dịch vụ trong danh sách.")})
        if not item.get("organisation") and not item.get("responsible_user"):
            raise ValidationError(
                {"services": _("Mỗi dịch vụ cần một người hoặc một cơ quan chịu trách nhiệm.")}
            )
        if not item.get("due_on"):
            raise ValidationError({"services": _("Mỗi dịch vụ cần có hạn hoàn thành.")})
        PlanService.objects.create(
            plan=plan,
            kind=item["kind"],
            description=_text_required(
                item.get("description", ""), "services", _("Hãy ghi nội dung từng dịch vụ.")
            ),
            organisation=item.get("organisation"),
            responsible_user=item.get("responsible_user"),
            due_on=item["due_on"],
        )
    _move(
        case,
        actor=actor,
        to=S.APPROVAL,
        kind=E.PLAN_SUBMITTED,
        at=now,
        details={"plan": plan.pk, "number": plan.number, "services": len(services)},
    )
    audit_record(actor=actor, action="create", obj=plan, details={"case": case.pk})
    case_id = case.pk
    transaction.on_commit(lambda: notify.plan_submitted(case_id=case_id))
    return plan


def _current_plan(case: Case) -> Plan:
    plan = case.plans.filter(status=Plan.Status.SUBMITTED).order_by("-number").first()
    if plan is None:
        raise TransitionError(_("Ca này không có kế hoạch nào đang chờ phê duyệt."))
    return plan


@transaction.atomic
def plan_approve(*, actor: User, case: Case, decision_number: str = "") -> Plan:
    """Form 05: the commune chairman's decision approving the plan."""
    access.require_approve(actor, case)
    case = _lock(case)
    _expect(case, "plan_approve")
    plan = _current_plan(case)
    now = timezone.now()
    plan.status = Plan.Status.APPROVED
    plan.decided_by = actor
    plan.decided_at = now
    plan.decision_number = (decision_number or "").strip()
    plan.version += 1
    plan.save(update_fields=["status", "decided_by", "decided_at", "decision_number", "version"])
    _move(
        case,
        actor=actor,
        to=S.IMPLEMENTATION,
        kind=E.PLAN_APPROVED,
        at=now,
        details={"plan": plan.pk, "decision": plan.decision_number},
    )
    # The approved plan's services given to an agency become its referrals: one entry per
    # service, sent in the name of the worker who drafted the plan (the partner's contact).
    referral_ids = []
    for service in plan.services.select_related("organisation").filter(organisation__isnull=False):
        if service.referrals.exists():
            continue
        referral = Referral.objects.create(
            case=case,
            service=service,
            organisation=service.organisation,
            kind=service.kind,
            request=service.description,
            sent_at=now,
            sent_by=plan.drafted_by,
        )
        _event(
            case,
            actor=actor,
            kind=E.REFERRAL_SENT,
            at=now,
            details={
                "referral": referral.pk,
                "organisation": service.organisation_id,
                "service": service.kind,
                "plan": plan.pk,
            },
        )
        audit_record(actor=actor, action="create", obj=referral, details={"case": case.pk})
        referral_ids.append(referral.pk)
    for referral_id in referral_ids:
        transaction.on_commit(lambda rid=referral_id: notify.referral_sent(referral_id=rid))
    return plan


@transaction.atomic
def plan_refuse(*, actor: User, case: Case, reason: str) -> Plan:
    access.require_approve(actor, case)
    reason = _text_required(
        reason,
        "reason",
        _("Hãy ghi lý do không phê duyệt để người lập kế hoạch biết cần sửa gì."),
    )
    case = _lock(case)
    _expect(case, "plan_refuse")
    plan = _current_plan(case)
    now = timezone.now()
    plan.status = Plan.Status.REFUSED
    plan.decided_by = actor
    plan.decided_at = now
    plan.refusal_reason = reason
    plan.version += 1
    plan.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason", "version"])
    _move(case, actor=actor, to=S.PLANNING, kind=E.PLAN_REFUSED, at=now, details={"plan": plan.pk})
    return plan


# --- implementation: referrals and visits ---------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    organisation: Organisation,
    kind: str,
    request: str,
    service: PlanService | None = None,
) -> Referral:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "referral_send")
    if service is not None and service.plan.case_id != case.pk:
        raise ValidationError({"service": _("Dịch vụ đã chọn không thuộc kế hoạch của ca này.")})
    now = timezone.now()
    referral = Referral(
        case=case,
        service=service,
        organisation=organisation,
        kind=kind,
        request=_text_required(request, "request", _("Hãy ghi nội dung đề nghị đơn vị hỗ trợ.")),
        sent_at=now,
        sent_by=actor,
    )
    referral.full_clean()
    referral.save()
    _event(
        case,
        actor=actor,
        kind=E.REFERRAL_SENT,
        at=now,
        details={"referral": referral.pk, "organisation": organisation.pk, "service": kind},
    )
    audit_record(actor=actor, action="create", obj=referral, details={"case": case.pk})
    referral_id = referral.pk
    transaction.on_commit(lambda: notify.referral_sent(referral_id=referral_id))
    return referral


def _lock_referral(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)


def _referral_step(
    *,
    actor: User,
    referral: Referral,
    allowed: set[str],
    to: str,
    kind: str,
    action: str,
    fields: dict[str, Any],
    expected_version: int | None,
) -> Referral:
    access.require_respond(actor, referral)
    current = _lock_referral(referral)
    if (
        to not in {m.to for m in workflow.REFERRAL_TRANSITIONS.get(current.status, {}).values()}
        or current.status not in allowed
    ):
        raise TransitionError(
            _(
                "Không thể %(action)s khi yêu cầu chuyển gửi đang ở trạng thái “%(status)s”. "
                "Hãy tải lại trang."
            )
            % {"action": action, "status": current.get_status_display()},
            code="invalid_transition",
        )
    if current.case.status == S.CLOSED:
        raise TransitionError(_("Ca đã đóng; không thể cập nhật chuyển gửi."))
    now = timezone.now()
    before = current.status
    current.status = to
    current.responded_by = actor
    if current.responded_at is None:
        current.responded_at = now
    for name, value in fields.items():
        setattr(current, name, value)
    if to == Referral.Status.CLOSED:
        current.closed_at = now
    names = ["status", "responded_by", "responded_at", "closed_at", *fields]
    save_versioned(
        current,
        expected_version=current.version if expected_version is None else expected_version,
        fields=names,
    )
    _event(
        current.case,
        actor=actor,
        kind=kind,
        at=now,
        from_status=before,
        to_status=to,
        details={"referral": current.pk},
    )
    audit_record(actor=actor, action="update", obj=current, changes={"status": [before, to]})
    if to == Referral.Status.CLOSED and current.service_id:
        PlanService.objects.filter(pk=current.service_id, done_at__isnull=True).update(
            done_at=now, done_by=actor, done_note=current.service_given
        )
    return current


def referral_accept(*, actor: User, referral: Referral, expected_version: int | None = None):
    with transaction.atomic():
        return _referral_step(
            actor=actor,
            referral=referral,
            allowed={Referral.Status.SENT},
            to=Referral.Status.ACCEPTED,
            kind=E.REFERRAL_ACCEPTED,
            action=_("nhận yêu cầu"),
            fields={},
            expected_version=expected_version,
        )


def referral_decline(
    *, actor: User, referral: Referral, reason: str, expected_version: int | None = None
):
    reason = _text_required(reason, "reason", _("Hãy ghi lý do từ chối để xã tìm đơn vị khác."))
    with transaction.atomic():
        return _referral_step(
            actor=actor,
            referral=referral,
            allowed={Referral.Status.SENT},
            to=Referral.Status.DECLINED,
            kind=E.REFERRAL_DECLINED,
            action=_("từ chối yêu cầu"),
            fields={"decline_reason": reason},
            expected_version=expected_version,
        )


def referral_record_service(
    *, actor: User, referral: Referral, service_given: str, expected_version: int | None = None
):
    service_given = _text_required(
        service_given, "service_given", _("Hãy ghi dịch vụ đã cung cấp cho trẻ.")
    )
    with transaction.atomic():
        return _referral_step(
            actor=actor,
            referral=referral,
            allowed={Referral.Status.ACCEPTED},
            to=Referral.Status.ACCEPTED,
            kind=E.REFERRAL_SERVICE,
            action=_("ghi dịch vụ"),
            fields={"service_given": service_given},
            expected_version=expected_version,
        )


def referral_close(*, actor: User, referral: Referral, expected_version: int | None = None):
    with transaction.atomic():
        current = Referral.objects.get(pk=referral.pk)
        if not current.service_given:
            raise ValidationError(
                {"service_given": _("Hãy ghi dịch vụ đã cung cấp trước khi kết thúc phần việc.")}
            )
        return _referral_step(
            actor=actor,
            referral=referral,
            allowed={Referral.Status.ACCEPTED},
            to=Referral.Status.CLOSED,
            kind=E.REFERRAL_CLOSED,
            action=_("kết thúc phần việc"),
            fields={},
            expected_version=expected_version,
        )


@transaction.atomic
def visit_record(*, actor: User, case: Case, visited_on: date, notes: str) -> FollowUpVisit:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "visit")
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("Ngày thăm không thể ở tương lai.")})
    visit = FollowUpVisit(
        case=case,
        visited_on=visited_on,
        visited_by=actor,
        notes=_text_required(notes, "notes", _("Hãy ghi nội dung buổi thăm.")),
    )
    visit.full_clean()
    visit.save()
    _event(case, actor=actor, kind=E.VISIT, at=timezone.now(), details={"visit": visit.pk})
    audit_record(actor=actor, action="create", obj=visit, details={"case": case.pk})
    return visit


# --- Form 06: review, closing, reopening ----------------------------------------------------------


@transaction.atomic
def case_review(
    *,
    actor: User,
    case: Case,
    results: str,
    child_situation: str,
    outcome: str,
    reason: str,
    open_services_reason: str = "",
) -> Review:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, "review")
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết luận: đóng ca hoặc lập lại kế hoạch.")})
    open_services = list(open_plan_services(case))
    open_services_reason = (open_services_reason or "").strip()
    if outcome == Review.Outcome.CLOSE and open_services and not open_services_reason:
        names = "; ".join(f"{s.get_kind_display()} ({s.responsible_label})" for s in open_services)
        raise ValidationError(
            {
                "open_services_reason": _(
                    "Còn %(n)s dịch vụ chưa hoàn thành: %(list)s. Hãy xác nhận hoàn thành "
                    "hoặc ghi lý do đóng ca khi các dịch vụ này còn dở."
                )
                % {"n": len(open_services), "list": names}
            }
        )
    now = timezone.now()
    review = Review(
        case=case,
        reviewed_at=now,
        reviewed_by=actor,
        results=_text_required(results, "results", _("Hãy ghi kết quả thực hiện kế hoạch.")),
        child_situation=_text_required(
            child_situation, "child_situation", _("Hãy ghi tình trạng hiện tại của trẻ.")
        ),
        outcome=outcome,
        reason=_text_required(reason, "reason", _("Hãy ghi lý do của kết luận.")),
    )
    review.full_clean()
    review.save()
    if outcome == Review.Outcome.CLOSE:
        _expect(case, "close")
        case.closed_at = now
        case.close_reason = review.reason
        if open_services:
            case.close_reason += "\n" + _(
                "Đóng ca khi còn %(n)s dịch vụ chưa hoàn thành. Lý do: %(reason)s"
            ) % {"n": len(open_services), "reason": open_services_reason}
        _move(
            case,
            actor=actor,
            to=S.CLOSED,
            kind=E.CLOSED,
            at=now,
            details={"review": review.pk, "open_services": [s.pk for s in open_services]},
            extra_fields=["closed_at", "close_reason"],
        )
    else:
        _move(
            case, actor=actor, to=S.PLANNING, kind=E.REVIEWED, at=now, details={"review": review.pk}
        )
    return review


@transaction.atomic
def case_reopen(*, actor: User, case: Case, reason: str) -> Case:
    access.require_work(actor, case)
    reason = _text_required(reason, "reason", _("Hãy ghi lý do mở lại ca."))
    case = _lock(case)
    _expect(case, "reopen")
    case.closed_at = None
    case.close_reason = ""
    _move(
        case,
        actor=actor,
        to=S.ASSESSMENT,
        kind=E.REOPENED,
        at=timezone.now(),
        details={"reason_length": len(reason)},
        extra_fields=["closed_at", "close_reason"],
    )
    CaseNote.objects.create(
        case=case,
        author=actor,
        created_at=timezone.now(),
        text=_("Lý do mở lại ca: %(reason)s") % {"reason": reason},
    )
    return case


# --- notes and documents --------------------------------------------------------------------------


@transaction.atomic
def note_add(*, actor: User, case: Case, text: str, is_restricted: bool = False) -> CaseNote:
    if not (access.can_work(actor, case) or access.can_supervise(actor, case)):
        raise PermissionDenied(_("Bạn không thể ghi chú vào ca này."))
    note = CaseNote(
        case=case,
        author=actor,
        created_at=timezone.now(),
        text=_text_required(text, "text", _("Hãy nhập nội dung ghi chú.")),
        is_restricted=is_restricted,
    )
    note.full_clean()
    note.save()
    _event(
        case,
        actor=actor,
        kind=E.NOTE,
        at=note.created_at,
        details={"note": note.pk, "restricted": is_restricted},
    )
    audit_record(actor=actor, action="create", obj=note, details={"case": case.pk})
    return note


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    case: Case,
    upload,
    description: str = "",
    referral: Referral | None = None,
) -> Attachment:
    """Store a photo, scan or PDF after checking its real type (magic bytes) and size. A partner
    may attach documents to its own referral only."""
    if referral is not None:
        access.require_respond(actor, referral)
        if referral.case_id != case.pk:
            raise PermissionDenied
    else:
        access.require_work(actor, case)
    content_type = check_upload(upload)
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        case=case,
        referral=referral,
        original_name=nfc(upload.name)[:200] or "tep",
        content_type=content_type,
        size=upload.size,
        sha256=digest.hexdigest(),
        description=nfc(description),
        uploaded_by=actor,
        uploaded_at=timezone.now(),
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    _event(
        case,
        actor=actor,
        kind=E.DOCUMENT,
        at=attachment.uploaded_at,
        details={"attachment": attachment.pk, "type": content_type},
    )
    audit_record(actor=actor, action="create", obj=attachment, details={"case": case.pk})
    return attachment


# --- alerts ---------------------------------------------------------------------------------------


@transaction.atomic
def case_escalate(*, case: Case, at: datetime) -> bool:
    """Flag a case overdue beyond the escalation delay to the level above (the commune chairman and
    the province). Returns False if it was already flagged for this step."""
    case = _lock(case)
    if case.escalated_at is not None or case.due_at is None or case.status == S.CLOSED:
        return False
    case.escalated_at = at
    case.save(update_fields=["escalated_at"])
    _event(case, actor=None, kind=E.ESCALATED, at=at, details={"due_at": case.due_at.isoformat()})
    audit_record(actor=None, action="update", obj=case, changes={"escalated_at": [None, at]})
    return True


# --- plan services -------------------------------------------------------------------------------


def open_plan_services(case: Case):
    """The services of the case's approved plans not yet marked done."""
    return (
        PlanService.objects.filter(
            plan__case=case, plan__status=Plan.Status.APPROVED, done_at__isnull=True
        )
        .select_related("organisation", "responsible_user")
        .order_by("due_on", "id")
    )


@transaction.atomic
def plan_service_done(*, actor: User, service: PlanService, note: str = "") -> PlanService:
    """The worker confirms a service of the approved plan was given."""
    case = _lock(service.plan.case)
    access.require_work(actor, case)
    _expect(case, "service_done")
    service = PlanService.objects.select_for_update().get(pk=service.pk)
    if service.plan.status != Plan.Status.APPROVED:
        raise ValidationError(_("Chỉ xác nhận được dịch vụ của kế hoạch đã phê duyệt."))
    if service.done_at is not None:
        return service  # Done already (a double submit): nothing to do twice.
    now = timezone.now()
    service.done_at = now
    service.done_by = actor
    service.done_note = (note or "").strip()
    service.save(update_fields=["done_at", "done_by", "done_note"])
    _event(
        case,
        actor=actor,
        kind=E.SERVICE_DONE,
        at=now,
        details={"service": service.pk, "kind": service.kind},
    )
    audit_record(actor=actor, action="update", obj=service, changes={"done_at": [None, now]})
    return service


# --- Form 07: temporary separation ----------------------------------------------------------------


@transaction.atomic
def separation_decide(
    *,
    actor: User,
    case: Case,
    decision_number: str,
    separated_from: str,
    placement: str,
    reason: str,
    starts_at: datetime | None = None,
) -> SeparationDecision:
    """Form 07: the chairman's decision to separate the child temporarily (Decree 56/2017,
    Art. 32(2)); it ends 15 days after it starts unless extended (Art. 32(3))."""
    access.require_approve(actor, case)
    case = _lock(case)
    _expect(case, "separation")
    if case.separations.filter(ended_at__isnull=True).exists():
        raise ValidationError(
            _("Trẻ đang được tạm thời cách ly theo một quyết định khác; hãy gia hạn quyết định đó.")
        )
    now = timezone.now()
    starts_at = starts_at or now
    if starts_at < _minute(case.report.received_at):
        raise ValidationError(
            {"starts_at": _("Thời điểm cách ly không thể trước khi tiếp nhận tin báo.")}
        )
    decision = SeparationDecision(
        case=case,
        decision_number=_text_required(
            decision_number, "decision_number", _("Hãy ghi số quyết định.")
        ),
        decided_at=now,
        decided_by=actor,
        starts_at=starts_at,
        ends_at=deadlines.separation_end(starts_at=starts_at),
        separated_from=_text_required(
            separated_from, "separated_from", _("Hãy ghi trẻ được cách ly khỏi ai.")
        ),
        placement=_text_required(
            placement, "placement", _("Hãy ghi nơi, người chăm sóc trẻ trong thời gian cách ly.")
        ),
        reason=_text_required(reason, "reason", _("Hãy ghi lý do cách ly.")),
    )
    decision.full_clean()
    decision.save()
    fields = ["due_at", "step_due_at", "version"]
    if case.emergency_met_at is None:
        # Separation is an emergency measure of its own (Art. 32): it meets the 12-hour clock.
        case.emergency_met_at = starts_at
        fields.append("emergency_met_at")
    _set_due(case)
    case.version += 1
    case.save(update_fields=fields)
    _event(
        case,
        actor=actor,
        kind=E.SEPARATION_DECIDED,
        at=now,
        details={"separation": decision.pk, "ends_at": decision.ends_at.isoformat()},
    )
    audit_record(actor=actor, action="create", obj=decision, details={"case": case.pk})
    return decision


@transaction.atomic
def separation_extend(
    *, actor: User, decision: SeparationDecision, until: datetime, reason: str
) -> SeparationDecision:
    """Art. 32(3): a separation longer than 15 days needs a decision to extend it, with reasons."""
    case = _lock(decision.case)
    access.require_approve(actor, case)
    _expect(case, "separation")
    decision = SeparationDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.ended_at is not None:
        raise ValidationError(_("Quyết định cách ly đã chấm dứt; không thể gia hạn."))
    if until <= decision.ends_at:
        raise ValidationError({"until": _("Hạn mới phải sau hạn hiện tại.")})
    before = decision.ends_at
    decision.ends_at = until
    decision.extension_reason = _text_required(reason, "reason", _("Hãy ghi lý do gia hạn."))
    decision.save(update_fields=["ends_at", "extension_reason"])
    _set_due(case)
    case.version += 1
    case.save(update_fields=["due_at", "step_due_at", "version"])
    _event(
        case,
        actor=actor,
        kind=E.SEPARATION_EXTENDED,
        at=timezone.now(),
        details={"separation": decision.pk, "from": before.isoformat(), "to": until.isoformat()},
    )
    audit_record(actor=actor, action="update", obj=decision, changes={"ends_at": [before, until]})
    return decision


@transaction.atomic
def separation_end_record(
    *, actor: User, decision: SeparationDecision, note: str = ""
) -> SeparationDecision:
    case = _lock(decision.case)
    access.require_work(actor, case)
    decision = SeparationDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.ended_at is not None:
        return decision
    now = timezone.now()
    decision.ended_at = now
    decision.end_note = (note or "").strip()
    decision.save(update_fields=["ended_at", "end_note"])
    _set_due(case)
    case.version += 1
    case.save(update_fields=["due_at", "step_due_at", "version"])
    _event(case, actor=actor, kind=E.SEPARATION_ENDED, at=now, details={"separation": decision.pk})
    audit_record(actor=actor, action="update", obj=decision, changes={"ended_at": [None, now]})
    return decision


# --- recomputing due times when the calendar or a time limit changes -----------------------------


def cases_recompute_due(*, actor: User | None, cases, reason: str, details: dict) -> int:
    """Recompute the due times of open `cases` from their steps' starts; record each change on
    the case's timeline. Returns the number of cases whose due time moved."""
    with deadlines.calendar_cache():
        return _recompute(actor=actor, cases=cases, reason=reason, details=details)


def _recompute(*, actor: User | None, cases, reason: str, details: dict) -> int:
    from django.db.models import Prefetch

    now = timezone.now()
    changed: list[Case] = []
    events: list[CaseEvent] = []
    rows = (
        cases.exclude(status=S.CLOSED)
        .select_related("report")
        .prefetch_related(
            Prefetch(
                "separations",
                queryset=SeparationDecision.objects.filter(ended_at__isnull=True),
                to_attr="active_separations",
            )
        )
        .select_for_update(of=("self",))
    )
    for case in rows:
        before_step, before_due = case.step_due_at, case.due_at
        before_emergency = case.emergency_due_at
        if case.is_emergency and case.emergency_met_at is None:
            case.emergency_due_at = deadlines.emergency_due(
                received_at=case.report.received_at, commune_code=case.commune_id
            )
        _set_due(case)
        if (case.step_due_at, case.due_at, case.emergency_due_at) == (
            before_step,
            before_due,
            before_emergency,
        ):
            continue
        if case.due_at != before_due:
            case.escalated_at = None
        changed.append(case)
        events.append(
            CaseEvent(
                case=case,
                actor=actor,
                kind=E.DUE_RECOMPUTED,
                at=now,
                details={
                    "reason": reason,
                    "from": before_step.isoformat() if before_step else None,
                    "to": case.step_due_at.isoformat() if case.step_due_at else None,
                    **details,
                },
            )
        )
    # A day off can move thousands of open cases. Working-day due times end at 23:59:59, so
    # many cases share their new values: one UPDATE per distinct set of values (rows locked
    # above), and the timeline rows in batches of 500.
    groups: dict[tuple, list[int]] = {}
    for case in changed:
        values = (case.step_due_at, case.due_at, case.emergency_due_at, case.escalated_at)
        groups.setdefault(values, []).append(case.pk)
    for (step_due, due, emergency_due, escalated), pks in groups.items():
        Case.objects.filter(pk__in=pks).update(
            step_due_at=step_due,
            due_at=due,
            emergency_due_at=emergency_due,
            escalated_at=escalated,
            version=F("version") + 1,
        )
    CaseEvent.objects.bulk_create(events, batch_size=500)
    return len(changed)


def _recompute_for_days(*, actor: User | None, days: list[date], reason: str) -> int:
    """Open cases whose current step's window contains one of `days`."""
    if not days:
        return 0
    from django.db.models import Q

    window = Q()
    for day in days:
        # Hours run round the clock (emergency, initial assessment): only working-day windows
        # that hold the day can move.
        window |= Q(step_started_at__date__lt=day, step_due_at__date__gte=day)
    cases = Case.objects.filter(window)
    return cases_recompute_due(
        actor=actor,
        cases=cases,
        reason=reason,
        details={"days": [d.isoformat() for d in sorted(days)]},
    )


# --- calendar and time limits (data, not code) ----------------------------------------------------


def _holiday_changed(holiday, *, actor: User, reason: str) -> int:
    moved = _recompute_for_days(actor=actor, days=[holiday.date], reason=reason)
    deadlines.calendar_changed(days=[holiday.date], actor=actor, reason=reason)
    return moved


@transaction.atomic
def holiday_add(*, actor: User, date_: date, name: str, kind: str = PublicHoliday.Kind.HOLIDAY):
    """An official adds a day off (a decision published late) or a make-up working day. A row the
    package loaded for that date is taken over by the official's decision."""
    require(actor, Action.CASE_SUPERVISE)
    if kind not in PublicHoliday.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại ngày trong danh sách.")})
    if kind == PublicHoliday.Kind.WORKING_DAY and date_.weekday() < 5:
        raise ValidationError(
            {"date": _("Ngày làm việc bù phải là thứ Bảy hoặc Chủ nhật; hãy chọn lại ngày.")}
        )
    if kind == PublicHoliday.Kind.HOLIDAY and date_.weekday() >= 5:
        raise ValidationError(
            {"date": _("Thứ Bảy, Chủ nhật đã là ngày nghỉ; hãy chọn ngày làm việc bị nghỉ bù.")}
        )
    holiday = PublicHoliday.objects.select_for_update().filter(date=date_).first()
    before = None
    if holiday is None:
        holiday = PublicHoliday(date=date_)
    else:
        before = {"name": holiday.name, "kind": holiday.kind, "status": holiday.status}
    holiday.name = nfc(name)
    holiday.kind = kind
    holiday.status = PublicHoliday.Status.CONFIRMED
    holiday.source = _("Cán bộ %(user)s") % {"user": actor.full_name or actor.username}
    holiday.by_official = True
    holiday.changed_by = actor
    holiday.changed_at = timezone.now()
    holiday.full_clean(validate_unique=False)
    holiday.save()
    audit_record(
        actor=actor,
        action="update" if before else "create",
        obj=holiday,
        details={"date": date_.isoformat(), "kind": kind},
    )
    _holiday_changed(holiday, actor=actor, reason="holiday_added")
    return holiday


@transaction.atomic
def holiday_set_status(*, actor: User, holiday, status: str):
    """Confirm an unconfirmed day, remove a day, or restore a removed one. A removed day stays as
    a row marked removed, so the package's refresh does not bring it back."""
    require(actor, Action.CASE_SUPERVISE)
    if status not in PublicHoliday.Status.values:
        raise ValidationError(_("Tình trạng không hợp lệ."))
    holiday = PublicHoliday.objects.select_for_update().get(pk=holiday.pk)
    before = holiday.status
    if before == status and holiday.by_official:
        return holiday
    holiday.status = status
    holiday.by_official = True
    holiday.changed_by = actor
    holiday.changed_at = timezone.now()
    holiday.save(update_fields=["status", "by_official", "changed_by", "changed_at"])
    audit_record(
        actor=actor,
        action="update",
        obj=holiday,
        changes={"status": [before, status]},
        details={"date": holiday.date.isoformat()},
    )
    if before != status:
        _holiday_changed(holiday, actor=actor, reason=f"holiday_{status}")
    return holiday


def holidays_load(*, actor: User | None = None, years=None):
    """Refresh the calendar from the `holidays` package and recompute the open cases it moves."""
    from treem.protection import calendar

    with transaction.atomic():
        result = calendar.load_package_days(years=years or calendar.YEARS)
        _recompute_for_days(actor=actor, days=result.changed, reason="holidays_loaded")
        deadlines.calendar_changed(days=result.changed, actor=actor, reason="holidays_loaded")
    return result


@transaction.atomic
def deadline_setting_add(
    *,
    actor: User,
    key: str,
    value: int,
    effective_from: date,
    commune: Commune | None = None,
    note: str = "",
):
    """A new value from a date on; earlier values stay, so past steps keep the limits they had.
    Open cases whose current step started on or after `effective_from` are recomputed."""
    from treem.protection.models import DeadlineSetting

    require(actor, Action.CASE_SUPERVISE)
    if commune is not None and not access.covers(actor, commune.code):
        raise PermissionDenied
    maximum = deadlines.LEGAL_MAXIMUM.get(key)
    if maximum is not None and value > maximum:
        raise ValidationError(
            {
                "value": _(
                    "Thời hạn này do Nghị định 56/2017/NĐ-CP quy định tối đa %(max)s; xã, tỉnh chỉ "
                    "được đặt thời hạn ngắn hơn."
                )
                % {"max": maximum}
            }
        )
    setting = DeadlineSetting(
        key=key, value=value, effective_from=effective_from, commune=commune, note=nfc(note)
    )
    setting.full_clean()
    setting.save()
    audit_record(
        actor=actor,
        action="create",
        obj=setting,
        details={"key": key, "value": value, "from": effective_from},
    )
    cases = Case.objects.filter(step_started_at__date__gte=effective_from)
    if commune is not None:
        cases = cases.filter(commune=commune)
    cases_recompute_due(
        actor=actor,
        cases=cases,
        reason="setting_changed",
        details={"setting": key, "value": value},
    )
    return setting
