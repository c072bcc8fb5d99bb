from django.urls import path

from treem.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("documents/", views.document_list_view, name="document_list"),
    path("documents/new/", views.document_create_view, name="document_create"),
    path("documents/<int:pk>/", views.document_detail_view, name="document_detail"),
    path("documents/<int:pk>/file/", views.document_file_view, name="document_file"),
    path("plans/", views.plan_list_view, name="plan_list"),
    path("plans/new/", views.plan_create_view, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail_view, name="plan_detail"),
    path("plans/<int:pk>/edit/", views.plan_edit_view, name="plan_edit"),
    path("plans/<int:pk>/tasks/new/", views.task_create_view, name="task_create"),
    path("plans/<int:pk>/targets/new/", views.target_create_view, name="target_create"),
    path("plans/<int:pk>/copy/", views.plan_copy_view, name="plan_copy"),
    path("plans/<int:pk>/derive/", views.plan_derive_view, name="plan_derive"),
    path("plans/<int:pk>/report/", views.plan_report_view, name="plan_report"),
    path(
        "plans/<int:pk>/report.docx",
        views.plan_report_view,
        {"fmt": "docx"},
        name="plan_report_docx",
    ),
    path(
        "plans/<int:pk>/report.xlsx",
        views.plan_report_view,
        {"fmt": "xlsx"},
        name="plan_report_xlsx",
    ),
    path("plans/<int:pk>/budget/new/", views.budget_line_create_view, name="budget_line_create"),
    path("tasks/", views.task_list_view, name="task_list"),
    path("tasks/<int:pk>/", views.task_detail_view, name="task_detail"),
    path("tasks/<int:pk>/status/", views.task_status_view, name="task_status"),
    path("evidence/<int:pk>/", views.evidence_view, name="evidence"),
    path("periods/", views.period_list_view, name="periods"),
    path("periods/<int:pk>/close/", views.period_close_view, name="period_close"),
    path("budget/", views.budget_view, name="budget"),
    path("budget/export.xlsx", views.budget_export_view, name="budget_export"),
    path("budget/lines/<int:pk>/", views.budget_line_view, name="budget_line"),
    path("communication/", views.communication_view, name="communication"),
    path("communication/campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path("communication/campaigns/<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path("communication/activities/new/", views.activity_create_view, name="activity_create"),
    path("communication/photos/<int:pk>/", views.photo_view, name="photo"),
]
