from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_api_persona_matrix(seeded, client_for, anon_client, django_assert_max_num_queries):
    assert anon_client.get("/api/programmes/plans/").status_code in (401, 403)
    assert client_for("bientap").get("/api/programmes/plans/").json()["error"]["code"]
    assert client_for("bientap").get("/api/programmes/tasks/").status_code == 403
    specialist = client_for("chuyenvien")
    with django_assert_max_num_queries(12):
        plans = specialist.get("/api/programmes/plans/").json()
    assert {p["number"] for p in plans["results"]} >= {"144-KH/TU", "25/KH-UBND"}
    leader = client_for("lanhdao")
    assert leader.get("/api/programmes/budget/rollup/?year=2026").status_code == 200
    partner = client_for("doitac").get("/api/programmes/tasks/").json()["results"]
    assert partner and all(t["lead"] == "Công an Phường Trấn Biên" for t in partner)
    assert client_for("doitac").get("/api/programmes/budget/rollup/").status_code == 403
    commune_b = client_for("canbo.b").get("/api/programmes/plans/").json()["results"]
    assert "Phường Trấn Biên" not in " ".join(p["title"] for p in commune_b)
