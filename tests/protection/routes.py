"""Expected status of every protection route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    """A case of commune A from the demo, its referral to the partner's agency, an attachment."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from treem.protection import services
    from treem.protection.models import Case, Referral

    case = Case.objects.filter(commune=ctx.commune_a).order_by("pk").first()
    partner = ctx.users["doitac"]
    referral = (
        Referral.objects.filter(organisation=partner.organisation).order_by("pk").first()
        or Referral.objects.filter(case__commune=ctx.commune_a).order_by("pk").first()
    )
    attachment = services.attachment_add(
        actor=ctx.users["canbo.a"],
        case=case,
        upload=SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%route matrix\n", "application/pdf"),
    )
    return {
        "case_a": case,
        "report_a": case.report,
        "referral_a": referral,
        "attachment_a": attachment,
    }


ROUTES = {
    "protection:board": route(200, admin=403, leader=403, collaborator_a=302, partner=302),
    "protection:case_list": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "protection:case_export": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "protection:report_new": route(200, admin=403, leader=403),
    "protection:case_detail": route(
        404, specialist=200, chairman_a=200, officer_a=200, kwargs=lambda o: {"pk": o["case_a"].pk}
    ),
    "protection:case_timeline": route(
        404, specialist=200, chairman_a=200, officer_a=200, kwargs=lambda o: {"pk": o["case_a"].pk}
    ),
    "protection:case_child": route(
        404, specialist=200, chairman_a=200, officer_a=200, kwargs=lambda o: {"pk": o["case_a"].pk}
    ),
    "protection:case_assign": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:initial_assess": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:initial_edit": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:emergency": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:detailed_assess": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:plan_submit": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:plan_approve": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=403, chairman_a=200, officer_a=403),
    ),
    "protection:plan_refuse": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:referral_send": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:visit": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:review": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:reopen": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:transfer": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:note": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:attachment": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:form_pdf": route(
        404,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        kwargs=lambda o: {"pk": o["case_a"].pk, "number": "01"},
    ),
    "protection:attachment_download": route(
        404,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        kwargs=lambda o: {"pk": o["attachment_a"].pk},
    ),
    "protection:referral_list": route(403, partner=200),
    # A referral is read only by the agency it was sent to; for anyone else it does not exist.
    "protection:referral_detail": route(
        404, partner=200, kwargs=lambda o: {"pk": o["referral_a"].pk}
    ),
    "protection:notifications": route(200),
    "protection:settings": route(403, specialist=200),
    "api:protection:report_create": route(
        405, anonymous=401, post=route(200, anonymous=401, admin=403, leader=403)
    ),
    "api:protection:report_status": route(
        404,
        anonymous=401,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        kwargs=lambda o: {"pk": o["report_a"].pk},
    ),
    "api:protection:case_list": route(
        403, anonymous=401, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "api:protection:case_detail": route(
        404,
        anonymous=401,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        kwargs=lambda o: {"pk": o["case_a"].pk},
    ),
    # The user's own to-do list: cases of their communes (no personal data outside them).
    "protection:todo": route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=200),
    "protection:service_done": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:separation": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
    "protection:separation_end": route(
        405,
        kwargs=lambda o: {"pk": o["case_a"].pk},
        post=route(404, specialist=200, chairman_a=200, officer_a=200),
    ),
}
