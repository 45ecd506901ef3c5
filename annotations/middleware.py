"""Refuse oversized requests before anything reads their body; refuse users without a role before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.utils.translation import gettext

from annotations.models import can_read


class RequestSizeLimitMiddleware:
    """Answer 413 for a request body over NEWSROOM_IMPORT_MAX_UPLOAD_BYTES.

    It sits before the CSRF middleware, which would otherwise read the whole upload into
    temporary files; the view checks the received size again for bodies without a length.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES:
            return too_large_response(request)
        return self.get_response(request)


def too_large_response(request: HttpRequest) -> HttpResponse:
    limit = filesizeformat(settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES)
    body = render_to_string("annotations/upload_too_large.html", {"limit": limit}, request=request)
    response = HttpResponse(body, status=413)
    # The body was not read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


def role_not_required(view: Any) -> Any:
    """Mark a view that a logged-in user without a role may reach (logging out)."""
    view.role_required = False
    return view


class ReadRuleMiddleware:
    """The app's one read rule at its one door: a logged-in user without a role reads nothing.

    Every view needs a role (models.can_read) unless it needs no login at all (login, health
    check, language switch) or is marked @role_not_required, so a page, fragment or JSON
    endpoint added later is covered without a word. The admin keeps its own rule, which is
    stricter: it shows each model only to who holds that model's permissions. Inside the
    views, the QuerySets' visible_to(user) apply the same rule to the data.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or can_read(user):
            return None  # the login middleware sends anonymous visitors to the login page
        if not getattr(view_func, "login_required", True) or not getattr(view_func, "role_required", True):
            return None
        if request.resolver_match is not None and "admin" in request.resolver_match.namespaces:
            return None
        return no_role_response(request)


def no_role_response(request: HttpRequest) -> HttpResponse:
    message = gettext(
        "You have no role yet, so you cannot see articles, claims or sources. "
        "Ask an administrator to give you one: Editor, Fact-checker or Chief editor."
    )
    wants_json = request.path.endswith((".json", ".jsonld")) or "application/json" in request.headers.get("Accept", "")
    if wants_json:
        return JsonResponse({"error": message}, status=403)
    body = render_to_string("annotations/no_role.html", {"message": message}, request=request)
    return HttpResponse(body, status=403)
