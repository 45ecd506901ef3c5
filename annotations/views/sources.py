"""Sources: the list and the evidence form's source search."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from annotations.models import Source

SOURCES_PAGE_SIZE = 50


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()
    sources = Source.objects.visible_to(request.user)
    sources = sources.search(text) if text else sources
    sources = sources.with_citing_claims().order_by("publisher", "title", "id")
    page = Paginator(sources, SOURCES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "annotations/source_list.html", {"page": page, "sources": page.object_list, "q": text})


@require_GET
def source_search(request: HttpRequest) -> JsonResponse:
    """Sources for the evidence form's search box: URL, title, publisher and kind."""
    rows = Source.objects.visible_to(request.user).search(request.GET.get("q", "")).order_by("title", "id")[:10]
    results = [
        {"url": source.url, "title": source.title, "publisher": source.publisher, "kind": source.kind}
        for source in rows
    ]
    return JsonResponse({"results": results})
