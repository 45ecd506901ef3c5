"""Accounts: logging in and out, the language switch, and the page of a locked-out login."""

from __future__ import annotations

import datetime
from typing import Any

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views import i18n

from annotations import language
from annotations.views.common import safe_next


class SafeNextMixin:
    """Django's auth views, with their `next` held to the same rule as every other."""

    request: HttpRequest

    def get_redirect_url(self) -> str:
        return safe_next(self.request, super().get_redirect_url(), "")  # type: ignore[misc]


class LoginView(SafeNextMixin, auth_views.LoginView):
    pass


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


@login_not_required
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (on the login page too), with its `next` held to the same rule, and the
    choice remembered for the session and the person (annotations.language)."""
    if "next" in request.POST:
        data = request.POST.copy()
        data["next"] = safe_next(request, data["next"], "/")
        request.POST = data
    response = i18n.set_language(request)
    if request.method == "POST" and response.status_code in (204, 302):
        language.remember(request, request.POST.get("language", ""))
    return response


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """The user name django-axes records and locks: cut to its column, which is longer than any user name.

    A login form sent with a name of thousands of characters otherwise failed on that column (500).
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    name = (credentials or {}).get(field) or request.POST.get(field) or ""
    return str(name)[: AccessAttempt._meta.get_field("username").max_length]


def lock_ends(username: str, ip_address: str | None) -> datetime.datetime:
    """When the lock of this user name at this address ends: its last counted failure plus the cool-off."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(last=Max("attempt_time"))[
        "last"
    ]
    return (last or timezone.now()) + settings.AXES_COOLOFF_TIME


def locked_out(request: HttpRequest, original_response: Any = None, credentials: dict | None = None) -> HttpResponse:
    """django-axes calls this instead of the login page once a user name is locked at this address."""
    address = getattr(request, "axes_ip_address", None)
    until = timezone.localtime(lock_ends(axes_username(request, credentials), address))
    minutes = max(1, -(-int((until - timezone.now()).total_seconds()) // 60))
    context = {"until": until, "minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT}
    return render(request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
