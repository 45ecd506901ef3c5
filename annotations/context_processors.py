"""What every page's frame needs to know about the user."""

from __future__ import annotations

from django.http import HttpRequest

from annotations.models import can_read


def read_rule(request: HttpRequest) -> dict[str, bool]:
    # The header shows the app's pages only to who may read them (the one read rule, models.can_read).
    return {"user_can_read": can_read(getattr(request, "user", None))}
