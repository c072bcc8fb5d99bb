"""Demo cases for `manage.py seed_demo`: a handful in communes A and B, one at each step, so every
board and page has something to show. Idempotent: each demo report carries `external_ref`
"demo:<n>" and is created only if missing. Uses the registry's demo children when they exist."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from treem.accounts.models import Organisation, Role, User
from treem.protection import services
from treem.protection.models import Channel, Report, Review

HOTLINE_USERNAME = "tongdai111"

# n, commune key, channel, hours ago, child description, abuse types, final step
SPECS = [
    (1, "a", Channel.HOTLINE, 2, "Bé gái khoảng 7 tuổi", ["neglect"], "received"),
    (2, "a", Channel.SCHOOL, 20, "Học sinh nam lớp 4", ["physical"], "received"),
    (3, "a", Channel.POLICE, 30, "Bé gái 12 tuổi", ["sexual"], "emergency"),
    (4, "a", Channel.WALK_IN, 50, "Bé trai 9 tuổi", ["physical", "emotional"], "planning"),
    (5, "a", Channel.PHONE, 120, "Bé gái 14 tuổi", ["labour"], "approval"),
    (6, "a", Channel.COLLABORATOR, 300, "Bé trai 10 tuổi", ["neglect"], "implementation"),
    (7, "a", Channel.HEALTH, 900, "Bé gái 5 tuổi", ["physical"], "closed"),
    (8, "b", Channel.HOTLINE, 6, "Bé trai 11 tuổi", ["abandonment"], "received"),
    (9, "b", Channel.PORTAL, 200, "Bé gái 8 tuổi", ["emotional"], "implementation"),
]

WHAT = {
    "neglect": "Trẻ thường xuyên bị bỏ đói, ở nhà một mình, không được đi học.",
    "physical": "Trẻ có nhiều vết bầm trên tay và lưng; hàng xóm nghe tiếng đánh đập.",
    "sexual": "Trẻ kể với cô giáo bị một người lớn quen biết xâm hại.",
    "labour": "Trẻ phải làm việc tại xưởng may đến khuya, nghỉ học.",
    "abandonment": "Trẻ bị bỏ lại tại chợ, chưa xác định được người thân.",
    "emotional": "Trẻ thường xuyên bị chửi mắng, đe dọa, có dấu hiệu trầm cảm.",
}


def _hotline_account(ctx) -> User:
    user = User.objects.filter(username=HOTLINE_USERNAME).first()
    if user is not None:
        return user
    from treem.accounts.services import organisation_create, user_create
    from treem.core.demo import DEMO_PASSWORD

    org = Organisation.objects.filter(province=ctx.province, name="Tổng đài 111").first()
    if org is None:
        org = organisation_create(
            actor=None,
            name="Tổng đài 111",
            kind=Organisation.Kind.OTHER,
            province=ctx.province,
            commune=None,
        )
    return user_create(
        actor=None,
        username=HOTLINE_USERNAME,
        password=DEMO_PASSWORD,
        full_name="Tài khoản hệ thống Tổng đài 111",
        role=Role.PARTNER_OFFICER,
        organisation=org,
        province=ctx.province,
    )


def _child_for(commune, n):
    try:
        from treem.registry.models import Child
    except ImportError:
        return None
    return Child.objects.filter(commune=commune, is_active=True).order_by("id")[n : n + 1].first()


def seed(ctx) -> None:
    # Việt Nam's calendar from the `holidays` package (idempotent; officials' rows are kept).
    services.holidays_load()
    hotline = _hotline_account(ctx)
    users = ctx.users
    communes = {"a": ctx.commune_a, "b": ctx.commune_b}
    staff = {
        "a": (users["canbo.a"], users["chutich.a"]),
        "b": (users["canbo.b"], users["chutich.b"]),
    }
    now = timezone.now()
    for n, key, channel, hours_ago, child_text, abuse, final in SPECS:
        ref = f"demo:{n}"
        if Report.objects.filter(external_ref=ref).exists():
            continue
        worker, chairman = staff[key]
        commune = communes[key]
        villages = ctx.villages.get(key) or []
        actor = hotline if channel == Channel.HOTLINE else worker
        report = services.report_receive(
            actor=actor,
            channel=channel,
            commune=commune,
            village=villages[n % len(villages)] if villages else None,
            what_happened=WHAT.get(abuse[0], WHAT["neglect"]),
            abuse_types=abuse,
            happened_on=(now - timedelta(hours=hours_ago + 24)).date(),
            suspected_person="Người thân trong gia đình" if n % 2 else "",
            child_description=child_text,
            is_anonymous=n % 3 == 0,
            reporter_name="" if n % 3 == 0 else "Người báo tin %s" % n,
            reporter_phone="" if n % 3 == 0 else "09000000%02d" % n,
            received_at=now - timedelta(hours=hours_ago),
            external_ref=ref,
        )
        case = report.case
        child = _child_for(commune, n)
        if child is not None:
            case.child = child
            case.save(update_fields=["child"])
        if final == "received":
            continue
        services.case_initial_assess(
            actor=worker,
            case=case,
            in_danger=final == "emergency",
            findings="Đã gặp trẻ và gia đình; ghi nhận dấu hiệu nêu trong tin báo.",
        )
        if final == "emergency":
            services.separation_decide(
                actor=chairman,
                case=case,
                decision_number="%02d/QĐ-UBND" % (40 + n),
                separated_from="Người bị nghi gây hại",
                placement="Nhà bà ngoại của trẻ, cùng phường",
                reason="Trẻ có nguy cơ bị tổn hại nghiêm trọng nếu ở cùng người bị nghi gây hại.",
            )
            continue
        services.case_detailed_assess(
            actor=worker,
            case=case,
            child_needs="Khám sức khỏe, hỗ trợ tâm lý, tiếp tục đi học.",
            family_situation="Gia đình khó khăn, cha mẹ đi làm xa.",
            meeting_at=now - timedelta(hours=max(hours_ago - 24, 1)),
            meeting_place="Trụ sở UBND",
            participants=[
                {"name": str(worker), "role": "Công chức bảo vệ trẻ em"},
                {"name": str(chairman), "role": "Chủ tịch UBND"},
            ],
        )
        if final == "planning":
            continue
        org_key = "tram_y_te_a" if key == "a" else "tram_y_te_b"
        org = ctx.organisations.get(org_key) or Organisation.objects.filter(commune=commune).first()
        services.plan_submit(
            actor=worker,
            case=case,
            goals="Trẻ được an toàn, được chăm sóc sức khỏe và tiếp tục đi học.",
            services=[
                {
                    "kind": "medical",
                    "description": "Khám sức khỏe tổng quát",
                    "organisation": org,
                    "due_on": (now + timedelta(days=7)).date(),
                },
                {
                    "kind": "psychological",
                    "description": "Tư vấn tâm lý hằng tuần",
                    "responsible_user": worker,
                    "due_on": (now + timedelta(days=30)).date(),
                },
            ],
        )
        if final == "approval":
            continue
        services.plan_approve(actor=chairman, case=case, decision_number="%02d/QĐ-UBND" % n)
        partner_org = ctx.organisations.get("cong_an_a") if key == "a" else org
        services.referral_send(
            actor=worker,
            case=case,
            organisation=partner_org,
            kind="legal_aid" if key == "a" else "medical",
            request="Đề nghị phối hợp hỗ trợ trẻ theo kế hoạch đã phê duyệt.",
        )
        services.visit_record(
            actor=worker,
            case=case,
            visited_on=timezone.localdate(),
            notes="Trẻ đi học đều, tinh thần ổn định hơn.",
        )
        if final == "implementation":
            continue
        for service in services.open_plan_services(case):
            services.plan_service_done(
                actor=worker, service=service, note="Đã thực hiện theo kế hoạch."
            )
        services.case_review(
            actor=worker,
            case=case,
            results="Đã thực hiện đủ các dịch vụ trong kế hoạch.",
            child_situation="Trẻ an toàn, sống cùng mẹ, đi học đều.",
            outcome=Review.Outcome.CLOSE,
            reason="Trẻ đã an toàn, ổn định.",
        )
