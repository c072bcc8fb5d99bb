from django.urls import path

from treem.assistance import record_views, views

app_name = "assistance"
urlpatterns = [
    path("", views.index_view, name="index"),
    path("scan/", views.scan_view, name="scan"),
    path("dossiers/", record_views.dossier_list_view, name="dossier_list"),
    path("dossiers/export.xlsx", record_views.dossier_export_view, name="dossier_export"),
    path("dossiers/new/", views.dossier_new_view, name="dossier_new"),
    path("dossiers/<int:pk>/", views.dossier_detail_view, name="dossier_detail"),
    path("dossiers/<int:pk>/documents/", views.dossier_document_view, name="dossier_document"),
    path("dossiers/<int:pk>/<str:action>/", views.dossier_action_view, name="dossier_action"),
    path("recipients/<int:pk>/end/", views.recipient_end_view, name="recipient_end"),
    path(
        "recipients/<int:pk>/changes/",
        record_views.recipient_change_view,
        name="recipient_change",
    ),
    path(
        "recipients/<int:pk>/health-card/",
        record_views.health_card_request_view,
        name="health_card_request",
    ),
    path("health-cards/", record_views.health_cards_view, name="health_cards"),
    path("health-cards/<int:pk>/", record_views.health_card_view, name="health_card"),
    path(
        "health-cards/<int:pk>/<str:action>/",
        record_views.health_card_action_view,
        name="health_card_action",
    ),
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
