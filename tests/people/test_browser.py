"""A nomination walked to a decision in headless Chromium: the commune submits it (a first try
without the achievement report is refused), the provincial specialist puts it before the council,
the three members vote, the votes are counted, the decision is recorded and its certificate
printed. Screenshots at 1366 and 390 px go to test-artifacts/people/."""

from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PASSWORD = "Treem-demo-2026"


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.drawString(72, 720, "Bao cao thanh tich co chu ky")
    c.save()
    return buffer.getvalue()


def session(browser, base: str, username: str, width: int = 1366):
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/"))
    return context, page


def test_nomination_walked_to_decision_and_certificate(e2e_server, browser, artifacts, tmp_path):
    out = artifacts("people")
    base = e2e_server.url
    report = tmp_path / "bao-cao-thanh-tich.pdf"
    report.write_bytes(_pdf())
    minutes = tmp_path / "bien-ban-hop.pdf"
    minutes.write_bytes(_pdf())

    # 1. The commune submits; the first try without a report is refused with the typed text kept.
    ctx, page = session(browser, base, "canbo.a")
    page.get_by_role("link", name="Khen thưởng").first.click()
    page.get_by_role("link", name=re.compile("Đồng Nai vì trẻ em")).click()
    page.get_by_role("button", name="Gửi hồ sơ đề nghị khen thưởng").click()
    page.get_by_label("Đơn vị đề nghị").select_option(label="UBND Phường Trấn Biên")
    page.get_by_label("Hình thức khen thưởng").select_option(
        label="Bằng khen của Chủ tịch UBND tỉnh"
    )
    page.get_by_label("Đối tượng").select_option("individual")
    page.get_by_label("Cá nhân (trong danh sách nhân lực)").select_option(label="Lương Thị Hoa")
    page.get_by_label("Chức vụ, đơn vị (in trên bằng)").fill(
        "Cộng tác viên Khu phố 3, Phường Trấn Biên"
    )
    page.get_by_label("Thành tích (in trên bằng)").fill(
        "Đã có thành tích xuất sắc trong Tháng hành động vì trẻ em năm 2026"
    )
    page.get_by_label(re.compile("^Báo cáo thành tích có chữ ký")).set_input_files(str(report))
    page.get_by_label(re.compile("^Biên bản họp")).set_input_files(str(minutes))
    page.get_by_role("button", name="Gửi hồ sơ", exact=True).click()
    assert page.get_by_text("Hồ sơ chưa có báo cáo thành tích").is_visible()
    assert page.get_by_label("Thành tích (in trên bằng)").input_value().startswith("Đã có")
    page.screenshot(path=out / "10-nomination-refused-1366.png", full_page=True)
    page.get_by_label("Báo cáo thành tích", exact=True).fill(
        "Vận động 100% trẻ em khu phố đến trường; phát hiện, báo tin kịp thời 3 vụ việc."
    )
    page.get_by_label(re.compile("^Báo cáo thành tích có chữ ký")).set_input_files(str(report))
    page.get_by_label(re.compile("^Biên bản họp")).set_input_files(str(minutes))
    page.get_by_role("button", name="Gửi hồ sơ", exact=True).click()
    page.wait_for_url(re.compile(r"/app/people/awards/nominations/\d+/$"))
    assert page.get_by_text("Đã gửi, chờ Hội đồng xét").first.is_visible()
    page.screenshot(path=out / "11-nomination-submitted-1366.png", full_page=True)
    ctx.close()

    # 2. The province puts it before the council.
    ctx, page = session(browser, base, "chuyenvien")
    page.goto(f"{base}/app/people/awards/")
    page.get_by_role("button", name="Mở phiên họp Hội đồng").click()
    page.get_by_label("Hội đồng").select_option(index=1)
    page.get_by_label("Ngày họp").fill("2027-01-15")
    page.get_by_label("Địa điểm").fill("Phòng họp số 2, UBND tỉnh")
    page.get_by_label(re.compile("Lương Thị Hoa")).check()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/app/people/awards/meetings/\d+/$"))
    meeting_url = page.url
    page.get_by_role("button", name="Đồng ý khen thưởng Lương Thị Hoa", exact=True).click()
    assert page.get_by_text("Đã bỏ phiếu").first.is_visible()
    ctx.close()

    # 3. The other two members vote; someone off the council sees no ballot.
    for username in ("lanhdao", "hoidong.1"):
        ctx, page = session(browser, base, username)
        page.goto(meeting_url)
        page.get_by_role("button", name="Đồng ý khen thưởng Lương Thị Hoa", exact=True).click()
        assert page.get_by_text("Đã ghi phiếu của bạn").is_visible()
        ctx.close()
    ctx, page = session(browser, base, "canbo.a")
    assert page.goto(meeting_url).status == 403
    ctx.close()

    # 4. Count, decide, print.
    ctx, page = session(browser, base, "chuyenvien")
    page.goto(meeting_url)
    page.screenshot(path=out / "12-meeting-1366.png", full_page=True)
    page.get_by_role("button", name="Kết thúc bỏ phiếu và kiểm phiếu").click()
    assert page.get_by_text("1 đối tượng đạt").is_visible()
    page.get_by_role("button", name="Ghi quyết định khen thưởng").click()
    page.get_by_label("Số, ký hiệu").fill("35/QĐ-UBND")
    page.get_by_label("Ngày ký").fill("2027-01-25")
    page.get_by_label(re.compile("^Người ký")).fill("Lê Quang Minh")
    page.get_by_label("Chức vụ người ký").fill("Chủ tịch")
    page.get_by_label("Hình thức khen thưởng").select_option(
        label="Bằng khen của Chủ tịch UBND tỉnh"
    )
    assert page.get_by_label(re.compile("Lương Thị Hoa")).is_checked()
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/app/people/awards/decisions/\d+/$"))
    assert page.get_by_role("heading", name="Quyết định số 35/QĐ-UBND").is_visible()
    page.screenshot(path=out / "13-decision-1366.png", full_page=True)
    pdf_url = page.get_by_role("button", name="In bằng khen (PDF)").get_attribute("href")
    response = page.request.get(base + pdf_url)
    assert response.status == 200
    pdf_path = out / "certificate.pdf"
    pdf_path.write_bytes(response.body())
    from pypdf import PdfReader

    text = PdfReader(str(pdf_path)).pages[0].extract_text()
    assert "Lương Thị Hoa" in text and "Quyết định số 35/QĐ-UBND" in text
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "80",
                "-singlefile",
                str(pdf_path),
                str(out / "certificate"),
            ],
            check=True,
        )
    for path, name in (
        ("/app/people/", "coverage"),
        ("/app/people/staff/", "staff"),
        ("/app/people/awards/history/", "history"),
    ):
        page.goto(base + path)
        page.screenshot(path=out / f"20-{name}-1366.png", full_page=True)
    ctx.close()
    ctx, page = session(browser, base, "chuyenvien", width=390)
    for path, name in (
        ("/app/people/", "coverage"),
        ("/app/people/staff/", "staff"),
        (meeting_url.replace(base, ""), "meeting"),
        ("/app/people/awards/history/", "history"),
    ):
        page.goto(base + path)
        page.screenshot(path=out / f"21-{name}-390.png", full_page=True)
    ctx.close()
