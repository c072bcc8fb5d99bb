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
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import Organisation, Role, User
from treem.accounts.policy import Action, can, require
from treem.audit.services import audit_record, diff_fields, snapshot
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune, Village
from treem.lib.text import nfc
from treem.protection import access, deadlines, notify
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
    InitialAssessment,
    Plan,
    PlanService,
    Referral,
    Report,
    Review,
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


def _expect(case: Case, allowed: set[str], *, action: str) -> None:
    if case.status not in allowed:
        raise TransitionError(
            _(
                "Không thể %(action)s khi ca đang ở bước “%(status)s”. "
                "Hãy tải lại trang để xem bước hiện tại của ca."
            )
            % {"action": action, "status": case.get_status_display()},
            code="invalid_transition",
        )


def _refresh_due(case: Case, *, since: datetime) -> None:
    """Set the due time of the step the case is now in, from the settings in force."""
    code = case.commune_id
    received_at = case.report.received_at
    step: datetime | None
    if case.status == S.RECEIVED:
        step = deadlines.initial_assessment_due(received_at=received_at, commune_code=code)
    elif case.status == S.ASSESSMENT:
        step = deadlines.assessment_due(received_at=since, commune_code=code)
    elif case.status == S.PLANNING:
        # The first plan is due 5 working days after the report (Decree 56/2017, Art. 29); a plan
        # asked for again (refused, or after a review) is due 5 working days after that.
        first = not case.plans.exists() and not case.events.filter(kind=E.REOPENED).exists()
        step = deadlines.plan_due(start=received_at if first else since, commune_code=code)
    elif case.status == S.APPROVAL:
        step = deadlines.approval_due(submitted_at=since, commune_code=code)
    elif case.status == S.IMPLEMENTATION:
        step = deadlines.review_due(approved_at=since, commune_code=code)
    else:
        step = None
    case.step_due_at = step
    candidates = [d for d in (step,) if d is not None]
    if case.is_emergency and case.emergency_met_at is None and case.emergency_due_at:
        candidates.append(case.emergency_due_at)
    case.due_at = min(candidates) if candidates else None
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
) -> None:
    before = case.status
    case.status = to
    _refresh_due(case, since=at)
    fields = ["status", "step_due_at", "due_at", "escalated_at", *(extra_fields or [])]
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
    """Link the case to a registered child the actor may see."""
    from treem.registry.selectors import child_get_for_user

    access.require_work(actor, case)
    child = child_get_for_user(user=actor, pk=child.pk)
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
    _expect(case, set(S.values) - {S.CLOSED}, action=_("phân công"))
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
    _expect(case, set(S.values) - {S.CLOSED}, action=_("chuyển xã"))
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
    _expect(case, {S.RECEIVED}, action=_("đánh giá ban đầu"))
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
    before = snapshot(assessment, INITIAL_FIELDS)
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
    _expect(case, set(S.values) - {S.CLOSED}, action=_("ghi biện pháp khẩn cấp"))
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
    candidates = [d for d in (case.step_due_at,) if d]
    case.due_at = min(candidates) if candidates else None
    case.version += 1
    case.save(
        update_fields=["emergency_met_at", "is_emergency", "emergency_due_at", "due_at", "version"]
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
    _expect(case, {S.ASSESSMENT}, action=_("đánh giá chi tiết"))
    now = timezone.now()
    assessment = DetailedAssessment(
        case=case,
        assessed_at=now,
        assessed_by=actor,
        child_needs=_text_required(child_needs, "child_needs", _("Hãy ghi nhu cầu của trẻ.")),
        family_situation=_text_required(
            family_situation, "family_situation", _("Hãy ghi hoàn cảnh gia đình.")
        ),
        risks=(risks or "").strip(),
        strengths=(strengths or "").strip(),
        meeting_at=meeting_at,
        meeting_place=_text_required(meeting_place, "meeting_place", _("Hãy ghi địa điểm họp.")),
        participants=_participants(participants),
    )
    if DetailedAssessment.objects.filter(case=case).exists():
        # A reopened case is assessed again: the earlier Form 03 stays in the history as events.
        DetailedAssessment.objects.filter(case=case).delete()
    assessment.full_clean()
    assessment.save()
    _move(
        case,
        actor=actor,
        to=S.PLANNING,
        kind=E.DETAILED_ASSESSED,
        at=now,
        details={"participants": len(assessment.participants)},
    )
    return assessment


DETAILED_FIELDS = ["child_needs", "family_situation", "risks", "strengths"]


@transaction.atomic
def detailed_assessment_update(
    *, actor: User, assessment: DetailedAssessment, expected_version: int, **values: str
) -> DetailedAssessment:
    access.require_work(actor, assessment.case)
    before = snapshot(assessment, DETAILED_FIELDS)
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
    _expect(case, {S.PLANNING}, action=_("trình kế hoạch"))
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
    _expect(case, {S.APPROVAL}, action=_("phê duyệt kế hoạch"))
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
    _expect(case, {S.APPROVAL}, action=_("từ chối kế hoạch"))
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
    _expect(case, {S.ASSESSMENT, S.PLANNING, S.APPROVAL, S.IMPLEMENTATION}, action=_("chuyển gửi"))
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
    if current.status not in allowed:
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
    _expect(case, {S.IMPLEMENTATION}, action=_("ghi thăm theo dõi"))
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
) -> Review:
    access.require_work(actor, case)
    case = _lock(case)
    _expect(case, {S.IMPLEMENTATION}, action=_("rà soát, đánh giá"))
    if outcome not in Review.Outcome.values:
        raise ValidationError({"outcome": _("Hãy chọn kết luận: đóng ca hoặc lập lại kế hoạch.")})
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
        case.closed_at = now
        case.close_reason = review.reason
        _move(
            case,
            actor=actor,
            to=S.CLOSED,
            kind=E.CLOSED,
            at=now,
            details={"review": review.pk},
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
    _expect(case, {S.CLOSED}, action=_("mở lại ca"))
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


# --- calendar and time limits (data, not code) ----------------------------------------------------


@transaction.atomic
def holiday_add(*, actor: User, date_: date, name: str):
    from treem.protection.models import PublicHoliday

    require(actor, Action.CASE_SUPERVISE)
    holiday = PublicHoliday(date=date_, name=nfc(name))
    holiday.full_clean()
    holiday.save()
    audit_record(actor=actor, action="create", obj=holiday, details={"date": date_})
    return holiday


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
    """A new value from a date on; earlier values stay, so past cases keep the limits they had."""
    from treem.protection.models import DeadlineSetting

    require(actor, Action.CASE_SUPERVISE)
    if commune is not None and not access.covers(actor, commune.code):
        raise PermissionDenied
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
    return setting
