"""Browser test of the special-circumstance form on a child's page: no group chosen in advance,
and the subgroup list shows only the subgroups of the group chosen (issue 12, §3). Screenshots
go to test-artifacts/registry/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHILD_LINK = re.compile(r"/app/registry/\d+/$")


def _options(page) -> list[dict]:
    """The subgroup select's options as the browser shows them."""
    return page.eval_on_selector(
        "select[name=subgroup]",
        """sel => Array.from(sel.options).map(o => ({
            value: o.value, group: o.dataset.group || "", hidden: o.hidden,
            disabled: o.disabled, text: o.textContent.trim()}))""",
    )


@pytest.mark.parametrize("width", [1366, 390])
def test_subgroups_follow_the_chosen_group(e2e_server, browser, artifacts, width):
    out = artifacts("registry")
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        page.goto(f"{e2e_server.url}/accounts/login/")
        page.get_by_label("Tên đăng nhập").fill("canbo.a")
        page.get_by_label("Mật khẩu").fill("Treem-demo-2026")
        page.get_by_role("button", name="Đăng nhập").click()
        page.wait_for_url(re.compile(r"/app/$"))
        page.goto(f"{e2e_server.url}/app/registry/")
        href = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        child = next(h for h in href if CHILD_LINK.search(h))
        page.goto(f"{e2e_server.url}{child}")
        page.get_by_text("Thêm hoàn cảnh đặc biệt").click()
        group = page.locator("select[name=group]")
        sub = page.locator("select[name=subgroup]")

        # No group preselected, and no subgroup can be picked before a group is.
        assert group.input_value() == ""
        expect(sub).to_be_disabled()
        options = _options(page)
        groups = sorted({o["group"] for o in options if o["group"]})
        assert len(groups) >= 2, "the demo has subgroups in at least two groups"
        all_groups = page.eval_on_selector(
            "select[name=group]", "s => Array.from(s.options).map(o => o.value).filter(v => v)"
        )

        first, second = groups[0], groups[1]
        group.select_option(first)
        expect(sub).to_be_enabled()
        shown = [o for o in _options(page) if o["value"] and not o["hidden"]]
        assert shown and {o["group"] for o in shown} == {first}
        assert len(shown) == sum(1 for o in options if o["group"] == first)
        assert all(o["hidden"] and o["disabled"] for o in _options(page) if o["group"] == second)
        sub.select_option(shown[0]["value"])
        page.screenshot(path=out / f"circumstance-subgroups-{width}.png", full_page=True)

        # Another group: the first group's subgroup is dropped, the second group's are shown.
        group.select_option(second)
        assert sub.input_value() == ""
        shown2 = [o for o in _options(page) if o["value"] and not o["hidden"]]
        assert shown2 and {o["group"] for o in shown2} == {second}

        # A group without subgroups (if the list has one) leaves only "no subgroup".
        bare = [g for g in all_groups if g not in groups]
        if bare:
            group.select_option(bare[0])
            assert [o for o in _options(page) if o["value"] and not o["hidden"]] == []

        # Saved with the first group's subgroup: the child's page lists it.
        group.select_option(first)
        sub.select_option(shown[0]["value"])
        page.get_by_label("Từ ngày").fill(dt.date.today().replace(day=1).strftime("%d/%m/%Y"))
        page.get_by_label("Căn cứ, giấy tờ chứng minh").fill("Biên bản xác minh của xã")
        page.get_by_label("Người, cơ quan xác nhận").fill("UBND xã")
        form = page.locator("form", has=page.locator("select[name=subgroup]"))
        form.get_by_role("button", name="Lưu").click()
        page.wait_for_load_state()
        expect(page.locator("td small", has_text=shown[0]["text"])).to_be_visible()
    finally:
        context.close()
