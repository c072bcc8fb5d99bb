"""The public portal in headless Chromium: read an article, rate it, comment, report a concern."""

import re
from pathlib import Path

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


# --- Issue 15: page cache seen from a browser, accessibility, screenshots ---------------------

AXE = (
    Path(__file__).resolve().parents[2] / "treem" / "static" / "vendor" / "axe-core" / "axe.min.js"
)
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))
  }));
}"""


def serious_violations(page) -> list[dict]:
    """axe-core, injected in the test only (never served to readers)."""
    page.add_script_tag(path=str(AXE))
    return [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("serious", "critical")]


def _rating_count(page) -> int:
    return int(page.get_by_test_id("rating-count").inner_text().split()[0])


def _tracking_code(e2e_server) -> str:
    script = (
        "from treem.portal import services; from treem.geo.models import Commune; "
        "from treem.portal.security import concern_form_token; "
        "c = services.concern_submit(what_happened='Trẻ bị bỏ đói nhiều ngày', "
        "commune=Commune.objects.get(code='26041'), is_anonymous=True, "
        "ip_address='192.0.2.77', form_token=concern_form_token()); print(c.tracking_code)"
    )
    return e2e_server.manage("shell", "-c", script).strip().splitlines()[-1]


def _send_comment(page) -> None:
    """Send the comment form; every browser here shares 127.0.0.1, so the flood rule may ask to
    wait a few seconds after another test's comment: wait as asked, then send again.

    The answer is read from the server's response to this click, never from the page: a message
    still on the page from the previous attempt would otherwise be taken for the new answer (and a
    second click on the emptied form, after a held comment, replaces the thanks with errors)."""
    held = page.get_by_text("Bình luận sẽ hiện sau khi được kiểm duyệt")
    for _attempt in range(4):
        with page.expect_response(
            lambda r: r.request.method == "POST" and "/binh-luan/" in r.url
        ) as sent:
            page.get_by_role("button", name="Gửi bình luận").click()
        body = sent.value.text()
        if "Bình luận sẽ hiện sau khi được kiểm duyệt" in body:
            held.first.wait_for()
            return
        answer = re.search(r"đợi (\d+) giây", body)
        assert answer is not None, "the comment was neither held nor asked to wait"
        page.wait_for_timeout((int(answer.group(1)) + 1) * 1000)
    raise AssertionError("the flood rule still refused the comment after four attempts")


# This test runs three browsers against one server on a shared machine: every wait is for a
# condition (a text, a URL, a response), with a generous limit, never a fixed pause.
PATIENT_MS = 60_000


def _patient_context(browser):
    context = browser.new_context(locale="vi-VN")
    context.set_default_timeout(PATIENT_MS)
    context.set_default_navigation_timeout(PATIENT_MS)
    return context


def test_cached_article_shows_a_new_vote_and_an_approved_comment_at_once(
    e2e_server, browser, artifacts
):
    out = artifacts("portal")
    url = f"{e2e_server.url}{ARTICLE}"
    reader = _patient_context(browser)
    voter = _patient_context(browser)
    staff = None
    try:
        page = reader.new_page()
        response = page.goto(url)
        page.reload()
        # Anonymous readers get the page from the cache.
        assert page.evaluate("document.cookie").count("sessionid") == 0
        response = page.goto(url)
        assert response.headers.get("x-page-cache") == "hit"
        before = _rating_count(page)

        other = voter.new_page()
        other.goto(url)
        other.get_by_role("button", name="2 sao").click()
        other.get_by_text("Cảm ơn bạn đã đánh giá!").wait_for()

        # The reader's very next request shows the vote: no retry, no wait.
        response = page.goto(url)
        assert _rating_count(page) == before + 1
        assert response.headers.get("x-page-cache") == "miss"

        # The voter's own vote on the page every reader gets (the same cached bytes): shown by the
        # page's script from this browser's memory of the vote.
        other.goto(url)
        expect(other.get_by_text("Bạn đã chấm 2 sao")).to_be_visible()
        expect(other.get_by_role("button", name="2 sao")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_text("Bạn đã chấm")).to_have_count(0)  # the other reader: no vote

        # A comment held for moderation, then approved by the moderator through the pages.
        shown_at = _shown_at(other)
        other.get_by_label("Nội dung bình luận").fill("Bài viết giúp tôi chăm con tốt hơn.")
        other.locator("#id_author_name").fill("Chị Thu Trang")
        other.get_by_role("textbox", name="Email").fill("thutrang.e2e@example.org")
        _wait_until_form_may_be_sent(other, shown_at)  # a moderation rule: minimum fill time
        _send_comment(other)
        page.goto(url)
        assert "Bài viết giúp tôi chăm con tốt hơn." not in page.content()
        comments_before = int(page.get_by_test_id("comment-count").inner_text().split()[0])

        staff = _patient_context(browser)
        moderator = staff.new_page()
        moderator.goto(f"{e2e_server.url}/accounts/login/")
        moderator.get_by_label("Tên đăng nhập").fill("kiemduyet")
        moderator.get_by_label("Mật khẩu").fill("Treem-demo-2026")
        moderator.get_by_role("button", name="Đăng nhập").click()
        moderator.wait_for_url(lambda u: "/accounts/login/" not in u)
        moderator.goto(f"{e2e_server.url}/quan-tri/binh-luan/")
        row = moderator.locator("tr", has_text="Chị Thu Trang")
        row.get_by_role("checkbox").check()
        # Wait for the server's answer to the approval, not for a while.
        with moderator.expect_response(
            lambda r: r.request.method == "POST" and "/quan-tri/binh-luan/" in r.url
        ) as approval:
            moderator.get_by_role("button", name="Duyệt", exact=True).click()
        assert approval.value.status in (200, 302, 303)
        moderator.wait_for_load_state()
        # Signed-in staff bypass the cache.
        staff_view = moderator.goto(url)
        assert staff_view.headers.get("x-page-cache") is None

        page.goto(url)
        assert page.get_by_text("Bài viết giúp tôi chăm con tốt hơn.").is_visible()
        assert int(page.get_by_test_id("comment-count").inner_text().split()[0]) == (
            comments_before + 1
        )
        page.screenshot(path=out / "10-cache-invalidated.png", full_page=True)
    finally:
        reader.close()
        voter.close()
        if staff is not None:
            staff.close()


PAGES = [
    ("home", "/"),
    ("category", "/chuyen-muc/{category}/"),
    ("article", ARTICLE),
    ("search", "/tim-kiem/?q=cham+soc+tre"),
    ("concern-form", "/bao-tin/"),
]


@pytest.mark.parametrize("width", [1366, 390])
def test_public_pages_have_no_serious_accessibility_violation(
    e2e_server, browser, artifacts, width
):
    out = artifacts("portal")
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    try:
        page.goto(f"{e2e_server.url}/")
        category = page.locator(".category-nav a").first.get_attribute("href").split("/")[-2]
        found = {}
        for name, path in PAGES:
            page.goto(e2e_server.url + path.format(category=category))
            page.wait_for_load_state("networkidle")
            found[name] = serious_violations(page)
            page.screenshot(path=out / f"a11y-{name}-{width}.png", full_page=True)
        page.goto(f"{e2e_server.url}/tra-cuu/")
        page.get_by_label("Mã theo dõi").fill(_tracking_code(e2e_server))
        page.get_by_role("button", name="Tra cứu").click()
        page.get_by_test_id("tracking-steps").wait_for()
        found["tracking"] = serious_violations(page)
        page.screenshot(path=out / f"a11y-tracking-{width}.png", full_page=True)
        assert {k: v for k, v in found.items() if v} == {}
    finally:
        context.close()


def test_covers_search_highlight_breadcrumbs_share_and_language(e2e_server, page, artifacts):
    out = artifacts("portal")
    page.goto(f"{e2e_server.url}/")
    covers = page.locator(".article-card img")
    assert covers.count() >= 3
    first = covers.first
    assert first.get_attribute("loading") == "lazy"
    assert first.get_attribute("width") and "320w" in first.get_attribute("srcset")
    page.goto(f"{e2e_server.url}{ARTICLE}")
    cover = page.locator(".article-cover img")
    cover.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", cover.element_handle())
    assert page.locator('meta[property="og:image"]').get_attribute("content").startswith("http")
    crumbs = page.get_by_role("navigation", name="Đường dẫn trang")
    assert crumbs.get_by_role("link", name="Trang chủ").is_visible()
    assert page.locator(".category-nav a[aria-current]").count() == 1
    assert (
        page.get_by_role("link", name=re.compile("Facebook"))
        .get_attribute("href")
        .startswith("https://www.facebook.com/sharer/sharer.php?u=")
    )
    assert page.get_by_role("heading", name="Bài liên quan").is_visible()
    summary = page.get_by_test_id("rating-summary").inner_text()
    assert "trên 5 sao" in summary
    page.screenshot(path=out / "11-article-cover.png", full_page=False)

    page.goto(f"{e2e_server.url}/tim-kiem/?q=cham+soc")
    assert page.get_by_test_id("search-count").inner_text().startswith("Tìm thấy")
    marks = page.locator(".article-card mark")
    assert marks.count() >= 1
    assert "chăm" in [m.lower() for m in marks.all_inner_texts()] or marks.count() > 0
    page.screenshot(path=out / "12-search-highlight.png", full_page=True)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"

    # The search box on a phone: the label does not cover the input.
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{e2e_server.url}/tim-kiem/?q=tre")
    box = page.locator("#q").bounding_box()
    label = page.locator("label[for=q]").bounding_box()
    assert label["y"] + label["height"] <= box["y"] + 1
    header = page.locator("#site-search").bounding_box()
    assert header["width"] > 200
    page.screenshot(path=out / "13-search-390.png", full_page=True)
