"""Decision 06/QĐ-TTg on worked examples: a commune meets the standard when every criterion is
met, none scores 0, and the total reaches 900 / 850 / 800 by kind of commune."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from treem.indicators import rollup, services
from treem.indicators.models import ChildFriendlyCriterion


def _points(total_missing: int = 0, zero: int | None = None) -> dict[int, int]:
    """Full marks (1,000 over the 13 criteria) minus `total_missing`, taken 40 at most from each
    criterion in turn so none falls to 0."""
    points = {c.number: c.max_points for c in ChildFriendlyCriterion.objects.all()}
    remaining = total_missing
    for number in sorted(points):
        take = min(remaining, 40)
        points[number] -= take
        remaining -= take
    if zero is not None:
        points[zero] = 0
    return points


@pytest.mark.parametrize(
    "kind,missing,meets",
    [
        ("city_ward", 100, True),  # 900 = threshold of a city ward
        ("city_ward", 101, False),  # 899
        ("other", 100, True),  # 900 ≥ 850
        ("other", 150, True),  # 850
        ("other", 151, False),  # 849
        ("disadvantaged", 151, True),  # 849 ≥ 800
        ("disadvantaged", 200, True),  # 800
    ],
)
def test_thresholds_by_kind_of_commune(catalogue, demo, kind, missing, meets):
    assert sum(_points().values()) == 1000
    ev = services.child_friendly_save(
        actor=demo.users["canbo.a"],
        commune=demo.commune_a,
        year=2025,
        kind=kind,
        points=_points(missing),
        met={},
    )
    result = services.child_friendly_result(ev)
    assert result["total"] == 1000 - missing
    assert result["meets"] is meets


def test_a_criterion_at_zero_fails_whatever_the_total(catalogue, demo):
    ev = services.child_friendly_save(
        actor=demo.users["canbo.a"],
        commune=demo.commune_a,
        year=2025,
        kind="disadvantaged",
        points=_points(0, zero=9),  # 940 points, criterion 9 at 0
        met={},
    )
    result = services.child_friendly_result(ev)
    assert result["total"] == 940 and result["meets"] is False
    assert any("9" in r for r in result["reasons"])


def test_recognition_cycle_by_role_and_share_against_target(catalogue, demo):
    officer, specialist = demo.users["canbo.a"], demo.users["chuyenvien"]
    ev = services.child_friendly_save(
        actor=officer, commune=demo.commune_a, year=2025, kind="other", points=_points(50), met={}
    )
    with pytest.raises(PermissionDenied):
        services.child_friendly_save(
            actor=demo.users["canbo.b"],
            commune=demo.commune_a,
            year=2025,
            kind="other",
            points=_points(),
            met={},
        )
    with pytest.raises(ValidationError):
        services.child_friendly_save(
            actor=officer,
            commune=demo.commune_a,
            year=2025,
            kind="other",
            points={1: 5000},
            met={},
        )
    services.child_friendly_transition(actor=officer, evaluation=ev, move="submit")
    with pytest.raises(PermissionDenied):
        services.child_friendly_transition(actor=officer, evaluation=ev, move="review")
    services.child_friendly_transition(actor=specialist, evaluation=ev, move="review")
    with pytest.raises(ValidationError):
        services.child_friendly_transition(actor=specialist, evaluation=ev, move="recognise")
    services.child_friendly_transition(
        actor=specialist, evaluation=ev, move="recognise", decision_number="15/QĐ-UBND"
    )
    share = catalogue["CF_DAT_CHUAN"]
    scope = rollup.scope_for(demo.province.code)
    fig = rollup.total(share, scope, [2025])
    assert fig.numerator == 1
    assert fig.denominator == len(scope.commune_codes())
    targets = rollup.targets(share, scope, [2025, 2030])
    assert (targets[2025].value, targets[2030].value) == (65, 75)


def test_pages(catalogue, demo, client_for):
    assert client_for("chuyenvien").get(reverse("indicators:child_friendly")).status_code == 200
    url = reverse("indicators:evaluation", args=[demo.commune_a.code]) + "?year=2025"
    assert client_for("canbo.a").get(url).status_code == 200
    assert client_for("canbo.b").get(url).status_code == 404
    data = {f"c{n}": p for n, p in _points(10).items()} | {"kind": "other", "year": 2025}
    data |= {f"m{n}": "1" for n in range(1, 14)}
    response = client_for("canbo.a").post(url, data)
    assert response.status_code == 302
    body = client_for("canbo.a").get(url).content.decode()
    assert "990" in body and "Đạt chuẩn" in body
