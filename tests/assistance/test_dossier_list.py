"""The list of every dossier a user may see; the entitlement scan's commune and next action;
the budget estimate the programmes app reads through the lower-layer hook."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from treem.assistance import budget, services
from treem.assistance.dossier_list import DossierFilter, dossier_list
from treem.assistance.models import Recipient
from treem.audit.models import AuditEvent
from treem.indicators import budget_sources, hooks
from treem.lib.text import vi_sort_key
from treem.registry.models import Child, SpecialCircumstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(make_child):
    def make(name, **kw):
        child = make_child(name, **kw)
        Child.objects.filter(pk=child.pk).update(name_sort=vi_sort_key(name))
        child.refresh_from_db()
        return child

    return make


def draft(users, child, *, basis="no_support", applied="2025-01-06"):
    return services.dossier_create(
        actor=_officer(users, child),
        child=child,
        applicant_name="=Trần Thị Bình",
        applicant_relation="Bà ngoại",
        applied_on=dt.date.fromisoformat(applied),
        bases=[{"basis": basis}],
    )


def _officer(users, child):
    return (
        users.officer_a
        if users.officer_a.jurisdiction.covers_commune(child.commune_id)
        else (users.officer_b)
    )


@pytest.fixture
def dossiers(named, users, demo, decided):
    # Vietnamese order: Dương < Đặng < Đỗ (d before đ), An < Ân.
    names = ["Đỗ Văn Cường", "Dương Thị Ân", "Đặng Minh An", "Dương Thị An"]
    made = [draft(users, named(n)) for n in names]
    made.append(decided(named("Lê Thị Hoa", birth="2015-05-05"),
                        bases=[{"basis": "disability_severe"}]).dossier)  # fmt: skip
    made.append(draft(users, named("Bùi Văn Bảy", commune=demo.commune_b), applied="2025-03-01"))
    return made


def names(qs):
    return [d.child.full_name for d in qs]


def test_vietnamese_order_and_scope(dossiers, users):
    order = ["Dương Thị An", "Dương Thị Ân", "Đặng Minh An", "Đỗ Văn Cường", "Lê Thị Hoa"]
    assert names(dossier_list(user=users.officer_a, f=DossierFilter())) == order
    assert names(dossier_list(user=users.officer_b, f=DossierFilter())) == ["Bùi Văn Bảy"]
    assert len(names(dossier_list(user=users.specialist, f=DossierFilter()))) == 6
    for nobody in (users.leader, users.partner, users.collaborator_a):
        assert names(dossier_list(user=nobody, f=DossierFilter())) == []


def test_filters_and_search(dossiers, users, demo):
    f = DossierFilter
    s = users.specialist
    assert names(dossier_list(user=s, f=f(query="duong thi an"))) == [
        "Dương Thị An",
        "Dương Thị Ân",
    ]
    assert names(dossier_list(user=s, f=f(query="ĐẶNG"))) == ["Đặng Minh An"]
    assert names(dossier_list(user=s, f=f(query="van do"))) == []  # neither order has it
    assert names(dossier_list(user=s, f=f(query="cuong"))) == ["Đỗ Văn Cường"]
    assert names(dossier_list(user=s, f=f(status="decided"))) == ["Lê Thị Hoa"]
    assert names(dossier_list(user=s, f=f(basis="disability_severe"))) == ["Lê Thị Hoa"]
    assert names(dossier_list(user=s, f=f(commune=demo.commune_b.code))) == ["Bùi Văn Bảy"]
    assert names(dossier_list(user=s, f=f(applied_from=dt.date(2025, 2, 1)))) == ["Bùi Văn Bảy"]
    assert len(names(dossier_list(user=s, f=f(applied_to=dt.date(2025, 2, 1))))) == 5
    code = dossiers[0].tracking_code
    assert names(dossier_list(user=s, f=f(query=code.lower()))) == ["Đỗ Văn Cường"]
    # Another commune's dossier is not found by its code either.
    other = dossiers[-1].tracking_code
    assert names(dossier_list(user=users.officer_a, f=f(query=other))) == []


def test_page_counts_pages_and_audits(dossiers, officer_a_client, specialist_client):
    url = reverse("assistance:dossier_list")
    page = officer_a_client.get(url).content.decode()
    assert "5 hồ sơ" in page and "Bùi Văn Bảy" not in page
    assert page.index("Dương Thị An") < page.index("Đặng Minh An") < page.index("Lê Thị Hoa")
    filtered = specialist_client.get(url, {"q": "duong", "status": "draft"}).content.decode()
    assert "2 hồ sơ" in filtered and "Lê Thị Hoa" not in filtered
    assert AuditEvent.objects.filter(object_type="assistance.dossier_list").count() == 2
    bad = specialist_client.get(url, {"applied_from": "2025-03-01", "applied_to": "2025-01-01"})
    assert bad.status_code == 200 and "trước ngày" in bad.content.decode()
    assert specialist_client.get(url, {"page": "abc"}).status_code == 400


def test_paging_keeps_filters(named, users, officer_a_client):
    for i in range(55):
        draft(users, named(f"Nguyễn Văn Số {i:02d}"))
    first = officer_a_client.get(reverse("assistance:dossier_list"), {"q": "nguyen"})
    body = first.content.decode()
    assert "55 hồ sơ" in body and "Trang 1/2" in body
    assert "?q=nguyen&amp;page=2" in body
    second = officer_a_client.get(reverse("assistance:dossier_list"), {"q": "nguyen", "page": 2})
    assert "Nguyễn Văn Số 54" in second.content.decode()


def test_export_safe_cells(dossiers, officer_a_client, leader_client):
    response = officer_a_client.get(reverse("assistance:dossier_export"), {"status": "draft"})
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[0]]
    assert [r[2] for r in rows] == ["Dương Thị An", "Dương Thị Ân", "Đặng Minh An", "Đỗ Văn Cường"]
    assert rows[0][6] == "'=Trần Thị Bình"  # a formula-looking name is text
    assert AuditEvent.objects.filter(
        object_type="assistance.dossier_list", action="export"
    ).exists()
    assert leader_client.get(reverse("assistance:dossier_export")).status_code == 403


# ---- the entitlement scan ---------------------------------------------------------------------


def test_scan_shows_commune_and_next_action(
    named, demo, specialist_client, officer_a_client, officer_b_client
):
    child = named("Phan Văn Tí", birth="2018-04-01")
    SpecialCircumstance.objects.create(child=child, group="a", start_date=dt.date(2024, 1, 1))
    province = specialist_client.get(reverse("assistance:scan")).content.decode()
    assert "Phan Văn Tí" in province
    assert demo.commune_a.name in province  # the commune column
    assert f"?child={child.pk}" not in province  # the province does not start dossiers
    assert f"{demo.commune_a.name} kiểm tra và lập hồ sơ" in province
    commune = officer_a_client.get(reverse("assistance:scan")).content.decode()
    assert f"{reverse('assistance:dossier_new')}?child={child.pk}" in commune
    assert "Phan Văn Tí" not in officer_b_client.get(reverse("assistance:scan")).content.decode()
    # The action leads to the dossier form for that child; another commune's officer gets 404.
    url = f"{reverse('assistance:dossier_new')}?child={child.pk}"
    assert officer_a_client.get(url).status_code == 200
    assert officer_b_client.get(url).status_code == 404
    # The province can narrow the scan to one commune.
    only_b = specialist_client.get(reverse("assistance:scan"), {"commune": demo.commune_b.code})
    assert "Phan Văn Tí" not in only_b.content.decode()


# ---- the budget estimate, through the lower-layer hook ---------------------------------------


def test_estimate_feeds_programmes(decided, make_child, users, demo, client_for):
    # Born 10/01/2015, no source of support, 1.5 × 500,000 = 750,000 đ a month all of 2026
    # (turns 11): 9,000,000 đ. Born 20/06/2023, no source of support: 2.5 × 500,000 until
    # June 2027 (4th birthday): 12 × 1,250,000 = 15,000,000 đ. Total 24,000,000 đ.
    decided(make_child())
    decided(make_child("Lê Thị Hoa", birth="2023-06-20"))
    rows = budget_sources.estimates(2026, demo.commune_a.province_id)
    mine = [r for r in rows if r.commune_code == demo.commune_a.code]
    assert len(mine) == 1
    assert (mine[0].amount, mine[0].people, mine[0].source) == (24_000_000, 2, "provincial")
    # 2027: 9,000,000 + 6 × 1,250,000 (Jan–Jun: 4th birthday on 20 June, June still at 2.5)
    # + 6 × 750,000 (Jul–Dec at 1.5) = 9,000,000 + 7,500,000 + 4,500,000 = 21,000,000.
    assert budget.commune_estimates(2027, demo.commune_a.province_id)[0].amount == 21_000_000
    # Cached, but never stale: a new recipient changes the figure at once.
    decided(make_child("Trần Văn Ba", birth="2014-08-08"))
    rows = budget_sources.estimates(2026, demo.commune_a.province_id)
    mine = [r for r in rows if r.commune_code == demo.commune_a.code]
    assert (mine[0].amount, mine[0].people) == (24_000_000 + 9_000_000, 3)
    Recipient.objects.filter(child__full_name="Trần Văn Ba").delete()
    # The programmes app shows it in the review report's budget section …
    section = hooks.report_section(
        "budget", hooks.ReportScope(demo.commune_a.province_id, 2026, 2026)
    )
    table = section.tables[-1]
    assert table.rows == [
        [2026, "Trợ cấp xã hội hằng tháng cho trẻ em", "Ngân sách tỉnh", 2, 24_000_000]
    ]
    commune = hooks.report_section("budget", hooks.ReportScope(demo.commune_b.code, 2026, 2026))
    assert commune is None or not any(t.title.startswith("Dự toán từ") for t in commune.tables)


def test_estimate_card_on_the_dashboard(decided, make_child, demo, specialist_client):
    from django.utils import timezone

    from treem.accounts.models import User
    from treem.core.dashboard import cards_for

    decided(make_child())
    specialist = User.objects.get(username="chuyenvien")
    year = timezone.localdate().year + 1
    labels = {c.label: c for c in cards_for(specialist)}
    card = labels[f"Dự toán năm {year}: Trợ cấp xã hội hằng tháng cho trẻ em"]
    assert card.url.endswith(f"?year={year}")
    # … and the card leads to the budget page of that year, which lists the estimate beside the
    # plans' own lines (the same figure: 9,000,000 đ for a child at 1.5 × 500,000 all year).
    page = specialist_client.get(card.url).content.decode()
    table = page.split('id="linked-estimates"', 1)[1].split("</table>", 1)[0]
    assert "Trợ cấp xã hội hằng tháng cho trẻ em" in table
    assert card.value in table
