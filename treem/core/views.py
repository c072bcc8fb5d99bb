from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from treem.accounts.policy import Action, can, require
from treem.core import dashboard

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


@login_required
def dashboard_view(request):
    if not can(request.user, Action.DASHBOARD_VIEW):
        # Portal editors and moderators have no dashboard: send them to their own pages.
        from treem.core.context_processors import first_page_for

        target = first_page_for(request.user)
        if target:
            return redirect(target)
    require(request.user, Action.DASHBOARD_VIEW)
    return render(request, "core/dashboard.html", {"cards": dashboard.cards_for(request.user)})


def page_not_found(request, exception=None):
    if request.path.startswith("/api/"):
        from treem.core.api import api_not_found

        return api_not_found(request)
    return render(request, "404.html", status=404)


def permission_denied(request, exception=None):
    if request.path.startswith("/api/"):
        from treem.core.api import error_body

        return JsonResponse(error_body("permission_denied", str(exception or "")), status=403)
    return render(request, "403.html", {"message": str(exception or "")}, status=403)


def server_error(request):
    if request.path.startswith("/api/"):
        from treem.core.api import api_server_error

        return api_server_error(request)
    return render(request, "500.html", status=500)
