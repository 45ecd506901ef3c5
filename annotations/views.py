from __future__ import annotations

import dataclasses
import functools
import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Prefetch
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseForbidden,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import anchoring, export_db, exports, importing
from annotations.article_forms import ArticleMetadataForm, ArticleUploadForm
from annotations.claim_forms import ClaimEditForm, ClaimFromSelectionForm
from annotations.filters import ArticleFilter, ClaimFilter
from annotations.forms import AssignForm, BulkForm, EvidenceForm, StatusForm
from annotations.middleware import too_large_response
from annotations.models import (
    FINISHED_STATUSES,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    PermissionRefused,
    Source,
    Stance,
    VersionConflict,
    WorkflowError,
)


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
        "my_queue": _my_queue(request.user)[:10],
        "oldest_open": Claim.objects.oldest_open_first().with_related()[:10],
        # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
        "recent_articles": Article.objects.with_claim_counts().order_by("-created_at", "-id")[:5],
    }
    return render(request, "annotations/dashboard.html", context)


ARTICLES_PER_PAGE = 25


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
    articles = Article.objects.with_claim_counts().select_related("created_by").order_by("-created_at", "-id")
    article_filter = ArticleFilter(request.GET or None, queryset=articles, request=request)
    articles = article_filter.qs
    if "-id" not in articles.query.order_by:
        # Sorting by date or title ties rows: without the id, pages repeat some articles and skip others.
        articles = articles.order_by(*articles.query.order_by, "-id")
    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": article_filter,
        "page": page,
        "articles": page.object_list,
        "query": query.urlencode(),
    }
    return render(request, "annotations/article_list.html", context)


def article_detail(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    return _render_article_page(request, article)


# --- issue 5: the claim page, the queue and the sources --------------------------------


def _my_queue(user: Any) -> Any:
    """What this person should work on next.

    People who check claims see the open claims assigned to them, those in review first;
    editors, who cannot check, see the open claims they created, to know what is pending.
    """
    claims = Claim.objects.open().with_related()
    if user.has_perm("annotations.change_claim_status"):
        claims = claims.assigned_to(user)
    else:
        claims = claims.filter(created_by=user)
    # "in_review" sorts before "unverified": work already started comes first.
    return claims.order_by("status", "created_at", "id")


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "annotations/refused.html", {"message": message}, status=403)


def _get_claim_for_user(request: HttpRequest, claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.with_related(), pk=claim_id)


def _may_view_claims(user: Any) -> bool:
    return user.has_perm("annotations.view_claim")


def _claims_visible(view: Any) -> Any:
    """Refuse, in the user's language, everyone who may not see claims (an outsider without a role)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _may_view_claims(request.user):
            return _refused(request, gettext("You may not see claims. Ask an administrator for a role."))
        return view(request, *args, **kwargs)

    return wrapped


def _next_url(request: HttpRequest, default: str) -> str:
    """Where to go after an action: the page that sent the form, if it is ours."""
    target = request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return default


def _stale_data(request: HttpRequest, claim: Claim) -> Any:
    """The editor's input again, with the current version, so a deliberate resubmit can succeed."""
    data = request.POST.copy()
    data["version"] = str(claim.version)
    return data


def _claim_page(
    request: HttpRequest,
    claim: Claim,
    *,
    evidence_form: EvidenceForm | None = None,
    status_form: StatusForm | None = None,
    assign_form: AssignForm | None = None,
    conflict: VersionConflict | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "claim": claim,
        "evidence": claim.evidence.select_related("source", "added_by"),
        "events": claim.events.select_related("actor"),
        "evidence_form": evidence_form or EvidenceForm(initial={"version": claim.version}),
        "status_form": status_form or StatusForm(claim=claim, initial={"version": claim.version}),
        "assign_form": assign_form or AssignForm(initial={"version": claim.version, "assignee": claim.assignee_id}),
        "conflict": conflict,
        "changes": conflict.changes if conflict else [],
        "error": error,
        "is_finished": claim.status in FINISHED_STATUSES,
        "can_check": user.has_perm("annotations.change_claim_status"),
        "can_assign": user.has_perm("annotations.assign_claim"),
        "can_reopen": user.has_perm("annotations.reopen_claim"),
        "can_add_evidence": user.has_perm("annotations.add_evidence"),
        "can_remove_evidence": user.has_perm("annotations.delete_evidence"),
        "can_take": user.has_perm("annotations.change_claim_status") and claim.assignee_id != user.pk,
        # After a refusal the forms keep sending the editor back where they came from.
        "next": request.get_full_path() if request.method == "GET" else _next_url(request, claim.get_absolute_url()),
    }
    return render(request, "annotations/claim_detail.html", context, status=status)


def _refusal(request: HttpRequest, claim: Claim, error: WorkflowError, **forms: Any) -> HttpResponse:
    """Re-render the claim page with the editor's input and the reason; nothing was saved."""
    claim.refresh_from_db()
    if isinstance(error, VersionConflict):
        return _claim_page(request, claim, conflict=error, error=str(error), status=409, **forms)
    code = 403 if isinstance(error, PermissionRefused) else 400
    return _claim_page(request, claim, error=str(error), status=code, **forms)


@require_GET
@_claims_visible
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_page(request, _get_claim_for_user(request, claim_id))


@require_POST
@_claims_visible
def claim_add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _claim_page(
            request, claim, evidence_form=form, error=gettext("Please correct the marked fields."), status=400
        )
    data = form.cleaned_data
    try:
        if not request.user.has_perm("annotations.add_evidence"):
            # Refuse before creating a source: somebody who may not add evidence adds nothing.
            raise PermissionRefused(gettext("You may not add sources to claims."))
        # One transaction: a refused link leaves no new, unused source behind.
        with transaction.atomic():
            source, _ = Source.objects.for_url(data["url"], form.source_defaults(request.user))
            claim.add_evidence(
                source,
                stance=data["stance"],
                excerpt=data["excerpt"].strip(),
                note=data["note"].strip(),
                by=request.user,
                expected_version=data["version"],
            )
    except WorkflowError as error:
        claim.refresh_from_db()
        return _refusal(request, claim, error, evidence_form=EvidenceForm(_stale_data(request, claim)))
    messages.success(request, gettext("Source added: %(source)s") % {"source": source})
    return redirect(_next_url(request, claim.get_absolute_url()))


@require_POST
@_claims_visible
def claim_remove_evidence(request: HttpRequest, claim_id: int, evidence_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    version = _posted_version(request, claim)
    evidence = Evidence.objects.select_related("source").filter(pk=evidence_id, claim=claim).first()
    if evidence is None:
        if version < claim.version:
            # Somebody removed it meanwhile: show what happened instead of a bare "not found".
            return _refusal(request, claim, VersionConflict(claim=claim, since_version=version))
        raise Http404
    try:
        claim.remove_evidence(evidence, by=request.user, expected_version=version)
    except WorkflowError as error:
        return _refusal(request, claim, error)
    messages.success(request, gettext("Source removed: %(source)s") % {"source": evidence.source})
    return redirect(_next_url(request, claim.get_absolute_url()))


def _posted_version(request: HttpRequest, claim: Claim) -> int:
    """The version the page showed; a form without one is treated as stale rather than trusted."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@require_POST
@_claims_visible
def claim_change_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    form = StatusForm(request.POST, claim=claim)
    if not form.is_valid():
        return _claim_page(
            request, claim, status_form=form, error=gettext("Please correct the marked fields."), status=400
        )
    data = form.cleaned_data
    try:
        # change_status reopens a finished claim when asked for "in review" (with its own permission).
        event = claim.change_status(
            data["status"], by=request.user, comment=data["comment"], expected_version=data["version"]
        )
    except WorkflowError as error:
        claim.refresh_from_db()
        return _refusal(request, claim, error, status_form=StatusForm(_stale_data(request, claim), claim=claim))
    messages.success(request, gettext("Status changed to “%(status)s”.") % {"status": event.get_to_status_display()})
    return redirect(_next_url(request, claim.get_absolute_url()))


@require_POST
@_claims_visible
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _claim_page(
            request, claim, assign_form=form, error=gettext("Please correct the marked fields."), status=400
        )
    assignee = form.cleaned_data["assignee"]
    try:
        claim.assign(assignee, by=request.user, expected_version=form.cleaned_data["version"])
    except WorkflowError as error:
        claim.refresh_from_db()
        return _refusal(request, claim, error, assign_form=AssignForm(_stale_data(request, claim)))
    if assignee is None:
        messages.success(request, gettext("Nobody is assigned any more."))
    else:
        name = assignee.get_full_name() or assignee.get_username()
        messages.success(request, gettext("Assigned to %(name)s.") % {"name": name})
    return redirect(_next_url(request, claim.get_absolute_url()))


@require_POST
@_claims_visible
def claim_take(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    try:
        claim.assign(request.user, by=request.user, expected_version=_posted_version(request, claim))
    except WorkflowError as error:
        return _refusal(request, claim, error)
    messages.success(request, gettext("You are now working on this claim."))
    return redirect(_next_url(request, claim.get_absolute_url()))


QUEUE_PAGE_SIZE = 50


def _queue_rows(request: HttpRequest) -> tuple[ClaimFilter, Any]:
    claims = Claim.objects.with_related().annotate(evidence_count=Count("evidence")).order_by("-created_at", "-id")
    return ClaimFilter(request.GET or None, queryset=claims, request=request), claims


@require_http_methods(["GET", "POST"])
@_claims_visible
def claim_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _bulk_action(request)
    claim_filter, _ = _queue_rows(request)
    # Sorting by status ties many rows: add the id as the export does, or pages repeat and skip claims.
    claims = claim_filter.qs.order_by(*export_db.export_ordering(claim_filter.qs))
    page = Paginator(claims, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    # Counts per status for everything the other filters select, so each status box says what a click shows.
    without_status = request.GET.copy()
    without_status.pop("status", None)
    counts = ClaimFilter(without_status, queryset=Claim.objects.all(), request=request).qs.counts_by_status()
    # Each box links to its status with the other filters kept: the click shows the claims it counts.
    without_status.pop("page", None)
    status_queries = {}
    for value in ClaimStatus.values:
        without_status.setlist("status", [value])
        status_queries[value] = without_status.urlencode()
    query = request.GET.copy()
    query.pop("page", None)
    # The export selects only verified claims unless told otherwise; the queue shows every
    # status unless told otherwise. Name the statuses, so the export holds what the queue shows.
    export_query = query.copy()
    if not export_query.getlist("status"):
        export_query.setlist("status", ClaimStatus.values)
    context = {
        "export_query": export_query.urlencode(),
        "filter": claim_filter,
        "page": page,
        "claims": page.object_list,
        "status_counts": [(ClaimStatus(value), counts[value], status_queries[value]) for value in ClaimStatus.values],
        "selected_statuses": request.GET.getlist("status"),
        "query": query.urlencode(),
        "bulk_form": BulkForm(),
        "can_check": request.user.has_perm("annotations.change_claim_status"),
        "can_assign": request.user.has_perm("annotations.assign_claim"),
    }
    return render(request, "annotations/claim_list.html", context)


def _bulk_action(request: HttpRequest) -> HttpResponse:
    """Apply one action to each selected claim through the model methods; report each claim."""
    back = _next_url(request, reverse("annotations:claim-list"))
    form = BulkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back)
    action, assignee = form.cleaned_data["action"], form.cleaned_data["assignee"]
    done: list[Claim] = []
    for claim in form.cleaned_data["claims"].select_related("assignee").order_by("id"):
        try:
            if action == "take":
                claim.assign(request.user, by=request.user)
            elif action == "start_review":
                claim.change_status(ClaimStatus.IN_REVIEW, by=request.user)
            else:
                claim.assign(assignee, by=request.user)
        except WorkflowError as error:
            messages.warning(request, f"#{claim.pk} „{claim.statement[:60]}“: {error}")
        else:
            done.append(claim)
    if done:
        messages.success(
            request,
            gettext("Done for: %(claims)s") % {"claims": ", ".join(f"#{claim.pk}" for claim in done)},
        )
    return redirect(back)


SOURCES_PAGE_SIZE = 50


@require_GET
def source_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("annotations.view_source"):
        return _refused(request, gettext("You may not see sources."))
    text = request.GET.get("q", "").strip()
    sources = Source.objects.search(text) if text else Source.objects.all()
    sources = sources.with_citing_claims().order_by("publisher", "title", "id")
    page = Paginator(sources, SOURCES_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "annotations/source_list.html", {"page": page, "sources": page.object_list, "q": text})


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


# --- Reading and annotating an article (issue 4) ----------------------------------


def _highlighted_body(body: str, claims: list[Claim]) -> SafeString:
    """The body as escaped text with a mark per claim and segment; textContent stays the body.

    Marks nest in one stable order, so overlapping claims each keep their own colour, and a
    mark stays open across segments for as long as its claim and everything outside it do.
    """
    status = {claim.pk: claim.status for claim in claims}
    segments = anchoring.highlight_segments(len(body), [(claim.pk, claim.start, claim.end) for claim in claims])
    parts: list[str] = []
    stack: list[int] = []
    seen: set[int] = set()
    for segment in segments:
        ids = list(segment.claim_ids)
        common = 0
        while common < min(len(stack), len(ids)) and stack[common] == ids[common]:
            common += 1
        parts.append("</mark>" * (len(stack) - common))
        for claim_id in ids[common:]:
            first = "" if claim_id in seen else f' id="claim-{claim_id}" tabindex="0"'
            seen.add(claim_id)
            parts.append(f'<mark data-claim-id="{claim_id}" class="status-{escape(status[claim_id])}"{first}>')
        stack = ids
        parts.append(escape(body[segment.start : segment.end]))
    parts.append("</mark>" * len(stack))
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


def _claim_card_data(claim: Claim, user: Any, labels: dict[str, str]) -> dict[str, Any]:
    """What the claim card shows; reaches the page's script through json_script.

    Called for every claim on the page, so it asks the database nothing (evidence and history
    are prefetched, the user's permissions cached) and leaves URLs to the patterns in ui_text.
    """
    creator = claim.created_by
    return {
        "id": claim.pk,
        "statement": claim.statement,
        "quote": claim.quote,
        "claimant": claim.claimant,
        "note": claim.note,
        "status": claim.status,
        "status_label": labels[claim.status],
        "created_by": creator.get_full_name() or creator.get_username(),
        "created_at": date_format(timezone.localtime(claim.created_at), "DATETIME_FORMAT"),
        "version": claim.version,
        "can_delete": claim.can_be_deleted_by(user),
        "finished": claim.status in FINISHED_STATUSES,
        "status_choices": _card_status_choices(claim, user),
        "can_add_evidence": claim.status not in FINISHED_STATUSES and user.has_perm("annotations.add_evidence"),
        "history": [_card_event(event) for event in claim.events.all()],
        "evidence": [
            {
                "stance": evidence.stance,
                "stance_label": labels[evidence.stance],
                "title": str(evidence.source),
                "url": evidence.source.url,
            }
            for evidence in claim.evidence.all()
        ],
    }


def _card_status_choices(claim: Claim, user: Any) -> list[dict[str, str]]:
    """The card's status form offers what the claim page's offers, and only to who may act on it."""
    finished = claim.status in FINISHED_STATUSES
    if not user.has_perm("annotations.reopen_claim" if finished else "annotations.change_claim_status"):
        return []
    return [{"value": value, "label": str(label)} for value, label in StatusForm.status_choices(claim)]


def _card_event(event: ClaimEvent) -> dict[str, Any]:
    """One history row of the card, in the words of the claim page's timeline."""
    return {
        "when": date_format(timezone.localtime(event.created_at), "SHORT_DATETIME_FORMAT"),
        "datetime": event.created_at.isoformat(),
        "kind": event.kind,
        **dataclasses.asdict(event.describe()),
    }


def _url_pattern(name: str) -> str:
    """A claim URL with 0 for the id; the page's script puts in the claim's id."""
    return reverse(name, args=[0])


def _render_article_page(
    request: HttpRequest,
    article: Article,
    *,
    claim_form: ClaimFromSelectionForm | None = None,
    edit_error: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    claims = list(
        Claim.objects.for_article(article)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
            # The cards show each claim's history: one query for all claims, oldest first.
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
        )
        .order_by("start", "-end", "id")
    )
    labels = {value: str(label) for value, label in [*ClaimStatus.choices, *Stance.choices]}
    for claim in claims:
        claim.status_label = labels[claim.status]
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for claim in claims:
        counts[claim.status] += 1
    context = {
        "article": article,
        "claims": claims,
        "body_html": _highlighted_body(article.body, claims),
        "legend": [(ClaimStatus(value), counts[value]) for value in ClaimStatus.values],
        "claim_form": claim_form or ClaimFromSelectionForm(),
        "claim_data": [_claim_card_data(claim, request.user, labels) for claim in claims],
        "edit_error": edit_error,
        "ui_text": {
            "claim_url": _url_pattern("annotations:claim-detail"),
            "edit_url": _url_pattern("annotations:claim-edit"),
            "delete_url": _url_pattern("annotations:claim-delete"),
            "claimant": gettext("Claimant"),
            "created": gettext("Created by %(who)s on %(when)s"),
            "evidence": gettext("Sources"),
            "no_evidence": gettext("No sources yet."),
            "open_claim": gettext("Open the claim page"),
            "also_here": gettext("More claims at this point:"),
            "no_passage": gettext("No matching passage found. Try other words or select the passage yourself."),
            "searching": gettext("Searching …"),
            "search_failed": gettext("The search did not answer. Try again."),
            "match": gettext("match"),
            "note": gettext("Note"),
            "article_url": article.get_absolute_url(),
            "status_url": _url_pattern("annotations:claim-change-status"),
            "history": gettext("History"),
            "status": gettext("Status"),
            "new_status": str(StatusForm.base_fields["status"].label),
            "choose_status": pgettext("status form", "Choose …"),
            "comment": str(StatusForm.base_fields["comment"].label),
            "comment_help": str(StatusForm.base_fields["comment"].help_text),
            "change_status": gettext("Change status"),
            "reopen": gettext("Reopen"),
            "finished_hint": gettext("The check is finished. Only a chief editor can reopen it."),
            "can_check": request.user.has_perm("annotations.change_claim_status"),
            "add_source": gettext("Add a source"),
        },
    }
    return render(request, "annotations/article_detail.html", context, status=status)


def _article_page_url(article: Article, claim: Claim | None = None) -> str:
    url = article.get_absolute_url()
    return f"{url}?claim={claim.pk}#claim-{claim.pk}" if claim else url


@require_POST
def claim_create(request: HttpRequest, article_id: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=article_id)
    form = ClaimFromSelectionForm(request.POST)
    if not form.is_valid():
        return _render_article_page(request, article, claim_form=form, status=400)
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if anchoring.splits_grapheme(article.body, start) or anchoring.splits_grapheme(article.body, end):
        form.add_error(None, gettext("The selection cuts a character in two (an emoji or an accent). Select again."))
        return _render_article_page(request, article, claim_form=form, status=409)
    try:
        claim = Claim.objects.create_from_selection(article=article, by=request.user, **form.cleaned_data)
    except PermissionRefused as error:
        form.add_error(None, str(error))
        return _render_article_page(request, article, claim_form=form, status=403)
    except WorkflowError as error:
        form.add_error(None, str(error))
        return _render_article_page(request, article, claim_form=form, status=409)
    messages.success(request, gettext("The claim is saved and highlighted in the text."))
    return redirect(_article_page_url(article, claim))


@require_POST
def claim_edit(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    form = ClaimEditForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            event = claim.edit(
                by=request.user,
                statement=form.cleaned_data["statement"],
                claimant=form.cleaned_data["claimant"],
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            status = 403 if isinstance(error, PermissionRefused) else 409
        else:
            text = gettext("The claim is changed.") if event else gettext("Nothing to change.")
            messages.success(request, text)
            return redirect(_article_page_url(claim.article, claim))
    edit_error = {
        "claim_id": claim.pk,
        "statement": form.data.get("statement", ""),
        "claimant": form.data.get("claimant", ""),
        "messages": [str(message) for errors in form.errors.values() for message in errors],
    }
    return _render_article_page(request, claim.article, edit_error=edit_error, status=status)


@require_POST
def claim_delete(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _get_claim_for_user(request, claim_id)
    try:
        claim.discard(by=request.user)
    except WorkflowError as error:
        messages.error(request, gettext("The claim was not deleted: %(reason)s") % {"reason": error})
        return redirect(_article_page_url(claim.article, claim))
    messages.success(request, gettext("The claim is deleted."))
    return redirect(_article_page_url(claim.article))


@require_GET
def passage_search(request: HttpRequest, article_id: int) -> JsonResponse:
    """Passages of the article that match the wording in ?q=, best first (code point offsets)."""
    article = get_object_or_404(Article.objects.only("body"), pk=article_id)
    wording = request.GET.get("q", "")[:500]
    passages = anchoring.find_passages(article.body, wording)
    return JsonResponse(
        {"passages": [{"start": p.start, "end": p.end, "quote": p.quote, "score": p.score} for p in passages]}
    )


@require_GET
def source_search(request: HttpRequest) -> JsonResponse:
    """Sources for the evidence form's search box: URL, title, publisher and kind."""
    if not request.user.has_perm("annotations.view_source"):
        return JsonResponse({"results": []}, status=403)
    rows = Source.objects.search(request.GET.get("q", "")).order_by("title", "id")[:10]
    results = [
        {"url": source.url, "title": source.title, "publisher": source.publisher, "kind": source.kind}
        for source in rows
    ]
    return JsonResponse({"results": results})
