"""The award path from movement to printed certificate, and every refusal the issue names."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from tests.people.conftest import pdf_upload
from treem.indicators import hooks
from treem.people import documents, selectors, services
from treem.people.models import (
    CouncilMember,
    Nomination,
    NominationEvent,
    NominationStatus,
    Vote,
    VotingRule,
)

D = datetime.date


def test_whole_award_path_from_movement_to_printed_certificate(
    demo, users, staff, council, nominate, award_form
):
    n1 = nominate(person=staff.official_a)
    n2 = nominate(
        collective_name="UBND Phường Trấn Biên",
        actor=users.specialist,
        unit="so_y_te",
        nominee_unit="Phường Trấn Biên",
    )
    # The report was sanitised as the portal does: the script is gone, the text kept.
    assert "<script>" not in n1.achievement_report and "đầy đủ" in n1.achievement_report
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="UBND tỉnh",
        nominations=[n1, n2],
    )
    assert meeting.members_count == 2 and meeting.rule.threshold == Decimal("0.700")
    for member in (users.leader, users.specialist):
        services.vote_cast(actor=member, meeting=meeting, nomination=n1, in_favour=True)
    services.vote_cast(actor=users.leader, meeting=meeting, nomination=n2, in_favour=True)
    services.vote_cast(actor=users.specialist, meeting=meeting, nomination=n2, in_favour=False)
    assert services.meeting_close(actor=users.specialist, meeting=meeting) == {
        "passed": 1, "rejected": 1,
    }  # fmt: skip
    n1.refresh_from_db()
    n2.refresh_from_db()
    assert (n1.status, n1.yes_votes) == (NominationStatus.PASSED, 2)
    assert n2.status == NominationStatus.REJECTED  # 1 of 2 = 50% < 70%
    decision = services.decision_issue(
        actor=users.specialist,
        number="1045/QĐ-UBND",
        signed_on=D(2026, 4, 28),
        signer_name="Lê Quang Minh",
        signer_title="Chủ tịch",
        award_form=award_form,
        nominations=[n1],
        meeting=meeting,
    )
    n1.refresh_from_db()
    assert n1.status == NominationStatus.AWARDED and n1.decision == decision
    assert list(n1.events.values_list("action", flat=True)) == [
        "submit", "schedule", "count", "award",
    ]  # fmt: skip

    pdf = documents.certificates_pdf(decision, [n1])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for expected in (
        "BẰNG KHEN",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐỒNG NAI",
        "Võ Thị Hồng Nhung",
        "Công chức Văn hóa - Xã hội, UBND Phường Trấn Biên",
        "Đã có thành tích xuất sắc trong công tác bảo vệ, chăm sóc trẻ em",
        "Quyết định số 1045/QĐ-UBND",
        "ngày 28 tháng 04 năm 2026",
        "Lê Quang Minh",
    ):
        assert expected in text, expected

    from docx import Document
    from openpyxl import load_workbook

    doc = Document(io.BytesIO(documents.annex_docx(decision, [n1])))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "Kèm theo Quyết định số 1045/QĐ-UBND" in body
    assert doc.tables[0].rows[1].cells[1].text == "Võ Thị Hồng Nhung"
    ws = load_workbook(io.BytesIO(documents.annex_xlsx(decision, [n1]))).active
    assert ws["C4"].value == "Võ Thị Hồng Nhung"
    assert ws["D4"].value == "Công chức Văn hóa - Xã hội, UBND Phường Trấn Biên"

    history = list(selectors.award_history(user=users.specialist))
    assert [(h["person_name"], h["times"], h["since"]) for h in history] == [
        ("Võ Thị Hồng Nhung", 1, 2026)
    ]
    section = hooks.report_section("commendation", hooks.ReportScope("75", 2026, 2026))
    assert section.tables[0].rows == [["Tỉnh", "Bằng khen của Chủ tịch UBND tỉnh", 0, 1]]
    assert hooks.report_section("commendation", hooks.ReportScope("75", 2020, 2020)) is None


def test_annex_cells_that_look_like_formulas_are_neutralised(
    demo, users, staff, council, nominate, award_form
):
    n = nominate(
        collective_name='=HYPERLINK("x")',
        actor=users.specialist,
        unit="so_y_te",
        nominee_unit="@unit",
    )
    Nomination.objects.filter(pk=n.pk).update(status=NominationStatus.AWARDED)
    n.refresh_from_db()
    from openpyxl import load_workbook

    decision = type("D", (), {"number": "1/QĐ", "signed_on": D(2026, 1, 2)})()
    ws = load_workbook(io.BytesIO(documents.annex_xlsx(decision, [n]))).active
    assert ws["C4"].value.startswith("'=") and ws["D4"].value == "'@unit"


def test_duplicate_nomination_for_same_award_and_period_is_caught(demo, users, staff, nominate):
    nominate(person=staff.official_a)
    with pytest.raises(ValidationError) as exc:
        nominate(person=staff.official_a, actor=users.specialist, unit="so_y_te")
    assert "chỉ được đề nghị một lần" in exc.value.message_dict["person"][0]
    nominate(collective_name="Hội Liên hiệp Phụ nữ tỉnh", actor=users.specialist, unit="so_y_te")
    with pytest.raises(ValidationError):
        # Same collective typed without diacritics and in capitals: the same nominee.
        nominate(
            collective_name="HOI LIEN HIEP PHU NU TINH", actor=users.specialist, unit="so_y_te"
        )
    assert Nomination.objects.count() == 2


def test_withdrawn_nomination_may_be_submitted_again(demo, users, staff, nominate):
    first = nominate(person=staff.official_a)
    services.nomination_withdraw(actor=users.officer_a, nomination=first)
    again = nominate(person=staff.official_a)
    assert again.pk != first.pk


def test_double_submit_with_the_same_key_does_the_work_once(demo, staff, nominate):
    a = nominate(person=staff.official_a, idempotency_key="k-1")
    b = nominate(person=staff.official_a, idempotency_key="k-1")
    assert a.pk == b.pk and Nomination.objects.count() == 1


def test_nomination_after_the_deadline_is_refused_and_nothing_is_saved(demo, staff, nominate):
    with pytest.raises(ValidationError) as exc:
        nominate(person=staff.official_a, today=D(2026, 4, 1))
    assert "hết hạn nhận hồ sơ ngày 31/03/2026" in exc.value.message_dict["movement"][0]
    assert not Nomination.objects.exists()
    # On the deadline day itself it is accepted.
    nominate(person=staff.official_a, today=D(2026, 3, 31))


def test_nominee_without_achievement_report_is_refused_with_every_problem_at_once(
    demo, staff, nominate
):
    with pytest.raises(ValidationError) as exc:
        nominate(
            person=staff.official_a,
            achievement_report="<p> <script>x</script></p>",
            minutes_file=None,
        )
    errors = exc.value.message_dict
    assert "Hồ sơ chưa có báo cáo thành tích" in errors["achievement_report"][0]
    assert "minutes_file" in errors
    assert not Nomination.objects.exists()


def test_signed_file_is_checked_by_content_not_name(demo, staff, nominate):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as exc:
        nominate(person=staff.official_a, report_file=fake)
    assert "report_file" in exc.value.message_dict


def test_individual_nominee_must_be_in_the_workforce_register_for_the_period(demo, users, nominate):
    outsider = services.person_register(
        actor=None, full_name="Người Ngoài", province=demo.province, commune=demo.commune_a
    )
    with pytest.raises(ValidationError) as exc:
        nominate(person=outsider)
    assert "không có trong danh sách nhân lực" in exc.value.message_dict["person"][0]


def test_commune_cannot_nominate_for_another_communes_unit(demo, users, staff, nominate):
    with pytest.raises(PermissionDenied):
        nominate(person=staff.official_b, actor=users.officer_a, unit="ubnd_b")


def test_vote_by_someone_not_on_the_council_is_refused(users, open_meeting):
    meeting, n = open_meeting
    with pytest.raises(PermissionDenied, match="không phải thành viên"):
        services.vote_cast(actor=users.officer_a, meeting=meeting, nomination=n, in_favour=True)
    assert not Vote.objects.exists()


def test_second_vote_by_the_same_member_is_refused_and_the_first_kept(users, open_meeting):
    meeting, n = open_meeting
    services.vote_cast(actor=users.leader, meeting=meeting, nomination=n, in_favour=True)
    with pytest.raises(ValidationError, match="đã bỏ phiếu"):
        services.vote_cast(actor=users.leader, meeting=meeting, nomination=n, in_favour=False)
    assert list(Vote.objects.values_list("in_favour", flat=True)) == [True]


def test_decision_listing_a_rejected_nominee_is_refused_whole(
    demo, users, staff, council, nominate, award_form
):
    good = nominate(person=staff.official_a)
    bad = nominate(person=staff.official_b, actor=users.officer_b, unit="ubnd_b")
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="",
        nominations=[good, bad],
    )
    for member in (users.leader, users.specialist):
        services.vote_cast(actor=member, meeting=meeting, nomination=good, in_favour=True)
    services.meeting_close(actor=users.specialist, meeting=meeting)
    with pytest.raises(ValidationError) as exc:
        services.decision_issue(
            actor=users.specialist,
            number="9/QĐ-UBND",
            signed_on=D(2026, 5, 1),
            signer_name="A",
            signer_title="Chủ tịch",
            award_form=award_form,
            nominations=[good, bad],
        )
    assert "Huỳnh Thị Mai" in exc.value.message_dict["nominations"][0]
    good.refresh_from_db()
    assert good.status == NominationStatus.PASSED and good.decision is None


@pytest.mark.parametrize(
    ("yes", "members", "threshold", "expected"),
    [
        (7, 10, "0.700", True),  # exactly at the share: "at least" passes
        (6, 10, "0.700", False),
        (2, 3, "0.667", False),  # 66.67% is below 66.7%
        (2, 3, "0.666", True),
        (1, 2, "0.500", True),
        (0, 0, "0.500", False),
    ],
)
def test_vote_counting_at_the_rules_boundary(yes, members, threshold, expected):
    assert services.passes(yes=yes, members=members, threshold=Decimal(threshold)) is expected


def test_meeting_count_at_the_boundary_uses_the_rule_in_force_on_the_meeting_day(
    demo, users, staff, council, nominate
):
    # A later rule of one half; the meeting after it is counted with it.
    VotingRule.objects.create(
        name="Quá nửa", threshold=Decimal("0.5"), effective_from=D(2026, 1, 1)
    )
    extra = [users.chairman_a, users.officer_b]  # two more seats: 4 members
    for u in extra:
        CouncilMember.objects.create(council=council, user=u, title="Ủy viên")
    at = nominate(person=staff.official_a)
    below = nominate(person=staff.official_b, actor=users.officer_b, unit="ubnd_b")
    meeting = services.meeting_open(
        actor=users.specialist,
        council=council,
        held_on=D(2026, 4, 15),
        place="",
        nominations=[at, below],
    )
    assert meeting.rule.threshold == Decimal("0.500") and meeting.members_count == 4
    # chairman_a / officer_b hold no vote permission: only the two provincial members vote.
    services.vote_cast(actor=users.leader, meeting=meeting, nomination=at, in_favour=True)
    services.vote_cast(actor=users.specialist, meeting=meeting, nomination=at, in_favour=True)
    services.vote_cast(actor=users.leader, meeting=meeting, nomination=below, in_favour=True)
    services.vote_cast(actor=users.specialist, meeting=meeting, nomination=below, in_favour=False)
    services.meeting_close(actor=users.specialist, meeting=meeting)
    at.refresh_from_db()
    below.refresh_from_db()
    assert at.status == NominationStatus.PASSED  # 2 of 4 = exactly 50%
    assert below.status == NominationStatus.REJECTED  # 1 of 4
    assert NominationEvent.objects.filter(nomination=at, action="count").get().details == {
        "yes": 2, "members": 4,
    }  # fmt: skip


def test_pdf_upload_helper_is_a_real_pdf():
    assert pdf_upload().read(5) == b"%PDF-"
