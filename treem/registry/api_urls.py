from django.urls import path

from treem.registry import api

app_name = "registry"
urlpatterns = [
    path("children/", api.ChildListAPI.as_view(), name="child_list"),
    path("children/register/", api.ChildRegisterAPI.as_view(), name="child_register"),
    path("children/check-duplicates/", api.DuplicateCheckAPI.as_view(), name="duplicate_check"),
    path("children/<int:pk>/", api.ChildDetailAPI.as_view(), name="child_detail"),
]
