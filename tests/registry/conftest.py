from __future__ import annotations

import datetime as dt

import pytest

from treem.registry import dedup, services

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def _fresh_index():
    # The duplicate index is a per-process cache; each test's rows are rolled back.
    dedup.index_forget()
    yield
    dedup.index_forget()


@pytest.fixture
def register(demo):
    """Register a child as commune A's (or B's) officer, confirming "new" if duplicates show."""

    def make(officer: str = "canbo.a", carers=None, **raw):
        user = demo.users[officer]
        values = {
            "full_name": "Nguyễn Văn An",
            "birth_date": "05/03/2018",
            "sex": "M",
            "commune": (demo.commune_a if officer.endswith(".a") else demo.commune_b).code,
        }
        values.update(raw)
        result = services.child_register(
            actor=user, raw=values, carers=carers or [], decision="new", today=TODAY
        )
        return result.child

    return make


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Run background tasks inline, as the demo does (TASKS_BACKEND=immediate)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
