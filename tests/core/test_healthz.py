import pytest


@pytest.mark.django_db
def test_healthz_reports_database_and_migrations_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok"}


@pytest.mark.django_db
def test_healthz_reports_pending_migrations(client, monkeypatch):
    from django.db.migrations.executor import MigrationExecutor

    from treem.core import views

    monkeypatch.setattr(views, "_migrations_applied", False)
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("x", False)])
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["migrations"] == "1 pending"
