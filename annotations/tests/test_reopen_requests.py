"""Asking a chief editor to reopen a finished claim: who may ask, how it is answered, where it shows."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimStatus, PermissionRefused, WorkflowError
from annotations.tests.conftest import refused_page
from annotations.tests.exporting import finish

pytestmark = pytest.mark.django_db


def _ask_url(claim: Claim) -> str:
    return reverse("annotations:claim-request-reopen", args=[claim.pk])


def _decline_url(claim: Claim) -> str:
    return reverse("annotations:claim-decline-reopen", args=[claim.pk])


@pytest.fixture
def verified(claim, fact_checker) -> Claim:
    finish(claim, fact_checker)
    claim.refresh_from_db()
    return claim


def test_an_editor_asks_with_a_reason_and_the_chief_editor_sees_it_on_the_overview(
    client, editor, chief_editor, verified
):
    client.force_login(editor)
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "data-reopen-request-form" in page and "Wiedereröffnung durch den Chef vom Dienst erbitten" in page
    response = client.post(_ask_url(verified), {"version": verified.version, "reason": "Die Zahl ist veraltet."})
    assert response.status_code == 302 and response["Location"] == verified.get_absolute_url()
    verified.refresh_from_db()
    assert verified.status == ClaimStatus.VERIFIED and verified.verified_by_id is not None  # the verdict stands
    assert verified.reopen_requested_by == editor and verified.reopen_requested_at is not None
    event = verified.events.order_by("id").last()
    assert (event.kind, event.actor, event.comment) == ("reopen_requested", editor, "Die Zahl ist veraltet.")
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "data-reopen-request" in page and "Die Zahl ist veraltet." in page
    assert "data-reopen-request-form" not in page  # asked once is enough

    client.force_login(chief_editor)
    overview = client.get(reverse("annotations:dashboard"))
    blocks = {block.key: [claim.pk for claim in block.claims] for block in overview.context["blocks"]}
    assert blocks["reopen_requests"] == [verified.pk]
    assert verified.pk not in blocks["finished_today"]  # finished today too, but no list repeats a claim
    html = overview.content.decode()
    assert "Wiedereröffnung erbeten" in html and "Erika Redakteurin" in html
    (block,) = [block for block in overview.context["blocks"] if block.key == "reopen_requests"]
    queue = client.get(block.queue_url)
    assert [claim.pk for claim in queue.context["page"]] == [verified.pk]


def test_reopening_answers_the_request_and_a_later_verdict_does_not_bring_it_back(
    editor, fact_checker, chief_editor, verified
):
    verified.request_reopen(by=editor, reason="Quelle zurückgezogen", expected_version=verified.version)
    verified.reopen(by=chief_editor, comment="Berechtigt.")
    verified.refresh_from_db()
    assert verified.status == ClaimStatus.IN_REVIEW and verified.reopen_requested_at is None
    verified.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    assert not Claim.objects.reopen_requested().exists()


def test_an_edit_that_sends_the_claim_back_to_review_answers_the_request_too(editor, fact_checker, verified):
    verified.request_reopen(by=fact_checker, reason="Falsch zusammengefasst")
    verified.refresh_from_db()
    verified.edit(by=editor, statement="Eine genauere Behauptung", claimant=verified.claimant)
    verified.refresh_from_db()
    assert verified.status == ClaimStatus.IN_REVIEW and verified.reopen_requested_by is None


def test_the_chief_editor_declines_with_a_reason_and_the_history_keeps_both(client, editor, chief_editor, verified):
    verified.request_reopen(by=editor, reason="Bitte noch einmal ansehen")
    verified.refresh_from_db()
    client.force_login(chief_editor)
    page = client.get(verified.get_absolute_url()).content.decode()
    assert "data-reopen-decline-form" in page
    refused = client.post(_decline_url(verified), {"version": verified.version, "reason": "  "})
    assert "Bitte korrigieren Sie die markierten Felder" in refused_page(client, refused, verified)
    verified.refresh_from_db()
    assert verified.reopen_requested_at is not None
    response = client.post(_decline_url(verified), {"version": verified.version, "reason": "Die Quelle gilt."})
    assert response.status_code == 302
    verified.refresh_from_db()
    assert verified.reopen_requested_at is None and verified.status == ClaimStatus.VERIFIED
    kinds = list(verified.events.order_by("id").values_list("kind", "comment"))
    assert kinds[-2:] == [("reopen_requested", "Bitte noch einmal ansehen"), ("reopen_declined", "Die Quelle gilt.")]
    history = client.get(verified.get_absolute_url()).content.decode()
    assert "Wiedereröffnung erbeten" in history and "Wiedereröffnung abgelehnt" in history


@pytest.mark.parametrize(
    ("role", "refusal"),
    [
        ("chief_editor", "Sie können die Behauptung selbst wieder öffnen"),
        ("outsider", "Sie haben noch keine Rolle"),
    ],
)
def test_who_may_not_ask(client, request, verified, role, refusal):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.post(_ask_url(verified), {"version": verified.version, "reason": "Warum nicht?"})
    if role == "outsider":
        assert response.status_code == 403 and refusal in response.content.decode()
    else:
        assert refusal in refused_page(client, response, verified)
    verified.refresh_from_db()
    assert verified.reopen_requested_at is None
    assert not verified.events.filter(kind=ClaimEvent.Kind.REOPEN_REQUESTED).exists()


def test_the_model_refuses_open_withdrawn_repeated_and_reasonless_requests(
    claim, editor, fact_checker, chief_editor, verified
):
    with pytest.raises(PermissionRefused):
        verified.decline_reopen(by=fact_checker, reason="nein")
    with pytest.raises(WorkflowError, match="Nobody has asked|Niemand hat"):
        verified.decline_reopen(by=chief_editor, reason="nein")
    with pytest.raises(WorkflowError, match="Say why|Sagen Sie"):
        verified.request_reopen(by=editor, reason="   ")
    verified.request_reopen(by=editor, reason="Zahl falsch")
    with pytest.raises(WorkflowError, match="already|bereits"):
        verified.request_reopen(by=fact_checker, reason="Ich auch")
    other = Claim.objects.create_from_selection(
        article=claim.article, start=0, end=3, quote=claim.article.body[:3], statement="Offen", by=editor
    )
    with pytest.raises(WorkflowError, match="finished|abgeschlossene"):
        other.request_reopen(by=editor, reason="Warum?")
    assert other.events.count() == 1


def test_a_request_sent_from_an_old_page_is_refused_and_shows_what_changed(client, editor, chief_editor, verified):
    seen = verified.version
    verified.reopen(by=chief_editor, comment="Schon erledigt.")
    client.force_login(editor)
    response = client.post(_ask_url(verified), {"version": seen, "reason": "Zahl falsch"})
    page = refused_page(client, response, verified)
    # The claim is open again, so there is nothing left to ask: the words stay on the page to copy.
    assert "data-conflict-changes" in page and "data-reopen-request-form" not in page
    assert re.search(r"<textarea[^>]*data-kept-reason>Zahl falsch</textarea>", page)
    verified.refresh_from_db()
    assert verified.reopen_requested_at is None
