from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from treem.assistance import services
from treem.lib.text import fold
from treem.registry.models import Child

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "giay-to.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


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
def make_child(demo):
    def make(name="Nguyễn Văn An", birth="2015-01-10", commune=None, **kw):
        commune = commune or demo.commune_a
        birth_date = dt.date.fromisoformat(birth)
        key = fold(name)
        words = key.split()
        return Child.objects.create(
            full_name=name,
            name_key=key,
            name_key_given_first=" ".join(words[-1:] + words[:-1]),
            birth_date=birth_date,
            birth_date_latest=birth_date,
            sex="M",
            province_id=commune.province_id,
            commune=commune,
            **kw,
        )

    return make


@pytest.fixture
def decided(users, make_child):
    """Walk a dossier to a decision; returns the recipient."""

    def walk(child=None, *, bases=None, applied="2025-01-06", decided="2025-02-03", **kw):
        child = child or make_child()
        dossier = services.dossier_create(
            actor=users.officer_a,
            child=child,
            applicant_name="Trần Thị Bình",
            applicant_relation="Bà ngoại",
            applied_on=dt.date.fromisoformat(applied),
            bases=bases or [{"basis": "no_support"}],
            **kw,
        )
        for kind in services.required_documents(dossier):
            services.document_add(actor=users.officer_a, dossier=dossier, kind=kind, upload=pdf())
        dossier = services.dossier_review(
            actor=users.officer_a,
            dossier=dossier,
            expected_version=dossier.version,
            reviewed_on=dossier.applied_on + dt.timedelta(days=3),
            review_note="Đủ điều kiện",
            minutes=pdf("bien-ban.pdf"),
        )
        dossier = services.dossier_post(
            actor=users.officer_a,
            dossier=dossier,
            expected_version=dossier.version,
            posted_on=dossier.reviewed_on + dt.timedelta(days=1),
        )
        return services.dossier_decide(
            actor=users.chairman_a,
            dossier=dossier,
            expected_version=dossier.version,
            decision_number="12/QĐ-UBND",
            decided_on=dt.date.fromisoformat(decided),
            signer="Phạm Minh Tuấn",
        )

    return walk
