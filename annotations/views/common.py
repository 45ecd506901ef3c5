"""What the page families share: the dashboard, the health check, who may do what, what waits in the session."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotations import dashboard as overview
from annotations.models import Article, ClaimEvent, ClaimStatus, ClaimTally

# --- What a page keeps for the next request in the session (shared by all app servers) --------

SESSION_ITEMS_KEPT = 20


def keep_in_session(request: HttpRequest, key: str, name: str, value: Any) -> None:
    """Keep value under name in the session's dict `key`, with at most SESSION_ITEMS_KEPT names (the oldest go)."""
    kept = dict(list(request.session.get(key, {}).items())[-(SESSION_ITEMS_KEPT - 1) :])
    kept[name] = value
    request.session[key] = kept


def take_from_session(request: HttpRequest, key: str, name: str) -> dict[str, Any]:
    """What keep_in_session kept under name, once: taken out of the session ({} if nothing is there)."""
    kept = request.session.get(key, {})
    if name not in kept:
        return {}
    value = kept.pop(name)
    request.session[key] = kept
    return value


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not; for load balancers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on every page that names no icon (the admin's, a download): the app's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def dashboard(request: HttpRequest) -> HttpResponse:
    """The overview: counts by status, the lists that wait for this role, the weekly chart (annotations.dashboard)."""
    counts = ClaimTally.objects.counts_for(request.user)
    context = {
        "status_counts": [(ClaimStatus(value), counts[value]) for value in ClaimStatus.values],
        "role": overview.role_of(request.user),
        "blocks": overview.blocks_for(request.user),
        "chart": overview.week_chart(request.user),
        # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
        "recent_articles": Article.objects.visible_to(request.user)
        .with_claim_counts()
        .order_by("-created_at", "-id")[:5],
        # Withdrawals change the counts above too: ask about every claim.
        "live_notice": live_notice(withdrawn="include"),
    }
    return render(request, "annotations/dashboard.html", context)


# The largest id the databases store: a larger number is refused, not compared (SQLite cannot).
MAX_ID = 2**63 - 1


class BadParameter(ValueError):
    """A query parameter a JSON endpoint cannot take; bad_parameter() says why, in the reader's language."""

    def __init__(self, name: str, low: int = 1, high: int = MAX_ID, *, count: int | None = None) -> None:
        super().__init__(name)
        self.name, self.low, self.high, self.count = name, low, high, count


def _whole_number(raw: str, low: int, high: int) -> bool:
    # isascii: "１" is a digit to isdigit() and a number to int(); 19 digits: int() stays cheap.
    return raw.isascii() and raw.isdigit() and len(raw) <= 19 and low <= int(raw) <= high


def int_parameter(request: HttpRequest, name: str, default: int | None, low: int, high: int = MAX_ID) -> int | None:
    """A whole number from low to high in ?name=, `default` when it is absent; BadParameter for anything else."""
    raw = request.GET.get(name, "")
    if raw == "":
        return default
    if not _whole_number(raw, low, high):
        raise BadParameter(name, low, high)
    return int(raw)


def ids_parameter(request: HttpRequest, name: str, limit: int) -> list[int]:
    """Up to `limit` ids separated by commas in ?name= (none when it is absent); BadParameter otherwise."""
    raw = request.GET.get(name, "")
    if raw == "":
        return []
    parts = raw.split(",")
    if len(parts) > limit or not all(
        p.isascii() and p.isdigit() and len(p) <= 19 and 1 <= int(p) <= MAX_ID for p in parts
    ):
        raise BadParameter(name, count=limit)
    return [int(p) for p in parts]


def bad_parameter(error: BadParameter) -> JsonResponse:
    """The 400 answer of a JSON endpoint to a bad parameter: what it must be, for the page's script to show."""
    if error.count is not None:
        message = gettext("“%(name)s” must be up to %(count)s ids separated by commas.") % {
            "name": error.name,
            "count": error.count,
        }
    else:
        message = gettext("“%(name)s” must be a whole number from %(low)s to %(high)s.") % {
            "name": error.name,
            "low": error.low,
            "high": error.high,
        }
    return JsonResponse({"error": message}, status=400)


def live_notice(**query: str) -> dict[str, Any]:
    """What the queue and the dashboard need to say "3 new changes – show" (live_notice.js, views.live):
    where to ask, from which history entry on, how often, and the words."""
    return {
        "url": reverse("annotations:claim-changes"),
        "query": query,
        "since": ClaimEvent.objects.newest_id(),
        "poll_ms": settings.NEWSROOM_LIVE_NOTICE_POLL_MS,
        # The browser picks the form for the count; German and English have these two.
        "one": ngettext("%(count)s new change", "%(count)s new changes", 1),
        "many": ngettext("%(count)s new change", "%(count)s new changes", 2),
        "more": gettext("More than %(count)s new changes"),
        "show": gettext("show"),
    }


def safe_next(request: HttpRequest, target: object, default: str) -> str:
    """`target` if it is a path on this site, else `default`: the one check for every `next` value.

    A path starts with one "/" (not "//" or "/\\", which browsers read as another host) and holds no
    control character or white space; anything else ("danke", "-1", a full URL, NUL) would be read
    as a view name, a relative address or another site, so it is replaced by the page the action
    belongs to. The action itself was saved before this is asked: it must never fail here.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith(("//", "/\\")):
        return default
    if any(char.isspace() or unicodedata.category(char) == "Cc" or char == "\\" for char in target):
        return default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    return target


def next_url(request: HttpRequest, default: str, target: str | None = None) -> str:
    """Where to go after an action: the page that sent the form (or `target`), if it is ours.

    A confirmation page gets it in its query string (?next=) and sends it on with its form.
    """
    if target is None:
        target = request.POST.get("next") or request.GET.get("next") or ""
    return safe_next(request, target, default)


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied
