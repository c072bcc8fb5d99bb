from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from treem.accounts.policy import Action, can, require
from treem.core import dashboard
from treem.core.context_processors import first_page_for


@login_required
def dashboard_view(request):
    if not can(request.user, Action.DASHBOARD_VIEW):
        # Portal editors and moderators have no dashboard: send them to their own pages.
        target = first_page_for(request.user)
        if target:
            return redirect(target)
    require(request.user, Action.DASHBOARD_VIEW)
    return render(request, "site/dashboard.html", {"cards": dashboard.cards_for(request.user)})
