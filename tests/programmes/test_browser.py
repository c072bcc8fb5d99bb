"""In headless Chromium: the province's specialist creates a plan and assigns a task to the ward
police; the police officer reports progress on it; the specialist sees the progress on the plan,
on the board and in the plan report. Screenshots of the main pages at 1366 and 390 px."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))


def shots(page, out, name: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=out / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_plan_created_agency_reports_and_province_sees_it(e2e_server, page, artifacts):
    out = artifacts("programmes")
    base = e2e_server.url
    login(page, base, "chuyenvien")
    page.get_by_role("link", name="Kế hoạch").first.click()
    page.wait_for_url(re.compile(r"/app/programmes/$"))
    shots(page, out, "01-board")

    page.get_by_role("button", name="Lập kế hoạch").first.click()
    page.get_by_label("Tên kế hoạch").fill("Kế hoạch phòng, chống xâm hại trẻ em năm 2026")
    page.get_by_label("Số, ký hiệu").fill("88/KH-UBND")
    page.locator("#id_level").select_option("province")
    page.get_by_label("Từ năm").fill("2026")
    page.get_by_label("Đến năm").fill("2026")
    page.get_by_label("Ngày bắt đầu").fill("2026-01-01")
    page.get_by_label("Ngày kết thúc").fill("2026-12-31")
    page.get_by_label("Mục tiêu").fill(
        "Giảm số trẻ em bị xâm hại; 100% trường học có tuyên truyền."
    )
    shots(page, out, "02-plan-form")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(r"/app/programmes/plans/\d+/$"))
    plan_url = page.url

    # A due date before the plan starts is refused with a clear message.
    page.get_by_role("button", name="Giao nhiệm vụ").click()
    page.locator("#id_title").fill("Tuyên truyền phòng, chống xâm hại tại trường học")
    page.get_by_label("Cơ quan chủ trì").select_option(label="Công an Phường Trấn Biên")
    page.get_by_label("Hạn hoàn thành").fill("2025-12-20")
    page.get_by_role("button", name="Lưu", exact=True).click()
    assert "trước ngày bắt đầu kế hoạch" in page.content()
    page.get_by_label("Hạn hoàn thành").fill("2026-12-18")
    shots(page, out, "03-task-form")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(plan_url)
    assert "Tuyên truyền phòng, chống xâm hại tại trường học" in page.content()
    shots(page, out, "04-plan")

    # The police officer reports.
    login(page, base, "doitac")
    page.goto(f"{base}/app/programmes/tasks/")
    assert "Kiểm tra an toàn trường học" not in page.content()  # another agency's task
    page.get_by_role("link", name="Tuyên truyền phòng, chống xâm hại tại trường học").click()
    page.get_by_label("Kỳ báo cáo").select_option(label="Quý 4/2026")
    page.get_by_label("Tình trạng").select_option("in_progress")
    page.get_by_label("Tỷ lệ hoàn thành (%)").fill("60")
    page.get_by_label("Kết quả thực hiện trong kỳ").fill("Tuyên truyền tại 6 trường tiểu học.")
    page.get_by_label("Số liệu đạt được 1 – nội dung").fill("Số học sinh được tuyên truyền")
    page.get_by_label("Số liệu 1 – số").fill("1450")
    shots(page, out, "05-progress-form")
    page.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_url(re.compile(r"/app/programmes/tasks/\d+/$"))
    assert page.locator("#task-status").inner_text() == "Đang thực hiện (60%)"
    shots(page, out, "06-task-reported")

    # The province sees it.
    login(page, base, "chuyenvien")
    page.goto(plan_url)
    assert "Đang thực hiện (60%)" in page.content()
    page.get_by_role("button", name="Báo cáo sơ kết, tổng kết").click()
    assert "Số học sinh được tuyên truyền" in page.content()
    assert "1.450" in page.content()
    shots(page, out, "07-plan-report")
    page.goto(f"{base}/app/programmes/?year=2026")
    agency = page.locator("#by-agency + .prog-table")
    assert "Công an Phường Trấn Biên" in agency.inner_text()
    for path, name in [
        ("/app/programmes/budget/?year=2026", "08-budget"),
        ("/app/programmes/communication/?year=2026", "09-communication"),
        ("/app/programmes/documents/", "10-documents"),
    ]:
        page.goto(base + path)
        shots(page, out, name)
    page.get_by_role("link", name="Chỉ thị 28-CT/TW").click()
    assert "20-CT/TW" in page.content()
    shots(page, out, "11-document")
