from django.urls import path

from treem.assistance import api

app_name = "assistance"
urlpatterns = [
    path("calculate/", api.Calculate.as_view(), name="calculate"),
    path("dossiers/", api.DossierList.as_view(), name="dossier_list"),
    path("track/<str:code>/", api.Track.as_view(), name="track"),
    path("lists/", api.PaymentListList.as_view(), name="list_list"),
    path("lists/<int:pk>/", api.PaymentListDetail.as_view(), name="list_detail"),
    path("lists/<int:pk>/approve/", api.PaymentListApprove.as_view(), name="list_approve"),
]
