"""A report walked from receipt to closure in headless Chromium, led by the case page's stepper:
the commune worker receives it, assesses it, holds the case meeting and submits a plan; the
chairman finds it on his to-do list and approves it; the plan's services (one of them now a
referral) are marked done; the worker reviews and closes the case. At each step the stepper shows
the steps done, the current one with its due time, and only the form the step asks for."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"


def login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))


def stepper(page) -> tuple[list[str], str]:
    """The states of the steps, and the label of the current one."""
    items = page.locator("#stepper li")
    states = [items.nth(i).get_attribute("class").split()[0] for i in range(items.count())]
    current = page.locator("#stepper li[aria-current=step]")
    return states, current.inner_text() if current.count() else ""


def test_stepper_leads_a_case_from_receipt_to_closure(e2e_server, browser, page, artifacts):
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
    page.get_by_label("Nội dung sự việc").fill(
        "Hàng xóm báo trẻ bị cha dượng đánh đập, bỏ đói nhiều ngày; trẻ thường ngồi một mình "
        "trước cửa nhà đến tối muộn."
    )
    page.get_by_label("Bạo lực thể chất").check()
    page.get_by_label("Bỏ mặc, sao nhãng").check()
    page.get_by_label("Thông tin về trẻ (họ tên, tuổi, giới tính, trường)").fill(
        "Bé trai 9 tuổi, tên Lê Minh Khôi, học lớp 4 Trường Tiểu học Trấn Biên"
    )
    page.get_by_label("Họ tên người báo tin").fill("Nguyễn Thị Hằng")
    page.get_by_role("button", name="Tiếp nhận và chuyển xã").click()
    page.wait_for_url(re.compile(r"/app/cases/\d+/$"))
    case_url = page.url
    assert page.locator("#case-status").inner_text() == "Chờ đánh giá ban đầu"
    states, current = stepper(page)
    assert states == ["done", "current", *["upcoming"] * 5]
    assert "Đánh giá ban đầu" in current and "Hạn:" in current
    # Only the form of the current step; no heading for the steps to come.
    assert page.locator("#initial-form").count() == 1
    assert page.locator("#detailed-form, #plan-form, #review-form").count() == 0
    assert page.locator("#form-03, #plans, #form-06").count() == 0
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=out / "02-case-received-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=out / "02-case-received-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # Form 02
    form = page.locator("#initial-form")
    form.get_by_label("Không").check()
    form.get_by_label("Nhận định ban đầu").fill("Trẻ có vết bầm cũ, hiện ở với bà ngoại an toàn.")
    form.get_by_role("button", name="Ghi đánh giá ban đầu").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Đánh giá chi tiết"
    states, current = stepper(page)
    assert states[:3] == ["done", "done", "current"] and "họp ca" in current

    # Form 03: the case meeting, just held.
    now = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).strftime("%Y-%m-%dT%H:%M")
    form = page.locator("#detailed-form")
    form.get_by_label("Nhu cầu của trẻ").fill("Khám sức khỏe, hỗ trợ tâm lý, tiếp tục đi học.")
    form.get_by_label("Hoàn cảnh gia đình").fill("Cha mẹ ly hôn, sống với mẹ và cha dượng.")
    form.get_by_label("Nguy cơ").fill("Cha dượng uống rượu, đã đánh trẻ nhiều lần.")
    form.get_by_label("Điểm mạnh, nguồn lực").fill("Bà ngoại ở gần, sẵn lòng chăm sóc trẻ.")
    form.get_by_label("Thời điểm họp").fill(now)
    form.get_by_label("Địa điểm họp").fill("UBND phường Trấn Biên")
    form.get_by_label("Thành phần tham dự").fill(
        "Võ Thị Hồng Nhung - Công chức\nPhạm Minh Tuấn - Chủ tịch UBND"
    )
    form.get_by_role("button", name="Ghi đánh giá chi tiết").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Lập kế hoạch"
    assert "Bà ngoại ở gần" in page.locator("#form-03").inner_text()  # Form 03 on the page
    states, current = stepper(page)
    assert states[3] == "current" and "Lập kế hoạch" in current

    # Form 04
    form = page.locator("#plan-form")
    form.get_by_label("Mục tiêu").fill("Trẻ an toàn, được khám và tư vấn tâm lý.")
    page.locator("#id_svc-0-kind").select_option("medical")
    page.locator("#id_svc-0-description").fill("Khám sức khỏe tổng quát")
    page.locator("#id_svc-0-organisation").select_option(label="Trạm Y tế Phường Trấn Biên")
    page.locator("#id_svc-0-due_on").fill("2027-12-31")
    form.get_by_role("button", name="Trình Chủ tịch UBND xã phê duyệt").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Chờ phê duyệt"
    states, current = stepper(page)
    assert states[4] == "current" and "Chủ tịch quyết định" in current
    assert page.locator("#approve-form").count() == 0  # the worker cannot approve

    # Form 05: the chairman finds the plan on his to-do list and approves it.
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900})
    chairman = context.new_page()
    login(chairman, base, "chutich.a")
    todo = chairman.get_by_role("link", name=re.compile("Việc cần làm"))
    assert re.search(r"\d", todo.first.inner_text())  # the count in the menu
    todo.first.click()
    chairman.wait_for_url(re.compile(r"/app/cases/todo/$"))
    chairman.screenshot(path=out / "03-chairman-todo.png", full_page=True)
    case_code = case_url.rstrip("/").rsplit("/", 1)[-1]
    chairman.locator(f"#plans-awaiting a[href$='/cases/{case_code}/']").click()
    chairman.wait_for_url(case_url)
    chairman.locator("#approve-form").get_by_label("Số quyết định").fill("15/QĐ-UBND")
    chairman.screenshot(path=out / "04-approval.png", full_page=True)
    chairman.get_by_role("button", name="Phê duyệt kế hoạch").click()
    chairman.wait_for_url(case_url)
    assert chairman.locator("#case-status").inner_text() == "Thực hiện kế hoạch"
    context.close()

    # The service given to the health station became its referral: one entry.
    page.goto(case_url)
    services = page.locator("li.plan-service")
    assert services.count() == 1
    assert "Chuyển gửi: Đã chuyển gửi" in services.first.inner_text()
    # Closing while it is open asks for a reason and names it.
    assert "Còn 1 dịch vụ chưa hoàn thành" in page.locator("#open-services").inner_text()
    services.first.get_by_label("Kết quả").fill("Đã khám ngày 10/12, sức khỏe bình thường.")
    services.first.get_by_role("button", name="Xác nhận hoàn thành").click()
    page.wait_for_url(case_url)
    assert "Hoàn thành" in page.locator("li.plan-service").first.inner_text()
    assert page.locator("#open-services").count() == 0
    page.screenshot(path=out / "05-implementation-1366.png", full_page=True)

    # Form 06: review and close.
    form = page.locator("#review-form")
    form.get_by_label("Kết quả thực hiện kế hoạch").fill("Đã khám; tư vấn 4 buổi.")
    form.get_by_label("Tình trạng hiện tại của trẻ").fill("Trẻ an toàn, đi học đều.")
    form.get_by_label("Đóng ca: trẻ đã an toàn, ổn định").check()
    form.locator("[name=reason]").fill("Trẻ đã an toàn, ổn định.")
    form.get_by_role("button", name="Ghi rà soát").click()
    page.wait_for_url(case_url)
    assert page.locator("#case-status").inner_text() == "Đã đóng"
    states, _current = stepper(page)
    assert states == ["done"] * 7
    assert page.get_by_text("Sửa đánh giá ban đầu").count() == 0  # no edit of a closed case
    page.screenshot(path=out / "06-closed-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=out / "06-closed-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.get_by_role("button", name="Lịch sử ca").click()
    timeline = page.locator("#timeline").inner_text()
    for text in (
        "Tiếp nhận tin báo qua Tổng đài 111",
        "Thành phần tham dự: Võ Thị Hồng Nhung (Công chức); Phạm Minh Tuấn (Chủ tịch UBND)",
        "quyết định số 15/QĐ-UBND",
        "Chuyển gửi dịch vụ chăm sóc y tế đến Trạm Y tế Phường Trấn Biên",
        "Đóng ca",
        "Xem hồ sơ ca",
    ):
        assert text in timeline, text
    page.screenshot(path=out / "07-timeline.png", full_page=True)

    pdf = page.request.get(case_url + "forms/05.pdf")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
