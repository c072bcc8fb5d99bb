from django.urls import path

from treem.site import views

# The namespace stays "core": templates, settings (LOGIN_REDIRECT_URL) and every app reverse
# "core:dashboard", the name the home page had before the site package was split from the kernel.
app_name = "core"
urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
]
