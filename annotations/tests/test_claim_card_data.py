"""The article page's claim card data: the claim's history in the claim page's words, the status
steps the person may take, the link to the evidence form; and the status form's round trip."""

import html as html_lib
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimStatus
from annotations.tests.conftest import add_evidence, make_claim, make_source, refused_page

pytestmark = pytest.mark.django_db


def card_data(client: Client, claim: Claim) -> dict[str, Any]:
    response = client.get(claim.article.get_absolute_url())
    assert response.status_code == 200
    found = re.search(r'<script id="claim-data" type="application/json">(.*?)</script>', response.content.decode())
    return {str(row["id"]): row for row in json.loads(found.group(1))}[str(claim.pk)]


def ui_text(client: Client, claim: Claim) -> dict[str, Any]:
    response = client.get(claim.article.get_absolute_url())
    found = re.search(r'<script id="annotate-text" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(found.group(1))


def timeline_text(client: Client, claim: Claim) -> str:
    """The claim page's history as a reader sees it: tags dropped, entities decoded."""
    page = client.get(claim.get_absolute_url()).content.decode()
    timeline = re.search(r'<ol class="timeline" data-history>(.*?)</ol>', page, re.S).group(1)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", timeline))


def offered(client: Client, claim: Claim) -> list[str]:
    return [choice["value"] for choice in card_data(client, claim)["status_choices"]]


def test_card_history_uses_the_words_of_the_claim_page_newest_last(client, editor, fact_checker, chief_editor, claim):
    claim.edit(by=editor, statement="Rekordhaushalt von 12,4 Mio. €", claimant="Gemeinderat")
    add_evidence(claim, fact_checker, source=make_source(title="Haushaltssatzung „Kleinbach“ 2027"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker, comment="Ich prüfe die Zahlen –\nZeile für Zeile.")
    claim.assign(None, by=chief_editor)
    client.force_login(fact_checker)

    history = card_data(client, claim)["history"]

    assert [row["kind"] for row in history] == ["created", "edited", "evidence_added", "status", "assigned"]
    created, edited, added, status, assigned = history
    assert (created["who"], created["what"]) == ("Erika Redakteurin", "Angelegt")
    assert edited["edits"] == [
        "Behauptung: „12,4 Mio. Ausgaben“ → „Rekordhaushalt von 12,4 Mio. €“",
        "Urheber/in der Behauptung: „“ → „Gemeinderat“",
    ]
    assert (added["what"], added["source"], added["stance"]) == (
        "Quelle hinzugefügt",
        "Haushaltssatzung „Kleinbach“ 2027",
        "stützt",
    )
    assert (status["who"], status["change"]) == ("Fritz Prüfer", "Ungeprüft → In Prüfung")
    assert status["comment"] == "Ich prüfe die Zahlen –\nZeile für Zeile."
    assert (assigned["who"], assigned["change"]) == ("Clara Chefin", "fritz → niemand")
    event = ClaimEvent.objects.filter(claim=claim).order_by("created_at", "id").last()
    assert assigned["datetime"] == event.created_at.isoformat()

    # The claim page says exactly the same, from the same function.
    timeline = timeline_text(client, claim)
    for row in history:
        assert f"{row['who']} {row['what']}" in timeline
        for text in [row["change"], row["source"], row["stance"], *row["edits"]]:
            assert text in timeline
    assert "Ich prüfe die Zahlen –" in timeline and "Zeile für Zeile." in timeline


def test_card_offers_a_fact_checker_only_the_next_steps_that_can_succeed(client, fact_checker, claim):
    client.force_login(fact_checker)
    assert offered(client, claim) == ["in_review"]
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    assert offered(client, claim) == ["unverified", "unverifiable"]
    data = card_data(client, claim)
    assert data["status_unavailable"] == [
        {
            "value": "verified",
            "label": "Bestätigt",
            "reason": "Eine Behauptung kann nur mit mindestens einer stützenden Quelle bestätigt werden.",
        },
        {
            "value": "disputed",
            "label": "Widerlegt",
            "reason": "Eine Behauptung kann nur mit mindestens einer widersprechenden Quelle widerlegt werden.",
        },
    ]
    assert [choice["needs_comment"] for choice in data["status_choices"]] == [False, True]
    add_evidence(claim, fact_checker, stance="refutes")
    assert offered(client, claim) == ["unverified", "disputed", "unverifiable"]
    assert card_data(client, claim)["status_choices"][1]["label"] == "Widerlegt"


def test_card_offers_an_editor_no_status_change(client, editor, fact_checker, claim):
    client.force_login(editor)
    assert offered(client, claim) == []
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    assert offered(client, claim) == []
    assert ui_text(client, claim)["can_check"] is False


def test_finished_claim_card_offers_only_reopening_and_only_to_a_chief_editor(
    client, fact_checker, chief_editor, claim
):
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Zahlen veröffentlicht.")
    client.force_login(fact_checker)
    data = card_data(client, claim)
    assert (data["status_choices"], data["finished"]) == ([], True)
    client.force_login(chief_editor)
    assert card_data(client, claim)["status_choices"] == [
        {"value": "in_review", "label": "Wieder öffnen (zurück zu „In Prüfung“)", "needs_comment": True}
    ]


def test_add_source_link_only_while_the_claim_is_open(client, editor, fact_checker, claim):
    add_evidence(claim, fact_checker)
    client.force_login(editor)
    assert card_data(client, claim)["can_add_evidence"] is True
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.VERIFIED, by=fact_checker, comment="")
    assert card_data(client, claim)["can_add_evidence"] is False


def test_the_evidence_form_has_the_anchor_the_card_links_to(client, fact_checker, claim):
    client.force_login(fact_checker)
    page = client.get(claim.get_absolute_url()).content.decode()
    section = re.search(r'<section class="panel" id="add-source">(.*?)</section>', page, re.S).group(1)
    assert "data-evidence-form" in section


def _card_post(claim: Claim, status: str, comment: str) -> dict[str, Any]:
    """What the card's status form sends."""
    back = f"{claim.article.get_absolute_url()}?claim={claim.pk}#claim-{claim.pk}"
    return {"status": status, "comment": comment, "version": claim.version, "next": back}


def test_a_status_change_from_the_card_returns_to_the_article_with_the_card_open(client, fact_checker, claim):
    client.force_login(fact_checker)
    response = client.post(
        reverse("annotations:claim-change-status", args=[claim.pk]), _card_post(claim, "in_review", "Los geht’s.")
    )
    assert response.status_code == 302
    assert response["Location"] == f"{claim.article.get_absolute_url()}?claim={claim.pk}#claim-{claim.pk}"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW
    assert card_data(client, claim)["history"][-1]["comment"] == "Los geht’s."


def test_a_refused_change_from_the_card_ends_on_the_claim_page_with_the_input_kept(
    client, editor, fact_checker, article
):
    own = make_claim(article, fact_checker, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    own.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(own, fact_checker)
    own.refresh_from_db()
    version, events = own.version, own.events.count()
    client.force_login(fact_checker)
    # The card does not offer it (four eyes); a card loaded in another tab or a hand-made post still reaches the model.
    assert "verified" not in offered(client, own)

    data = _card_post(own, "verified", "Selbst nachgerechnet – passt.")
    response = client.post(reverse("annotations:claim-change-status", args=[own.pk]), data)

    page = html_lib.unescape(refused_page(client, response, own))
    assert "Vier-Augen-Prinzip" in page
    form = re.search(r"<form[^>]*data-status-form.*?</form>", page, re.S).group(0)
    assert "Selbst nachgerechnet – passt.</textarea>" in form
    assert '<option value="verified"' not in form  # still not offered, and said why beside the list
    assert "Bestätigt</strong> – Vier-Augen-Prinzip" in form
    # Submitting again from the claim page would still go back to the article.
    assert f'name="next" value="{data["next"]}"' in form
    own.refresh_from_db()
    assert (own.status, own.version, own.events.count()) == (ClaimStatus.IN_REVIEW, version, events)


def test_verifying_from_the_card_without_a_supporting_source_is_refused_with_the_input_kept(
    client, fact_checker, claim
):
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(claim, fact_checker, stance="context")
    claim.refresh_from_db()
    version, events = claim.version, claim.events.count()
    client.force_login(fact_checker)

    data = _card_post(claim, "verified", "Klingt plausibel.")
    response = client.post(reverse("annotations:claim-change-status", args=[claim.pk]), data)

    page = html_lib.unescape(refused_page(client, response, claim))
    assert "Eine Behauptung kann nur mit mindestens einer stützenden Quelle bestätigt werden." in page
    assert "Klingt plausibel.</textarea>" in page
    claim.refresh_from_db()
    assert (claim.status, claim.version, claim.events.count()) == (ClaimStatus.IN_REVIEW, version, events)
