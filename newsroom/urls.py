from django.contrib import admin
from django.urls import include, path

from annotations.middleware import role_not_required
from annotations.views.accounts import LoginView, LogoutView, set_language
from annotations.views.common import favicon, healthz

urlpatterns = [
    path("", include("annotations.urls")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    # A user without a role may still log out.
    path("accounts/logout/", role_not_required(LogoutView.as_view()), name="logout"),
    # The language switcher is on the login page too.
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
]
