"""Expected status of every registry route for every persona (format: tests/route_matrix.py)."""

from tests.route_matrix import route


def objects(ctx) -> dict:
    """Records of commune A (and one of commune B) from the registry's demo data, plus the rows
    the demo does not make (a merge, an import batch)."""
    from django.core.files.base import ContentFile

    from treem.registry import services
    from treem.registry.models import (
        Child,
        ChildMerge,
        Consent,
        DuplicatePair,
        ImportBatch,
        SpecialCircumstance,
    )

    live_a = Child.objects.filter(commune=ctx.commune_a, merged_into__isnull=True).order_by("pk")
    circumstance = SpecialCircumstance.objects.filter(child__in=live_a).order_by("pk").first()
    consent = Consent.objects.filter(child__in=live_a).order_by("pk").first()
    pair = DuplicatePair.objects.filter(child_a__commune=ctx.commune_a).order_by("pk").first()
    if pair is None:
        first, second = sorted(live_a.values_list("pk", flat=True)[1:3])
        pair, _created = DuplicatePair.objects.get_or_create(
            child_a_id=first, child_b_id=second, defaults={"score": 0.9}
        )
    merge = ChildMerge.objects.order_by("pk").first()
    if merge is None:
        survivor, merged = list(live_a.exclude(pk__in=[circumstance.child_id, consent.child_id]))[
            -2:
        ]
        merge = services.child_merge(
            actor=ctx.users["canbo.a"], survivor=survivor, merged=merged, reason="Trùng hồ sơ"
        )
    batch = ImportBatch(
        file_name="danh-sach.csv", commune=ctx.commune_a, created_by=ctx.users["canbo.a"]
    )
    batch.file.save(
        "route-matrix.csv",
        ContentFile("Họ và tên,Ngày sinh,Giới tính\nLê Văn Tuấn,01/02/2015,Nam\n".encode()),
    )
    return {
        "child_a": live_a.first(),
        "child_b": Child.objects.filter(commune=ctx.commune_b).order_by("pk").first(),
        "circumstance_a": circumstance,
        "consent_a": consent,
        "duplicate_a": pair,
        "merge_a": merge,
        "import_a": batch,
    }


ROUTES = {
    "registry:child_list": route(200, admin=403, leader=403, partner=403),
    "registry:child_export": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=200,
        kwargs=lambda o: {"fmt": "csv"},
    ),
    "registry:child_register": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "registry:child_search": route(200, admin=403, leader=403, partner=403),
    "registry:child_detail": route(
        200,
        admin=403,
        leader=403,
        officer_b=404,
        partner=403,
        kwargs=lambda o: {"pk": o["child_a"].pk},
    ),
    "registry:child_edit": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["child_a"].pk},
    ),
    "registry:child_access_log": route(
        403, admin=200, specialist=200, chairman_a=200, kwargs=lambda o: {"pk": o["child_a"].pk}
    ),
    "registry:circumstance_add": route(
        405,
        kwargs=lambda o: {"pk": o["child_a"].pk},
        post=route(200, admin=403, leader=403, officer_b=404, partner=403),
    ),
    "registry:circumstance_end": route(
        405,
        kwargs=lambda o: {"pk": o["circumstance_a"].child_id, "circ": o["circumstance_a"].pk},
        post=route(200, admin=403, leader=403, officer_b=404, partner=403),
    ),
    "registry:consent_add": route(
        405,
        kwargs=lambda o: {"pk": o["child_a"].pk},
        post=route(200, admin=403, leader=403, officer_b=404, partner=403),
    ),
    "registry:consent_withdraw": route(
        405,
        kwargs=lambda o: {"pk": o["consent_a"].child_id, "consent": o["consent_a"].pk},
        post=route(200, admin=403, leader=403, officer_b=404, partner=403),
    ),
    "registry:legal_basis": route(
        405,
        kwargs=lambda o: {"pk": o["child_a"].pk},
        post=route(200, admin=403, leader=403, officer_b=404, partner=403),
    ),
    "registry:child_merge": route(
        405,
        kwargs=lambda o: {"pk": o["child_a"].pk},
        post=route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=404),
    ),
    "registry:merge_undo": route(
        405,
        kwargs=lambda o: {"pk": o["merge_a"].pk},
        post=route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=404),
    ),
    "registry:duplicate_list": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "registry:duplicate_detail": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["duplicate_a"].pk},
    ),
    "registry:duplicate_dismiss": route(
        405,
        kwargs=lambda o: {"pk": o["duplicate_a"].pk},
        post=route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=404),
    ),
    "registry:import_upload": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "registry:import_history": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "registry:import_template": route(
        403, specialist=200, chairman_a=200, officer_a=200, officer_b=200
    ),
    "registry:import_detail": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["import_a"].pk},
    ),
    "registry:import_map": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["import_a"].pk},
    ),
    "registry:import_preview": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["import_a"].pk},
    ),
    "registry:import_commit": route(
        405,
        kwargs=lambda o: {"pk": o["import_a"].pk},
        post=route(403, specialist=200, chairman_a=200, officer_a=200, officer_b=404),
    ),
    "registry:import_rejects": route(
        403,
        specialist=200,
        chairman_a=200,
        officer_a=200,
        officer_b=404,
        kwargs=lambda o: {"pk": o["import_a"].pk},
    ),
    "api:registry:child_list": route(200, anonymous=401, admin=403, leader=403, partner=403),
    "api:registry:child_register": route(
        405,
        anonymous=401,
        post=route(
            403, anonymous=401, specialist=200, chairman_a=200, officer_a=200, officer_b=200
        ),
    ),
    "api:registry:duplicate_check": route(
        405,
        anonymous=401,
        post=route(
            403, anonymous=401, specialist=200, chairman_a=200, officer_a=200, officer_b=200
        ),
    ),
    "api:registry:child_detail": route(
        200,
        anonymous=401,
        admin=403,
        leader=403,
        officer_b=404,
        partner=403,
        kwargs=lambda o: {"pk": o["child_a"].pk},
    ),
}
