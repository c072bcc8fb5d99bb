"""Demo data of the people app: the staff and collaborators of the two demo communes (one village
of each commune left without a collaborator), courses, the provincial council, two past award
rounds ending in decisions and an open movement. Deterministic and idempotent: every record is
looked up by its natural key before it is created, and the award rounds run once."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile

from treem.accounts.models import Role, User
from treem.people import services
from treem.people.models import (
    AwardForm,
    Council,
    Course,
    Movement,
    Nomination,
    NominationStatus,
    Person,
    PostKind,
    TrainingTopic,
)

D = datetime.date
OPEN_MOVEMENT = "Phong trào thi đua “Đồng Nai vì trẻ em” năm 2026"
ROUNDS = [
    # title, period, deadline, meeting day, decision number, decision day
    (
        "Phong trào thi đua “Vì trẻ em” giai đoạn 2016–2020",
        (D(2016, 1, 1), D(2020, 12, 31)),
        D(2021, 3, 31),
        D(2021, 4, 20),
        "812/QĐ-UBND",
        D(2021, 5, 5),
    ),
    (
        "Phong trào thi đua thực hiện Chỉ thị 28-CT/TW giai đoạn 2021–2025",
        (D(2021, 1, 1), D(2025, 12, 31)),
        D(2026, 3, 31),
        D(2026, 4, 15),
        "1045/QĐ-UBND",
        D(2026, 4, 28),
    ),
]
COUNCIL_MEMBERS = [
    # username, full name, title in the council
    ("lanhdao", None, "Chủ tịch Hội đồng"),
    ("chuyenvien", None, "Ủy viên, Thư ký Hội đồng"),
    ("hoidong.1", "Trịnh Văn Phúc", "Ủy viên Hội đồng"),
]


def _pdf_bytes(title: str) -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, invariant=1)
    c.drawString(72, 760, title)
    c.showPage()
    c.save()
    return buffer.getvalue()


def _person(ctx, *, name, commune, user=None, org=None, sex="F", year=None) -> Person:
    person = Person.objects.filter(full_name=name, commune=commune).first()
    if person is None:
        person = services.person_register(
            actor=None,
            full_name=name,
            province=ctx.province,
            commune=commune,
            organisation=org,
            user=user,
            sex=sex,
            birth_year=year,
        )
    return person


def _post(
    person,
    *,
    kind,
    position,
    since,
    until=None,
    employment="",
    responsible=False,
    commune=None,
    villages=(),
    org=None,
    reason="",
) -> None:
    if person.periods.filter(kind=kind, started_on=since).exists():
        return
    period = services.period_start(
        actor=None,
        person=person,
        kind=kind,
        position=position,
        started_on=since,
        employment=employment,
        is_responsible=responsible,
        commune=commune,
        organisation=org,
        villages=villages,
    )
    if until:
        services.period_end(actor=None, period=period, ended_on=until, reason=reason)


def _staff(ctx) -> dict[str, Person]:
    a, b = ctx.commune_a, ctx.commune_b
    va, vb = ctx.villages["a"], ctx.villages["b"]
    u, o = ctx.users, ctx.organisations
    off = PostKind.COMMUNE_OFFICIAL
    ctv = PostKind.VILLAGE_COLLABORATOR
    people = {
        "nhung": _person(ctx, name="Võ Thị Hồng Nhung", commune=a, user=u["canbo.a"], year=1988),
        "tuan": _person(ctx, name="Phạm Minh Tuấn", commune=a, user=u["chutich.a"], sex="M"),
        "lan": _person(ctx, name="Bùi Thị Lan", commune=a, user=u["ctv.a"], year=1979),
        "hoa": _person(ctx, name="Lương Thị Hoa", commune=a, year=1983),
        "son": _person(ctx, name="Đinh Văn Sơn", commune=a, sex="M", year=1975),
        "mai": _person(ctx, name="Huỳnh Thị Mai", commune=b, user=u["canbo.b"], year=1990),
        "hung": _person(ctx, name="Đặng Văn Hùng", commune=b, user=u["chutich.b"], sex="M"),
        "thao": _person(ctx, name="Châu Thị Thảo", commune=b, year=1985),
        "khanh": _person(ctx, name="Nguyễn Văn Khánh", commune=b, sex="M", year=1992),
        "ha": _person(
            ctx, name="Nguyễn Thị Thu Hà", commune=None, user=u["chuyenvien"], org=o["so_y_te"]
        ),
        "long": _person(
            ctx, name="Đỗ Đức Long", commune=None, user=u["doitac"], org=o["cong_an_a"], sex="M"
        ),
    }
    _post(
        people["nhung"],
        kind=off,
        position="Công chức Văn hóa - Xã hội",
        since=D(2019, 8, 1),
        employment="full_time",
        responsible=True,
        org=o["ubnd_a"],
    )
    _post(
        people["tuan"],
        kind=off,
        position="Chủ tịch UBND phường",
        since=D(2025, 7, 1),
        employment="part_time",
        org=o["ubnd_a"],
    )
    _post(
        people["lan"],
        kind=ctv,
        position="Cộng tác viên khu phố",
        since=D(2018, 3, 1),
        villages=va[:2],
    )
    _post(
        people["hoa"],
        kind=ctv,
        position="Cộng tác viên khu phố",
        since=D(2022, 1, 10),
        villages=va[2:3],
    )
    # A collaborator who left: Khu phố 4 has had nobody since (the gap the page shows).
    _post(
        people["son"],
        kind=ctv,
        position="Cộng tác viên khu phố",
        since=D(2017, 5, 1),
        until=D(2025, 9, 30),
        villages=va[3:4],
        reason="Chuyển nơi ở",
    )
    _post(
        people["mai"],
        kind=off,
        position="Công chức Văn hóa - Xã hội",
        since=D(2025, 7, 1),
        employment="full_time",
        responsible=True,
        org=o["ubnd_b"],
    )
    _post(
        people["hung"],
        kind=off,
        position="Chủ tịch UBND xã",
        since=D(2025, 7, 1),
        employment="part_time",
        org=o["ubnd_b"],
    )
    _post(
        people["thao"], kind=ctv, position="Cộng tác viên ấp", since=D(2020, 6, 1), villages=vb[:2]
    )
    _post(
        people["khanh"],
        kind=ctv,
        position="Cộng tác viên ấp",
        since=D(2024, 2, 1),
        villages=vb[2:3],
    )
    _post(
        people["ha"],
        kind=PostKind.PROVINCE_SPECIALIST,
        position="Chuyên viên Phòng Bảo vệ, chăm sóc trẻ em",
        since=D(2025, 3, 1),
        org=o["so_y_te"],
    )
    _post(
        people["long"],
        kind=PostKind.PARTNER_FOCAL_POINT,
        position="Cán bộ đầu mối phòng chống xâm hại trẻ em",
        since=D(2023, 1, 1),
        org=o["cong_an_a"],
    )
    return people


def _courses(ctx, people) -> None:
    specs = [
        (
            "Tập huấn kỹ năng bảo vệ trẻ em cho cán bộ cơ sở năm 2025",
            "ky-nang-bao-ve-tre-em",
            D(2025, 9, 15),
            D(2025, 9, 17),
            "Hội trường Sở Y tế",
            24,
            [("nhung", True), ("lan", True), ("hoa", True), ("mai", False), ("thao", True)],
        ),
        (
            "Quản lý trường hợp trẻ em cần bảo vệ",
            "quan-ly-truong-hop",
            D(2025, 10, 20),
            D(2025, 10, 22),
            "Trung tâm Công tác xã hội tỉnh",
            24,
            [("nhung", True), ("mai", True)],
        ),
        (
            "Phòng ngừa xâm hại trẻ em cho cộng tác viên",
            "phong-ngua-xam-hai",
            D(2026, 3, 10),
            D(2026, 3, 11),
            "UBND Phường Trấn Biên",
            12,
            [("lan", True), ("hoa", False), ("khanh", True)],
        ),
        (
            "Kỷ luật tích cực trong gia đình",
            "ky-luat-tich-cuc",
            D(2026, 5, 5),
            D(2026, 5, 5),
            "UBND Xã Trảng Bom",
            6,
            [("thao", True)],
        ),
    ]
    for title, topic, start, end, place, hours, attendees in specs:
        course = Course.objects.filter(title=title).first()
        if course is None:
            course = services.course_create(
                actor=None,
                title=title,
                topic=TrainingTopic.objects.get(code=topic),
                organiser=ctx.organisations["so_y_te"],
                starts_on=start,
                ends_on=end,
                place=place,
                hours=hours,
                budget_line="Kế hoạch 144-KH/TU, mục kinh phí tập huấn",
            )
        for key, certified in attendees:
            services.attendance_record(
                actor=None, course=course, person=people[key], certified=certified
            )


def _council(ctx) -> Council:
    council, _ = Council.objects.get_or_create(
        province=ctx.province,
        defaults={"name": "Hội đồng Thi đua - Khen thưởng %s" % ctx.province.name},
    )
    specialist = ctx.users["chuyenvien"]
    for username, full_name, title in COUNCIL_MEMBERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            from treem.accounts.services import user_create
            from treem.core.demo import DEMO_PASSWORD

            user = user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                full_name=full_name,
                email=f"{username}@treem.example",
                role=Role.PROVINCE_LEADER,
                organisation=ctx.organisations["ubnd_tinh"],
                province=ctx.province,
                commune=None,
                villages=None,
            )
        # Seeding again completes the demo: a member already seated is left as is.
        if not council.members.filter(user=user, is_active=True).exists():
            services.council_member_add(actor=specialist, council=council, user=user, title=title)
    return council


def _round(ctx, council, people, spec, nominees) -> None:
    title, (start, end), deadline, meeting_day, number, signed_on = spec
    if Movement.objects.filter(title=title).exists():
        return
    specialist = ctx.users["chuyenvien"]
    movement = services.movement_launch(
        actor=specialist,
        title=title,
        launched_by=ctx.organisations["ubnd_tinh"],
        period_start=start,
        period_end=end,
        criteria="Hoàn thành xuất sắc nhiệm vụ bảo vệ, chăm sóc trẻ em; không để xảy ra vụ việc "
        "xâm hại trẻ em nghiêm trọng mà không được phát hiện, xử lý kịp thời.",
        nomination_deadline=deadline,
    )
    form = AwardForm.objects.get(code="bang-khen-ubnd-tinh")
    nominations = []
    for key, actor_name, unit_key, unit_label, line in nominees:
        person = people.get(key)
        n = services.nomination_submit(
            actor=ctx.users[actor_name],
            movement=movement,
            nominating_unit=ctx.organisations[unit_key],
            award_form=form,
            nominee_kind="individual" if person else "collective",
            person=person,
            collective_name="" if person else key,
            nominee_unit=unit_label,
            achievement_line=line,
            achievement_report="<p>Tham mưu UBND triển khai đầy đủ các chương trình bảo vệ trẻ "
            "em; kiện toàn mạng lưới cộng tác viên; <strong>100%</strong> trẻ em có hoàn cảnh "
            "đặc biệt được quản lý, hỗ trợ.</p>",
            report_file=ContentFile(_pdf_bytes("Bao cao thanh tich"), name="bao-cao.pdf"),
            minutes_file=ContentFile(_pdf_bytes("Bien ban hop"), name="bien-ban.pdf"),
            idempotency_key=f"demo:{number}:{key}",
            today=deadline,
        )
        nominations.append(n)
    meeting = services.meeting_open(
        actor=specialist,
        council=council,
        held_on=meeting_day,
        place="Phòng họp UBND tỉnh",
        nominations=nominations,
    )
    refused = {nominations[-1].pk}  # the council turns the last one down: 2 of 3 < 70%
    for member in council.members.select_related("user").order_by("id"):
        for n in nominations:
            yes = not (n.pk in refused and member.user.username == "hoidong.1")
            services.vote_cast(actor=member.user, meeting=meeting, nomination=n, in_favour=yes)
    services.meeting_close(actor=specialist, meeting=meeting)
    passed = list(Nomination.objects.filter(meeting=meeting, status=NominationStatus.PASSED))
    services.decision_issue(
        actor=specialist,
        number=number,
        signed_on=signed_on,
        signer_name="Lê Quang Minh",
        signer_title="Chủ tịch",
        award_form=form,
        nominations=passed,
        meeting=meeting,
    )


def seed(ctx) -> None:
    people = _staff(ctx)
    _courses(ctx, people)
    council = _council(ctx)
    a_name, b_name = ctx.commune_a.name, ctx.commune_b.name
    line = "Đã có thành tích xuất sắc trong công tác bảo vệ, chăm sóc trẻ em"
    _round(
        ctx,
        council,
        people,
        ROUNDS[0],
        [
            ("nhung", "canbo.a", "ubnd_a", f"Công chức Văn hóa - Xã hội, UBND {a_name}", line),
            ("lan", "canbo.a", "ubnd_a", f"Cộng tác viên Khu phố 1, {a_name}", line),
            (f"UBND {a_name}", "chuyenvien", "so_y_te", a_name, line),
            ("son", "canbo.a", "ubnd_a", f"Cộng tác viên Khu phố 4, {a_name}", line),
        ],
    )
    _round(
        ctx,
        council,
        people,
        ROUNDS[1],
        [
            ("nhung", "canbo.a", "ubnd_a", f"Công chức Văn hóa - Xã hội, UBND {a_name}", line),
            ("thao", "canbo.b", "ubnd_b", f"Cộng tác viên Ấp An Bình, {b_name}", line),
            (f"UBND {a_name}", "chuyenvien", "so_y_te", a_name, line),
            ("Hội Liên hiệp Phụ nữ tỉnh Đồng Nai", "chuyenvien", "so_y_te", "tỉnh Đồng Nai", line),
            ("mai", "canbo.b", "ubnd_b", f"Công chức Văn hóa - Xã hội, UBND {b_name}", line),
        ],
    )
    if not Movement.objects.filter(title=OPEN_MOVEMENT).exists():
        services.movement_launch(
            actor=ctx.users["chuyenvien"],
            title=OPEN_MOVEMENT,
            launched_by=ctx.organisations["ubnd_tinh"],
            period_start=D(2026, 1, 1),
            period_end=D(2026, 12, 31),
            criteria="Thực hiện tốt Tháng hành động vì trẻ em; kiện toàn mạng lưới cộng tác "
            "viên ở mọi thôn, ấp; không có trẻ em bị xâm hại mà không được hỗ trợ.",
            # Far enough ahead that the demo can always be used to submit a nomination.
            nomination_deadline=D(2030, 12, 31),
        )
