from django.urls import path

from treem.people import views

app_name = "people"
urlpatterns = [
    path("", views.coverage_view, name="coverage"),
    path("staff/", views.staff_list_view, name="staff_list"),
    path("staff/new/", views.staff_new_view, name="staff_new"),
    path("staff/<int:pk>/", views.person_detail_view, name="person_detail"),
    path("staff/<int:pk>/periods/", views.period_add_view, name="period_add"),
    path("staff/<int:pk>/periods/end/", views.period_end_view, name="period_end"),
    path("staff/<int:pk>/account/", views.person_account_view, name="person_account"),
    path("training/", views.course_list_view, name="course_list"),
    path("training/new/", views.course_new_view, name="course_new"),
    path("training/needs/", views.training_needs_view, name="training_needs"),
    path("training/<int:pk>/", views.course_detail_view, name="course_detail"),
    path("training/<int:pk>/budget/", views.course_budget_view, name="course_budget"),
    path(
        "training/attendances/<int:pk>/correct/",
        views.attendance_correct_view,
        name="attendance_correct",
    ),
    path("awards/", views.movement_list_view, name="movement_list"),
    path("awards/history/", views.history_view, name="history"),
    path("awards/movements/new/", views.movement_new_view, name="movement_new"),
    path("awards/movements/<int:pk>/", views.movement_detail_view, name="movement_detail"),
    path("awards/movements/<int:pk>/nominate/", views.nomination_new_view, name="nomination_new"),
    path("awards/nominations/<int:pk>/", views.nomination_detail_view, name="nomination_detail"),
    path(
        "awards/nominations/<int:pk>/withdraw/",
        views.nomination_withdraw_view,
        name="nomination_withdraw",
    ),
    path(
        "awards/nominations/<int:pk>/return/",
        views.nomination_return_view,
        name="nomination_return",
    ),
    path(
        "awards/nominations/<int:pk>/resubmit/",
        views.nomination_resubmit_view,
        name="nomination_resubmit",
    ),
    path("awards/councils/", views.council_list_view, name="council_list"),
    path("awards/councils/<int:pk>/", views.council_detail_view, name="council_detail"),
    path(
        "awards/councils/members/<int:pk>/remove/",
        views.council_member_remove_view,
        name="council_member_remove",
    ),
    path(
        "awards/nominations/<int:pk>/files/<str:which>/",
        views.nomination_file_view,
        name="nomination_file",
    ),
    path("awards/meetings/new/", views.meeting_new_view, name="meeting_new"),
    path("awards/meetings/<int:pk>/", views.meeting_detail_view, name="meeting_detail"),
    path("awards/meetings/<int:pk>/vote/", views.vote_view, name="vote"),
    path("awards/meetings/<int:pk>/close/", views.meeting_close_view, name="meeting_close"),
    path("awards/meetings/<int:pk>/decision/", views.decision_new_view, name="decision_new"),
    path("awards/decisions/<int:pk>/", views.decision_detail_view, name="decision_detail"),
    path(
        "awards/decisions/<int:pk>/certificates.pdf",
        views.certificates_pdf_view,
        name="certificates_pdf",
    ),
    path("awards/decisions/<int:pk>/annex.<str:fmt>", views.annex_view, name="annex"),
]
