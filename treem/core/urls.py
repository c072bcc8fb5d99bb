from django.urls import path

from treem.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
]
