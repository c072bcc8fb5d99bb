"""The dossier list, a recipient's change and the health-insurance card in headless Chromium, on
the full demo: the worker searches the dossiers without diacritics, requests, records and hands
over a card; the chairman records a change of disability level; the province reads the scan with
its commune column. Screenshots at 1366 and 390 px wide."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.assistance.test_browser import login, shots

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_dossier_list_card_and_change(e2e_server, browser, page, artifacts):
    out = artifacts("assistance")
    base = e2e_server.url
    today = dt.date.today()
    login(page, base, "canbo.a")

    page.goto(f"{base}/app/assistance/dossiers/")
    total = page.locator("#dossier-total").inner_text()
    assert re.search(r"\d+ hồ sơ", total)
    first_name = page.locator("tbody th a").first.inner_text()
    shots(page, out, "dossier-list")
    # Search by the surname typed without diacritics.
    surname = first_name.split()[0]
    plain = surname.translate(str.maketrans("ĐđƯưƠơÂâĂăÊêÔô", "DdUuOoAaAaEeOo"))
    page.get_by_label("Tìm tên trẻ hoặc mã hồ sơ").fill(plain.lower())
    page.get_by_role("button", name="Lọc", exact=True).click()
    assert first_name in page.locator("tbody").inner_text()

    page.goto(f"{base}/app/assistance/health-cards/")
    shots(page, out, "health-cards")
    row = (
        page.locator("tbody tr")
        .filter(has=page.get_by_role("button", name="Đề nghị cấp thẻ hôm nay"))
        .first
    )
    child = row.locator("th").inner_text()
    row.get_by_role("button", name="Đề nghị cấp thẻ hôm nay").click()
    page.wait_for_url(re.compile(r"/health-cards/\d+/$"))
    assert "Đã đề nghị cấp thẻ" in page.locator("#card-status").inner_text()
    page.get_by_label("Số thẻ BHYT").fill("TE1750123456789")
    page.get_by_label("Thẻ có giá trị đến").fill(f"{today.year + 1}-12-31")
    page.get_by_role("button", name="Ghi nhận thẻ đã cấp").click()
    assert "Đã có thẻ, chờ phát" in page.locator("#card-status").inner_text()
    page.get_by_label("Người nhận thẻ").fill("Trần Thị Bình")
    page.get_by_role("button", name="Phát thẻ cho gia đình").click()
    assert "Đã phát thẻ cho gia đình" in page.locator("#card-status").inner_text()
    shots(page, out, "health-card")
    page.goto(f"{base}/app/assistance/health-cards/")
    missing = page.locator("#missing + div.table-wrap")
    if missing.count():
        assert child not in missing.inner_text()

    # The chairman records a change of disability level for a recipient of the commune.
    login(page, base, "chutich.a")
    page.goto(f"{base}/app/assistance/dossiers/?status=decided")
    page.locator("tbody th a").first.click()
    page.get_by_role("link", name=re.compile("Điều chỉnh mức khuyết tật")).click()
    page.get_by_label("Mức độ khuyết tật mới").select_option("disability_especially_severe")
    page.get_by_label("Số quyết định điều chỉnh").fill("99/QĐ-UBND")
    page.get_by_label("Người ký").fill("Phạm Minh Tuấn")
    page.get_by_label("Lý do").fill("Hội đồng xác định lại mức độ khuyết tật")
    page.get_by_role("button", name="Ghi quyết định").click()
    assert "Đã ghi quyết định 99/QĐ-UBND" in page.content()
    nxt = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert f"áp dụng từ tháng {nxt:%m/%Y}" in page.content()
    shots(page, out, "recipient-change")

    login(page, base, "chuyenvien")
    page.goto(f"{base}/app/assistance/scan/")
    assert "Xã, phường" in page.locator("thead").first.inner_text()
    assert "kiểm tra và lập hồ sơ" in page.content()
    shots(page, out, "scan-province")
