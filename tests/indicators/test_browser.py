"""In headless Chromium: a commune officer fills and submits the 2025 report, the province
specialist approves it, and the province dashboard shows the new figure at once. Screenshots of
the dashboards at 1366 and 390 px go to test-artifacts/indicators/."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"
COMMUNE_A = "26041"


def _login(context, base: str, username: str):
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))
    return page


def _figure(page) -> str:
    return page.locator("#figure-value").inner_text().strip()


def test_commune_report_reaches_the_province_dashboard(e2e_server, browser, artifacts):
    out = artifacts("indicators")
    base = e2e_server.url
    wide = {"width": 1366, "height": 900}
    province = browser.new_context(locale="vi-VN", viewport=wide)
    specialist = _login(province, base, "chuyenvien")
    indicator_url = f"{base}/app/indicators/unit/75/i/YT_TIEMCHUNG_U1/?year=2025"
    specialist.goto(indicator_url)
    before = _figure(specialist)
    assert "Phường Trấn Biên" in specialist.locator("#figure").inner_text()  # not reported yet
    specialist.goto(f"{base}/app/indicators/unit/75/?year=2025")
    specialist.wait_for_timeout(500)
    specialist.screenshot(path=out / "01-province-dashboard-1366.png", full_page=True)

    commune = browser.new_context(locale="vi-VN", viewport=wide)
    officer = _login(commune, base, "canbo.a")
    officer.goto(f"{base}/app/indicators/reports/")
    officer.get_by_role("button", name="Mở báo cáo").click()
    officer.wait_for_url(re.compile(r"/app/indicators/reports/\d+/$"))
    report_url = officer.url
    for cell in officer.locator("input[name$='|||n']").all():
        cell.fill("180")
    for cell in officer.locator("input[name$='|||d']").all():
        cell.fill("200")
    # One bad cell first: nothing is saved, the cell is named.
    officer.locator("input[name='c|KS_DUOI5|||n']").fill("250")
    officer.get_by_role("button", name="Lưu báo cáo").click()
    assert "lớn hơn mẫu số" in officer.content()
    officer.locator("input[name='c|KS_DUOI5|||n']").fill("190")
    officer.get_by_role("button", name="Lưu báo cáo").click()
    officer.wait_for_load_state()
    officer.screenshot(path=out / "02-commune-report-1366.png", full_page=True)
    officer.get_by_role("button", name="Gửi báo cáo").click()
    officer.wait_for_url(report_url)
    assert "Đã gửi, chờ duyệt" in officer.content()

    specialist.goto(report_url)
    specialist.get_by_role("button", name="Duyệt").click()
    specialist.wait_for_url(report_url)
    assert "Đã duyệt" in specialist.content()
    specialist.goto(indicator_url)
    after = _figure(specialist)
    assert after != before
    assert "Phường Trấn Biên" not in specialist.locator("#figure").inner_text()
    specialist.screenshot(path=out / "03-indicator-after-approval-1366.png", full_page=True)

    leader_ctx = browser.new_context(locale="vi-VN", viewport={"width": 390, "height": 844})
    leader = _login(leader_ctx, base, "lanhdao")
    leader.goto(f"{base}/app/indicators/unit/75/?year=2025")
    leader.wait_for_timeout(500)
    leader.screenshot(path=out / "04-leader-dashboard-390.png", full_page=True)
    leader.goto(indicator_url)
    leader.wait_for_timeout(500)
    leader.screenshot(path=out / "05-indicator-390.png", full_page=True)
    officer.set_viewport_size({"width": 390, "height": 844})
    officer.goto(report_url)
    officer.screenshot(path=out / "06-commune-report-390.png", full_page=True)
    for ctx in (province, commune, leader_ctx):
        ctx.close()
