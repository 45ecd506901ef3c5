"""What the page families share: the dashboard, the health check, and who may do what."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotations.models import Article, Claim, ClaimStatus, ClaimTally


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
    claims = Claim.objects.visible_to(request.user)
    counts = ClaimTally.objects.counts_for(request.user)
    context = {
        "status_counts": [(ClaimStatus(value), counts[value]) for value in ClaimStatus.values],
        "my_queue": _my_queue(request.user)[:10],
        "oldest_open": claims.oldest_open_first().with_related()[:10],
        # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
        "recent_articles": Article.objects.visible_to(request.user)
        .with_claim_counts()
        .order_by("-created_at", "-id")[:5],
    }
    return render(request, "annotations/dashboard.html", context)


def _my_queue(user: Any) -> Any:
    """What this person should work on next.

    People who check claims see the open claims assigned to them, those in review first;
    editors, who cannot check, see the open claims they created, to know what is pending.
    """
    claims = Claim.objects.visible_to(user).open().with_related()
    if user.has_perm("annotations.change_claim_status"):
        claims = claims.assigned_to(user)
    else:
        claims = claims.filter(created_by=user)
    # "in_review" sorts before "unverified": work already started comes first.
    return claims.order_by("status", "created_at", "id")


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
