"""Browser tests of the registry's screens (headless Chromium on the full demo): the duplicate
warning, merging by search, the list and the registration form at 1366 px and on a phone
(390 px). Screenshots go to test-artifacts/registry/."""

from __future__ import annotations

import datetime as dt
import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def _login(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill("Treem-demo-2026")
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/app/$"))


@pytest.fixture
def pages(browser):
    contexts = []

    def make(width: str):
        context = browser.new_context(locale="vi-VN", viewport=WIDTHS[width])
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30000)
        return page

    yield make
    for c in contexts:
        c.close()


@pytest.mark.parametrize("width", ["1366", "390"])
def test_duplicate_warning_shows_labels_values_and_a_verdict(
    e2e_server,
    pages,
    artifacts,
    width,
):
    out = artifacts("registry")
    page = pages(width)
    _login(page, e2e_server.url, "canbo.b")
    page.goto(f"{e2e_server.url}/app/registry/new/")
    page.screenshot(path=out / f"form-{width}.png", full_page=True)
    born = dt.date(dt.date.today().year - 8, 3, 11)
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Thị Ngọc Ánh")
    page.get_by_label("Ngày sinh", exact=True).fill(born.strftime("%d/%m/%Y"))
    page.get_by_label("Giới tính").select_option("F")
    page.get_by_label("Họ tên mẹ").fill("Phạm Thị Hoa")
    page.get_by_role("button", name="Kiểm tra trùng và lưu").click()
    warning = page.get_by_role("alert").filter(has_text="Có thể trẻ này đã có trong sổ")
    warning.wait_for()
    text = warning.inner_text()
    for expected in ["Họ và tên", "Ngày sinh", "Họ tên mẹ", "Nguyễn Thị Ngọc Ánh",
                     born.strftime("%d/%m/%Y"), "Nữ", "cùng một trẻ"]:  # fmt: skip
        assert expected in text, expected
    for raw in ["given_name", "weight", "score", "full_name"]:
        assert raw not in text, raw
    page.screenshot(path=out / f"duplicate-warning-{width}.png", full_page=True)
    # "It is this child": no new record, the existing one opens.
    page.get_by_role("button", name="Là trẻ này — mở hồ sơ có sẵn").first.click()
    page.wait_for_url(re.compile(r"/app/registry/\d+/$"))
    assert "Không tạo hồ sơ mới" in page.content()


@pytest.mark.parametrize("width", ["1366", "390"])
def test_child_list_filters_count_and_order(e2e_server, pages, artifacts, width):
    out = artifacts("registry")
    page = pages(width)
    _login(page, e2e_server.url, "canbo.a")
    page.goto(f"{e2e_server.url}/app/registry/")
    total = page.get_by_role("status").inner_text()
    assert re.search(r"Tổng số: \d+ trẻ", total)
    villages = page.locator("select[name=village] option")
    assert villages.count() > 1
    page.screenshot(path=out / f"list-{width}.png", full_page=True)
    names = page.locator("table tbody tr td:first-child").all_inner_texts()
    from treem.lib.text import vi_sort_key

    assert names == sorted(names, key=vi_sort_key)


def test_merge_by_searching_name_not_typing_a_number(e2e_server, pages, artifacts):
    out = artifacts("registry")
    page = pages("1366")
    _login(page, e2e_server.url, "canbo.b")
    page.goto(f"{e2e_server.url}/app/registry/?q=nguyen+thi+ngoc+anh")
    page.get_by_role("link", name="Nguyen Thi Ngoc Anh").click()
    page.wait_for_url(re.compile(r"/app/registry/\d+/$"))
    page.get_by_text("Gộp hồ sơ này vào một hồ sơ khác").click()
    form = page.locator("#merge-form")
    form.get_by_label("Tên trẻ").fill("Nguyễn Thị Ngọc Ánh")
    choice = form.get_by_role("radio")
    choice.first.wait_for()
    assert choice.count() == 1
    assert "Phạm Thị Hoa" in form.inner_text()
    page.screenshot(path=out / "merge-search-1366.png", full_page=True)
    choice.first.check()
    form.get_by_role("button", name="Gộp hồ sơ này vào hồ sơ đã chọn").click()
    page.wait_for_url(re.compile(r"/app/registry/\d+/$"))
    assert "Đã gộp hồ sơ" in page.content()
    assert page.get_by_role("heading", name="Nguyễn Thị Ngọc Ánh").is_visible()
