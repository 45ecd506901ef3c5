from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from annotations import export_db, exports, importing
from annotations.article_forms import ArticleMetadataForm, ArticleUploadForm
from annotations.filters import ArticleFilter, ClaimFilter
from annotations.middleware import too_large_response
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


ARTICLES_PER_PAGE = 25


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
    articles = Article.objects.with_claim_counts().select_related("created_by").order_by("-created_at", "-id")
    article_filter = ArticleFilter(request.GET or None, queryset=articles, request=request)
    page = Paginator(article_filter.qs, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": article_filter, "page": page, "articles": page.object_list, "query": query.urlencode()}
    return render(request, "annotations/article_list.html", context)


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


# --- Getting articles in (issue 3) ----------------------------------------------------


def _require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _get_article_for_user(request: HttpRequest, article_id: int) -> Article:
    # Every logged-in user may read every article; changing one needs the permission.
    return get_object_or_404(Article, pk=article_id)


UPLOAD_RESULTS_KEPT = 20


def _keep_results(request: HttpRequest, results: list[importing.ImportResult]) -> str:
    """Keep the results in the session (shared by all app servers) for the results page."""
    token = uuid.uuid4().hex
    kept = dict(list(request.session.get("upload_results", {}).items())[-(UPLOAD_RESULTS_KEPT - 1) :])
    kept[token] = [result.as_dict() for result in results]
    request.session["upload_results"] = kept
    return token


@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    _require_perm(request, "annotations.add_article")
    form = ArticleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        files = request.FILES.getlist("files")
        if sum(upload.size or 0 for upload in files) > settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES:
            return too_large_response(request)
        if form.is_valid():
            results = _import_upload(form, request.user)
            return redirect("annotations:upload-results", token=_keep_results(request, results))
    return render(request, "annotations/article_new.html", {"form": form, "limits": importing.limits()})


def _import_upload(form: ArticleUploadForm, user: Any) -> list[importing.ImportResult]:
    """Each file separately, each article in its own transaction."""
    source = form.cleaned_data["source"].strip()
    results = []
    if document := form.cleaned_data.get("document"):
        results.append(importing.import_document(document, by=user, source=source))
    for upload in form.cleaned_data["files"]:
        name = upload.name or "?"
        if (upload.size or 0) > importing.max_read_bytes(name):
            results.append(importing.refuse_too_large(name, upload.size or 0))
            continue
        results.extend(importing.import_file(name, upload.read(), by=user, source=source))
    return results


@require_GET
def upload_results(request: HttpRequest, token: str) -> HttpResponse:
    results = request.session.get("upload_results", {}).get(token)
    if results is None:
        raise Http404
    counts = Counter(result["outcome"] for result in results)
    return render(request, "annotations/upload_results.html", {"results": results, "counts": counts})


@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _get_article_for_user(request, article_id)
    _require_perm(request, "annotations.change_article")
    form = ArticleMetadataForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        article = form.save(commit=False)
        article.updated_by = request.user
        article.save()
        messages.success(request, gettext("The article’s details were saved."))
        return redirect(article)
    return render(request, "annotations/article_edit.html", {"form": form, "article": article})
# --- Exports (issue 6) ------------------------------------------------------------------

EXPORT_PERMISSION = "annotations.export_claims"


def _export_refused() -> HttpResponse:
    message = gettext("You may not export claims. Exports are for chief editors; ask one of them.")
    return HttpResponseForbidden(message + "\n", content_type="text/plain; charset=utf-8")


def _claims_to_export(request: HttpRequest, default_statuses: list[str]) -> ClaimFilter:
    """The queue's FilterSet on the request's query string; without a status, default_statuses."""
    data = request.GET.copy()
    if not [status for status in data.getlist("status") if status]:
        data.setlist("status", default_statuses)
    return ClaimFilter(data, queryset=Claim.objects.all(), request=request)


def _filter_refused(claims: ClaimFilter) -> HttpResponse:
    problems = "; ".join(
        f"{claims.form.fields[name].label}: {' '.join(errors)}" for name, errors in claims.errors.items()
    )
    message = gettext("The filter cannot be used for an export: %(problems)s") % {"problems": problems}
    return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")


def _attachment(response: StreamingHttpResponse, extension: str) -> StreamingHttpResponse:
    name = pgettext("export file name", "claims")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate().isoformat()}.{extension}"'
    return response


@require_GET
def claim_export_csv(request: HttpRequest) -> HttpResponse:
    """The claims the queue's filters select (verified unless a status is asked for), streamed as CSV."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused()
    try:
        dialect = exports.get_dialect(request.GET.get("dialect"))
    except ValueError:
        message = gettext("Unknown CSV format. Use dialect=excel for Excel or leave it out.")
        return HttpResponseBadRequest(message + "\n", content_type="text/plain; charset=utf-8")
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED])
    if not claims.is_valid():
        return _filter_refused(claims)
    response = StreamingHttpResponse(
        export_db.csv_chunks(claims.qs, dialect), content_type="text/csv; charset=utf-8; header=present"
    )
    return _attachment(response, "csv")


@require_GET
def claim_export_annotations(request: HttpRequest) -> HttpResponse:
    """The selected claims as a W3C Web Annotation collection (one page)."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused()
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED])
    if not claims.is_valid():
        return _filter_refused(claims)
    chunks = exports.annotation_collection_chunks(
        request.build_absolute_uri(),
        gettext("Claims of the newsroom"),
        claims.qs.count(),
        export_db.web_annotations(claims.qs, request.build_absolute_uri),
    )
    content_type = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return _attachment(StreamingHttpResponse(chunks, content_type=content_type), "jsonld")


@require_GET
def claim_export_claimreview(request: HttpRequest) -> HttpResponse:
    """schema.org ClaimReviews of the selected verified and disputed claims, as one JSON-LD graph."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused()
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED, ClaimStatus.DISPUTED])
    if not claims.is_valid():
        return _filter_refused(claims)
    chunks = exports.graph_chunks("https://schema.org", export_db.claim_reviews(claims.qs, request.build_absolute_uri))
    return _attachment(StreamingHttpResponse(chunks, content_type="application/ld+json"), "jsonld")
