from django.urls import path

from treem.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.child_list_view, name="child_list"),
    path("export.<str:fmt>", views.child_export_view, name="child_export"),
    path("new/", views.child_register_view, name="child_register"),
    path("search/", views.child_search_view, name="child_search"),
    path("<int:pk>/", views.child_detail_view, name="child_detail"),
    path("<int:pk>/edit/", views.child_edit_view, name="child_edit"),
    path("<int:pk>/access-log/", views.child_access_log_view, name="child_access_log"),
    path("<int:pk>/circumstances/", views.circumstance_add_view, name="circumstance_add"),
    path(
        "<int:pk>/circumstances/<int:circ>/end/",
        views.circumstance_end_view,
        name="circumstance_end",
    ),
    path("<int:pk>/consents/", views.consent_add_view, name="consent_add"),
    path(
        "<int:pk>/consents/<int:consent>/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path("<int:pk>/legal-basis/", views.legal_basis_view, name="legal_basis"),
    path("<int:pk>/merge/", views.child_merge_view, name="child_merge"),
    path("merges/<int:pk>/undo/", views.merge_undo_view, name="merge_undo"),
    path("duplicates/", views.duplicate_list_view, name="duplicate_list"),
    path("duplicates/<int:pk>/", views.duplicate_detail_view, name="duplicate_detail"),
    path("duplicates/<int:pk>/dismiss/", views.duplicate_dismiss_view, name="duplicate_dismiss"),
    path("import/", views.import_upload_view, name="import_upload"),
    path("import/history/", views.import_history_view, name="import_history"),
    path("import/template.xlsx", views.import_template_view, name="import_template"),
    path("import/<int:pk>/", views.import_preview_view, name="import_detail"),
    path("import/<int:pk>/map/", views.import_map_view, name="import_map"),
    path("import/<int:pk>/preview/", views.import_preview_view, name="import_preview"),
    path("import/<int:pk>/commit/", views.import_commit_view, name="import_commit"),
    path("import/<int:pk>/rejects.csv", views.import_rejects_view, name="import_rejects"),
]
