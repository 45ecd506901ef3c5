"""The language of the pages: German unless the person chose otherwise, and remembered per person.

Django's LocaleMiddleware follows the browser's Accept-Language, so a newsroom whose browsers are set
to English got English pages with US dates although the app is German first. Here the browser is not
asked: the language is the one chosen with the switch in the header — kept in the session, stored on
the user (UserPreferences) and put back into the session at every login — or, before logging in, the
switch's cookie, or else settings.LANGUAGE_CODE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from annotations.models import UserPreferences

SESSION_KEY = "newsroom_language"


def supported(language: Any) -> bool:
    return isinstance(language, str) and language in dict(settings.LANGUAGES)


def chosen_language(request: HttpRequest) -> str:
    """The session's language (the person's choice), the switch's cookie, or the default: never the browser's."""
    session = getattr(request, "session", None)
    candidates = [session.get(SESSION_KEY) if session is not None else None]
    candidates.append(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    return next((language for language in candidates if supported(language)), settings.LANGUAGE_CODE)


class LanguageMiddleware:
    """Activate the chosen language for the request (in place of django.middleware.locale.LocaleMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # The page depends on the session or the switch's cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


def remember(request: HttpRequest, language: str) -> None:
    """The switch: this language for the rest of the session and, for a person logged in, for every login."""
    if not supported(language):
        return
    request.session[SESSION_KEY] = language
    if request.user.is_authenticated:
        UserPreferences.objects.remember_language(request.user, language)


def apply_at_login(request: HttpRequest | None, user: Any) -> None:
    """At login: the language this person chose before, on any computer (the signal's receiver)."""
    language = UserPreferences.objects.language_of(user)
    if request is not None and supported(language):
        request.session[SESSION_KEY] = language
        translation.activate(language)
