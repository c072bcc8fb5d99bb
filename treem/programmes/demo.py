"""Demo data: the chain from Directive 20-CT/TW to a commune's tasks in Đồng Nai.

Deterministic (fixed dates and texts) and idempotent: when Plan 144-KH/TU exists the seed has
already run and nothing is added. Plan numbers, dates and figures of the province's own documents
are illustrative (the directives' numbers and dates are the Party's); the Action Month theme is
data an official enters each year.
"""

from __future__ import annotations

import random
from datetime import date

from treem.accounts.models import Organisation
from treem.accounts.services import organisation_create
from treem.programmes import services
from treem.programmes.models import (
    Activity,
    Campaign,
    CommActivity,
    Document,
    DocumentLink,
    Plan,
    ReportingPeriod,
    Source,
    TaskStatus,
)

YEAR = 2026


def _org(ctx, key: str, name: str, kind: str, commune=None) -> Organisation:
    if key in ctx.organisations:
        return ctx.organisations[key]
    org = Organisation.objects.filter(province=ctx.province, commune=commune, name=name).first()
    if org is None:
        org = organisation_create(
            actor=None, name=name, kind=kind, province=ctx.province, commune=commune
        )
    ctx.organisations[key] = org
    return org


def _existing(ctx, key: str, kind: str, commune) -> Organisation:
    """A foundation organisation: from the context when the full demo runs, else by kind."""
    if key in ctx.organisations:
        return ctx.organisations[key]
    return Organisation.objects.filter(province=ctx.province, kind=kind, commune=commune).first()


def seed(ctx) -> None:
    if Plan.objects.filter(province=ctx.province, number="144-KH/TU").exists():
        return
    rng = random.Random(9)  # noqa: S311 - demo figures only
    specialist = ctx.users["chuyenvien"]
    partner = ctx.users["doitac"]
    worker_a = ctx.users["canbo.a"]
    K = Organisation.Kind
    so_y_te = specialist.organisation
    cong_an_a = partner.organisation
    phu_nu = _existing(ctx, "hoi_phu_nu", K.WOMENS_UNION, None)
    truong_a = _existing(ctx, "truong_a", K.SCHOOL, ctx.commune_a)
    so_gd = _org(ctx, "so_gd", "Sở Giáo dục và Đào tạo tỉnh Đồng Nai", K.PROVINCIAL_DEPARTMENT)
    doan = _org(ctx, "tinh_doan", "Tỉnh Đoàn Đồng Nai", K.YOUTH_UNION)
    mttq = _org(ctx, "mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Đồng Nai", K.FATHERLAND_FRONT)
    so_vh = _org(
        ctx, "so_vh", "Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai", K.PROVINCIAL_DEPARTMENT
    )

    def doc(number, kind, title, body, issued, signer="", effective=None, summary=""):
        return services.document_create(
            actor=specialist,
            number=number,
            kind=kind,
            title=title,
            issuing_body=body,
            issued_on=issued,
            signer=signer,
            effective_on=effective or issued,
            summary=summary,
        )

    ct20 = doc(
        "20-CT/TW",
        Document.Kind.DIRECTIVE,
        "Về tăng cường sự lãnh đạo của Đảng đối với công tác chăm sóc, giáo dục và bảo vệ trẻ "
        "em trong tình hình mới",
        "Ban Bí thư Trung ương Đảng",
        date(2012, 11, 5),
        summary="Chỉ thị yêu cầu các cấp ủy, chính quyền bố trí ngân sách, đẩy mạnh truyền thông "
        "và kiện toàn đội ngũ làm công tác trẻ em.",
    )
    kh144 = doc(
        "144-KH/TU",
        Document.Kind.PLAN,
        "Kế hoạch thực hiện Chỉ thị số 20-CT/TW của Ban Bí thư",
        "Tỉnh ủy Đồng Nai",
        date(2013, 3, 12),
    )
    ct28 = doc(
        "28-CT/TW",
        Document.Kind.DIRECTIVE,
        "Về nâng cao chất lượng công tác chăm sóc, giáo dục và bảo vệ trẻ em đáp ứng yêu cầu "
        "xây dựng đất nước phồn vinh, hạnh phúc",
        "Ban Bí thư Trung ương Đảng",
        date(2023, 12, 25),
    )
    services.document_link(
        actor=specialist, source=kh144, target=ct20, kind=DocumentLink.Kind.IMPLEMENTS
    )
    services.document_link(
        actor=specialist, source=ct28, target=ct20, kind=DocumentLink.Kind.REPLACES
    )

    # The ten-year plan under Directive 20, and this year's plan under Directive 28.
    plan144 = services.plan_create(
        actor=specialist,
        title="Kế hoạch thực hiện Chỉ thị 20-CT/TW về công tác chăm sóc, giáo dục và bảo vệ trẻ em",
        number="144-KH/TU",
        level=Plan.Level.PROVINCE,
        year_from=2013,
        year_to=2022,
        starts_on=date(2013, 3, 12),
        ends_on=date(2022, 12, 31),
        objectives="Nâng cao nhận thức, trách nhiệm của các cấp ủy, chính quyền, đoàn thể và gia "
        "đình; giảm số trẻ em bị xâm hại; bảo đảm ngân sách cho công tác trẻ em.",
        document=kh144,
        implements=ct20,
    )
    for title, org, due in [
        ("Quán triệt Chỉ thị 20-CT/TW đến cán bộ, đảng viên", so_y_te, date(2013, 12, 31)),
        ("Xây dựng xã, phường phù hợp với trẻ em", so_y_te, date(2020, 12, 31)),
        ("Đưa nội dung quyền trẻ em vào hoạt động ngoại khóa", so_gd, date(2018, 12, 31)),
    ]:
        services.task_add(
            actor=specialist, plan=plan144, title=title, lead_organisation=org, due_on=due
        )

    plan = services.plan_create(
        actor=specialist,
        title="Kế hoạch thực hiện công tác trẻ em năm %s" % YEAR,
        number="25/KH-UBND",
        level=Plan.Level.PROVINCE,
        year_from=YEAR,
        year_to=YEAR,
        starts_on=date(YEAR, 1, 15),
        ends_on=date(YEAR, 12, 31),
        objectives="Triển khai Chỉ thị 28-CT/TW: 100% xã, phường có người làm công tác bảo vệ "
        "trẻ em; giảm tỷ lệ trẻ em bị xâm hại; tổ chức Tháng hành động vì trẻ em và diễn đàn "
        "trẻ em các cấp.",
        implements=ct28,
    )
    for unit, value in [(ctx.province.code, 98.5), (ctx.commune_a.code, 99), ("26248", 98)]:
        services.target_set(
            actor=specialist,
            plan=plan,
            indicator_code="KS_DUOI5",
            label="Tỷ lệ trẻ em dưới 5 tuổi được đăng ký khai sinh (%)",
            unit_code=unit,
            year=YEAR,
            value=value,
        )
    specs = [
        (
            "Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ xã, phường",
            so_y_te,
            date(YEAR, 5, 29),
            "none",
        ),
        ("Tổ chức Tháng hành động vì trẻ em", so_y_te, date(YEAR, 6, 30), "none"),
        ("Tổ chức diễn đàn trẻ em cấp tỉnh", doan, date(YEAR, 9, 30), "none"),
        (
            "Giáo dục kỹ năng sống, phòng chống xâm hại trong trường học",
            so_gd,
            date(YEAR, 11, 30),
            "none",
        ),
        ("Truyền thông phòng, chống bạo lực gia đình", phu_nu, date(YEAR, 10, 31), "none"),
        ("Giám sát thực hiện quyền trẻ em", mttq, date(YEAR, 12, 31), "none"),
        (
            "Tuyên truyền phòng, chống xâm hại trẻ em trên địa bàn",
            cong_an_a,
            date(YEAR, 11, 28),
            "none",
        ),
        ("Báo cáo tình hình trẻ em có hoàn cảnh đặc biệt", so_y_te, date(YEAR, 3, 31), "quarterly"),
        ("Xây dựng điểm vui chơi cho trẻ em", so_vh, date(YEAR, 12, 19), "none"),
        ("Kiểm tra an toàn trường học", truong_a, date(YEAR, 12, 12), "none"),
    ]
    tasks = {}
    for title, org, due, recurrence in specs:
        tasks[title] = services.task_add(
            actor=specialist,
            plan=plan,
            title=title,
            lead_organisation=org,
            due_on=due,
            recurrence=recurrence,
            partner_communes=[ctx.commune_a, ctx.commune_b] if org in (so_y_te, phu_nu) else [],
        )

    periods = {}
    for number, (start, end) in enumerate(
        [((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31))], start=1
    ):
        periods[number] = services.period_create(
            actor=specialist,
            kind=ReportingPeriod.Kind.QUARTER,
            label="Quý %s/%s" % (number, YEAR),
            starts_on=date(YEAR, *start),
            ends_on=date(YEAR, *end),
        )
    services.period_create(
        actor=specialist,
        kind=ReportingPeriod.Kind.YEAR,
        label="Năm %s" % YEAR,
        starts_on=date(YEAR, 1, 1),
        ends_on=date(YEAR, 12, 31),
    )

    def report(task_title, period, status, percent, text, figures, actor=specialist):
        services.progress_report(
            actor=actor,
            task=tasks[task_title],
            period=periods[period],
            status=status,
            percent=percent,
            done_text=text,
            figures=figures,
        )

    report(
        "Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ xã, phường",
        2,
        TaskStatus.DONE,
        100,
        "Tổ chức 4 lớp tập huấn tại Biên Hòa và Đồng Xoài.",
        {"Số cán bộ được tập huấn": 212},
    )
    report(
        "Tổ chức Tháng hành động vì trẻ em",
        2,
        TaskStatus.DONE,
        100,
        "Lễ phát động cấp tỉnh ngày 01/6; 95 xã, phường tổ chức hoạt động hưởng ứng.",
        {"Số trẻ em được tặng quà": 3850},
    )
    report(
        "Tuyên truyền phòng, chống xâm hại trẻ em trên địa bàn",
        3,
        TaskStatus.IN_PROGRESS,
        60,
        "Tuyên truyền tại 6 trường tiểu học và 3 khu phố.",
        {"Số buổi tuyên truyền": 9},
        actor=partner,
    )
    report(
        "Truyền thông phòng, chống bạo lực gia đình",
        3,
        TaskStatus.IN_PROGRESS,
        40,
        "Phát 5.000 tờ rơi; 12 buổi sinh hoạt chi hội.",
        {"Số buổi tuyên truyền": 12},
    )
    report(
        "Tổ chức diễn đàn trẻ em cấp tỉnh",
        3,
        TaskStatus.DONE,
        100,
        "Diễn đàn cấp tỉnh ngày 20/9 với 180 đại biểu trẻ em của 95 xã, phường.",
        {"Số trẻ em tham gia diễn đàn": 180},
    )
    for quarter in (1, 2, 3):
        report(
            "Báo cáo tình hình trẻ em có hoàn cảnh đặc biệt",
            quarter,
            TaskStatus.DONE,
            100,
            "Tổng hợp số liệu của 95 xã, phường gửi Bộ Y tế.",
            {},
        )
    report(
        "Giáo dục kỹ năng sống, phòng chống xâm hại trong trường học",
        4,
        TaskStatus.IN_PROGRESS,
        85,
        "Đã triển khai tại 412/480 trường tiểu học và trung học cơ sở.",
        {"Số trường đã triển khai": 412},
    )
    report(
        "Giám sát thực hiện quyền trẻ em",
        4,
        TaskStatus.IN_PROGRESS,
        50,
        "Giám sát tại 8 xã, phường; đang tổng hợp kiến nghị.",
        {},
    )
    services.period_close(actor=specialist, period=periods[1])

    commune_plan = services.plan_derive_for_commune(
        actor=specialist, plan=plan, commune=ctx.commune_a
    )
    commune_tasks = list(commune_plan.tasks.order_by("order"))
    first = commune_tasks[0]
    for task, period, status, percent, text, figures in [
        (
            first,
            2,
            TaskStatus.DONE,
            100,
            "Cử 3 cán bộ phường tham dự tập huấn của tỉnh.",
            {"Số cán bộ được tập huấn": 3},
        ),
        (
            commune_tasks[1],
            2,
            TaskStatus.DONE,
            100,
            "Tổ chức vui Tết Thiếu nhi, tặng 120 suất quà cho trẻ em có hoàn cảnh khó khăn.",
            {"Số trẻ em được tặng quà": 120},
        ),
        (
            commune_tasks[2],
            3,
            TaskStatus.DONE,
            100,
            "Diễn đàn trẻ em phường ngày 5/6.",
            {"Số trẻ em tham gia diễn đàn": 150},
        ),
        (commune_tasks[4], 4, TaskStatus.IN_PROGRESS, 40, "Phát thanh 12 số trên loa phường.", {}),
    ]:
        services.progress_report(
            actor=worker_a,
            task=task,
            period=periods[period],
            status=status,
            percent=percent,
            done_text=text,
            figures=figures,
        )

    lines = [
        (
            "Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ xã, phường",
            Source.PROVINCIAL,
            Activity.TRAINING,
            180_000_000,
        ),
        (
            "Tổ chức Tháng hành động vì trẻ em",
            Source.PROVINCIAL,
            Activity.COMMUNICATION,
            250_000_000,
        ),
        ("Tổ chức Tháng hành động vì trẻ em", Source.SOCIALISED, Activity.SUPPORT, 400_000_000),
        ("Tổ chức diễn đàn trẻ em cấp tỉnh", Source.PROVINCIAL, Activity.COMMUNICATION, 60_000_000),
        ("Xây dựng điểm vui chơi cho trẻ em", Source.CENTRAL, Activity.FACILITIES, 1_200_000_000),
        (
            "Truyền thông phòng, chống bạo lực gia đình",
            Source.INTERNATIONAL,
            Activity.COMMUNICATION,
            150_000_000,
        ),
    ]
    comm_line = None
    for title, source, activity, allocated in lines:
        spent = allocated * rng.choice([55, 70, 85, 100]) // 100
        line = services.budget_line_create(
            actor=specialist,
            plan=plan,
            task=tasks[title],
            year=YEAR,
            label=title,
            source=source,
            activity=activity,
            estimate=allocated + 20_000_000,
            allocated=allocated,
            spent=spent,
            reason="Quyết định giao dự toán năm %s" % YEAR,
        )
        if activity == Activity.COMMUNICATION and comm_line is None:
            comm_line = line
    services.budget_line_create(
        actor=worker_a,
        plan=commune_plan,
        task=first,
        year=YEAR,
        label="Hỗ trợ trẻ em có hoàn cảnh đặc biệt dịp Tết Trung thu",
        source=Source.COMMUNE,
        activity=Activity.SUPPORT,
        estimate=30_000_000,
        allocated=30_000_000,
        spent=28_500_000,
        reason="Nghị quyết HĐND phường về dự toán năm %s" % YEAR,
    )

    campaign = services.campaign_create(
        actor=specialist,
        kind=Campaign.Kind.ACTION_MONTH,
        title="Tháng hành động vì trẻ em năm %s" % YEAR,
        theme="Hành động thiết thực, ưu tiên nguồn lực cho trẻ em",
        year=YEAR,
        starts_on=date(YEAR, 6, 1),
        ends_on=date(YEAR, 6, 30),
        plan=plan,
    )
    activities = [
        (
            CommActivity.Kind.EVENT,
            "Lễ phát động Tháng hành động vì trẻ em cấp tỉnh",
            1,
            None,
            so_y_te,
            1200,
            800,
        ),
        (
            CommActivity.Kind.FORUM,
            "Diễn đàn trẻ em phường Trấn Biên",
            5,
            ctx.commune_a,
            doan,
            150,
            140,
        ),
        (
            CommActivity.Kind.SCHOOL_TALK,
            "Nói chuyện phòng, chống xâm hại tại trường tiểu học",
            10,
            ctx.commune_a,
            cong_an_a,
            420,
            400,
        ),
        (
            CommActivity.Kind.RADIO,
            "Phát thanh trên loa truyền thanh xã Trảng Bom",
            12,
            ctx.commune_b,
            None,
            6000,
            0,
        ),
        (
            CommActivity.Kind.PRINT,
            "Phát tờ rơi về Tổng đài 111",
            15,
            ctx.commune_b,
            phu_nu,
            2500,
            300,
        ),
        (
            CommActivity.Kind.SOCIAL,
            "Chuỗi bài trên trang mạng xã hội của Sở Y tế",
            20,
            None,
            so_y_te,
            18000,
            0,
        ),
    ]
    for kind, title, day, commune, organiser, reached, children in activities:
        services.activity_create(
            actor=specialist,
            campaign=campaign,
            kind=kind,
            title=title,
            held_on=date(YEAR, 6, day),
            commune=commune,
            organiser=organiser,
            audiences=["children", "parents"] if children else ["community"],
            people_reached=reached,
            children_reached=children,
            materials="Tờ rơi, áp phích" if kind == CommActivity.Kind.PRINT else "",
            materials_count=3000 if kind == CommActivity.Kind.PRINT else 0,
            budget_line=comm_line,
            cost=rng.choice([5, 8, 12, 20]) * 1_000_000,
        )
