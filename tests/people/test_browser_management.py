"""The pages added for the council's members, a person's account, attendance corrections, a
course's budget line and the "returned for completion" step, walked in headless Chromium.
Screenshots at 1366 and 390 px go to test-artifacts/people/."""

from __future__ import annotations

import datetime
import re

import pytest

from .test_browser import _pdf, session

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _shots(page, out, name: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.screenshot(path=out / f"{name}-1366.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=out / f"{name}-390.png", full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_return_for_completion_and_the_management_pages(e2e_server, browser, artifacts, tmp_path):
    out = artifacts("people")
    base = e2e_server.url
    signed = tmp_path / "bao-cao.pdf"
    signed.write_bytes(_pdf())

    # The commune submits a collective's dossier.
    ctx, page = session(browser, base, "canbo.a")
    page.get_by_role("link", name="Khen thưởng").first.click()
    page.get_by_role("link", name=re.compile("Đồng Nai vì trẻ em")).click()
    page.get_by_role("button", name="Gửi hồ sơ đề nghị khen thưởng").click()
    page.get_by_label("Đơn vị đề nghị").select_option(label="UBND Phường Trấn Biên")
    page.get_by_label("Hình thức khen thưởng").select_option(
        label="Bằng khen của Chủ tịch UBND tỉnh"
    )
    page.get_by_label("Đối tượng").select_option("collective")
    page.get_by_label("Tên tập thể").fill("Chi đoàn Khu phố 3, Phường Trấn Biên")
    page.get_by_label("Chức vụ, đơn vị (in trên bằng)").fill("Phường Trấn Biên")
    page.get_by_label("Thành tích (in trên bằng)").fill(
        "Đã có thành tích xuất sắc trong Tháng hành động vì trẻ em năm 2026"
    )
    page.get_by_label("Báo cáo thành tích", exact=True).fill("Tổ chức 12 buổi sinh hoạt hè.")
    page.get_by_label(re.compile("^Báo cáo thành tích có chữ ký")).set_input_files(str(signed))
    page.get_by_label(re.compile("^Biên bản họp")).set_input_files(str(signed))
    page.get_by_role("button", name="Gửi hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/app/people/awards/nominations/\d+/$"))
    nomination_url = page.url
    ctx.close()

    # The secretariat returns it with what to complete and by when.
    ctx, page = session(browser, base, "chuyenvien")
    page.goto(nomination_url)
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    page.get_by_label("Nội dung cần bổ sung").fill(
        "Bổ sung biên bản họp Hội đồng thi đua của phường có đủ chữ ký; ghi rõ số trẻ em "
        "được hỗ trợ trong năm."
    )
    page.get_by_label("Hạn bổ sung").fill(
        (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    )
    _shots(page, out, "20-nomination-return")
    page.get_by_role("button", name="Trả lại hồ sơ để bổ sung").click()
    page.wait_for_url(nomination_url)
    assert page.get_by_text("Hồ sơ được trả lại để bổ sung").is_visible()

    # The council's members.
    page.goto(f"{base}/app/people/awards/")
    page.get_by_role("button", name="Thành viên Hội đồng").click()
    page.get_by_role("link", name=re.compile("^Hội đồng Thi đua - Khen thưởng")).click()
    _shots(page, out, "21-council-members")

    # Correcting an attendance, and the course's budget line.
    page.goto(f"{base}/app/people/training/")
    page.locator("main table a").first.click()
    _shots(page, out, "22-course-budget-line")
    page.get_by_role("link", name="Sửa").first.click()
    page.get_by_label("Được cấp chứng nhận").click()
    page.get_by_label("Lý do sửa").fill("Bổ sung theo danh sách ký nhận chứng nhận ngày 20/5")
    page.get_by_role("button", name="Lưu lần sửa").click()
    page.wait_for_url(re.compile(r"/app/people/training/\d+/$"))
    page.get_by_role("link", name="Sửa").first.click()
    assert page.locator("ol li", has_text="Bổ sung theo danh sách ký nhận").is_visible()
    _shots(page, out, "23-attendance-correction")
    ctx.close()

    # The unit completes and resubmits; a person is linked to an account.
    ctx, page = session(browser, base, "canbo.a")
    page.goto(nomination_url)
    assert page.get_by_text("Bổ sung biên bản họp").first.is_visible()
    _shots(page, out, "24-nomination-returned")
    page.get_by_role("button", name="Bổ sung và gửi lại").click()
    page.get_by_label("Báo cáo thành tích", exact=True).fill(
        "Tổ chức 12 buổi sinh hoạt hè; hỗ trợ 35 trẻ em có hoàn cảnh khó khăn."
    )
    page.get_by_label(re.compile("^Biên bản họp")).set_input_files(str(signed))
    _shots(page, out, "25-nomination-resubmit")
    page.get_by_role("button", name="Bổ sung hồ sơ và gửi lại").click()
    page.wait_for_url(nomination_url)
    assert page.get_by_text("Đã gửi, chờ Hội đồng xét").first.is_visible()
    page.goto(f"{base}/app/people/staff/")
    page.locator("main table a").first.click()
    page.get_by_role("link", name=re.compile("tài khoản Treem", re.IGNORECASE)).click()
    _shots(page, out, "26-person-account")
    ctx.close()
