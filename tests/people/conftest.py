from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from treem.people import services
from treem.people.models import AwardForm, Council, PostKind

D = datetime.date


def pdf_upload(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "signed")
    c.save()
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def demo(demo):
    """The foundation demo with its organisations and villages looked up (they exist already)."""
    from treem.site.demo import _organisations, _villages

    _organisations(demo)
    _villages(demo)
    return demo


@pytest.fixture
def users(demo):
    u = demo.users
    return SimpleNamespace(
        officer_a=u["canbo.a"],
        officer_b=u["canbo.b"],
        chairman_a=u["chutich.a"],
        specialist=u["chuyenvien"],
        leader=u["lanhdao"],
        collaborator_a=u["ctv.a"],
        partner=u["doitac"],
    )


@pytest.fixture
def staff(demo):
    """A responsible official in each demo commune and a collaborator in commune A."""
    a, b = demo.commune_a, demo.commune_b

    def person(name, commune, kind, **kw):
        p = services.person_register(
            actor=None, full_name=name, province=demo.province, commune=commune
        )
        services.period_start(
            actor=None,
            person=p,
            kind=kind,
            position=kw.pop("position", "Công chức Văn hóa - Xã hội"),
            started_on=kw.pop("since", D(2020, 1, 1)),
            **kw,
        )
        return p

    return SimpleNamespace(
        official_a=person(
            "Võ Thị Hồng Nhung",
            a,
            PostKind.COMMUNE_OFFICIAL,
            employment="full_time",
            is_responsible=True,
        ),
        collaborator_a=person(
            "Bùi Thị Lan",
            a,
            PostKind.VILLAGE_COLLABORATOR,
            villages=demo.villages["a"][:2],
            position="Cộng tác viên",
        ),
        official_b=person(
            "Huỳnh Thị Mai",
            b,
            PostKind.COMMUNE_OFFICIAL,
            employment="full_time",
            is_responsible=True,
        ),
    )


@pytest.fixture
def council(demo, users):
    c = Council.objects.create(name="Hội đồng Thi đua - Khen thưởng tỉnh", province=demo.province)
    services.council_member_add(
        actor=users.specialist, council=c, user=users.leader, title="Chủ tịch Hội đồng"
    )
    services.council_member_add(
        actor=users.specialist, council=c, user=users.specialist, title="Thư ký"
    )
    return c


@pytest.fixture
def award_form(db):
    return AwardForm.objects.get(code="bang-khen-ubnd-tinh")


@pytest.fixture
def movement(demo, users):
    return services.movement_launch(
        actor=users.specialist,
        title="Phong trào thi đua “Vì trẻ em” giai đoạn 2021–2025",
        launched_by=demo.organisations["ubnd_tinh"],
        period_start=D(2021, 1, 1),
        period_end=D(2025, 12, 31),
        criteria="Hoàn thành xuất sắc nhiệm vụ.",
        nomination_deadline=D(2026, 3, 31),
    )


@pytest.fixture
def nominate(demo, users, movement, award_form):
    def make(*, person=None, collective_name="", actor=None, unit="ubnd_a", **kw):
        values = {
            "actor": actor or users.officer_a,
            "movement": movement,
            "nominating_unit": demo.organisations[unit],
            "award_form": award_form,
            "nominee_kind": "individual" if person else "collective",
            "person": person,
            "collective_name": collective_name,
            "nominee_unit": "Công chức Văn hóa - Xã hội, UBND Phường Trấn Biên",
            "achievement_line": "Đã có thành tích xuất sắc trong công tác bảo vệ, chăm sóc trẻ em",
            "achievement_report": "<p>Báo cáo thành tích <script>alert(1)</script>đầy đủ.</p>",
            "report_file": pdf_upload(),
            "minutes_file": pdf_upload("bien-ban.pdf"),
            "today": D(2026, 3, 1),
        }
        values.update(kw)
        return services.nomination_submit(**values)

    return make


@pytest.fixture
def open_meeting(users, staff, council, nominate):
    """A council meeting open on one nomination (the commune official A): (meeting, nomination)."""
    n = nominate(person=staff.official_a)
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="",
        nominations=[n],
    )
    n.refresh_from_db()
    return meeting, n
