"""The live desk: open pages learn what colleagues changed, from the database, without a reload.

Every open article page asks `article_live` every few seconds (NEWSROOM_LIVE_POLL_MS) with the ETag
of the last answer. While nothing changes the answer is 304 after three small indexed queries
(the article, and Article.live_stamp); after a change it is the claims' ids and versions with the
highlights as a tree, and the page asks `article_live_claims` for the cards of the claims it does
not know in their current version. The queue and the dashboard ask `claim_changes` how many claims
were added or changed after the newest history entry they showed. Nothing is kept in a process:
any app server answers any page. Why polling and not a held connection: README, "The live desk".
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Max
from django.db.models.functions import Length
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from annotations.filters import ClaimFilter
from annotations.lib import anchoring
from annotations.models import (
    AnchorState,
    Article,
    ArticleRevision,
    Claim,
    ClaimEvent,
    ClaimStatus,
    SourceChange,
    claim_stamp,
)
from annotations.views.articles import CARDS_PER_ANSWER, PAGE_ORDER, card_claims, claim_cards
from annotations.views.common import BadParameter, bad_parameter, ids_parameter, int_parameter

# History entries the queue's and dashboard's question looks at: beyond them it says "more than".
EVENTS_PER_ANSWER = 500
# Rows the queue or dashboard may name as shown (the queue shows 50 a page).
SHOWN_PER_QUESTION = 100
# Text versions are counted in a PositiveIntegerField.
MAX_TEXT_VERSION = 2**31 - 1


def _live_response(request: HttpRequest, answer: dict[str, Any], etag: str | None = None) -> HttpResponse:
    response = JsonResponse(answer)
    if etag:
        response["ETag"] = etag
    # Always asked again: the answer is this user's, and the ETag, not an age, says when it changes.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _corrected(article_id: int, text_version: int) -> dict[str, Any]:
    """The answer to a page that shows an earlier text: its offsets are wrong now, it must reload."""
    revisions = ArticleRevision.objects.filter(article=article_id).select_related("replaced_by")
    latest = revisions.order_by("-number").first()
    who = latest.replaced_by if latest else None
    return {
        "text_version": text_version,
        "corrected_by": (who.get_full_name() or who.get_username()) if who else "",
    }


@require_GET
def article_live(request: HttpRequest, article_id: int) -> HttpResponse:
    """The claims of the article page as they stand now: ids, versions, status and the highlights.

    ?text_version= is the text the page shows. An answer for a later text says only that and who
    corrected it: the page's offsets point into the old text, so it asks the reader to reload.
    """
    try:
        shown_version = int_parameter(request, "text_version", None, 1, MAX_TEXT_VERSION)
        if shown_version is None:
            raise BadParameter("text_version", 1, MAX_TEXT_VERSION)
    except BadParameter as error:
        return bad_parameter(error)
    user = request.user
    article = get_object_or_404(Article.objects.visible_to(user).only("pk", "text_version"), pk=article_id)
    text_version, stamp = article.text_version, article.live_stamp(user)
    key = f"{article_id}:{user.pk}:{get_language()}:{shown_version}:{text_version}:{stamp}"
    etag = '"' + hashlib.sha256(key.encode()).hexdigest()[:24] + '"'
    unchanged = get_conditional_response(request, etag=etag)
    if unchanged is not None:
        return unchanged
    if text_version != shown_version:
        return _live_response(request, _corrected(article_id, text_version), etag)
    rows = list(
        Claim.objects.visible_to(user)
        .for_article(article_id)
        .order_by(*PAGE_ORDER)
        .values_list("pk", "version", "status", "start", "end", "anchor_state", "article__text_version")
    )
    # Read in one statement with the claims: a correction that came in after the first query moved them.
    if any(current != shown_version for *_, current in rows):
        return _live_response(request, _corrected(article_id, rows[0][-1]), etag)
    placed = [(pk, start, end) for pk, _v, _s, start, end, state, _t in rows if state != AnchorState.ORPHANED]
    status_of = {pk: status for pk, _v, status, *_ in rows}
    counts = dict.fromkeys(ClaimStatus.values, 0)
    for _pk, _v, status, *_ in rows:
        counts[status] += 1
    # The newest change of each claim's sources, which its card shows: one query for all.
    sources = SourceChange.objects.for_claims_of(article_id).order_by().values("claim_id").annotate(newest=Max("pk"))
    newest = {row["claim_id"]: row["newest"] for row in sources} if rows else {}
    answer = {
        "text_version": text_version,
        "claims": [
            {"id": pk, "version": version, "status": status, "stamp": claim_stamp(version, newest.get(pk))}
            for pk, version, status, *_ in rows
        ],
        "marks": [_mark_data(node, status_of) for node in anchoring.mark_tree(_body_length(article_id), placed)],
        "counts": counts,
    }
    return _live_response(request, answer, etag)


def _body_length(article_id: int) -> int:
    """The body's length in code points, counted by the database: the body itself stays there."""
    return Article.objects.filter(pk=article_id).annotate(length=Length("body")).values_list("length", flat=True)[0]


def _mark_data(node: anchoring.Mark | tuple[int, int], status_of: dict[int, str]) -> Any:
    """A mark as the page's script draws it, as _highlighted_body draws it in HTML:
    {"id", "status", "first", "children"}; a run of text is [start, end] in code points."""
    if isinstance(node, tuple):
        return list(node)
    return {
        "id": node.claim_id,
        "status": status_of[node.claim_id],
        "first": node.first,
        "children": [_mark_data(child, status_of) for child in node.children],
    }


@require_GET
def article_live_claims(request: HttpRequest, article_id: int) -> HttpResponse:
    """The cards of some of the article's claims (?ids=1,2,3), withdrawn ones too, so the page can say by whom."""
    try:
        ids = ids_parameter(request, "ids", CARDS_PER_ANSWER)
        if not ids:
            raise BadParameter("ids", count=CARDS_PER_ANSWER)
    except BadParameter as error:
        return bad_parameter(error)
    if not Article.objects.visible_to(request.user).filter(pk=article_id).exists():
        raise Http404
    # The claim page shows a withdrawn claim to everyone who reads claims; so may the live page.
    claims = Claim.objects.visible_to(request.user, withdrawn=True).for_article(article_id).filter(pk__in=ids)
    return _live_response(request, {"claims": claim_cards(card_claims(claims, article_id), request.user)})


# --- The queue and the dashboard -------------------------------------------------------------


@require_GET
def claim_changes(request: HttpRequest) -> HttpResponse:
    """How many claims were added or changed after history entry ?since=: of those the queue's
    filters (the same parameters) select now, and of those the page shows (?shown=1,2,3)."""
    try:
        since = int_parameter(request, "since", None, 0)
        if since is None:
            raise BadParameter("since", 0)
        shown = set(ids_parameter(request, "shown", SHOWN_PER_QUESTION))
    except BadParameter as error:
        return bad_parameter(error)
    entries = list(
        ClaimEvent.objects.filter(pk__gt=since).order_by("pk").values_list("claim_id", flat=True)[:EVENTS_PER_ANSWER]
    )
    if not entries:
        return _live_response(request, {"count": 0, "more": False})
    changed = set(entries)
    readable = Claim.objects.visible_to(request.user, withdrawn=True)
    selected = ClaimFilter(request.GET, queryset=readable, request=request).qs.filter(pk__in=changed)
    on_page = readable.filter(pk__in=changed & shown)
    count = len(set(selected.values_list("pk", flat=True)) | set(on_page.values_list("pk", flat=True)))
    return _live_response(request, {"count": count, "more": len(entries) == EVENTS_PER_ANSWER})
