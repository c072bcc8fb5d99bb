"""Writes of the programmes app. Every service validates, runs in one transaction, writes its audit
entry and refuses bad input with a message saying what to do; nothing is saved on error."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from treem.accounts.models import Organisation
from treem.accounts.policy import Action, can
from treem.audit.services import audit_record
from treem.core.concurrency import save_versioned
from treem.geo.models import Commune
from treem.lib.text import nfc
from treem.programmes import access, uploads
from treem.programmes.deadlines import add_months, next_working_day, shift_years
from treem.programmes.models import (
    ActivityPhoto,
    BudgetChange,
    BudgetLine,
    BudgetTotal,
    Campaign,
    CommActivity,
    Document,
    DocumentLink,
    Evidence,
    Plan,
    PlanTarget,
    ProgressReport,
    ReportingPeriod,
    Task,
    TaskEvent,
    TaskStatus,
)
from treem.programmes.workflow import OPEN_STATUSES, TASK_TRANSITIONS

# ---- amounts


def parse_amount(raw: object, *, field: str) -> int:
    """Whole đồng from user input. Spaces are allowed between digit groups; a decimal point, comma
    or fraction is refused rather than guessed (is "1.500" one and a half or fifteen hundred?)."""
    if isinstance(raw, bool):
        raise ValidationError({field: _("Số tiền phải là số nguyên đồng.")})
    if isinstance(raw, int):
        value = raw
    else:
        text = str(raw if raw is not None else "").strip().replace(" ", "").replace("\u00a0", "")
        if text == "":
            return 0
        if not re.fullmatch(r"\d+", text):
            raise ValidationError(
                {
                    field: _(
                        "Số tiền “%(value)s” không hợp lệ: hãy nhập số nguyên đồng, chỉ gồm chữ "
                        "số, không có dấu chấm, dấu phẩy hay phần lẻ (ví dụ 15000000)."
                    )
                    % {"value": str(raw)[:30]}
                }
            )
        value = int(text)
    if value < 0:
        raise ValidationError({field: _("Số tiền không được âm.")})
    if value > 10**15:
        raise ValidationError({field: _("Số tiền quá lớn. Hãy kiểm tra lại số chữ số.")})
    return value


# ---- documents


@transaction.atomic
def document_create(
    *,
    actor,
    number: str,
    kind: str,
    title: str,
    issuing_body: str,
    issued_on: date,
    signer: str = "",
    effective_on: date | None = None,
    expires_on: date | None = None,
    summary: str = "",
    upload=None,
) -> Document:
    access.require(access.can_manage_documents(actor))
    document = Document(
        number=nfc(number).strip(),
        kind=kind,
        title=nfc(title).strip(),
        issuing_body=nfc(issuing_body).strip(),
        signer=nfc(signer).strip(),
        issued_on=issued_on,
        effective_on=effective_on,
        expires_on=expires_on,
        summary=nfc(summary).strip(),
        province_id=access.province_code(actor),
        created_by=actor,
    )
    if expires_on and effective_on and expires_on < effective_on:
        raise ValidationError(
            {"expires_on": _("Ngày hết hiệu lực phải sau ngày có hiệu lực. Hãy sửa lại ngày.")}
        )
    if upload is not None:
        document.file_type = uploads.check(upload, allowed=uploads.DOCUMENT_TYPES, field="upload")
        document.file_name = nfc(upload.name)[:200]
    document.full_clean(exclude=["file", "created_by"])
    if Document.objects.filter(
        province_id=document.province_id, number=document.number, issued_on=issued_on
    ).exists():
        raise ValidationError(
            {"number": _("Văn bản số này, cùng ngày ban hành, đã có trong hệ thống.")}
        )
    if upload is not None:
        document.file.save(upload.name, upload, save=False)
    document.save()
    audit_record(actor=actor, action="create", obj=document, details={"number": document.number})
    return document


@transaction.atomic
def document_link(*, actor, source: Document, target: Document, kind: str) -> DocumentLink:
    access.require(access.can_manage_documents(actor))
    if source.pk == target.pk:
        raise ValidationError({"target": _("Một văn bản không thể liên kết với chính nó.")})
    if kind not in DocumentLink.Kind.values:
        raise ValidationError({"kind": _("Hãy chọn loại quan hệ giữa hai văn bản.")})
    link, _created = DocumentLink.objects.get_or_create(source=source, target=target, kind=kind)
    audit_record(
        actor=actor, action="update", obj=source, details={"link": kind, "target": target.pk}
    )
    return link


# ---- plans and tasks


def _plan_errors(plan: Plan) -> dict[str, str]:
    errors: dict[str, str] = {}
    if plan.year_to < plan.year_from:
        errors["year_to"] = _("Năm kết thúc phải bằng hoặc sau năm bắt đầu.")
    if plan.ends_on < plan.starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải sau ngày bắt đầu kế hoạch.")
    if plan.starts_on.year < plan.year_from or plan.ends_on.year > plan.year_to:
        errors["starts_on"] = _("Ngày bắt đầu và kết thúc phải nằm trong các năm của kế hoạch.")
    if plan.level == Plan.Level.COMMUNE and not plan.commune_id:
        errors["commune"] = _("Kế hoạch cấp xã phải chọn xã, phường.")
    if plan.level != Plan.Level.COMMUNE:
        plan.commune = None
    if plan.level == Plan.Level.DEPARTMENT and not plan.owner_id:
        errors["owner"] = _("Kế hoạch của sở, ngành phải chọn cơ quan chủ trì.")
    if plan.commune_id and plan.commune.province_id != plan.province_id:
        errors["commune"] = _("Xã, phường không thuộc tỉnh của kế hoạch.")
    return errors


@transaction.atomic
def plan_create(
    *,
    actor,
    title: str,
    level: str,
    year_from: int,
    year_to: int,
    starts_on: date,
    ends_on: date,
    commune: Commune | None = None,
    owner: Organisation | None = None,
    number: str = "",
    objectives: str = "",
    document: Document | None = None,
    implements: Document | None = None,
) -> Plan:
    access.require(
        access.can_create_plan(actor, level=level, commune_code=commune.code if commune else None),
        _("Bạn chỉ được lập kế hoạch cho xã, phường mình phụ trách."),
    )
    plan = Plan(
        title=nfc(title).strip(),
        number=nfc(number).strip(),
        level=level,
        province_id=access.province_code(actor),
        commune=commune,
        owner=owner,
        year_from=year_from,
        year_to=year_to,
        starts_on=starts_on,
        ends_on=ends_on,
        objectives=nfc(objectives).strip(),
        document=document,
        implements=implements,
        created_by=actor,
    )
    errors = _plan_errors(plan)
    if errors:
        raise ValidationError(errors)
    plan.full_clean(exclude=["created_by"])
    plan.save()
    audit_record(actor=actor, action="create", obj=plan, details={"level": level})
    return plan


PLAN_FIELDS = ["title", "number", "objectives", "year_from", "year_to", "starts_on", "ends_on"]


@transaction.atomic
def plan_update(*, actor, plan: Plan, expected_version: int, **changes) -> Plan:
    access.require(access.can_manage_plan(actor, plan))
    before = {name: getattr(plan, name) for name in changes}
    for name, value in changes.items():
        if name not in PLAN_FIELDS:
            raise ValueError(name)
        setattr(plan, name, nfc(value).strip() if isinstance(value, str) else value)
    errors = _plan_errors(plan)
    late = (
        plan.tasks.filter(due_on__lt=plan.starts_on).exists()
        or plan.tasks.filter(due_on__gt=plan.ends_on).exists()
    )
    if late:
        errors["starts_on"] = _(
            "Có nhiệm vụ có hạn nằm ngoài thời gian mới của kế hoạch. Hãy sửa hạn các nhiệm vụ đó "
            "trước."
        )
    if errors:
        raise ValidationError(errors)
    plan.full_clean(exclude=["created_by"])
    save_versioned(plan, expected_version=expected_version, fields=list(changes))
    audit_record(
        actor=actor,
        action="update",
        obj=plan,
        changes={k: [str(before[k]), str(getattr(plan, k))] for k in changes},
    )
    return plan


def _check_task(
    *,
    plan: Plan,
    lead_organisation: Organisation | None,
    lead_commune: Commune | None,
    partner_organisations: list[Organisation],
    partner_communes: list[Commune],
    due_on: date | None,
) -> None:
    """A plan assigns work only inside its own scope: a commune plan to the commune's own
    agencies and to province-level agencies (which serve every commune), a province plan to the
    province's agencies and communes."""
    errors: dict[str, str] = {}
    if lead_organisation is None and lead_commune is None:
        errors["lead_organisation"] = _("Hãy chọn cơ quan hoặc xã, phường chủ trì nhiệm vụ.")

    def outside(org: Organisation) -> bool:
        if org.province_id != plan.province_id:
            return True
        return plan.level == Plan.Level.COMMUNE and org.commune_id not in (None, plan.commune_id)

    def commune_outside(commune: Commune) -> bool:
        if commune.province_id != plan.province_id:
            return True
        return plan.level == Plan.Level.COMMUNE and commune.code != plan.commune_id

    if lead_organisation is not None and outside(lead_organisation):
        errors["lead_organisation"] = _(
            "%(org)s không thuộc phạm vi của kế hoạch này. Hãy giao cho cơ quan của %(scope)s."
        ) % {"org": lead_organisation.name, "scope": _scope_label(plan)}
    if lead_commune is not None and commune_outside(lead_commune):
        errors["lead_commune"] = _(
            "%(commune)s không thuộc phạm vi của kế hoạch này. Hãy chọn xã, phường của %(scope)s."
        ) % {"commune": lead_commune.name, "scope": _scope_label(plan)}
    bad = [o.name for o in partner_organisations if outside(o)]
    if bad:
        errors["partner_organisations"] = _(
            "Các cơ quan sau không thuộc phạm vi của kế hoạch: %(names)s."
        ) % {"names": ", ".join(bad)}
    bad = [c.name for c in partner_communes if commune_outside(c)]
    if bad:
        errors["partner_communes"] = _(
            "Các xã, phường sau không thuộc phạm vi của kế hoạch: %(names)s."
        ) % {"names": ", ".join(bad)}
    if due_on is None:
        errors["due_on"] = _("Hãy nhập hạn hoàn thành nhiệm vụ.")
    elif due_on < plan.starts_on:
        errors["due_on"] = _(
            "Hạn hoàn thành %(due)s trước ngày bắt đầu kế hoạch (%(start)s). Hãy chọn hạn từ "
            "ngày bắt đầu kế hoạch trở đi."
        ) % {"due": due_on.strftime("%d/%m/%Y"), "start": plan.starts_on.strftime("%d/%m/%Y")}
    elif due_on > plan.ends_on:
        errors["due_on"] = _(
            "Hạn hoàn thành %(due)s sau ngày kết thúc kế hoạch (%(end)s). Hãy chọn hạn trong "
            "thời gian của kế hoạch."
        ) % {"due": due_on.strftime("%d/%m/%Y"), "end": plan.ends_on.strftime("%d/%m/%Y")}
    if errors:
        raise ValidationError(errors)


def _scope_label(plan: Plan) -> str:
    if plan.level == Plan.Level.COMMUNE and plan.commune_id:
        return plan.commune.name
    return plan.province.name


@transaction.atomic
def task_add(
    *,
    actor,
    plan: Plan,
    title: str,
    due_on: date | None,
    lead_organisation: Organisation | None = None,
    lead_commune: Commune | None = None,
    partner_organisations: list[Organisation] | None = None,
    partner_communes: list[Commune] | None = None,
    recurrence: str = Task.Recurrence.NONE,
    description: str = "",
    inherited_from: Task | None = None,
    _skip_access: bool = False,
) -> Task:
    if not _skip_access:
        access.require(access.can_manage_plan(actor, plan))
    partner_organisations = list(partner_organisations or [])
    partner_communes = list(partner_communes or [])
    _check_task(
        plan=plan,
        lead_organisation=lead_organisation,
        lead_commune=lead_commune,
        partner_organisations=partner_organisations,
        partner_communes=partner_communes,
        due_on=due_on,
    )
    last = plan.tasks.order_by("-order").values_list("order", flat=True).first() or 0
    task = Task(
        plan=plan,
        title=nfc(title).strip(),
        description=nfc(description).strip(),
        lead_organisation=lead_organisation,
        lead_commune=lead_commune,
        due_on=due_on,
        deadline_on=next_working_day(due_on),
        recurrence=recurrence,
        inherited_from=inherited_from,
        order=last + 1,
    )
    task.full_clean()
    task.save()
    task.partner_organisations.set(partner_organisations)
    task.partner_communes.set(partner_communes)
    audit_record(actor=actor, action="create", obj=task, details={"plan": plan.pk})
    return task


@transaction.atomic
def task_update(
    *,
    actor,
    task: Task,
    expected_version: int,
    title: str,
    due_on: date | None,
    lead_organisation: Organisation | None = None,
    lead_commune: Commune | None = None,
    partner_organisations: list[Organisation] | None = None,
    partner_communes: list[Commune] | None = None,
    recurrence: str = Task.Recurrence.NONE,
    description: str = "",
) -> Task:
    """Change a task's content, assignment or due date under the same rules as adding it; an edit
    from a stale form is refused."""
    access.require(access.can_manage_plan(actor, task.plan))
    partner_organisations = list(partner_organisations or [])
    partner_communes = list(partner_communes or [])
    _check_task(
        plan=task.plan,
        lead_organisation=lead_organisation,
        lead_commune=lead_commune,
        partner_organisations=partner_organisations,
        partner_communes=partner_communes,
        due_on=due_on,
    )
    before = {"title": task.title, "due_on": str(task.due_on), "lead": task.lead_label}
    task.title = nfc(title).strip()
    task.description = nfc(description).strip()
    task.lead_organisation = lead_organisation
    task.lead_commune = lead_commune
    task.due_on = due_on
    task.deadline_on = next_working_day(due_on)
    task.recurrence = recurrence
    task.full_clean()
    save_versioned(
        task,
        expected_version=expected_version,
        fields=[
            "title",
            "description",
            "lead_organisation",
            "lead_commune",
            "due_on",
            "deadline_on",
            "recurrence",
        ],
    )
    task.partner_organisations.set(partner_organisations)
    task.partner_communes.set(partner_communes)
    audit_record(
        actor=actor,
        action="update",
        obj=task,
        changes={"before": before, "due_on": str(due_on), "lead": task.lead_label},
    )
    return task


@transaction.atomic
def target_set(
    *, actor, plan: Plan, indicator_code: str, label: str, unit_code: str, year: int, value
) -> PlanTarget:
    access.require(access.can_manage_plan(actor, plan))
    if not plan.year_from <= year <= plan.year_to:
        raise ValidationError({"year": _("Năm của chỉ tiêu phải nằm trong các năm của kế hoạch.")})
    code = indicator_code.strip().upper()
    if not re.fullmatch(r"[A-Z0-9_.\-]{1,60}", code):
        raise ValidationError(
            {"indicator_code": _("Mã chỉ tiêu chỉ gồm chữ cái không dấu, chữ số, dấu gạch.")}
        )
    allowed_units = {plan.commune_id} if plan.level == Plan.Level.COMMUNE else None
    if allowed_units is not None and unit_code not in allowed_units:
        raise ValidationError({"unit_code": _("Chỉ tiêu của kế hoạch xã phải đặt cho xã đó.")})
    target, _created = PlanTarget.objects.update_or_create(
        plan=plan,
        indicator_code=code,
        unit_code=unit_code,
        year=year,
        defaults={"label": nfc(label).strip(), "value": value},
    )
    target.full_clean()
    audit_record(actor=actor, action="update", obj=plan, details={"target": code, "year": year})
    return target


def _copy_tasks(*, actor, source: Plan, plan: Plan, years: int, commune: Commune | None) -> int:
    count = 0
    tasks = source.tasks.exclude(status=TaskStatus.CANCELLED).prefetch_related(
        "partner_organisations", "partner_communes"
    )
    for task in tasks:
        due = shift_years(task.due_on, years) if years else task.due_on
        due = min(max(due, plan.starts_on), plan.ends_on)
        if commune is None:
            lead_org, lead_commune = task.lead_organisation, task.lead_commune
            partner_orgs = list(task.partner_organisations.all())
            partner_communes = list(task.partner_communes.all())
        else:
            # Inherited by a commune: the commune leads; a commune agency of the province task
            # stays only if it belongs to this commune, province agencies stay as co-operators.
            lead_commune = commune
            lead_org = (
                task.lead_organisation
                if task.lead_organisation and task.lead_organisation.commune_id == commune.code
                else None
            )
            partner_orgs = [
                o
                for o in [task.lead_organisation, *task.partner_organisations.all()]
                if o is not None and o.commune_id in (None, commune.code) and o != lead_org
            ]
            partner_communes = []
        task_add(
            actor=actor,
            plan=plan,
            title=task.title,
            description=task.description,
            due_on=due,
            lead_organisation=lead_org,
            lead_commune=lead_commune,
            partner_organisations=partner_orgs,
            partner_communes=partner_communes,
            recurrence=task.recurrence,
            inherited_from=task if commune is not None else None,
            _skip_access=True,
        )
        count += 1
    return count


@transaction.atomic
def plan_copy_next_year(*, actor, plan: Plan) -> Plan:
    """The same plan one year later: dates, tasks and targets shifted by a year, progress and
    budget left behind (a new year starts from nothing done)."""
    access.require(access.can_manage_plan(actor, plan))
    span = plan.year_to - plan.year_from + 1
    shift = span
    new = plan_create(
        actor=actor,
        title=plan.title,
        level=plan.level,
        year_from=plan.year_from + shift,
        year_to=plan.year_to + shift,
        starts_on=shift_years(plan.starts_on, shift),
        ends_on=shift_years(plan.ends_on, shift),
        commune=plan.commune,
        owner=plan.owner,
        number="",
        objectives=plan.objectives,
        implements=plan.implements,
    )
    new.copied_from = plan
    new.save(update_fields=["copied_from"])
    _copy_tasks(actor=actor, source=plan, plan=new, years=shift, commune=None)
    for target in plan.targets.all():
        PlanTarget.objects.create(
            plan=new,
            indicator_code=target.indicator_code,
            label=target.label,
            unit_code=target.unit_code,
            year=target.year + shift,
            value=target.value,
        )
    audit_record(actor=actor, action="create", obj=new, details={"copied_from": plan.pk})
    return new


@transaction.atomic
def plan_derive_for_commune(*, actor, plan: Plan, commune: Commune, title: str = "") -> Plan:
    """A commune's own plan implementing the province's: same years, every task inherited with
    the commune as lead, and the province's targets for this commune carried over."""
    access.require(
        access.can_derive_for(actor, plan, commune.code),
        _("Bạn chỉ được lập kế hoạch cho xã, phường mình phụ trách."),
    )
    if commune.province_id != plan.province_id:
        raise ValidationError({"commune": _("Xã, phường không thuộc tỉnh của kế hoạch.")})
    if Plan.objects.filter(derived_from=plan, commune=commune).exists():
        raise ValidationError(
            {
                "commune": _("%(commune)s đã có kế hoạch thực hiện kế hoạch này.")
                % {"commune": commune.name}
            }
        )
    new = Plan(
        title=title
        or _("Kế hoạch của %(commune)s thực hiện %(plan)s")
        % {"commune": commune.name, "plan": plan.number or plan.title},
        level=Plan.Level.COMMUNE,
        province_id=plan.province_id,
        commune=commune,
        year_from=plan.year_from,
        year_to=plan.year_to,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        objectives=plan.objectives,
        implements=plan.document or plan.implements,
        derived_from=plan,
        created_by=actor,
    )
    new.full_clean(exclude=["created_by"])
    new.save()
    _copy_tasks(actor=actor, source=plan, plan=new, years=0, commune=commune)
    for target in plan.targets.filter(unit_code=commune.code):
        PlanTarget.objects.create(
            plan=new,
            indicator_code=target.indicator_code,
            label=target.label,
            unit_code=target.unit_code,
            year=target.year,
            value=target.value,
        )
    audit_record(actor=actor, action="create", obj=new, details={"derived_from": plan.pk})
    return new


# ---- periods and progress


@transaction.atomic
def period_create(*, actor, kind: str, label: str, starts_on: date, ends_on: date):
    access.require(access.can_close_period(actor))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày cuối kỳ phải sau ngày đầu kỳ.")})
    period = ReportingPeriod(
        province_id=access.province_code(actor),
        kind=kind,
        label=nfc(label).strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    period.full_clean()
    period.save()
    audit_record(actor=actor, action="create", obj=period)
    return period


@transaction.atomic
def period_close(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    access.require(access.can_close_period(actor))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.closed_at is None:
        period.closed_at = timezone.now()
        period.closed_by = actor
        period.save(update_fields=["closed_at", "closed_by"])
        audit_record(actor=actor, action="update", obj=period, details={"closed": True})
    return period


def _next_due(task: Task) -> date | None:
    if task.recurrence == Task.Recurrence.QUARTERLY:
        return add_months(task.due_on, 3)
    if task.recurrence == Task.Recurrence.YEARLY:
        return add_months(task.due_on, 12)
    return None


@transaction.atomic
def progress_report(
    *,
    actor,
    task: Task,
    period: ReportingPeriod,
    status: str,
    percent: int,
    done_text: str,
    figures: dict[str, int] | None = None,
    files: list | None = None,
    idempotency_key: str = "",
) -> ProgressReport:
    access.require(
        access.can_report(actor, task),
        _("Nhiệm vụ này không giao cho đơn vị của bạn nên bạn không thể báo cáo."),
    )
    if idempotency_key:
        done = ProgressReport.objects.filter(
            reported_by=actor, idempotency_key=idempotency_key
        ).first()
        if done is not None:
            return done  # A double submit: the first one already did the work.
    # The row lock makes two reports on the same task queue, so each sees the other's status.
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    errors: dict[str, str] = {}
    if period.closed_at is not None:
        raise ValidationError(
            {
                "period": _(
                    "Kỳ báo cáo “%(period)s” đã khóa sổ nên không nhận thêm báo cáo. Hãy báo cáo "
                    "vào kỳ đang mở, hoặc đề nghị cấp tỉnh mở lại kỳ."
                )
                % {"period": period.label}
            }
        )
    if period.province_id != task.plan.province_id or (
        period.ends_on < task.plan.starts_on or period.starts_on > task.plan.ends_on
    ):
        errors["period"] = _("Kỳ báo cáo không nằm trong thời gian của kế hoạch.")
    moves = TASK_TRANSITIONS.get(task.status, {})
    if status not in moves or moves[status] != Action.TASK_REPORT:
        errors["status"] = _(
            "Nhiệm vụ đang ở tình trạng “%(current)s”, không thể báo cáo là “%(new)s”."
        ) % {"current": TaskStatus(task.status).label, "new": TaskStatus(status).label}
    if not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = _("Tỷ lệ hoàn thành là số nguyên từ 0 đến 100.")
    elif status == TaskStatus.DONE and percent != 100:
        errors["percent"] = _("Nhiệm vụ hoàn thành thì tỷ lệ phải là 100%.")
    elif status != TaskStatus.DONE and percent == 100:
        errors["percent"] = _("Tỷ lệ 100% nghĩa là hoàn thành: hãy chọn tình trạng Hoàn thành.")
    if not (done_text or "").strip():
        errors["done_text"] = _("Hãy ghi những việc đã làm trong kỳ.")
    clean_figures: dict[str, int] = {}
    for label, value in (figures or {}).items():
        name = nfc(str(label)).strip()
        if not name:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            errors["figures"] = _("Số liệu “%(label)s” phải là số nguyên không âm.") % {
                "label": name
            }
            break
        clean_figures[name[:120]] = value
    checked = []
    for upload in files or []:
        try:
            checked.append((upload, uploads.check(upload, allowed=uploads.EVIDENCE_TYPES)))
        except ValidationError as exc:
            errors["files"] = exc.message_dict["file"][0]
            break
    if errors:
        raise ValidationError(errors)
    org_id, commune_code = access.reporting_unit(actor, task)
    report = ProgressReport.objects.create(
        task=task,
        period=period,
        organisation_id=org_id,
        commune_id=commune_code,
        status=status,
        percent=percent,
        done_text=nfc(done_text).strip(),
        figures=clean_figures,
        reported_by=actor,
        reported_at=timezone.now(),
        idempotency_key=idempotency_key[:64],
    )
    for upload, content_type in checked:
        evidence = Evidence(
            report=report,
            original_name=nfc(upload.name)[:200],
            content_type=content_type,
            size=upload.size,
        )
        evidence.file.save(upload.name, upload, save=False)
        evidence.save()
    previous = task.status
    task.status, task.percent = status, percent
    next_due = _next_due(task) if status == TaskStatus.DONE else None
    if next_due is not None and next_due <= task.plan.ends_on:
        # A recurring task done for this occurrence moves on to the next one.
        task.status, task.percent = TaskStatus.IN_PROGRESS, 0
        task.due_on, task.deadline_on = next_due, next_working_day(next_due)
    task.save(update_fields=["status", "percent", "due_on", "deadline_on"])
    if previous != status:
        TaskEvent.objects.create(
            task=task,
            from_status=previous,
            to_status=status,
            actor=actor,
            at=report.reported_at,
            details={"report": report.pk},
        )
    audit_record(
        actor=actor, action="create", obj=report, details={"task": task.pk, "status": status}
    )
    return report


@transaction.atomic
def task_set_status(*, actor, task: Task, status: str, reason: str) -> Task:
    """The plan manager's moves (stop a task, reopen one); reporting goes through
    `progress_report`."""
    task = Task.objects.select_for_update().select_related("plan").get(pk=task.pk)
    access.require(access.can_manage_plan(actor, task.plan))
    needed = TASK_TRANSITIONS.get(task.status, {}).get(status)
    if needed is None or not can(actor, needed):
        raise ValidationError({"status": _("Không thể chuyển nhiệm vụ sang tình trạng này.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    previous = task.status
    task.status = status
    if status == TaskStatus.IN_PROGRESS and task.percent == 100:
        task.percent = 90
    task.save(update_fields=["status", "percent"])
    TaskEvent.objects.create(
        task=task,
        from_status=previous,
        to_status=status,
        actor=actor,
        at=timezone.now(),
        details={"reason": nfc(reason).strip()},
    )
    audit_record(actor=actor, action="update", obj=task, details={"status": status})
    return task


# ---- deadlines when the working-day calendar changes


def task_deadlines_recompute(*, days: list[date], actor=None, reason: str) -> int:
    """Move the stored deadlines of open tasks that a change of the calendar on `days` moves
    (a holiday added, removed or confirmed, a make-up working day, a refresh of the calendar).

    Called by the protection app's calendar services (`on_calendar_change`, registered in
    AppConfig.ready) inside the transaction that changed the calendar: the board, the alerts and
    the reports never see a holiday without the deadlines it moves. Only a task due on or before
    a changed day and counted to it or beyond can move; each move is a `TaskEvent` in the task's
    history with the old and new deadline and the reason, and the task's version is bumped so a
    form opened before the move is refused rather than writing a deadline from the old calendar.
    Done and stopped tasks keep the deadline they had."""
    if not days:
        return 0
    from treem.protection.deadlines import calendar_cache

    first, last = min(days), max(days)
    candidates = (
        Task.objects.filter(status__in=OPEN_STATUSES, due_on__lte=last, deadline_on__gte=first)
        .select_for_update()
        .only("pk", "status", "due_on", "deadline_on")
        .order_by("pk")
    )
    now = timezone.now()
    moves: dict[date, list[int]] = {}
    events: list[TaskEvent] = []
    with calendar_cache():
        for task in candidates:
            new = next_working_day(task.due_on)
            if new == task.deadline_on:
                continue
            moves.setdefault(new, []).append(task.pk)
            events.append(
                TaskEvent(
                    task_id=task.pk,
                    kind=TaskEvent.Kind.DEADLINE,
                    from_status=task.status,
                    to_status=task.status,
                    actor=actor,
                    at=now,
                    details={
                        "from": task.deadline_on.isoformat(),
                        "to": new.isoformat(),
                        "reason": reason,
                        "days": [d.isoformat() for d in sorted(days)][:20],
                    },
                )
            )
    for new, pks in moves.items():
        Task.objects.filter(pk__in=pks).update(deadline_on=new, version=F("version") + 1)
    TaskEvent.objects.bulk_create(events, batch_size=500)
    return len(events)


# ---- budget


def _line_scope(plan: Plan, task: Task | None) -> tuple[str | None, int | None]:
    commune = plan.commune_id or (task.lead_commune_id if task else None)
    organisation = task.lead_organisation_id if task else plan.owner_id
    return commune, organisation


def _total_add(line: BudgetLine, delta: dict[str, int]) -> None:
    """Add `delta` to the running sums of the line's group (created at zero on first use)."""
    keys = {
        "province_id": line.province_id,
        "year": line.year,
        "source": line.source,
        "activity": line.activity,
        "organisation_key": line.organisation_id or 0,
        "commune_key": line.commune_id or "",
    }
    total, _created = BudgetTotal.objects.get_or_create(**keys)
    BudgetTotal.objects.filter(pk=total.pk).update(
        **{name: F(name) + value for name, value in delta.items()}
    )


@transaction.atomic
def budget_line_create(
    *,
    actor,
    plan: Plan,
    year: int,
    label: str,
    source: str,
    activity: str,
    estimate: object = 0,
    allocated: object = 0,
    spent: object = 0,
    reason: str,
    task: Task | None = None,
    accept_over_allocation: bool = False,
) -> BudgetLine:
    access.require(access.can_manage_budget(actor, plan))
    amounts = _amounts(estimate=estimate, allocated=allocated, spent=spent)
    errors: dict[str, str] = {}
    if not plan.year_from <= year <= plan.year_to:
        errors["year"] = _("Năm của dòng kinh phí phải nằm trong các năm của kế hoạch.")
    if task is not None and task.plan_id != plan.pk:
        errors["task"] = _("Nhiệm vụ không thuộc kế hoạch này.")
    if not reason.strip():
        errors["reason"] = _("Hãy ghi lý do (căn cứ) của số liệu kinh phí.")
    _over_allocation(amounts, accept_over_allocation, errors)
    if errors:
        raise ValidationError(errors)
    commune, organisation = _line_scope(plan, task)
    line = BudgetLine(
        plan=plan,
        task=task,
        year=year,
        label=nfc(label).strip(),
        source=source,
        activity=activity,
        province_id=plan.province_id,
        commune_id=commune,
        organisation_id=organisation,
        **amounts,
    )
    line.full_clean()
    line.save()
    _total_add(line, amounts)
    BudgetChange.objects.create(
        line=line,
        **amounts,
        previous={},
        reason=nfc(reason).strip(),
        over_allocation=amounts["spent"] > amounts["allocated"],
        actor=actor,
        at=timezone.now(),
    )
    audit_record(actor=actor, action="create", obj=line, details=amounts)
    return line


def _amounts(*, estimate, allocated, spent) -> dict[str, int]:
    amounts: dict[str, int] = {}
    errors: dict[str, list[str]] = {}
    for name, raw in (("estimate", estimate), ("allocated", allocated), ("spent", spent)):
        try:
            amounts[name] = parse_amount(raw, field=name)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return amounts


def _over_allocation(amounts: dict[str, int], accepted: bool, errors: dict[str, str]) -> None:
    if amounts["spent"] > amounts["allocated"] and not accepted:
        errors["spent"] = _(
            "Số đã chi (%(spent)s đồng) vượt số được giao (%(allocated)s đồng). Nếu đúng là chi "
            "vượt, hãy ghi rõ lý do vượt và đánh dấu “Xác nhận chi vượt”."
        ) % {
            "spent": f"{amounts['spent']:,}".replace(",", "."),
            "allocated": f"{amounts['allocated']:,}".replace(",", "."),
        }


@transaction.atomic
def budget_line_change(
    *,
    actor,
    line: BudgetLine,
    expected_version: int,
    estimate: object,
    allocated: object,
    spent: object,
    reason: str,
    accept_over_allocation: bool = False,
) -> BudgetLine:
    access.require(access.can_manage_budget(actor, line.plan))
    amounts = _amounts(estimate=estimate, allocated=allocated, spent=spent)
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Hãy ghi lý do thay đổi số liệu kinh phí.")
    _over_allocation(amounts, accept_over_allocation, errors)
    if errors:
        raise ValidationError(errors)
    previous = {"estimate": line.estimate, "allocated": line.allocated, "spent": line.spent}
    for name, value in amounts.items():
        setattr(line, name, value)
    save_versioned(line, expected_version=expected_version, fields=list(amounts))
    _total_add(line, {name: amounts[name] - previous[name] for name in amounts})
    BudgetChange.objects.create(
        line=line,
        **amounts,
        previous=previous,
        reason=nfc(reason).strip(),
        over_allocation=amounts["spent"] > amounts["allocated"],
        actor=actor,
        at=timezone.now(),
    )
    audit_record(actor=actor, action="update", obj=line, changes={"before": previous, **amounts})
    return line


# ---- communication


@transaction.atomic
def campaign_create(
    *,
    actor,
    kind: str,
    title: str,
    year: int,
    starts_on: date,
    ends_on: date,
    theme: str = "",
    plan: Plan | None = None,
) -> Campaign:
    access.require(access.can_manage_communication(actor, commune_code=None))
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("Ngày kết thúc phải sau ngày bắt đầu.")})
    campaign = Campaign(
        kind=kind,
        title=nfc(title).strip(),
        theme=nfc(theme).strip(),
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        province_id=access.province_code(actor),
        plan=plan,
    )
    campaign.full_clean()
    try:
        with transaction.atomic():
            campaign.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"year": _("Năm %(year)s đã có Tháng hành động vì trẻ em.") % {"year": year}}
        ) from exc
    audit_record(actor=actor, action="create", obj=campaign)
    return campaign


def article_exists(article_id: int) -> bool:
    from treem.portal.models import Article

    return Article.objects.filter(pk=article_id).exists()


@transaction.atomic
def activity_create(
    *,
    actor,
    kind: str,
    title: str,
    held_on: date,
    commune: Commune | None = None,
    organiser: Organisation | None = None,
    campaign: Campaign | None = None,
    audiences: list[str] | None = None,
    people_reached: int = 0,
    children_reached: int = 0,
    materials: str = "",
    materials_count: int = 0,
    budget_line: BudgetLine | None = None,
    cost: object = 0,
    article_id: int | None = None,
    photos: list | None = None,
) -> CommActivity:
    access.require(
        access.can_manage_communication(actor, commune_code=commune.code if commune else None),
        _("Bạn chỉ được ghi hoạt động truyền thông của xã, phường mình phụ trách."),
    )
    errors: dict[str, str] = {}
    try:
        cost_value = parse_amount(cost, field="cost")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
        cost_value = 0
    if children_reached > people_reached:
        errors["children_reached"] = _(
            "Số trẻ em được tiếp cận không thể lớn hơn tổng số người được tiếp cận."
        )
    if campaign is not None and not campaign.starts_on <= held_on <= campaign.ends_on:
        errors["held_on"] = _(
            "Ngày thực hiện nằm ngoài thời gian của chiến dịch (%(start)s – %(end)s)."
        ) % {
            "start": campaign.starts_on.strftime("%d/%m/%Y"),
            "end": campaign.ends_on.strftime("%d/%m/%Y"),
        }
    if kind == CommActivity.Kind.PORTAL and not article_id:
        errors["article_id"] = _("Hãy nhập mã bài viết trên cổng thông tin.")
    if article_id and not article_exists(article_id):
        errors["article_id"] = _("Không có bài viết nào trên cổng với mã này.")
    if budget_line is not None and budget_line.province_id != access.province_code(actor):
        errors["budget_line"] = _("Dòng kinh phí không thuộc tỉnh của bạn.")
    checked = []
    for upload in photos or []:
        try:
            checked.append((upload, uploads.check(upload, allowed=uploads.IMAGE_TYPES)))
        except ValidationError as exc:
            errors["photos"] = exc.message_dict["file"][0]
            break
    bad_audience = [a for a in audiences or [] if a not in dict(_audience_choices())]
    if bad_audience:
        errors["audiences"] = _("Đối tượng không hợp lệ.")
    if errors:
        raise ValidationError(errors)
    activity = CommActivity(
        kind=kind,
        title=nfc(title).strip(),
        held_on=held_on,
        province_id=access.province_code(actor),
        commune=commune,
        organiser=organiser,
        campaign=campaign,
        audiences=list(audiences or []),
        people_reached=people_reached,
        children_reached=children_reached,
        materials=nfc(materials).strip(),
        materials_count=materials_count,
        budget_line=budget_line,
        cost=cost_value,
        article_id=article_id,
        created_by=actor,
    )
    activity.full_clean(exclude=["created_by"])
    activity.save()
    for upload, content_type in checked:
        photo = ActivityPhoto(
            activity=activity,
            original_name=nfc(upload.name)[:200],
            content_type=content_type,
            size=upload.size,
        )
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    audit_record(actor=actor, action="create", obj=activity)
    return activity


def _audience_choices():
    from treem.programmes.models import Audience

    return Audience.choices
