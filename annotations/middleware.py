"""Refuse oversized requests before anything reads their body."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string


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
