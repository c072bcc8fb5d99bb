from django.urls import path

from treem.people import api

app_name = "people"
urlpatterns = [
    path("staff/", api.StaffList.as_view(), name="staff_list"),
    path("coverage/", api.CoverageList.as_view(), name="coverage"),
    path("nominations/", api.NominationList.as_view(), name="nomination_list"),
    path("meetings/<int:pk>/votes/", api.VoteCreate.as_view(), name="vote_create"),
]
