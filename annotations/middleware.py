"""Refuse oversized requests before anything reads their body, addresses with a NUL, and users without a role
before any view runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
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
    # No "Connection: close": it is the server's business (Django's development server refuses the
    # header with a 500; gunicorn ignores it), and both drain or drop the body that was not read.
    return HttpResponse(body, status=413)


class RefuseNulMiddleware:
    """Answer 400 to a NUL anywhere in the path or the query string.

    No address of ours has one, and PostgreSQL refuses it in any text: without this, a NUL in a
    list filter, a search or the admin's autocomplete reached the database and answered 500.
    Forms are left to their own validation, which keeps what the editor typed and says why.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        query = request.GET.lists()
        if "\x00" in request.path or any("\x00" in key or any("\x00" in v for v in values) for key, values in query):
            if request.path.endswith(".json"):  # what the page's scripts ask: an answer they can show
                message = gettext("The address contains a NUL character, which no search can use. Remove it.")
                return JsonResponse({"error": message}, status=400)
            raise BadRequest("NUL in the address")
        return self.get_response(request)


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
