from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from treem.core.forms import apply_validation_error
from treem.core.permissions import can, require
from treem.geo import actions, selectors, services
from treem.geo.forms import VillageForm


@login_required
def village_list_view(request):
    villages = selectors.villages_for_user(
        user=request.user, commune_code=request.GET.get("commune")
    )
    page = Paginator(villages, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "geo/village_list.html",
        {"page": page, "can_create": can(request.user, actions.VILLAGE_CREATE)},
    )


@login_required
def village_detail_view(request, pk: int):
    village = selectors.village_get_for_user(user=request.user, pk=pk)
    return render(request, "geo/village_detail.html", {"village": village})


@login_required
@require_http_methods(["GET", "POST"])
def village_create_view(request):
    require(request.user, actions.VILLAGE_CREATE)
    communes = selectors.communes_for_user(user=request.user)
    form = VillageForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        commune = form.cleaned_data["commune"]
        if not request.user.jurisdiction.covers_commune(commune.code):
            raise PermissionDenied
        try:
            village = services.village_create(
                actor=request.user,
                commune=commune,
                name=form.cleaned_data["name"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
        else:
            messages.success(request, _("Đã thêm %(village)s.") % {"village": village})
            return redirect("geo:village_list")
    return render(request, "geo/village_form.html", {"form": form})
