"""Finding things: the search page over articles and claims, and "already checked?" for a claim's wording."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from annotations import searching
from annotations.forms import SearchForm
from annotations.lib import german
from annotations.models import FINISHED_STATUSES, Article, Claim, ClaimStatus
from annotations.views.common import BadParameter, bad_parameter, int_parameter

PAGE_SIZE = 20
PREVIEW_SIZE = 5  # results of each kind when the page shows both


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context: dict[str, Any] = {"form": form, "searched": False}
    if not form.is_valid():
        return render(request, "annotations/search.html", context, status=400 if form.is_bound else 200)
    data = form.cleaned_data
    context["searched"] = bool(data["q"])
    if data["q"]:
        # Parsed, and the word list asked, once for both lists and their snippets.
        prepared = searching.prepare(data["q"], Claim.objects.all())
        kind = data["type"]
        per_page = PAGE_SIZE if kind else PREVIEW_SIZE
        if kind in ("", "articles"):
            rows = Article.objects.select_related("created_by")
            context["articles"] = _page(request, _articles(request, data, prepared), rows, per_page, prepared, "body")
        if kind in ("", "claims"):
            rows = Claim.objects.with_related()
            context["claims"] = _page(request, _claims(request, data, prepared), rows, per_page, prepared, "quote")
        query = request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        query.pop("type", None)
        context["query_without_type"] = query.urlencode()
    context["cap"] = searching.SEARCH_CAP
    return render(request, "annotations/search.html", context)


def _articles(request: HttpRequest, data: dict[str, Any], q: searching.Prepared) -> QuerySet[Article]:
    return _ranked(Article.objects.visible_to(request.user), data, q, article="")


def _claims(request: HttpRequest, data: dict[str, Any], q: searching.Prepared) -> QuerySet[Claim]:
    claims = Claim.objects.visible_to(request.user)
    if data["status"]:
        claims = claims.with_status(*data["status"])
    return _ranked(claims, data, q, article="article__")


def _ranked(rows: QuerySet[Any], data: dict[str, Any], q: searching.Prepared, *, article: str) -> QuerySet[Any]:
    """The rows whose article has the source and date asked for, searched and ranked. Filters first:
    the search ranks the newest matches of what they leave."""
    wanted = {
        f"{article}source__icontains": data["source"],
        f"{article}published_on__gte": data["since"],
        f"{article}published_on__lte": data["until"],
    }
    rows = rows.filter(**{lookup: value for lookup, value in wanted.items() if value})
    return rows.search(q, ranked=True).order_by("-search_rank", "-id")


def _page(
    request: HttpRequest, ranked: QuerySet[Any], rows: QuerySet[Any], per_page: int, q: searching.Prepared, field: str
) -> Page:
    """One page of the ranked rows: their ids in one query (at most SEARCH_CAP), then the page's rows."""
    page = Paginator(list(ranked.values_list("pk", flat=True)), per_page).get_page(request.GET.get("page"))
    rows = rows.filter(pk__in=page.object_list).with_headline(q)
    if searching.is_postgres(rows) and field == "body":
        # The database's headline is the snippet: an article's body stays in the database. A claim's quote is
        # short, and the page asks whether it carries its own quotation marks: deferred, it was a query per row.
        rows = rows.defer(field)
    by_id = {row.pk: row for row in rows}
    page.object_list = [by_id[pk] for pk in page.object_list if pk in by_id]
    for row in page.object_list:
        row.snippet = searching.snippet(row, field, q)
    return page


# --- Already checked? ------------------------------------------------------------------


@require_GET
def similar_claims(request: HttpRequest) -> JsonResponse:
    """`?text=&limit=5&exclude_article=`: the claims that say what text says, best first."""
    try:
        limit = int_parameter(request, "limit", 5, 1, searching.MAX_SIMILAR)
        exclude_article = int_parameter(request, "exclude_article", None, 1)
    except BadParameter as error:
        return bad_parameter(error)
    found = Claim.objects.visible_to(request.user).similar_to(
        request.GET.get("text", ""), limit=limit or 5, exclude_article=exclude_article
    )
    return JsonResponse({"results": [similar_row(item) for item in found]})


def describe_difference(difference: german.Difference) -> str:
    """ "Another number: 15 Mio. € instead of 12 Mio. €", in the editor's language."""
    kind = {
        "number": gettext("Another number"),
        "year": gettext("Another year"),
        "place": gettext("Another place"),
    }[difference.kind]
    return gettext("%(kind)s: %(theirs)s instead of %(ours)s") % {
        "kind": kind,
        "theirs": ", ".join(difference.theirs),
        "ours": ", ".join(difference.ours),
    }


def similar_row(item: searching.SimilarClaim) -> dict[str, Any]:
    claim = item.claim
    finished = claim.status in FINISHED_STATUSES
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "quote": claim.quote,
        "status": claim.status,
        "article_id": claim.article_id,
        "score": item.score,
        "status_label": str(ClaimStatus(claim.status).label),
        "verdict": str(ClaimStatus(claim.status).label) if finished else "",
        "url": claim.get_absolute_url(),
        "article_title": item.article_title,
        "differences": [describe_difference(difference) for difference in item.differences],
    }
