from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from treem.accounts.models import User
from treem.programmes import services
from treem.programmes.models import Plan, ReportingPeriod

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def seeded(demo):
    from treem.programmes.demo import seed

    seed(demo)
    return demo


@pytest.fixture
def specialist(demo) -> User:
    return demo.users["chuyenvien"]


@pytest.fixture
def partner(demo) -> User:
    return demo.users["doitac"]


@pytest.fixture
def plan(specialist) -> Plan:
    return services.plan_create(
        actor=specialist,
        title="Kế hoạch thử nghiệm năm 2026",
        number="99/KH-UBND",
        level=Plan.Level.PROVINCE,
        year_from=2026,
        year_to=2026,
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
    )


@pytest.fixture
def periods(specialist) -> dict[int, ReportingPeriod]:
    result = {}
    for q, (start, end) in enumerate(
        [((1, 1), (3, 31)), ((4, 1), (6, 30)), ((7, 1), (9, 30)), ((10, 1), (12, 31))], start=1
    ):
        result[q] = services.period_create(
            actor=specialist,
            kind=ReportingPeriod.Kind.QUARTER,
            label=f"Quý {q}/2026",
            starts_on=date(2026, *start),
            ends_on=date(2026, *end),
        )
    return result


def pdf_upload(name: str = "minh-chung.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")
