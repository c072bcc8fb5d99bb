from django.urls import path

from treem.indicators import api

app_name = "indicators"
urlpatterns = [
    path("values/", api.ValuesAPI.as_view(), name="values"),
]
