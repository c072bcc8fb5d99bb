"""Form 07 (temporary separation, Decree 56/2017 Art. 32) with its 15-day limit, and nothing lost
on reopening: the earlier Form 03 is kept, listed and printable as it was."""

from __future__ import annotations

import io
import unicodedata
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from tests.protection import flow
from treem.protection import services
from treem.protection.models import CaseEvent, FormRevision

pytestmark = pytest.mark.django_db


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_current_timezone())


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def separate(case, users, **values):
    data = {
        "decision_number": "07/QĐ-UBND",
        "separated_from": "Cha dượng Trần Văn Hùng",
        "placement": "Nhà bà ngoại, thôn 3, phường Trấn Biên",
        "reason": "Trẻ bị đánh nhiều lần, có vết thương mới.",
    }
    data.update(values)
    return services.separation_decide(actor=users.chairman_a, case=case, **data)


def test_separation_is_the_chairmans_decision_limited_to_15_days(make_report, users):
    case = make_report(received_at=local(2026, 6, 1, 8, 0)).case
    case = flow.assess(case, users, in_danger=True)
    with pytest.raises(PermissionDenied):
        services.separation_decide(
            actor=users.officer_a,
            case=case,
            decision_number="1",
            separated_from="x",
            placement="y",
            reason="z",
        )
    decision = separate(case, users, starts_at=local(2026, 6, 1, 14, 30))
    # Art. 32(3): at most 15 days: 1 June 14:30 + 15 days = 16 June 14:30.
    assert decision.ends_at == local(2026, 6, 16, 14, 30)
    case.refresh_from_db()
    # The separation meets the 12-hour emergency clock, and its end is on the case's due times.
    assert case.emergency_met_at == local(2026, 6, 1, 14, 30)
    assert case.due_at == min(case.step_due_at, decision.ends_at)
    assert case.events.filter(kind=CaseEvent.Kind.SEPARATION_DECIDED).exists()
    with pytest.raises(ValidationError):
        separate(case, users)  # one active separation at a time: extend it instead


def test_separation_extension_and_end(make_report, users):
    case = flow.assess(make_report(received_at=local(2026, 6, 1, 8, 0)).case, users)
    decision = separate(case, users, starts_at=local(2026, 6, 1, 9, 0))
    with pytest.raises(ValidationError):
        services.separation_extend(
            actor=users.chairman_a, decision=decision, until=decision.ends_at, reason="x"
        )
    decision = services.separation_extend(
        actor=users.chairman_a,
        decision=decision,
        until=decision.ends_at + timedelta(days=10),
        reason="Chờ tòa án quyết định.",
    )
    assert decision.ends_at == local(2026, 6, 26, 9, 0)
    decision = services.separation_end_record(
        actor=users.officer_a, decision=decision, note="Trẻ về với mẹ."
    )
    case.refresh_from_db()
    assert decision.ended_at is not None and case.due_at == case.step_due_at


def test_separation_on_the_board_page_and_pdf(
    case_a, users, officer_a_client, chairman_a_client, specialist_client
):
    case = flow.assess(case_a, users)
    response = chairman_a_client.post(
        reverse("protection:separation", args=[case.pk]),
        {
            "decision_number": "07/QĐ-UBND",
            "starts_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "separated_from": "Cha dượng",
            "placement": "Nhà bà ngoại",
            "reason": "Trẻ bị đánh.",
        },
    )
    assert response.status_code == 302
    assert case.separations.count() == 1
    board = specialist_client.get(reverse("protection:board")).content.decode()
    assert "Trẻ đang tạm thời cách ly" in board and "07/QĐ-UBND" in board
    page = officer_a_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert "Tạm thời cách ly trẻ (Mẫu số 07)" in page and "Nhà bà ngoại" in page
    pdf = officer_a_client.get(reverse("protection:form_pdf", args=[case.pk, "07"]))
    assert pdf.status_code == 200
    text = text_of(pdf.content)
    for phrase in (
        "QUYẾT ĐỊNH TẠM THỜI CÁCH LY TRẺ EM",
        "Số: 07/QĐ-UBND",
        "Nhà bà ngoại",
        "không quá 15 ngày",
        "Điều 32",
    ):
        assert phrase in text, phrase


def test_reopen_keeps_the_old_form_03_and_prints_it_as_it_was(case_a, users, officer_a_client):
    case = flow.to_implementation(case_a, users)
    case = flow.close(case, users)
    services.case_reopen(actor=users.officer_a, case=case, reason="Trẻ lại bị đánh.")
    case.refresh_from_db()
    services.case_detailed_assess(
        actor=users.officer_a,
        case=case,
        child_needs="Cần nơi ở an toàn ngay.",
        family_situation="Mẹ đi làm xa; cha dượng tái phạm.",
        meeting_at=timezone.now(),
        meeting_place="Nhà văn hóa khu phố 5",
        participants=[{"name": "Phạm Minh Tuấn", "role": "Chủ tịch UBND"}],
    )
    revision = FormRevision.objects.get(case=case, form="03")
    assert revision.data["child_needs"] == "Cần khám sức khỏe và hỗ trợ tâm lý."
    assert revision.data["participants"] == [{"name": "Võ Thị Hồng Nhung", "role": "Công chức"}]
    page = officer_a_client.get(reverse("protection:case_detail", args=[case.pk])).content.decode()
    assert "Cần nơi ở an toàn ngay." in page and "Các bản trước của biểu mẫu" in page
    url = reverse("protection:form_pdf", args=[case.pk, "03"])
    old = text_of(officer_a_client.get(f"{url}?revision={revision.pk}").content)
    assert "Cần khám sức khỏe và hỗ trợ tâm lý." in old and "Bản lưu" in old
    assert "Cần nơi ở an toàn ngay." not in old
    new = text_of(officer_a_client.get(url).content)
    assert "Cần nơi ở an toàn ngay." in new and "Nhà văn hóa khu phố 5" in new
    timeline = officer_a_client.get(reverse("protection:case_timeline", args=[case.pk]))
    html = timeline.content.decode()
    assert f"?revision={revision.pk}" in html
    # Both meetings keep their own participants on the timeline.
    assert "Võ Thị Hồng Nhung (Công chức)" in html and "Phạm Minh Tuấn (Chủ tịch UBND)" in html


def test_editing_form_02_keeps_the_earlier_version(case_a, users):
    case = flow.assess(case_a, users)
    assessment = case.initial_assessment
    services.initial_assessment_update(
        actor=users.officer_a,
        assessment=assessment,
        expected_version=assessment.version,
        findings="Trẻ có vết bầm ở tay và lưng.",
    )
    revision = FormRevision.objects.get(case=case, form="02")
    assert revision.data["findings"] == "Trẻ có vết bầm ở tay."


def test_a_due_soon_alert_on_a_separation_says_it_ends(make_report, users):
    from treem.protection import notify, selectors
    from treem.protection.models import Notification

    case = flow.assess(make_report().case, users)
    decision = separate(case, users)
    case.refresh_from_db()
    case.due_at = decision.ends_at  # the separation ends before the step is due
    notify.deadline(case=case, kind=Notification.Kind.DUE_SOON)
    note = Notification.objects.get(case=case, kind=Notification.Kind.DUE_SOON)
    assert "Tạm thời cách ly sắp hết hạn" in selectors.notification_message(note)
