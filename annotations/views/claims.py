"""Claims: the claim page with its actions, the queue with its bulk actions, editing, withdrawing and restoring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from annotations import exporting
from annotations.filters import ClaimFilter
from annotations.forms import (
    AssignForm,
    BulkForm,
    ClaimEditForm,
    DeclineReopenForm,
    EvidenceForm,
    ReattachForm,
    ReopenRequestForm,
    RestoreForm,
    StatusForm,
    WithdrawForm,
)
from annotations.lib import passages
from annotations.lib.snippets import quoted, shorten
from annotations.models import (
    FINISHED_STATUSES,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    ClaimTally,
    Evidence,
    PermissionRefused,
    Source,
    SourceChange,
    VersionConflict,
    WorkflowError,
)
from annotations.views.articles import article_page_url, refused_on_article_page, render_article_page
from annotations.views.common import keep_in_session, live_notice, next_url, take_from_session
from annotations.views.search import similar_row


def get_claim_for_user(request: HttpRequest, claim_id: int) -> Claim:
    # A withdrawn claim keeps its page: its history is there, and a chief editor restores it there.
    return get_object_or_404(Claim.objects.visible_to(request.user, withdrawn=True).with_related(), pk=claim_id)


def _stale_data(request: HttpRequest, claim: Claim) -> Any:
    """The editor's input again, with the current version, so a deliberate resubmit can succeed."""
    data = request.POST.copy()
    data["version"] = str(claim.version)
    return data


def _claim_page(request: HttpRequest, claim: Claim) -> HttpResponse:
    """The claim page; after a refusal (kept by _refused) with the editor's input, the reason and what changed."""
    user = request.user
    refusal = take_from_session(request, REFUSALS_KEY, str(claim.pk))
    forms: dict[str, Any] = {}
    if refusal.get("form") in _FORMS:
        # The input again, with the version shown now: sending it once more is a deliberate choice.
        data = QueryDict(mutable=True)
        for name, values in refusal["data"].items():
            data.setlist(name, values)
        data["version"] = str(claim.version)
        forms[refusal["form"]] = _FORMS[refusal["form"]](data, claim, user)
    conflict = None
    if refusal.get("conflict_since") is not None:
        conflict = VersionConflict(claim=claim, since_version=refusal["conflict_since"])
    next_default = request.get_full_path()
    can_reopen = user.has_perm("annotations.reopen_claim")
    can_request_reopen = claim.status in FINISHED_STATUSES and not claim.reopen_request_refusal(user)
    events = list(claim.events.select_related("actor"))
    # What happened to its sources after they were linked belongs to the claim's story too.
    source_changes = list(SourceChange.objects.for_claim(claim).select_related("actor", "source"))
    changed_sources = {change.source_id for change in source_changes}
    evidence = list(claim.evidence.select_related("source", "added_by"))
    for item in evidence:
        item.source_changed = item.source_id in changed_sources
    context = {
        "claim": claim,
        "evidence": evidence,
        "events": sorted([*events, *source_changes], key=lambda entry: entry.created_at),
        # The newest withdrawal says when, by whom and why; restoring puts the claim back.
        "withdrawal": next((e for e in reversed(events) if e.kind == ClaimEvent.Kind.WITHDRAWN), None)
        if claim.is_withdrawn
        else None,
        "can_withdraw": claim.can_be_withdrawn_by(user),
        "can_restore": claim.is_withdrawn and user.has_perm("annotations.restore_claim"),
        "restore_form": forms.get("restore") or RestoreForm(initial={"version": claim.version}),
        # Asking a chief editor to reopen a finished claim, and the chief editor's answer.
        "reopen_request": next((e for e in reversed(events) if e.kind == ClaimEvent.Kind.REOPEN_REQUESTED), None)
        if claim.reopen_requested_at
        else None,
        "can_request_reopen": can_request_reopen,
        # A refused request or answer whose form the page no longer shows (the claim was reopened
        # meanwhile): the words stay on the page to copy, never lost.
        "kept_reasons": [
            form["reason"].value()
            for name, form in forms.items()
            if name in ("reopen_request", "reopen_decline")
            and form["reason"].value()
            and not (can_request_reopen if name == "reopen_request" else claim.reopen_requested_at and can_reopen)
        ],
        "reopen_request_form": forms.get("reopen_request") or ReopenRequestForm(initial={"version": claim.version}),
        "reopen_decline_form": forms.get("reopen_decline") or DeclineReopenForm(initial={"version": claim.version}),
        # "Already checked?": the other claims that say what this one says.
        "similar": [
            similar_row(item)
            for item in Claim.objects.visible_to(user).similar_to(claim.statement, exclude_claim=claim.pk)
        ],
        "edit_form": forms.get("edit")
        or ClaimEditForm(initial={"statement": claim.statement, "claimant": claim.claimant, "version": claim.version}),
        "can_edit": user.has_perm("annotations.change_claim"),
        "evidence_form": forms.get("evidence") or EvidenceForm(initial={"version": claim.version}),
        "status_form": forms.get("status") or StatusForm(claim=claim, user=user, initial={"version": claim.version}),
        "assign_form": forms.get("assign")
        or AssignForm(initial={"version": claim.version, "assignee": claim.assignee_id}),
        "conflict": conflict,
        "changes": conflict.changes if conflict else [],
        "error": refusal.get("error", ""),
        "is_finished": claim.status in FINISHED_STATUSES,
        "can_check": user.has_perm("annotations.change_claim_status"),
        "can_assign": user.has_perm("annotations.assign_claim"),
        "can_reopen": can_reopen,
        "can_add_evidence": user.has_perm("annotations.add_evidence"),
        "can_remove_evidence": user.has_perm("annotations.delete_evidence"),
        "can_take": user.has_perm("annotations.change_claim_status") and claim.assignee_id != user.pk,
        # After a refusal the forms keep sending the editor back where they came from.
        "next": next_url(request, next_default, target=refusal.get("next", next_default)),
    }
    return render(request, "annotations/claim_detail.html", context)


# The claim page's forms that keep the editor's input after a refusal, by name.
_FORMS: dict[str, Any] = {
    "status": lambda data, claim, user: StatusForm(data, claim=claim, user=user),
    "evidence": lambda data, claim, user: EvidenceForm(data),
    "assign": lambda data, claim, user: AssignForm(data),
    "restore": lambda data, claim, user: RestoreForm(data),
    "reopen_request": lambda data, claim, user: ReopenRequestForm(data),
    "reopen_decline": lambda data, claim, user: DeclineReopenForm(data),
    "edit": lambda data, claim, user: ClaimEditForm(data),
}
REFUSALS_KEY = "claim_refusals"


def _refused(request: HttpRequest, claim: Claim, error: WorkflowError | str, form: str = "") -> HttpResponse:
    """Keep the reason and the editor's input in the session and go back to the claim's page.

    Post/Redirect/Get: the browser ends on /claims/<id>/, so reloading shows the page again instead
    of sending the refused form once more. The page shows the kept input once (take_from_session).
    """
    data = {name: values for name, values in request.POST.lists() if name != "csrfmiddlewaretoken"} if form else {}
    refusal = {
        "form": form,
        "data": data,
        "error": str(error),
        "conflict_since": error.since_version if isinstance(error, VersionConflict) else None,
        "next": request.POST.get("next", ""),
    }
    keep_in_session(request, REFUSALS_KEY, str(claim.pk), refusal)
    return redirect(claim.get_absolute_url())


CORRECT_THE_FIELDS = _("Please correct the marked fields.")


@require_GET
def claim_detail(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_page(request, get_claim_for_user(request, claim_id))


@require_POST
def claim_add_evidence(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        return _refused(request, claim, str(CORRECT_THE_FIELDS), form="evidence")
    data = form.cleaned_data
    try:
        if not request.user.has_perm("annotations.add_evidence"):
            # Refuse before creating a source: somebody who may not add evidence adds nothing.
            raise PermissionRefused(gettext("You may not add sources to claims."))
        # One transaction: a refused link leaves no new, unused source behind.
        with transaction.atomic():
            source, _created = Source.objects.for_url(data["url"], form.source_defaults(request.user))
            claim.add_evidence(
                source,
                stance=data["stance"],
                excerpt=data["excerpt"].strip(),
                note=data["note"].strip(),
                by=request.user,
                expected_version=data["version"],
            )
    except WorkflowError as error:
        return _refused(request, claim, error, form="evidence")
    messages.success(request, gettext("Source added: %(source)s") % {"source": source})
    return redirect(next_url(request, claim.get_absolute_url()))


@require_POST
def claim_remove_evidence(request: HttpRequest, claim_id: int, evidence_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    version = _posted_version(request, claim)
    evidence = Evidence.objects.select_related("source").filter(pk=evidence_id, claim=claim).first()
    if evidence is None:
        if version < claim.version:
            # Somebody removed it meanwhile: show what happened instead of a bare "not found".
            return _refused(request, claim, VersionConflict(claim=claim, since_version=version))
        raise Http404
    try:
        claim.remove_evidence(evidence, by=request.user, expected_version=version)
    except WorkflowError as error:
        return _refused(request, claim, error)
    messages.success(request, gettext("Source removed: %(source)s") % {"source": evidence.source})
    return redirect(next_url(request, claim.get_absolute_url()))


def _posted_version(request: HttpRequest, claim: Claim) -> int:
    """The version the page showed; a form without one is treated as stale rather than trusted."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return 0


@require_POST
def claim_change_status(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    form = StatusForm(request.POST, claim=claim, user=request.user)
    if not form.is_valid():
        return _refused(request, claim, str(CORRECT_THE_FIELDS), form="status")
    data = form.cleaned_data
    try:
        # change_status reopens a finished claim when asked for "in review" (with its own permission).
        event = claim.change_status(
            data["status"],
            by=request.user,
            comment=data["comment"],
            expected_version=data["version"],
            text_version=data["text_version"],
        )
    except WorkflowError as error:
        return _refused(request, claim, error, form="status")
    messages.success(request, gettext("Status changed to “%(status)s”.") % {"status": event.get_to_status_display()})
    return redirect(next_url(request, claim.get_absolute_url()))


@require_POST
def claim_assign(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    form = AssignForm(request.POST)
    if not form.is_valid():
        return _refused(request, claim, str(CORRECT_THE_FIELDS), form="assign")
    assignee = form.cleaned_data["assignee"]
    try:
        claim.assign(assignee, by=request.user, expected_version=form.cleaned_data["version"])
    except WorkflowError as error:
        return _refused(request, claim, error, form="assign")
    if assignee is None:
        messages.success(request, gettext("Nobody is assigned any more."))
    else:
        name = assignee.get_full_name() or assignee.get_username()
        messages.success(request, gettext("Assigned to %(name)s.") % {"name": name})
    return redirect(next_url(request, claim.get_absolute_url()))


@require_POST
def claim_take(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    try:
        claim.assign(request.user, by=request.user, expected_version=_posted_version(request, claim))
    except WorkflowError as error:
        return _refused(request, claim, error)
    messages.success(request, gettext("You are now working on this claim."))
    return redirect(next_url(request, claim.get_absolute_url()))


QUEUE_PAGE_SIZE = 50


def _queue_rows(request: HttpRequest) -> tuple[ClaimFilter, Any]:
    # The FilterSet leaves withdrawn claims out unless its "withdrawn" filter asks for them.
    claims = (
        Claim.objects.visible_to(request.user, withdrawn=True)
        .with_related()
        .with_evidence_count()
        .order_by("-created_at", "-id")
    )
    return ClaimFilter(request.GET or None, queryset=claims, request=request), claims


class _CountedPaginator(Paginator):
    """A paginator that is told how many rows there are: the queue knows it from its status counts,
    and counting a million rows again would cost more than the page itself."""

    counted = True

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


# A text filter that matches more claims than this is not counted: the queue says "more than" and pages on.
QUEUE_COUNT_CAP = 1000
# Filters whose matches no index counts: the text search (a common word matches tens of thousands of claims)
# and the claimant's substring.
_UNCOUNTED_FILTERS = ("q", "claimant")
# The last page number the queue reads without a count (50 million rows in): beyond it, this page.
_MAX_UNCOUNTED_PAGE = 1_000_000


class _UncountedPaginator(Paginator):
    """Pages of a selection too large to count: a page reads one row more than it shows, to know
    whether there is a next one. `count` and `num_pages` are what is known: up to the next page."""

    counted = False

    def __init__(self, object_list: Any, per_page: int, number: Any) -> None:
        super().__init__(object_list, per_page)
        try:
            self.number = min(max(int(number), 1), _MAX_UNCOUNTED_PAGE)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * per_page
        self._rows = list(object_list[start : start + per_page + 1])
        self.count = start + len(self._rows)  # at least this many (cached_property: an instance value wins)

    def page_read(self) -> Page:
        return Page(self._rows[: self.per_page], self.number, self)


def _status_counts(request: HttpRequest, claim_filter: ClaimFilter, without_status: Any) -> dict[str, int] | None:
    """Claims per status for everything the other filters select (so each box says what a click shows).

    With no other filter that is every standing claim, which the tally knows without counting them.
    None when a text filter selects more than QUEUE_COUNT_CAP claims: they are not counted.
    """
    filtering = [key for key, values in without_status.lists() if key not in ("page", "ordering") and any(values)]
    if not filtering:
        # Every standing claim (an unknown sort order filters nothing either).
        return ClaimTally.objects.counts_for(request.user)
    others = claim_filter.qs_without("status", Claim.objects.visible_to(request.user, withdrawn=True))
    if any(key in _UNCOUNTED_FILTERS for key in filtering):
        return others.counts_by_status_up_to(QUEUE_COUNT_CAP)
    return others.counts_by_status()


@require_http_methods(["GET", "POST"])
def claim_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _bulk_action(request)
    claim_filter, _ = _queue_rows(request)
    # Sorting by status ties many rows: add the id as the export does, or pages repeat and skip claims.
    claims = claim_filter.qs.order_by(*exporting.export_ordering(claim_filter.qs))
    without_status = request.GET.copy()
    without_status.pop("status", None)
    counts = _status_counts(request, claim_filter, without_status)
    if counts is None:
        page = _UncountedPaginator(claims, QUEUE_PAGE_SIZE, request.GET.get("page")).page_read()
    else:
        # The rows shown are the claims of the statuses asked for (all if none) among those counted.
        statuses = claim_filter.form.cleaned_data.get("status") if claim_filter.is_bound else None
        shown = sum(counts[status] for status in statuses or ClaimStatus.values)
        total = shown if not claim_filter.is_bound or claim_filter.is_valid() else 0
        page = _CountedPaginator(claims, QUEUE_PAGE_SIZE, total).get_page(request.GET.get("page"))
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
        # A box without a figure (None) when the text filter matched too many claims to count.
        "status_counts": [
            (ClaimStatus(value), counts[value] if counts else None, status_queries[value])
            for value in ClaimStatus.values
        ],
        "counted": counts is not None,
        "count_cap": QUEUE_COUNT_CAP,
        "selected_statuses": request.GET.getlist("status"),
        "query": query.urlencode(),
        "bulk_form": BulkForm(),
        "can_check": request.user.has_perm("annotations.change_claim_status"),
        "can_assign": request.user.has_perm("annotations.assign_claim"),
        "live_notice": live_notice(),
    }
    return render(request, "annotations/claim_list.html", context)


def _bulk_action(request: HttpRequest) -> HttpResponse:
    """Apply one action to each selected claim through the model methods; report each claim."""
    back = next_url(request, reverse("annotations:claim-list"))
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
            messages.warning(request, f"#{claim.pk} {quoted(shorten(claim.statement, 60))}: {error}")
        else:
            done.append(claim)
    if done:
        messages.success(
            request,
            gettext("Done for: %(claims)s") % {"claims": ", ".join(f"#{claim.pk}" for claim in done)},
        )
    return redirect(back)


@require_POST
def claim_edit(request: HttpRequest, claim_id: int) -> HttpResponse:
    """New wording from the article page's card or the claim page; refusals go back to the page that sent it."""
    claim = get_claim_for_user(request, claim_id)
    form = ClaimEditForm(request.POST)
    status = 400
    failure: WorkflowError | None = None
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
            failure = error
        else:
            if event is None:
                messages.success(request, gettext("Nothing to change."))
            elif event.to_status:
                text = gettext("The claim is changed and back in review: the words that were checked have changed.")
                messages.warning(request, text)
            else:
                messages.success(request, gettext("The claim is changed."))
            return redirect(next_url(request, article_page_url(claim.article, claim)))
    claim.refresh_from_db()
    if request.POST.get("next") == claim.get_absolute_url() or claim.is_withdrawn:
        # The claim page, with the words kept and what changed meanwhile; also for an article page
        # loaded before the claim was withdrawn, which has no card for it any more.
        return _refused(request, claim, failure or str(CORRECT_THE_FIELDS), form="edit")
    edit_error = {
        "claim_id": claim.pk,
        "statement": form.data.get("statement", ""),
        "claimant": form.data.get("claimant", ""),
        "messages": [str(message) for errors in form.errors.values() for message in errors],
    }
    if isinstance(failure, PermissionRefused):
        return render_article_page(request, claim.article, edit_error=edit_error, status=status)
    # Back on the article page with the card open, the words kept and the reason (Post/Redirect/Get).
    return refused_on_article_page(request, claim.article, edit_error=edit_error, claim=claim)


@require_http_methods(["GET", "POST"])
def claim_withdraw(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Confirm with a reason, then withdraw: a page of its own, so it works without JavaScript."""
    claim = get_claim_for_user(request, claim_id)
    back = next_url(request, article_page_url(claim.article))
    form = WithdrawForm(request.POST or None, initial={"version": claim.version})
    refusal = claim.withdraw_refusal(request.user)
    status = 403 if refusal else 200
    changes: Any = []
    if request.method == "POST" and not refusal:
        status = 400
        if form.is_valid():
            try:
                claim.withdraw(
                    by=request.user, reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"]
                )
            except WorkflowError as error:
                # The reason stays in the form; with the current version a deliberate resubmit succeeds.
                claim.refresh_from_db()
                form = WithdrawForm(_stale_data(request, claim))
                form.add_error(None, str(error))
                changes = error.changes if isinstance(error, VersionConflict) else []
                status = 403 if isinstance(error, PermissionRefused) else 409
            else:
                messages.success(
                    request,
                    gettext("The claim is withdrawn. It keeps its history, and a chief editor can restore it."),
                )
                return redirect(back)
    context = {"claim": claim, "form": form, "refusal": refusal, "changes": changes, "next": back}
    return render(request, "annotations/claim_withdraw.html", context, status=status)


def _claim_form_action(
    request: HttpRequest, claim_id: int, form_name: str, act: Callable[[Claim, dict[str, Any]], Any], done: str
) -> HttpResponse:
    """A claim page form that needs only its fields and the version: the action on success, else back to
    the claim's page with the input kept (_refused)."""
    claim = get_claim_for_user(request, claim_id)
    form = _FORMS[form_name](request.POST, claim, request.user)
    if not form.is_valid():
        return _refused(request, claim, str(CORRECT_THE_FIELDS), form=form_name)
    try:
        act(claim, form.cleaned_data)
    except WorkflowError as error:
        return _refused(request, claim, error, form=form_name)
    messages.success(request, done)
    return redirect(claim.get_absolute_url())


@require_POST
def claim_restore(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_form_action(
        request,
        claim_id,
        "restore",
        lambda claim, data: claim.restore(by=request.user, comment=data["comment"], expected_version=data["version"]),
        gettext("The claim is restored and back in the article, the queue and the exports."),
    )


@require_POST
def claim_request_reopen(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_form_action(
        request,
        claim_id,
        "reopen_request",
        lambda claim, data: claim.request_reopen(
            by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        gettext("Your request is on the chief editors’ overview."),
    )


@require_POST
def claim_decline_reopen(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _claim_form_action(
        request,
        claim_id,
        "reopen_decline",
        lambda claim, data: claim.decline_reopen(
            by=request.user, reason=data["reason"], expected_version=data["version"]
        ),
        gettext("The verdict stands; the request is answered."),
    )


def claim_delete_moved(request: HttpRequest, claim_id: int) -> HttpResponse:
    """The app no longer deletes claims: an old page's delete button leads to withdrawing instead."""
    return redirect("annotations:claim-withdraw", claim_id=claim_id)


# --- After a correction: confirm the new place, or attach the claim to the right words -----


@require_POST
def claim_confirm_anchor(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = get_claim_for_user(request, claim_id)
    try:
        claim.confirm_anchor(by=request.user, expected_version=_posted_version(request, claim))
    except WorkflowError as error:
        messages.error(request, gettext("The place was not confirmed: %(reason)s") % {"reason": error})
    else:
        messages.success(request, gettext("The claim's place in the text is confirmed."))
    return redirect(next_url(request, article_page_url(claim.article, claim)))


PROPOSAL_QUOTE_CHARS = 200


@require_http_methods(["GET", "POST"])
def claim_reattach(request: HttpRequest, claim_id: int) -> HttpResponse:
    """Select the claim's words in the current text; proposals from its old words help find them."""
    claim = get_claim_for_user(request, claim_id)
    article = Article.objects.get(pk=claim.article_id)
    form = ReattachForm(request.POST or None, initial={"version": claim.version})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                claim.reattach(
                    start=data["start"],
                    end=data["end"],
                    quote=data["quote"],
                    by=request.user,
                    expected_version=data["version"],
                    text_version=data["text_version"],
                )
            except WorkflowError as error:
                form.add_error(None, str(error))
                status = 403 if isinstance(error, PermissionRefused) else 409
                claim.refresh_from_db()
            else:
                messages.success(request, gettext("The claim is attached to the selected words."))
                return redirect(article_page_url(article, claim))
    context = {
        "claim": claim,
        "article": article,
        "form": form,
        # Bounded like the passage search: a long quote's first words find its place as well.
        "proposals": passages.find_passages(article.body, claim.quote[:PROPOSAL_QUOTE_CHARS], limit=3),
    }
    return render(request, "annotations/claim_reattach.html", context, status=status)
