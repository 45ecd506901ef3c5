"""Articles: the list, getting them in, their metadata, and the article page where claims are marked."""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import importing
from annotations.filters import ArticleFilter
from annotations.forms import (
    ArticleMetadataForm,
    ArticleTitleForm,
    ArticleUploadForm,
    ClaimFromSelectionForm,
    CorrectionForm,
    RevisionCompareForm,
    StatusForm,
)
from annotations.lib import anchoring, passages, textdiff
from annotations.middleware import too_large_response
from annotations.models import (
    FINISHED_STATUSES,
    AnchorState,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    PendingVersion,
    PermissionRefused,
    SourceChange,
    Stance,
    WorkflowError,
    anchoring_reasons,
    claim_stamp,
)
from annotations.views.common import keep_in_session, require_perm, take_from_session

ARTICLES_PER_PAGE = 25


@require_GET
def article_list(request: HttpRequest) -> HttpResponse:
    # Explicit order: Meta.ordering is not applied to a query with GROUP BY (the claim counts).
    articles = (
        Article.objects.visible_to(request.user)
        .with_claim_counts()
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )
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
    article = _get_article_for_user(request, article_id)
    refusal = take_from_session(request, ARTICLE_REFUSALS_KEY, str(article.pk))
    claim_form = None
    if "claim_form" in refusal:
        # The new claim's form as it was sent, checked again (its field errors), with the reasons given then.
        claim_form = ClaimFromSelectionForm(refusal["claim_form"]["data"])
        claim_form.is_valid()
        for message in refusal["claim_form"]["errors"]:
            claim_form.add_error(None, message)
    return render_article_page(request, article, claim_form=claim_form, edit_error=refusal.get("edit_error"))


# Refused forms of the article page (a new claim, a card's new wording): Post/Redirect/Get, as on the
# claim page. The input and the reasons wait in the session (shared by all app servers) for the next view
# of the page, so the browser ends on the article's address and reloading does not send the form again.
ARTICLE_REFUSALS_KEY = "article_refusals"


def refused_on_article_page(
    request: HttpRequest,
    article: Article,
    *,
    claim_form: ClaimFromSelectionForm | None = None,
    reasons: list[str] | None = None,
    edit_error: dict[str, Any] | None = None,
    claim: Claim | None = None,
) -> HttpResponse:
    """Keep what the editor sent and why it was refused; back to the article page (at the claim, if any)."""
    entry: dict[str, Any] = {}
    if claim_form is not None:
        data = {name: value for name, value in claim_form.data.items() if name != "csrfmiddlewaretoken"}
        entry["claim_form"] = {"data": data, "errors": [str(reason) for reason in reasons or []]}
    if edit_error is not None:
        entry["edit_error"] = edit_error
    keep_in_session(request, ARTICLE_REFUSALS_KEY, str(article.pk), entry)
    return redirect(article_page_url(article, claim))


def _get_article_for_user(request: HttpRequest, article_id: int) -> Article:
    # Everybody with a role reads every article (Article.objects.visible_to); changing one needs the permission.
    return get_object_or_404(Article.objects.visible_to(request.user), pk=article_id)


def _keep_results(request: HttpRequest, results: list[importing.ImportResult]) -> str:
    """Keep the results in the session (shared by all app servers) for the results page."""
    token = uuid.uuid4().hex
    keep_in_session(request, "upload_results", token, [result.as_dict() for result in results])
    return token


@require_http_methods(["GET", "POST"])
def article_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "annotations.add_article")
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
    return _render_results(request, token)


def _render_results(
    request: HttpRequest, token: str, title_form: tuple[int, ArticleTitleForm] | None = None, status: int = 200
) -> HttpResponse:
    """The results of one upload, with the articles' titles as they are now and what is still to decide.

    The outcomes come from the session; titles and pending versions from the database (two queries),
    so a title set here or a version decided elsewhere shows as it is.
    """
    results = request.session.get("upload_results", {}).get(token)
    if results is None:
        raise Http404
    ids = {result["article_id"] for result in results if result.get("article_id")}
    ids |= {result["near_duplicate_id"] for result in results if result.get("near_duplicate_id")}
    articles = Article.objects.visible_to(request.user).filter(pk__in=ids).only("title", "title_generated", "source")
    articles_by_id = {article.pk: article for article in articles}
    waiting = set(
        PendingVersion.objects.filter(
            pk__in=[result["pending_id"] for result in results if result.get("pending_id")]
        ).values_list("pk", flat=True)
    )
    rows = []
    for result in results:
        article = articles_by_id.get(result.get("article_id"))
        decided = bool(result.get("pending_id")) and result["pending_id"] not in waiting
        row = {**result, "article": article, "decided": decided}
        if result["outcome"] == importing.Outcome.IMPORTED and article is not None:
            bound = title_form[1] if title_form and title_form[0] == article.pk else None
            row["title_form"] = bound or ArticleTitleForm(initial={"title": article.title}, prefix=f"a{article.pk}")
        rows.append(row)
    counts = Counter(result["outcome"] for result in results)
    context = {"results": rows, "counts": counts, "token": token}
    return render(request, "annotations/upload_results.html", context, status=status)


@require_POST
def upload_title(request: HttpRequest, token: str, article_id: int) -> HttpResponse:
    """The title step of the results page: an editor writes the title of an article just imported."""
    article = _get_article_for_user(request, article_id)
    require_perm(request, "annotations.change_article")
    results = request.session.get("upload_results", {}).get(token)
    if results is None or not any(result.get("article_id") == article.pk for result in results):
        raise Http404  # the form belongs to a results page of this session that lists this article
    form = ArticleTitleForm(request.POST, prefix=f"a{article.pk}")
    if form.is_valid():
        try:
            article.set_title(form.cleaned_data["title"], by=request.user)
        except WorkflowError as error:
            form.add_error("title", str(error))
        else:
            messages.success(request, gettext("The title of “%(title)s” is saved.") % {"title": article.title})
            return redirect(reverse("annotations:upload-results", args=[token]) + f"#result-{article.pk}")
    return _render_results(request, token, title_form=(article.pk, form), status=400)


@require_http_methods(["GET", "POST"])
def article_edit(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _get_article_for_user(request, article_id)
    require_perm(request, "annotations.change_article")
    form = ArticleMetadataForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        article = form.save(commit=False)
        article.updated_by = request.user
        article.save()
        messages.success(request, gettext("The article’s details were saved."))
        return redirect(article)
    return render(request, "annotations/article_edit.html", {"form": form, "article": article})


def _highlighted_body(body: str, claims: list[Claim]) -> SafeString:
    """The body as escaped text with a mark per claim and segment; textContent stays the body.

    The marks are anchoring.mark_tree's, which the live page's script draws too (as data, see
    views.live), so both nest overlapping claims the same way.
    """
    status = {claim.pk: claim.status for claim in claims}
    parts: list[str] = []

    def draw(nodes: list[anchoring.Mark | tuple[int, int]]) -> None:
        for node in nodes:
            if isinstance(node, tuple):
                parts.append(escape(body[node[0] : node[1]]))
                continue
            first = f' id="claim-{node.claim_id}" tabindex="0"' if node.first else ""
            css = f"status-{escape(status[node.claim_id])}"
            parts.append(f'<mark data-claim-id="{node.claim_id}" class="{css}"{first}>')
            draw(node.children)
            parts.append("</mark>")

    draw(anchoring.mark_tree(len(body), [(claim.pk, claim.start, claim.end) for claim in claims]))
    return mark_safe("".join(parts))  # noqa: S308 -- every piece of text above is escaped


# The order of the claims on the article page: by place in the text, the longer of two first.
PAGE_ORDER = ("start", "-end", "id")


def card_claims(claims: Any, article: Article | int) -> list[Claim]:
    """The article's claims with what their cards show, loaded in five queries however many there are."""
    claims = list(
        claims.select_related("created_by").prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.select_related("source")),
            # The cards show each claim's history: one query for all claims, oldest first.
            Prefetch("events", queryset=ClaimEvent.objects.select_related("actor")),
        )
    )
    source_changes: dict[int, list[SourceChange]] = {}
    if claims:  # one query for all cards
        changes = SourceChange.objects.for_claims_of(article).filter(claim_id__in=[claim.pk for claim in claims])
        for change in changes.select_related("actor", "source"):
            source_changes.setdefault(change.claim_id, []).append(change)
    for claim in claims:
        claim.status_label = ClaimStatus(claim.status).label
        claim.source_changes = source_changes.get(claim.pk, [])
    return claims


def claim_cards(claims: list[Claim], user: Any) -> list[dict[str, Any]]:
    """The cards of claims loaded by card_claims, for the page's script (the page and the live page)."""
    labels = {value: str(label) for value, label in [*ClaimStatus.choices, *Stance.choices]}
    return [_claim_card_data(claim, user, labels, claim.source_changes) for claim in claims]


def _claim_card_data(
    claim: Claim, user: Any, labels: dict[str, str], source_changes: list[SourceChange]
) -> dict[str, Any]:
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
        "anchor_state": claim.anchor_state,
        "withdrawn": claim.is_withdrawn,
        "created_by": creator.get_full_name() or creator.get_username(),
        "created_at": date_format(timezone.localtime(claim.created_at), "DATETIME_FORMAT"),
        "version": claim.version,
        # The live page compares this with its own answers (views.live) to know the card changed.
        "stamp": claim_stamp(claim.version, max((change.pk for change in source_changes), default=None)),
        "can_withdraw": claim.can_be_withdrawn_by(user),
        "finished": claim.status in FINISHED_STATUSES,
        **_card_status_options(claim, user),
        "can_add_evidence": claim.status not in FINISHED_STATUSES and user.has_perm("annotations.add_evidence"),
        # Its history with the changes of its sources since they were linked, as on the claim page.
        "history": [
            _card_event(entry)
            for entry in sorted([*claim.events.all(), *source_changes], key=lambda entry: entry.created_at)
        ],
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


def _card_status_options(claim: Claim, user: Any) -> dict[str, list[dict[str, Any]]]:
    """The card's status form offers what the claim page's offers (Claim.status_options) and says why not the rest."""
    options = claim.status_options(user)
    return {
        "status_choices": [
            {"value": option.value, "label": option.label, "needs_comment": option.needs_comment}
            for option in options
            if option.available
        ],
        "status_unavailable": [
            {"value": option.value, "label": option.label, "reason": option.reason}
            for option in options
            if not option.available
        ],
    }


def _card_event(event: ClaimEvent | SourceChange) -> dict[str, Any]:
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


def render_article_page(
    request: HttpRequest,
    article: Article,
    *,
    claim_form: ClaimFromSelectionForm | None = None,
    edit_error: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    claims = card_claims(Claim.objects.visible_to(request.user).for_article(article).order_by(*PAGE_ORDER), article)
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for claim in claims:
        counts[claim.status] += 1
    # An orphaned claim points into an earlier text: listed for the editor, never drawn.
    placed = [claim for claim in claims if claim.anchor_state != AnchorState.ORPHANED]
    context = {
        "article": article,
        "claims": claims,
        "attention": _needing_attention(claims, request.user),
        "body_html": _highlighted_body(article.body, placed),
        "legend": [(ClaimStatus(value), counts[value]) for value in ClaimStatus.values],
        "claim_form": claim_form or ClaimFromSelectionForm(),
        "claim_data": claim_cards(claims, request.user),
        "live": live_config(article),
        "edit_error": edit_error,
        "ui_text": {
            "claim_url": _url_pattern("annotations:claim-detail"),
            "edit_url": _url_pattern("annotations:claim-edit"),
            "withdraw_url": _url_pattern("annotations:claim-withdraw"),
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
            "text_version": article.text_version,
            "unavailable": gettext("Not possible now:"),
            "overlaps": gettext("Already marked:"),
            "search_partial": gettext(
                "The text is very long: only its beginning was searched for similar words. "
                "The exact wording is found anywhere; or select the passage yourself."
            ),
            "warn_paragraphs": gettext(
                "The passage runs across paragraphs. If the claim is only part of it, select again; "
                "otherwise save once more."
            ),
            "warn_long": gettext(
                "The passage is %(count)s sentences long. A claim is usually one statement: select less, "
                "or save once more to keep it."
            ),
            "save_anyway": gettext("Save anyway"),
            # A colleague's change arriving while the card is open (live.js, views.live).
            "card_changed": gettext("Changed just now:"),
            "card_stale": gettext(
                "%(who)s changed this claim while you were writing. What you typed is still here, but it was "
                "written for the previous version: check the change, then bring your form up to date and send it."
            ),
            "update_form": gettext("Bring my form up to date"),
            "card_withdrawn": gettext(
                "%(who)s withdrew this claim. Nothing can be changed in it any more; a chief editor can restore it."
            ),
            "card_gone": gettext("This claim was removed. Nothing can be changed in it any more."),
            "no_claims": gettext("No claims yet. Select words in the text to record one."),
        },
    }
    return render(request, "annotations/article_detail.html", context, status=status)


# The live page asks for at most this many cards at once (views.live.article_live_claims).
CARDS_PER_ANSWER = 50


def live_config(article: Article) -> dict[str, Any]:
    """What the page's live.js needs: where to ask what colleagues changed, how often, and its words."""
    return {
        "url": reverse("annotations:article-live", args=[article.pk]),
        "claims_url": reverse("annotations:article-live-claims", args=[article.pk]),
        "article_url": article.get_absolute_url(),
        "text_version": article.text_version,
        "poll_ms": settings.NEWSROOM_LIVE_POLL_MS,
        "cards_per_answer": CARDS_PER_ANSWER,
        "corrected": gettext(
            "%(who)s corrected the text (now version %(version)s). The highlights no longer fit it: "
            "reload the page to see the current text."
        ),
        "corrected_anonymous": gettext(
            "The text was corrected (now version %(version)s). The highlights no longer fit it: "
            "reload the page to see the current text."
        ),
        "unsent": gettext(
            "What you typed here and did not save is lost when you reload: save it first "
            "(a new claim is moved to the current text) or copy it."
        ),
        "reload": gettext("Reload"),
        "offline": gettext("No connection to the server. Your colleagues’ changes appear as soon as it is back."),
        "refused": gettext(
            "This page no longer receives your colleagues’ changes: you were logged out or lost access. "
            "Reload the page."
        ),
    }


def _needing_attention(claims: list[Claim], user: Any) -> list[Claim]:
    """The claims a correction flagged or orphaned, with what this user may do about them."""
    attention = [claim for claim in claims if claim.anchor_state in (AnchorState.NEEDS_REVIEW, AnchorState.ORPHANED)]
    for claim in attention:
        claim.can_withdraw = claim.can_be_withdrawn_by(user)
    return attention


def article_page_url(article: Article, claim: Claim | None = None) -> str:
    url = article.get_absolute_url()
    return f"{url}?claim={claim.pk}#claim-{claim.pk}" if claim else url


@require_POST
def claim_create(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _get_article_for_user(request, article_id)
    form = ClaimFromSelectionForm(request.POST)
    if not form.is_valid():
        return refused_on_article_page(request, article, claim_form=form)
    try:
        claim = Claim.objects.create_from_selection(article=article, by=request.user, **form.cleaned_data)
    except PermissionRefused as error:
        # No role to mark claims: a refusal, not a form to send again.
        form.add_error(None, str(error))
        return render_article_page(request, article, claim_form=form, status=403)
    except WorkflowError as error:
        return refused_on_article_page(request, article, claim_form=form, reasons=[str(error)])
    if claim.moved_to_current_text:
        messages.success(
            request,
            gettext(
                "The article was corrected while you were working. Your claim is saved on the same words "
                "in the current text."
            ),
        )
    else:
        messages.success(request, gettext("The claim is saved and highlighted in the text."))
    return redirect(article_page_url(article, claim))


# The fuzzy passage search stops here and says so; its other bounds are in annotations/lib/passages.py.
PASSAGE_SEARCH_SECONDS = 0.3


@require_GET
def passage_search(request: HttpRequest, article_id: int) -> JsonResponse:
    """Passages of the article that match the wording in ?q=, best first (code point offsets), each with
    the claims it overlaps, so the editor sees what is marked already."""
    article = _get_article_for_user(request, article_id)
    deadline = time.monotonic() + PASSAGE_SEARCH_SECONDS
    found = passages.search_passages(article.body, request.GET.get("q", ""), deadline=deadline)
    claims = []
    if found.passages:
        shown = Claim.objects.visible_to(request.user).for_article(article)  # as the page draws them
        claims = list(shown.order_by("start", "id").values_list("pk", "start", "end"))
    return JsonResponse(
        {
            "passages": [
                {
                    "start": p.start,
                    "end": p.end,
                    "quote": p.quote,
                    "score": p.score,
                    "claims": [pk for pk, start, end in claims if start < p.end and p.start < end],
                }
                for p in found.passages
            ],
            "complete": found.complete,
        }
    )


# --- Corrections: the text, its revisions, new versions arriving ------------------------------


@require_http_methods(["GET", "POST"])
def article_text(request: HttpRequest, article_id: int) -> HttpResponse:
    """Correct the article's text; every claim follows its words (Article.correct)."""
    article = _get_article_for_user(request, article_id)
    require_perm(request, "annotations.change_article")
    initial = {"body": article.body, "text_version": article.text_version}
    form = CorrectionForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            correction = article.correct(
                data["body"], by=request.user, comment=data["comment"], expected_version=data["text_version"]
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(
                request,
                gettext("The text is corrected (version %(version)s). %(claims)s")
                % {"version": article.text_version, "claims": importing.correction_summary(correction.counts)},
            )
            return redirect(reverse("annotations:article-revisions", args=[article.pk]))
    elif request.method == "POST":
        status = 400
    context = {"form": form, "article": article, "pending": article.pending_versions.select_related("uploaded_by")}
    return render(request, "annotations/article_text.html", context, status=status)


def _revision_rows(article: Article, user: Any) -> list[dict[str, Any]]:
    """Each correction with what it did to the claims: moved, flagged, orphaned (from the history)."""
    revisions = list(article.revisions.select_related("replaced_by"))
    effects: dict[int, dict[str, list[Claim]]] = {revision.number + 1: {} for revision in revisions}
    events = (
        ClaimEvent.objects.filter(
            claim__in=Claim.objects.visible_to(user).for_article(article), kind=ClaimEvent.Kind.REANCHORED
        )
        .select_related("claim")
        .order_by("claim_id", "id")
    )
    labels = anchoring_reasons()
    for event in events:
        data = event.data or {}
        version = data.get("text_version")
        if data.get("action") or version not in effects:
            continue
        state = data.get("state", "")
        kind = {"moved": "moved", "needs_review": "flagged", "orphaned": "orphaned"}.get(state, "moved")
        event.claim.reason_label = labels.get(data.get("reason", ""), "")
        event.claim.before = (data.get("from") or {}).get("quote", "")
        event.claim.after = (data.get("to") or {}).get("quote")
        effects[version].setdefault(kind, []).append(event.claim)
    return [
        {"revision": revision, "version": revision.number + 1, **effects[revision.number + 1]} for revision in revisions
    ]


COMPARE_MAX_CHARS = 400_000  # two versions of the largest article the upload accepts fit; more is not compared


@require_GET
def article_revisions(request: HttpRequest, article_id: int) -> HttpResponse:
    """The earlier versions of the text, two of them side by side, and what each correction did."""
    article = _get_article_for_user(request, article_id)
    form = RevisionCompareForm(request.GET or None)
    versions = [article.text_version, *article.revisions.values_list("number", flat=True)]
    older, newer = (versions[1] if len(versions) > 1 else article.text_version), article.text_version
    if form.is_valid():
        older = form.cleaned_data["a"] or older
        newer = form.cleaned_data["b"] or newer
    comparison = None
    old_body, new_body = article.body_at(older), article.body_at(newer)
    if old_body is None or new_body is None:
        messages.warning(request, gettext("There is no such version of this text. Choose from the list."))
    elif len(old_body) + len(new_body) <= COMPARE_MAX_CHARS:
        left, right = textdiff.compare_words(old_body, new_body)
        comparison = {"older": older, "newer": newer, "left": left, "right": right}
    context = {
        "article": article,
        "rows": _revision_rows(article, request.user),
        "versions": sorted(versions, reverse=True),
        "comparison": comparison,
        "older": older,
        "newer": newer,
    }
    return render(request, "annotations/article_revisions.html", context)


def _get_pending_for_user(request: HttpRequest, pending_id: int) -> PendingVersion:
    require_perm(request, "annotations.change_article")
    return get_object_or_404(PendingVersion.objects.select_related("article"), pk=pending_id)


@require_POST
def pending_version_accept(request: HttpRequest, pending_id: int) -> HttpResponse:
    """One click: the uploaded text becomes the article's new version, its claims re-anchored."""
    pending = _get_pending_for_user(request, pending_id)
    article = pending.article
    try:
        correction = pending.accept(by=request.user)
    except WorkflowError as error:
        messages.error(request, gettext("The new version was not applied: %(reason)s") % {"reason": error})
        return redirect(reverse("annotations:article-text", args=[article.pk]))
    messages.success(
        request,
        gettext("The new version is applied (version %(version)s). %(claims)s")
        % {"version": correction.article.text_version, "claims": importing.correction_summary(correction.counts)},
    )
    return redirect(reverse("annotations:article-revisions", args=[article.pk]))


@require_POST
def pending_version_separate(request: HttpRequest, pending_id: int) -> HttpResponse:
    """Not a new version after all: the uploaded text becomes an article of its own."""
    pending = _get_pending_for_user(request, pending_id)
    try:
        article, created = pending.import_separately(by=request.user)
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect(reverse("annotations:article-new"))
    if created:
        messages.success(request, gettext("Imported as an article of its own."))
    else:
        messages.info(request, gettext("The same text is already stored as this article."))
    return redirect(article)
