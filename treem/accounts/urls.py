from django.urls import path

from treem.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/token/", views.login_token_view, name="login_token"),
    path("logout/", views.logout_view, name="logout"),
    path("profile/", views.profile_view, name="profile"),
    path("2fa/setup/", views.two_factor_setup_view, name="two_factor_setup"),
    path("users/", views.user_list_view, name="user_list"),
    path("users/new/", views.user_create_view, name="user_create"),
    path("users/<int:pk>/", views.user_detail_view, name="user_detail"),
    path("users/<int:pk>/password/", views.user_password_view, name="user_password"),
    path("users/<int:pk>/unlock/", views.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/reset-2fa/", views.user_reset_2fa_view, name="user_reset_2fa"),
    path("users/<int:pk>/access-log/", views.user_access_log_view, name="user_access_log"),
]
