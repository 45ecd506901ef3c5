"""What happens when somebody logs in or out, whichever page or the admin did it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.translation import gettext

from annotations import language


@receiver(user_logged_in, dispatch_uid="newsroom-language-at-login")
def language_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    language.apply_at_login(request, user)


@receiver(user_logged_out, dispatch_uid="newsroom-logged-out-message")
def logged_out_message(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """The login page that follows says so: leaving without a word looked like an error."""
    if request is not None and user is not None and hasattr(request, "_messages"):
        messages.success(request, gettext("You are logged out. Log in again to continue."))
