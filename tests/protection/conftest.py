from __future__ import annotations

from types import SimpleNamespace

import pytest

from treem.geo.models import Village
from treem.protection import services
from treem.protection.models import Channel


@pytest.fixture
def users(demo):
    u = demo.users
    return SimpleNamespace(
        officer_a=u["canbo.a"],
        officer_b=u["canbo.b"],
        chairman_a=u["chutich.a"],
        chairman_b=u["chutich.b"],
        specialist=u["chuyenvien"],
        leader=u["lanhdao"],
        collaborator_a=u["ctv.a"],
        partner=u["doitac"],
        admin=u["admin"],
    )


@pytest.fixture
def make_report(demo, users):
    def make(*, commune=None, actor=None, **kwargs):
        values = {
            "channel": Channel.HOTLINE,
            "what_happened": "Hàng xóm nghe tiếng trẻ khóc và tiếng đánh đập nhiều đêm liền.",
            "abuse_types": ["physical", "emotional"],
            "child_description": "Bé trai khoảng 8 tuổi, tên Nguyễn Văn An",
            "reporter_name": "Trần Thị Bình",
            "reporter_phone": "0901234567",
            "suspected_person": "Cha dượng",
        }
        values.update(kwargs)
        return services.report_receive(
            actor=actor or users.officer_a, commune=commune or demo.commune_a, **values
        )

    return make


@pytest.fixture
def case_a(make_report):
    return make_report().case


def concern(demo, **kwargs):
    values = {
        "pk": 4242,
        "what_happened": "Em bé ở xóm tôi bị bỏ đói, không được đi học.",
        "province": demo.province,
        "commune": demo.commune_a,
        "village": Village.objects.filter(commune=demo.commune_a).first(),
        "happened_on": None,
        "child_description": "Bé gái 6 tuổi",
        "reporter_name": "Người báo",
        "reporter_phone": "0912345678",
        "reporter_email": "",
        "is_anonymous": False,
        "is_held": False,
        "tracking_code": "ABC123",
    }
    values.update(kwargs)
    return SimpleNamespace(**values)
