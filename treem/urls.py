"""URL layout: the public portal owns the site root; staff pages live under /app/; the API under
/api/."""

from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from treem.core import views as core_views

handler400 = "treem.site.errors.bad_request"
handler403 = "treem.site.errors.permission_denied"
handler404 = "treem.site.errors.page_not_found"
handler500 = "treem.site.errors.server_error"

api_patterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("", include("treem.accounts.api_urls")),
    path("geo/", include("treem.geo.api_urls")),
    path("registry/", include("treem.registry.api_urls")),
    path("protection/", include("treem.protection.api_urls")),
    path("assistance/", include("treem.assistance.api_urls")),
    path("programmes/", include("treem.programmes.api_urls")),
    path("people/", include("treem.people.api_urls")),
    path("indicators/", include("treem.indicators.api_urls")),
    path("portal/", include("treem.portal.api_urls")),
]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("treem.accounts.urls")),
    path("app/", include("treem.site.urls")),
    path("app/geo/", include("treem.geo.urls")),
    path("app/audit/", include("treem.audit.urls")),
    path("app/registry/", include("treem.registry.urls")),
    path("app/cases/", include("treem.protection.urls")),
    path("app/assistance/", include("treem.assistance.urls")),
    path("app/programmes/", include("treem.programmes.urls")),
    path("app/people/", include("treem.people.urls")),
    path("app/indicators/", include("treem.indicators.urls")),
    path("api/", include((api_patterns, "api"))),
    path("", include("treem.portal.urls")),
]
