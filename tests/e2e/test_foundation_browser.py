import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_officer_logs_in_and_sees_dashboard_counts_for_their_commune(e2e_server, page, artifacts):
    out = artifacts("foundation")
    page.goto(f"{e2e_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("canbo.a")
    page.get_by_label("Mật khẩu").fill("Treem-demo-2026")
    page.screenshot(path=out / "01-login.png", full_page=True)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    assert "Phường Trấn Biên" in page.content()
    page.screenshot(path=out / "02-dashboard.png", full_page=True)


def test_admin_must_pass_totp_second_factor(e2e_server, page, artifacts):
    out = artifacts("foundation")
    page.goto(f"{e2e_server.url}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill("admin")
    page.get_by_label("Mật khẩu").fill("Treem-demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/accounts/login/token/$"))
    page.get_by_label("Mã xác thực 6 chữ số").fill(e2e_server.manage("demo_totp").strip())
    page.screenshot(path=out / "03-totp.png", full_page=True)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url(re.compile(r"/app/$"))
    page.get_by_role("link", name="Người dùng").click()
    expect(page.get_by_role("link", name="canbo.a")).to_be_visible()
    page.screenshot(path=out / "04-users.png", full_page=True)
