"""Liveness and readiness for the process supervisor; the pages people see are in treem.site."""

from __future__ import annotations

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

_migrations_applied = False


def _pending_migrations() -> int:
    """Unapplied migrations. Loading the migration graph costs tens of milliseconds, so once every
    migration is seen applied this process stops asking: migrations are not unapplied under a
    running server, and a deploy that adds some restarts the workers."""
    global _migrations_applied
    if _migrations_applied:
        return 0
    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrations_applied = pending == 0
    return pending


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness: the database answers and every migration is applied."""
    checks = {"database": "ok", "migrations": "ok"}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not healthy", reported, not raised
        checks["database"] = "error"
        checks["migrations"] = "unknown"
        status = 503
    else:
        pending = _pending_migrations()
        if pending:
            checks["migrations"] = f"{pending} pending"
            status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)
