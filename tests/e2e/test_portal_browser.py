"""The public portal in headless Chromium: read an article, rate it, comment, report a concern."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ARTICLE = "/bai-viet/cham-soc-tre-so-sinh-trong-thang-dau/"
# The portal refuses a form sent sooner than PortalSettings.min_fill_seconds (3 by default) after it
# was rendered, counted in whole seconds on the server: one more second of margin.
MIN_FILL_MS = 4000


def _shown_at(page) -> float:
    return page.evaluate("Date.now()")


def _wait_until_form_may_be_sent(page, shown_at: float) -> None:
    """Wait for the condition the server checks (the form is old enough), only for what remains
    of it after the test has filled the form, instead of a fixed sleep."""
    page.wait_for_function(f"() => Date.now() >= {shown_at + MIN_FILL_MS}")


def test_reader_reads_rates_and_comments(e2e_server, page, artifacts):
    out = artifacts("portal")
    page.goto(f"{e2e_server.url}/")
    expect(page.get_by_role("link", name="111").first).to_be_visible()
    page.get_by_role("link", name="Chăm sóc trẻ sơ sinh trong tháng đầu").first.click()
    page.wait_for_url(re.compile(re.escape(ARTICLE) + "$"))
    expect(
        page.get_by_role("heading", level=1, name="Chăm sóc trẻ sơ sinh trong tháng đầu")
    ).to_be_visible()
    shown_at = _shown_at(page)
    page.screenshot(path=out / "01-read-article.png", full_page=True)

    # Rate: htmx swaps the rating block in place, no page reload.
    page.evaluate("window.__noReload = true")
    before = page.get_by_test_id("rating-count").inner_text()
    votes_before = int(before.split()[0])
    page.get_by_role("button", name="4 sao").click()
    page.get_by_text("Cảm ơn bạn đã đánh giá!").wait_for()
    assert page.evaluate("window.__noReload") is True
    after = int(page.get_by_test_id("rating-count").inner_text().split()[0])
    assert after == votes_before + 1
    expect(page.get_by_text("Bạn đã chấm 4 sao")).to_be_visible()
    page.locator("#danh-gia").screenshot(path=out / "02-rated.png")

    # Re-vote changes the vote, not the count.
    page.get_by_role("button", name="5 sao").click()
    page.get_by_text("Đã cập nhật đánh giá của bạn.").wait_for()
    assert int(page.get_by_test_id("rating-count").inner_text().split()[0]) == after

    # Comment: the first comment of an email is held for moderation.
    page.get_by_label("Nội dung bình luận").fill("Cảm ơn bài viết, rất dễ hiểu.")
    page.locator("#id_author_name").fill("Chị Hạnh")
    page.get_by_role("textbox", name="Email").fill("hanh.e2e@example.org")
    _wait_until_form_may_be_sent(page, shown_at)
    page.get_by_role("button", name="Gửi bình luận").click()
    page.get_by_text("Bình luận sẽ hiện sau khi được kiểm duyệt").wait_for()
    assert "hanh.e2e@example.org" not in page.content()
    page.screenshot(path=out / "03-commented.png", full_page=True)


def test_visitor_reports_a_concern_and_tracks_it(e2e_server, page, artifacts):
    out = artifacts("portal")
    page.goto(f"{e2e_server.url}/")
    page.get_by_role("link", name="Báo tin về trẻ em").first.click()
    page.wait_for_url(re.compile(r"/bao-tin/$"))
    shown_at = _shown_at(page)
    page.get_by_label("Chuyện gì đã xảy ra?").fill(
        "Một bé trai khoảng 6 tuổi thường bị bỏ đói, ở nhà một mình cả ngày."
    )
    assert page.get_by_label("Tỉnh, thành phố").input_value() == "75"
    page.get_by_label("Xã, phường").select_option(label="Phường Trấn Biên")
    # htmx replaced the village list with the villages of the chosen ward.
    page.locator("#id_village option", has_text="Khu phố 2").wait_for(state="attached")
    page.get_by_label("Thôn, ấp, khu phố").select_option(label="Khu phố 2")
    page.get_by_label("Tên hoặc đặc điểm của trẻ (nếu biết)").fill("Bé trai, gầy, hay mặc áo xanh")
    page.get_by_label("Tôi muốn báo tin ẩn danh").check()
    page.screenshot(path=out / "04-concern-form.png", full_page=True)
    _wait_until_form_may_be_sent(page, shown_at)
    page.get_by_role("button", name="Gửi tin báo").click()
    page.wait_for_url(re.compile(r"/bao-tin/da-gui/"))
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    page.screenshot(path=out / "05-concern-received.png", full_page=True)

    page.goto(f"{e2e_server.url}/tra-cuu/")
    page.get_by_label("Mã theo dõi").fill(code.lower())
    page.get_by_role("button", name="Tra cứu").click()
    status = page.get_by_test_id("tracking-status").inner_text()
    assert "Đã tiếp nhận" in status
    html = page.content()
    assert "bỏ đói" not in html and "Trấn Biên" not in html.split("tracking-status")[1]
    page.screenshot(path=out / "06-tracking.png", full_page=True)
