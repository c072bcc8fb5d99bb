from django.urls import path

from treem.protection import api

app_name = "protection"
urlpatterns = [
    path("reports/", api.ReportCreate.as_view(), name="report_create"),
    path("reports/<int:pk>/status/", api.ReportStatus.as_view(), name="report_status"),
    path("cases/", api.CaseList.as_view(), name="case_list"),
    path("cases/<int:pk>/", api.CaseDetail.as_view(), name="case_detail"),
]
