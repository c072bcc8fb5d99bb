"""In headless Chromium: the dashboard filters (part of the year, special-circumstance group)
and the review page's "generating" banner that htmx replaces by the download link, after which
the polling stops. Screenshots at 1366 and 390 px of the pages changed go to
test-artifacts/indicators/."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"
WIDE = {"width": 1366, "height": 900}
NARROW = {"width": 390, "height": 844}


def _login(context, base: str, username: str):
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))
    return page


def _shots(page, out, name: str) -> None:
    for label, size in (("1366", WIDE), ("390", NARROW)):
        page.set_viewport_size(size)
        page.wait_for_timeout(300)
        page.screenshot(path=out / f"{name}-{label}.png", full_page=True)
    page.set_viewport_size(WIDE)


def test_dashboard_filters_by_quarter_and_circumstance_group(e2e_server, browser, artifacts):
    out = artifacts("indicators")
    base = e2e_server.url
    ctx = browser.new_context(locale="vi-VN", viewport=WIDE)
    page = _login(ctx, base, "chuyenvien")
    page.goto(f"{base}/app/indicators/unit/75/i/TE_HCDB/?year=2025")
    total = page.locator("#figure-value").inner_text().strip()
    form = page.locator("#filters")
    form.get_by_label("Nhóm hoàn cảnh đặc biệt").select_option("d")
    form.get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r"circumstance=d"))
    assert page.locator("#filters select[name=circumstance]").input_value() == "d"
    disabled = page.locator("#figure-value").inner_text().strip()
    as_int = lambda s: int(s.replace(".", "")) if s.replace(".", "").isdigit() else 0  # noqa: E731
    assert as_int(disabled) <= as_int(total)
    page.locator("#filters").get_by_label("Kỳ").select_option("Q2")
    page.locator("#filters").get_by_role("button", name="Xem").click()
    page.wait_for_url(re.compile(r"part=Q2"))
    body = page.content()
    assert "Quý II/2025" in body and "Quý IV/2025" in body  # the quarters of the year
    assert "circumstance=d" in page.url  # the other filter is kept
    _shots(page, out, "10-indicator-filtered")
    page.goto(f"{base}/app/indicators/unit/75/?year=2025&part=Q2")
    assert "Quý II/2025" in page.locator("h1").inner_text()
    _shots(page, out, "11-dashboard-quarter")
    ctx.close()


def test_generating_banner_gives_way_to_the_download_link_and_polling_stops(
    e2e_server, browser, artifacts
):
    out = artifacts("indicators")
    base = e2e_server.url
    job_id = (
        e2e_server.manage(
            "shell",
            "-c",
            "from treem.indicators.models import ReviewReportJob as J;"
            "from treem.accounts.models import User;"
            "j=J.objects.create(unit_code='75',year_from=2020,year_to=2022,fmt='xlsx',"
            "status='running',progress=40,requested_by=User.objects.get(username='chuyenvien'));"
            "print(j.pk)",
        )
        .strip()
        .splitlines()[-1]
    )  # the shell may first say how many models it imported
    ctx = browser.new_context(locale="vi-VN", viewport=WIDE)
    page = _login(ctx, base, "chuyenvien")
    page.goto(f"{base}/app/indicators/review/?unit=75&from=2020&to=2022")
    assert page.locator("#review-generating").is_visible()
    _shots(page, out, "12-review-generating")
    e2e_server.manage(
        "shell",
        "-c",
        "from django.core.files.base import ContentFile;"
        "from treem.indicators.models import ReviewReportJob as J;"
        f"j=J.objects.get(pk={job_id});"
        "j.file.save('bao-cao.xlsx', ContentFile(b'PK'), save=False);"
        "j.status='done';j.progress=100;j.save()",
    )
    page.locator("#review-ready").wait_for(state="visible", timeout=15000)
    assert page.locator("#review-generating").count() == 0
    polls: list[str] = []
    page.on("request", lambda r: polls.append(r.url) if "jobs=1" in r.url else None)
    page.wait_for_timeout(5000)
    assert polls == []  # the fragment came back without its trigger: htmx stopped
    assert (
        page.locator("#review-ready a")
        .get_attribute("href")
        .endswith(f"/review/{job_id}/download/")
    )
    # The unit is chosen by name, not typed as a code.
    options = page.locator("select[name=unit] option").all_inner_texts()
    assert options[0] == "Tỉnh Đồng Nai" or "Đồng Nai" in options[0]
    assert len(options) > 50
    _shots(page, out, "13-review-ready")
    ctx.close()


def test_pages_changed_by_the_walkthrough_fixes(e2e_server, browser, artifacts):
    out = artifacts("indicators")
    base = e2e_server.url
    ctx = browser.new_context(locale="vi-VN", viewport=WIDE)
    page = _login(ctx, base, "chuyenvien")
    page.goto(f"{base}/app/indicators/reports/?period=2024")
    assert "Quá hạn" in page.content()
    _shots(page, out, "14-reports-overdue")
    page.goto(f"{base}/app/indicators/child-friendly/?year=2025")
    _shots(page, out, "15-child-friendly")
    page.goto(f"{base}/app/indicators/catalogue/")
    _shots(page, out, "16-catalogue-targets")
    officer = _login(browser.new_context(locale="vi-VN", viewport=WIDE), base, "canbo.a")
    officer.goto(f"{base}/app/indicators/child-friendly/26041/?year=2025")
    assert "0.00" not in officer.locator("table").inner_text()
    _shots(officer, out, "17-evaluation")
    ctx.close()
