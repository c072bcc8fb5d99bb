from django.urls import path

from treem.protection import views

app_name = "protection"
urlpatterns = [
    path("", views.board_view, name="board"),
    path("list/", views.case_list_view, name="case_list"),
    path("todo/", views.todo_view, name="todo"),
    path("export.csv", views.case_export_view, name="case_export"),
    path("new/", views.report_new_view, name="report_new"),
    path("<int:pk>/", views.case_detail_view, name="case_detail"),
    path("<int:pk>/timeline/", views.case_timeline_view, name="case_timeline"),
    path("<int:pk>/child/", views.case_child_view, name="case_child"),
    path("<int:pk>/assign/", views.case_assign_view, name="case_assign"),
    path("<int:pk>/initial/", views.initial_assess_view, name="initial_assess"),
    path("<int:pk>/initial/edit/", views.initial_edit_view, name="initial_edit"),
    path("<int:pk>/emergency/", views.emergency_view, name="emergency"),
    path("<int:pk>/detailed/", views.detailed_assess_view, name="detailed_assess"),
    path("<int:pk>/plan/", views.plan_submit_view, name="plan_submit"),
    path("<int:pk>/plan/approve/", views.plan_approve_view, name="plan_approve"),
    path("<int:pk>/plan/refuse/", views.plan_refuse_view, name="plan_refuse"),
    path("<int:pk>/referrals/", views.referral_send_view, name="referral_send"),
    path("<int:pk>/visits/", views.visit_view, name="visit"),
    path("<int:pk>/review/", views.review_view, name="review"),
    path("<int:pk>/services/done/", views.service_done_view, name="service_done"),
    path("<int:pk>/separation/", views.separation_view, name="separation"),
    path("<int:pk>/separation/end/", views.separation_end_view, name="separation_end"),
    path("<int:pk>/reopen/", views.reopen_view, name="reopen"),
    path("<int:pk>/transfer/", views.transfer_view, name="transfer"),
    path("<int:pk>/notes/", views.note_view, name="note"),
    path("<int:pk>/attachments/", views.attachment_view, name="attachment"),
    path("<int:pk>/forms/<str:number>.pdf", views.form_pdf_view, name="form_pdf"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment_download"),
    path("referrals/", views.referral_list_view, name="referral_list"),
    path("referrals/<int:pk>/", views.referral_detail_view, name="referral_detail"),
    path("notifications/", views.notification_list_view, name="notifications"),
    path("settings/", views.settings_view, name="settings"),
]
