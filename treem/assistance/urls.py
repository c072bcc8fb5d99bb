from django.urls import path

from treem.assistance import views

app_name = "assistance"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("scan/", views.scan_view, name="scan"),
    path("dossiers/new/", views.dossier_new_view, name="dossier_new"),
    path("dossiers/<int:pk>/", views.dossier_detail_view, name="dossier_detail"),
    path("dossiers/<int:pk>/documents/", views.dossier_document_view, name="dossier_document"),
    path("dossiers/<int:pk>/<str:action>/", views.dossier_action_view, name="dossier_action"),
    path("recipients/<int:pk>/end/", views.recipient_end_view, name="recipient_end"),
    path("lists/prepare/", views.payment_list_prepare_view, name="payment_list_prepare"),
    path("lists/province/", views.payment_runs_view, name="payment_runs"),
    path("lists/<int:pk>/", views.payment_list_view, name="payment_list"),
    path("lists/<int:pk>/approve/", views.payment_list_approve_view, name="payment_list_approve"),
    path("lists/<int:pk>/lines/<int:line_pk>/", views.payment_mark_view, name="payment_mark"),
    path(
        "lists/<int:pk>/lines/<int:line_pk>/deduction/",
        views.payment_deduction_view,
        name="payment_deduction",
    ),
    path(
        "lists/<int:pk>/export.<str:fmt>",
        views.payment_list_export_view,
        name="payment_list_export",
    ),
    path("province/", views.province_view, name="province"),
    path("calculator/", views.calculator_view, name="calculator"),
    path("rules/", views.rules_view, name="rules"),
    path("track/", views.track_view, name="track"),
]
