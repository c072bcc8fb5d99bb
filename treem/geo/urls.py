from django.urls import path

from treem.geo import views

app_name = "geo"
urlpatterns = [
    path("villages/", views.village_list_view, name="village_list"),
    path("villages/new/", views.village_create_view, name="village_create"),
    path("villages/<int:pk>/", views.village_detail_view, name="village_detail"),
]
