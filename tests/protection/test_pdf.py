"""Each of Forms 01–07 prints as a PDF whose extracted text carries the Vietnamese text intact."""

from __future__ import annotations

import io
import unicodedata

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.protection import flow

pytestmark = pytest.mark.django_db


def text_of(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


EXPECTED = {
    "01": ["PHIẾU GHI NHẬN THÔNG TIN, THÔNG BÁO, TỐ GIÁC", "Hàng xóm nghe tiếng trẻ khóc"],
    "02": ["BÁO CÁO ĐÁNH GIÁ BAN ĐẦU", "Trẻ có vết bầm ở tay."],
    "03": ["ĐÁNH GIÁ NHU CẦU CỦA TRẺ EM VÀ GIA ĐÌNH", "Võ Thị Hồng Nhung"],
    "04": ["KẾ HOẠCH HỖ TRỢ, CAN THIỆP", "Khám sức khỏe tổng quát"],
    "05": ["QUYẾT ĐỊNH PHÊ DUYỆT KẾ HOẠCH", "Nghị định số 56/2017/NĐ-CP"],
    "06": ["ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN KẾ HOẠCH", "Trẻ an toàn, đi học đều."],
}


def test_every_form_pdf_contains_its_vietnamese_text(case_a, users, officer_a_client):
    case = flow.close(flow.to_implementation(case_a, users), users)
    for number, phrases in EXPECTED.items():
        response = officer_a_client.get(reverse("protection:form_pdf", args=[case.pk, number]))
        assert response.status_code == 200, number
        assert response["Content-Type"] == "application/pdf"
        text = text_of(response.content)
        for phrase in [
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "PHƯỜNG TRẤN BIÊN",
            *phrases,
        ]:
            assert phrase in text, (number, phrase)


def test_form_of_a_step_not_done_yet_is_refused_with_a_message(case_a, officer_a_client):
    response = officer_a_client.get(
        reverse("protection:form_pdf", args=[case_a.pk, "04"]), follow=True
    )
    assert "chưa có kế hoạch" in response.content.decode()


def test_pdf_outside_jurisdiction_is_not_found(case_a, officer_b_client):
    url = reverse("protection:form_pdf", args=[case_a.pk, "01"])
    assert officer_b_client.get(url).status_code == 404


def test_every_form_identifies_the_child_and_form_05_carries_the_decision_number(
    case_a, users, demo, officer_a_client
):
    from tests.protection.test_case_screen import link_child

    link_child(case_a, users, demo, born="05/03/2017")
    case = flow.close(flow.to_implementation(case_a, users), users)
    for number in ("01", "02", "03", "04", "05", "06"):
        text = text_of(
            officer_a_client.get(reverse("protection:form_pdf", args=[case.pk, number])).content
        )
        for phrase in ("Nguyễn Văn An", "05/03/2017", "Nam", "Phường Trấn Biên"):
            assert phrase in text, (number, phrase)
    text = text_of(
        officer_a_client.get(reverse("protection:form_pdf", args=[case.pk, "05"])).content
    )
    assert "Số: 12/QĐ-UBND" in text


def test_form_01_names_the_office_that_received_a_portal_report(demo, officer_a_client):
    from treem.protection import services

    report = services.report_receive(
        actor=None, channel="portal", commune=demo.commune_a, what_happened="Trẻ bị bỏ đói."
    )
    text = text_of(
        officer_a_client.get(reverse("protection:form_pdf", args=[report.case.pk, "01"])).content
    )
    assert "Người, cơ quan tiếp nhận: UBND Phường Trấn Biên" in text
    assert "Kênh tiếp nhận: Cổng thông tin" in text
