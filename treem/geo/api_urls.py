from django.urls import path

from treem.geo import api

urlpatterns = [
    path("provinces/", api.ProvinceList.as_view(), name="province_list"),
    path("provinces/<str:code>/", api.ProvinceDetail.as_view(), name="province_detail"),
    path("communes/", api.CommuneList.as_view(), name="commune_list"),
    path("communes/<str:code>/", api.CommuneDetail.as_view(), name="commune_detail"),
    path(
        "legacy-communes/<str:code>/conversion/",
        api.LegacyConversion.as_view(),
        name="legacy_conversion",
    ),
]
