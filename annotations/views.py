from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from annotations.models import Article, Claim, ClaimStatus, Source


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


def dashboard(request: HttpRequest) -> HttpResponse:
    counts = Claim.objects.counts_by_status()
    context = {
        "status_counts": [(ClaimStatus(value), counts[value]) for value in ClaimStatus.values],
        "my_queue": Claim.objects.open().assigned_to(request.user).with_related().order_by("created_at")[:10],
        "oldest_open": Claim.objects.oldest_open_first().with_related()[:10],
        "recent_articles": Article.objects.with_claim_counts()[:5],
    }
    return render(request, "annotations/dashboard.html", context)


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.with_claim_counts().select_related("created_by")
    return render(request, "annotations/article_list.html", {"articles": articles[:100]})


def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    claims = Claim.objects.for_article(article).with_related()
    return render(request, "annotations/article_detail.html", {"article": article, "claims": claims})


def claim_list(request: HttpRequest) -> HttpResponse:
    claims = Claim.objects.with_related().order_by("-created_at")
    return render(request, "annotations/claim_list.html", {"claims": claims[:100]})


def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.with_related(), pk=claim_id)
    context = {
        "claim": claim,
        "evidence": claim.evidence.select_related("source", "added_by"),
        "events": claim.events.select_related("actor"),
    }
    return render(request, "annotations/claim_detail.html", context)


def source_list(request: HttpRequest) -> HttpResponse:
    sources = Source.objects.order_by("publisher", "title")
    return render(request, "annotations/source_list.html", {"sources": sources[:200]})
