"""Expected status of every indicators route for every persona (format: tests/route_matrix.py).

Grants (treem/accounts/policy.py `_INDICATORS_GRANTS`) and `treem.indicators.access`: the province
specialist reads, reviews, manages the catalogue and generates reports; leadership reads; commune
staff read and enter their commune's figures. The system administrator, collaborators and partners
have no grant (403); a unit or record outside the user's jurisdiction is 404."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    """Commune A's code, an indicator, commune A's 2025 report (a draft), an import batch and a
    finished review report of commune A (added where the demo does not make them)."""
    import datetime

    from django.core.files.base import ContentFile

    from treem.indicators.models import CommuneReport, ImportBatch, Indicator, ReviewReportJob

    indicator = Indicator.objects.order_by("code").first()
    batch = ImportBatch.objects.order_by("pk").first() or ImportBatch.objects.create(
        kind=ImportBatch.Kind.VALUES,
        filename="so-lieu.xlsx",
        sha256="0" * 64,
        created_by=ctx.users["chuyenvien"],
    )
    job = ReviewReportJob(
        unit_code=ctx.commune_a.code,
        year_from=2020,
        year_to=2022,
        fmt="docx",
        status=ReviewReportJob.Status.DONE,
        progress=100,
        requested_by=ctx.users["chuyenvien"],
    )
    job.file.save("route-matrix.docx", ContentFile(b"PK\x03\x04"), save=True)
    # Commune A has not reported in the demo (its officer fills the report): open its draft.
    report, _created = CommuneReport.objects.get_or_create(
        commune=ctx.commune_a,
        period="2025",
        defaults={
            "period_type": "year",
            "year": 2025,
            "due_on": datetime.date(2026, 1, 15),
            "status": CommuneReport.Status.DRAFT,
        },
    )
    # The API's query names records: fill it in now that they exist.
    ROUTES["api:indicators:values"].query.update(
        {"indicator": indicator.code, "unit": ctx.commune_a.code, "period": "2020"}
    )
    return {
        "commune_a_code": ctx.commune_a.code,
        "indicator": indicator,
        "indicator_report_a": report,
        "indicator_import": batch,
        "review_job_a": job,
    }


_VIEW = {"specialist": 200, "leader": 200, "chairman_a": 200, "officer_a": 200, "officer_b": 200}
# Commune A's unit or record: commune B's staff get 404, roles without the grant 403.
_UNIT_A = {**_VIEW, "officer_b": 404}


def _unit(o):
    return {"code": o["commune_a_code"]}


def _report(o):
    return {"pk": o["indicator_report_a"].pk}


ROUTES = {
    # Redirected to the user's own unit.
    "indicators:home": route(403, **dict.fromkeys(_VIEW, 302)),
    "indicators:unit": route(403, **_UNIT_A, kwargs=_unit),
    "indicators:indicator": route(
        403,
        **_UNIT_A,
        kwargs=lambda o: {"code": o["commune_a_code"], "indicator": o["indicator"].code},
    ),
    "indicators:report_list": route(403, **_VIEW),
    # Opening a commune's report: the commune's chairman and worker only (a role without the right
    # to enter figures is refused first; their empty form is a 400).
    "indicators:report_start": route(
        405, post=route(403, chairman_a=200, officer_a=200, officer_b=200)
    ),
    "indicators:report_detail": route(403, **_UNIT_A, kwargs=_report),
    "indicators:report_move": route(
        405,
        kwargs=_report,
        post=route(200, admin=403, officer_b=404, collaborator_a=403, partner=403),
    ),
    "indicators:report_template": route(403, **_UNIT_A, kwargs=_report),
    "indicators:catalogue": route(403, **_VIEW),
    "indicators:catalogue_import": route(405, post=route(403, specialist=200)),
    "indicators:values_import": route(405, post=route(403, specialist=200)),
    "indicators:import_detail": route(
        403, specialist=200, kwargs=lambda o: {"pk": o["indicator_import"].pk}
    ),
    "indicators:target_save": route(405, post=route(403, specialist=404)),
    "indicators:child_friendly": route(403, **_VIEW),
    "indicators:evaluation": route(
        403, **_UNIT_A, kwargs=lambda o: {"commune": o["commune_a_code"]}
    ),
    "indicators:evaluation_move": route(
        405, kwargs=lambda o: {"commune": o["commune_a_code"]}, post=route(200, officer_b=404)
    ),
    # POST only (the evaluation sheet upload): a GET is 405 for everyone signed in. Commune staff
    # upload for their commune, the province specialist for the province's; leadership only reads.
    "indicators:evaluation_import": route(
        405, post=route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=200)
    ),
    "indicators:review": route(403, **_VIEW),
    "indicators:narrative_save": route(405, post=route(403, specialist=404)),
    "indicators:review_generate": route(405, post=route(403, specialist=200)),
    # A finished report of commune A: anyone else (and any role without the grant) gets 404.
    "indicators:review_download": route(
        404, **_UNIT_A, kwargs=lambda o: {"pk": o["review_job_a"].pk}
    ),
    "api:indicators:values": route(
        403,
        anonymous=401,
        **_UNIT_A,
        query={"indicator": "", "unit": "", "period": ""},  # filled in by objects()
    ),
}
