"""From the entitlement scan to the first payment list in headless Chromium: the commune worker
finds a child, opens a dossier, attaches the documents, records the council's review and the
posting; the chairman decides; the worker prepares the month's list; the chairman approves it.
Screenshots at 1366 and 390 px wide, and the payment list's PDF rendered to PNG."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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


def test_dossier_to_first_payment_list(e2e_server, browser, page, artifacts, tmp_path):
    out = artifacts("assistance")
    base = e2e_server.url
    today = dt.date.today()
    login(page, base, "canbo.a")
    page.get_by_role("link", name="Trợ cấp xã hội").first.click()
    page.wait_for_url(re.compile(r"/app/assistance/$"))
    shots(page, out, "01-index")

    page.get_by_role("button", name="Rà soát đối tượng").click()
    shots(page, out, "02-scan")
    first = page.get_by_role("button", name="Lập hồ sơ").first
    child_row = first.locator("xpath=ancestor::tr")
    child_name = child_row.locator("td").first.inner_text().strip()
    first.click()
    page.wait_for_url(re.compile(r"/dossiers/new/"))
    page.get_by_label("Người làm đơn").fill("Nguyễn Thị Hạnh")
    page.get_by_label("Quan hệ với trẻ").fill("Bà nội")
    page.get_by_label("Ngày nộp đơn").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_label("Trẻ em không có nguồn nuôi dưỡng (Điều 5 khoản 1)").check()
    page.get_by_label("Hình thức nhận tiền").select_option("bank")
    page.get_by_label("Ngân hàng").fill("Agribank")
    page.get_by_label("Số tài khoản").fill("5900 2050 1234")
    shots(page, out, "03-dossier-new")
    page.get_by_role("button", name="Lập hồ sơ").click()
    page.wait_for_url(re.compile(r"/dossiers/\d+/$"))
    dossier_url = page.url
    assert "Còn thiếu" in page.content()

    for kind in (
        "Tờ khai đề nghị trợ giúp xã hội",
        "Giấy khai sinh",
        "Giấy tờ chứng minh hoàn cảnh",
    ):
        page.get_by_label("Loại giấy tờ").select_option(label=kind)
        page.get_by_label("Tệp (PDF, JPEG, PNG)").set_input_files(
            {"name": "giay-to.pdf", "mimeType": "application/pdf", "buffer": PDF}
        )
        page.get_by_role("button", name="Đính kèm", exact=True).click()
        page.wait_for_url(dossier_url)
    assert "Còn thiếu" not in page.content()

    page.get_by_label("Ngày họp Hội đồng xét duyệt").fill(
        (today - dt.timedelta(days=25)).isoformat()
    )
    page.get_by_label("Kết luận").fill("Đủ điều kiện theo Điều 5 khoản 1.")
    page.get_by_label("Biên bản họp Hội đồng (PDF, ảnh)").set_input_files(
        {"name": "bien-ban.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Hội đồng xét duyệt").click()
    page.wait_for_url(dossier_url)
    page.get_by_label("Ngày niêm yết").fill((today - dt.timedelta(days=20)).isoformat())
    page.get_by_role("button", name="Niêm yết công khai").click()
    page.wait_for_url(dossier_url)
    assert "Đang niêm yết công khai" in page.content()
    code = page.locator("code").first.inner_text()

    login(page, base, "chutich.a")
    page.goto(dossier_url)
    page.get_by_label("Số quyết định").fill("125/QĐ-UBND")
    page.get_by_label("Ngày ký").fill(today.isoformat())
    page.get_by_label("Người ký").fill("Phạm Minh Tuấn")
    page.get_by_role("button", name="Quyết định trợ cấp").click()
    page.wait_for_url(dossier_url)
    assert "Đã có quyết định trợ cấp" in page.content()
    shots(page, out, "04-dossier-decided")

    login(page, base, "canbo.a")
    page.get_by_role("link", name="Trợ cấp xã hội").first.click()
    page.get_by_label("Tháng").fill(today.strftime("%Y-%m"))
    page.get_by_role("button", name="Lập danh sách tháng").click()
    page.wait_for_url(re.compile(r"/lists/\d+/$"))
    list_url = page.url
    assert child_name in page.content()
    shots(page, out, "05-payment-list-draft")

    login(page, base, "chutich.a")
    page.goto(list_url)
    page.get_by_role("button", name="Phê duyệt và khoá danh sách").click()
    page.wait_for_url(list_url)
    assert "Đã phê duyệt. Danh sách đã khoá." in page.content()
    shots(page, out, "06-payment-list-approved")

    # The list's PDF, rendered to PNG to be looked at.
    pdf = page.request.get(list_url + "export.pdf").body()
    assert pdf.startswith(b"%PDF")
    (out / "07-payment-list.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            str(out / "07-payment-list.pdf"),
            str(out / "07-payment-list"),
        ],
        check=True,
    )

    # Province view and public tracking.
    login(page, base, "chuyenvien")
    page.goto(f"{base}/app/assistance/province/")
    shots(page, out, "08-province")
    page.context.clear_cookies()
    page.goto(f"{base}/app/assistance/track/")
    page.get_by_label("Mã tra cứu hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    assert "Đã có quyết định trợ cấp" in page.content()
    assert child_name not in page.content()
    shots(page, out, "09-track")
