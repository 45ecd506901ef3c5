"""Exports of the selected claims: CSV, W3C Web Annotation and schema.org ClaimReview."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from annotations import exporting
from annotations.filters import ClaimFilter
from annotations.lib import formats
from annotations.models import Claim, ClaimStatus

EXPORT_PERMISSION = "annotations.export_claims"


def _refusal(request: HttpRequest, message: str, status: int) -> HttpResponse:
    """Why the export was not made: a page in the app's layout for a person in a browser, plain text for
    a program (a script or a spreadsheet's web import asking for the CSV), which would not read a page."""
    if "text/html" in request.headers.get("Accept", ""):
        return render(request, "annotations/export_refused.html", {"message": message}, status=status)
    return HttpResponse(message + "\n", status=status, content_type="text/plain; charset=utf-8")


def _export_refused(request: HttpRequest) -> HttpResponse:
    message = gettext("You may not export claims. Exports are for chief editors; ask one of them.")
    return _refusal(request, message, 403)


def _claims_to_export(request: HttpRequest, default_statuses: list[str]) -> ClaimFilter:
    """The queue's FilterSet on the request's query string; without a status, default_statuses.

    Like the queue, it leaves withdrawn claims out unless its "withdrawn" filter asks for them.
    """
    data = request.GET.copy()
    if not [status for status in data.getlist("status") if status]:
        data.setlist("status", default_statuses)
    return ClaimFilter(data, queryset=Claim.objects.visible_to(request.user, withdrawn=True), request=request)


def _filter_refused(request: HttpRequest, claims: ClaimFilter) -> HttpResponse:
    problems = "; ".join(
        f"{claims.form.fields[name].label}: {' '.join(errors)}" for name, errors in claims.errors.items()
    )
    message = gettext("The filter cannot be used for an export: %(problems)s") % {"problems": problems}
    return _refusal(request, message, 400)


@require_GET
def claim_export_csv(request: HttpRequest) -> HttpResponse:
    """The claims the queue's filters select (verified unless a status is asked for), streamed as CSV.

    ?dialect=excel for German Excel; ?labels=de for German column names, statuses and stances.
    """
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused(request)
    try:
        dialect = formats.get_dialect(request.GET.get("dialect"))
    except ValueError:
        message = gettext("Unknown CSV format. Use dialect=excel for Excel or leave it out.")
        return _refusal(request, message, 400)
    try:
        labels = exporting.labels_in(request.GET["labels"]) if request.GET.get("labels") else None
    except ValueError:
        return _refusal(request, gettext("Unknown labels. Use labels=de for German or leave it out."), 400)
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED])
    if not claims.is_valid():
        return _filter_refused(request, claims)
    response = StreamingHttpResponse(
        exporting.csv_chunks(claims.qs, dialect, labels), content_type="text/csv; charset=utf-8; header=present"
    )
    return exporting.as_attachment(response, dialect.name)


@require_GET
def claim_export_annotations(request: HttpRequest) -> HttpResponse:
    """The selected claims as a W3C Web Annotation collection (one page)."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused(request)
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED])
    if not claims.is_valid():
        return _filter_refused(request, claims)
    placed = exporting.annotatable(claims.qs)
    chunks = formats.annotation_collection_chunks(
        request.build_absolute_uri(),
        gettext("Claims of the newsroom"),
        placed.count(),
        exporting.web_annotations(placed, request.build_absolute_uri),
    )
    content_type = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    return exporting.as_attachment(StreamingHttpResponse(chunks, content_type=content_type), "w3c")


@require_GET
def claim_export_claimreview(request: HttpRequest) -> HttpResponse:
    """schema.org ClaimReviews of the selected verified and disputed claims, as one JSON-LD graph."""
    if not request.user.has_perm(EXPORT_PERMISSION):
        return _export_refused(request)
    claims = _claims_to_export(request, [ClaimStatus.VERIFIED, ClaimStatus.DISPUTED])
    if not claims.is_valid():
        return _filter_refused(request, claims)
    chunks = formats.graph_chunks("https://schema.org", exporting.claim_reviews(claims.qs, request.build_absolute_uri))
    return exporting.as_attachment(StreamingHttpResponse(chunks, content_type="application/ld+json"), "claimreview")
