from django.urls import path

from treem.indicators import views_cf, views_dashboard, views_manage, views_reports, views_review

app_name = "indicators"
urlpatterns = [
    path("", views_dashboard.home, name="home"),
    path("unit/<str:code>/", views_dashboard.unit_dashboard, name="unit"),
    path("unit/<str:code>/i/<str:indicator>/", views_dashboard.indicator_view, name="indicator"),
    path("reports/", views_reports.report_list, name="report_list"),
    path("reports/start/", views_reports.report_start, name="report_start"),
    path("reports/<int:pk>/", views_reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/move/", views_reports.report_move, name="report_move"),
    path("reports/<int:pk>/template.xlsx", views_reports.report_template, name="report_template"),
    path("catalogue/", views_manage.catalogue, name="catalogue"),
    path("catalogue/import/", views_manage.catalogue_import, name="catalogue_import"),
    path("values/import/", views_manage.values_import, name="values_import"),
    path("imports/<int:pk>/", views_manage.import_detail, name="import_detail"),
    path("targets/", views_manage.target_save, name="target_save"),
    path("child-friendly/", views_cf.child_friendly, name="child_friendly"),
    path("child-friendly/import/", views_cf.evaluation_import, name="evaluation_import"),
    path("child-friendly/<str:commune>/", views_cf.evaluation, name="evaluation"),
    path("child-friendly/<str:commune>/move/", views_cf.evaluation_move, name="evaluation_move"),
    path("review/", views_review.review_page, name="review"),
    path("review/narrative/", views_review.narrative_save, name="narrative_save"),
    path("review/generate/", views_review.review_generate, name="review_generate"),
    path("review/<int:pk>/download/", views_review.review_download, name="review_download"),
]
