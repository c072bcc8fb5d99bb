"""A report walked from receipt to closure in headless Chromium: the commune worker receives it,
assesses it, holds the case meeting and submits a plan; the chairman approves it; the worker
reviews and closes the case."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))


def test_report_walked_from_receipt_to_closure(e2e_server, browser, page, artifacts):
    out = artifacts("protection")
    base = e2e_server.url
    login(page, base, "canbo.a")
    page.get_by_role("link", name="Ca bảo vệ").first.click()
    page.wait_for_url(re.compile(r"/app/cases/$"))
    page.screenshot(path=out / "01-board.png", full_page=True)

    # Form 01
    page.get_by_role("button", name="Tiếp nhận tin báo (Mẫu số 01)").click()
    page.get_by_label("Kênh tiếp nhận").select_option("hotline_111")
    page.get_by_label("Xã, phường nơi xảy ra").select_option("26041")
    page.get_by_label("Nội dung sự việc").fill("Hàng xóm báo trẻ bị đánh đập, bỏ đói nhiều ngày.")
    page.get_by_label("Bạo lực thể chất").check()
    page.get_by_label("Bỏ mặc, sao nhãng").check()
    page.get_by_label("Thông tin về trẻ (họ tên, tuổi, giới tính, trường)").fill(
        "Bé trai 9 tuổi, tên Lê Minh Khôi"
    )
    page.get_by_label("Họ tên người báo tin").fill("Nguyễn Thị Hằng")
    page.screenshot(path=out / "02-report-form.png", full_page=True)
    page.get_by_role("button", name="Tiếp nhận và chuyển xã").click()
    page.wait_for_url(re.compile(r"/app/cases/\d+/$"))
    case_url = page.url
    assert page.locator("#case-status").inner_text() == "Chờ đánh giá ban đầu"
    assert "Nguyễn Thị Hằng" in page.content()
    page.screenshot(path=out / "03-case-received.png", full_page=True)

    # Form 02
    form = page.locator("#initial-form")
    form.get_by_label("Không").check()
    form.get_by_label("Nhận định ban đầu").fill("Trẻ có vết bầm cũ, hiện ở với bà ngoại an toàn.")
    form.get_by_role("button", name="Ghi đánh giá ban đầu").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Đánh giá chi tiết"

    # Form 03
    form = page.locator("#detailed-form")
    form.get_by_label("Nhu cầu của trẻ").fill("Khám sức khỏe, hỗ trợ tâm lý.")
    form.get_by_label("Hoàn cảnh gia đình").fill("Cha mẹ ly hôn, sống với cha và mẹ kế.")
    form.get_by_label("Thời điểm họp").fill("2026-01-05T09:00")
    form.get_by_label("Địa điểm họp").fill("UBND phường Trấn Biên")
    form.get_by_label("Thành phần tham dự").fill(
        "Võ Thị Hồng Nhung - Công chức\nPhạm Minh Tuấn - Chủ tịch UBND"
    )
    form.get_by_role("button", name="Ghi đánh giá chi tiết").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Lập kế hoạch"
    page.screenshot(path=out / "04-planning.png", full_page=True)

    # Form 04
    form = page.locator("#plan-form")
    form.get_by_label("Mục tiêu").fill("Trẻ an toàn, được khám và tư vấn tâm lý.")
    page.locator("#id_svc-0-kind").select_option("medical")
    page.locator("#id_svc-0-description").fill("Khám sức khỏe tổng quát")
    page.locator("#id_svc-0-organisation").select_option(label="Trạm Y tế Phường Trấn Biên")
    page.locator("#id_svc-0-due_on").fill("2026-12-31")
    form.get_by_role("button", name="Trình Chủ tịch UBND xã phê duyệt").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Chờ phê duyệt"

    # Form 05: the chairman approves, in his own session.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    chairman = context.new_page()
    login(chairman, base, "chutich.a")
    chairman.goto(case_url)
    chairman.locator("#approve-form").get_by_label("Số quyết định").fill("15/QĐ-UBND")
    chairman.screenshot(path=out / "05-approval.png", full_page=True)
    chairman.get_by_role("button", name="Phê duyệt kế hoạch").click()
    chairman.wait_for_url(case_url)
    assert chairman.locator("#case-status").inner_text() == "Thực hiện kế hoạch"
    context.close()

    # Form 06: review and close.
    page.goto(case_url)
    form = page.locator("#review-form")
    form.get_by_label("Kết quả thực hiện kế hoạch").fill("Đã khám; tư vấn 4 buổi.")
    form.get_by_label("Tình trạng hiện tại của trẻ").fill("Trẻ an toàn, đi học đều.")
    form.get_by_label("Đóng ca: trẻ đã an toàn, ổn định").check()
    form.get_by_label("Lý do").fill("Trẻ đã an toàn, ổn định.")
    form.get_by_role("button", name="Ghi rà soát").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Đã đóng"
    page.screenshot(path=out / "06-closed.png", full_page=True)

    page.get_by_role("button", name="Lịch sử ca").click()
    timeline = page.locator("#timeline").inner_text()
    for step in ("Tiếp nhận tin báo", "Đánh giá ban đầu", "Phê duyệt kế hoạch", "Đóng ca", "Xem"):
        assert step in timeline
    page.screenshot(path=out / "07-timeline.png", full_page=True)

    pdf = page.request.get(case_url + "forms/06.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
