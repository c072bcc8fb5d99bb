"""Expected status of every programmes route for every persona (format: tests/route_matrix.py).

Grants (treem/accounts/policy.py `_PROGRAMMES_GRANTS`) and `treem.programmes.access`: the province
specialist sees and manages everything of the province, leadership reads it; commune staff see
and manage their commune's plans and the tasks assigned to their commune; a partner's officer sees
only the tasks of their organisation (and their plans), never the budget. The system
administrator and collaborators have no grant. A record outside what the user sees is 404."""

from tests.route_matrix import pk_of, route


def objects(ctx) -> dict:
    """A commune A plan with a task, a budget line and an activity of commune A, a province plan,
    a document, a campaign, a reporting period; a file is added to the document, the demo's report
    (evidence) and activity (photo) where the demo has none."""
    from django.core.files.base import ContentFile

    from treem.programmes.models import (
        ActivityPhoto,
        BudgetLine,
        Campaign,
        CommActivity,
        Document,
        Evidence,
        Plan,
        ProgressReport,
        ReportingPeriod,
        Task,
    )

    plan_a = (
        Plan.objects.filter(level=Plan.Level.COMMUNE, commune=ctx.commune_a, tasks__isnull=False)
        .order_by("pk")
        .first()
    )
    task_a = Task.objects.filter(plan=plan_a).order_by("pk").first()
    evidence = Evidence.objects.filter(report__task__plan=plan_a).order_by("pk").first()
    if evidence is None:
        report = ProgressReport.objects.filter(task__plan=plan_a).order_by("pk").first()
        evidence = Evidence(
            report=report, original_name="bien-ban.pdf", content_type="application/pdf", size=9
        )
        evidence.file.save("route-matrix.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    activity = CommActivity.objects.filter(commune=ctx.commune_a).order_by("pk").first()
    photo = ActivityPhoto.objects.filter(activity=activity).order_by("pk").first()
    if photo is None:
        photo = ActivityPhoto(
            activity=activity, original_name="anh.png", content_type="image/png", size=8
        )
        photo.file.save("route-matrix.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=True)
    document = Document.objects.exclude(file="").order_by("pk").first()
    if document is None:
        document = Document.objects.order_by("pk").first()
        document.file_name, document.file_type = "chi-thi.pdf", "application/pdf"
        document.file.save("route-matrix.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {
        "plan_a": plan_a,
        "plan_province": Plan.objects.exclude(level=Plan.Level.COMMUNE).order_by("pk").first(),
        "task_a": task_a,
        "programme_document": document,
        "budget_line_a": BudgetLine.objects.filter(commune=ctx.commune_a).order_by("pk").first(),
        "programme_campaign": Campaign.objects.order_by("pk").first(),
        "programme_period": ReportingPeriod.objects.order_by("pk").first(),
        "evidence_a": evidence,
        "photo_a": photo,
    }


# Everyone with PROGRAMME_VIEW: province, commune staff and partners.
_VIEW = {
    "specialist": 200,
    "leader": 200,
    "chairman_a": 200,
    "officer_a": 200,
    "officer_b": 200,
    "partner": 200,
}
# The same without partners (budget, plans and lists of the communes).
_STAFF = {**_VIEW, "partner": 403}
# A record of commune A: the province and commune A read it.
_READ_A = {"specialist": 200, "leader": 200, "chairman_a": 200, "officer_a": 200}
# Commune A's demo plan has a task led by (or shared with) the partner's agency: the partner sees
# the plan (with that task only) but manages nothing.
_PLAN_A = {**_READ_A, "partner": 200}
# ... and those who manage commune A's plans; leadership and the partner only read.
_MANAGE_A = {**_READ_A, "leader": 403, "partner": 403}
# A task of that plan not given to the partner's agency: hidden from the partner (404).
_MANAGE_TASK_A = {**_READ_A, "leader": 403}


ROUTES = {
    "programmes:board": route(403, **_VIEW),
    "programmes:notifications": route(403, **_VIEW),
    "programmes:document_list": route(403, **_VIEW),
    "programmes:document_create": route(403, specialist=200),
    "programmes:document_detail": route(404, **_VIEW, kwargs=pk_of("programme_document")),
    "programmes:document_file": route(404, **_VIEW, kwargs=pk_of("programme_document")),
    "programmes:plan_list": route(403, **_VIEW),
    "programmes:plan_create": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "programmes:plan_detail": route(404, **_PLAN_A, kwargs=pk_of("plan_a")),
    "programmes:plan_edit": route(404, **_MANAGE_A, kwargs=pk_of("plan_a")),
    "programmes:task_create": route(404, **_MANAGE_A, kwargs=pk_of("plan_a")),
    "programmes:target_create": route(404, **_MANAGE_A, kwargs=pk_of("plan_a")),
    "programmes:plan_copy": route(
        405,
        kwargs=pk_of("plan_a"),
        post=route(404, specialist=200, leader=403, chairman_a=200, officer_a=200, partner=403),
    ),
    # A commune plan is derived from a province plan, by the province or by a commune's staff
    # for their commune; the demo's province plan has no task assigned to commune A or B, so
    # commune staff do not see it (404).
    "programmes:plan_derive": route(404, specialist=200, leader=403, kwargs=pk_of("plan_province")),
    "programmes:plan_report": route(404, **_PLAN_A, kwargs=pk_of("plan_a")),
    "programmes:plan_report_docx": route(404, **_PLAN_A, kwargs=pk_of("plan_a")),
    "programmes:plan_report_xlsx": route(404, **_PLAN_A, kwargs=pk_of("plan_a")),
    "programmes:budget_line_create": route(404, **_MANAGE_A, kwargs=pk_of("plan_a")),
    "programmes:task_list": route(403, **_VIEW),
    "programmes:task_detail": route(404, **_READ_A, kwargs=pk_of("task_a")),
    "programmes:task_edit": route(404, **_MANAGE_TASK_A, kwargs=pk_of("task_a")),
    "programmes:task_status": route(
        405,
        kwargs=pk_of("task_a"),
        post=route(404, specialist=200, leader=403, chairman_a=200, officer_a=200),
    ),
    "programmes:evidence": route(404, **_READ_A, kwargs=pk_of("evidence_a")),
    "programmes:periods": route(403, **_VIEW),
    "programmes:period_close": route(
        405, kwargs=pk_of("programme_period"), post=route(403, specialist=200)
    ),
    "programmes:budget": route(403, **_STAFF),
    "programmes:budget_export": route(403, **_STAFF),
    "programmes:budget_line": route(404, **_READ_A, kwargs=pk_of("budget_line_a")),
    "programmes:communication": route(403, **_VIEW),
    "programmes:campaign_create": route(403, specialist=200),
    "programmes:campaign_detail": route(404, **_VIEW, kwargs=pk_of("programme_campaign")),
    "programmes:campaign_report_docx": route(404, **_VIEW, kwargs=pk_of("programme_campaign")),
    "programmes:campaign_report_xlsx": route(404, **_VIEW, kwargs=pk_of("programme_campaign")),
    "programmes:activity_create": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "programmes:photo": route(404, **_READ_A, kwargs=pk_of("photo_a")),
    "api:programmes:plan_list": route(403, anonymous=401, **_VIEW),
    "api:programmes:plan_detail": route(404, anonymous=401, **_PLAN_A, kwargs=pk_of("plan_a")),
    "api:programmes:budget_line_create": route(
        405,
        anonymous=401,
        kwargs=pk_of("plan_a"),
        post=route(200, anonymous=401, admin=404, officer_b=404, collaborator_a=404),
    ),
    "api:programmes:task_list": route(403, anonymous=401, **_VIEW),
    "api:programmes:task_detail": route(404, anonymous=401, **_READ_A, kwargs=pk_of("task_a")),
    "api:programmes:task_progress": route(
        405,
        anonymous=401,
        kwargs=pk_of("task_a"),
        post=route(404, anonymous=401, specialist=200, leader=200, chairman_a=200, officer_a=200),
    ),
    "api:programmes:budget_rollup": route(403, anonymous=401, **_STAFF),
}
