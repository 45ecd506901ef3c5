"""In Chromium against the live server: a fact-checker works a claim from its card on the article page —
reads its history, starts the review, verifies it — while an editor gets no status form and the
creator's own verdict is refused by four eyes, with nothing changed."""

from typing import Any

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, ClaimStatus
from annotations.tests.conftest import add_evidence, log_in, make_article, make_claim, make_source

pytestmark = pytest.mark.browser

BODY = (
    "Das Landesamt für Statistik meldet für Hügelsdorf 4\u00a0812 Einwohnerinnen und Einwohner – "
    "so viele wie seit 1990 nicht.\n\n"
    "„Die Straßensanierung kostet 2,3\u00a0Millionen Euro“, sagte der Kämmerer. "
    "Der Zuschuss des Landes deckt laut Rathaus die Hälfte der Summe."
)


def open_card(page: Any, live_server: Any, user: Any, claim: Claim) -> Any:
    log_in(page, live_server, user)
    page.goto(live_server.url + claim.article.get_absolute_url())
    page.wait_for_selector("body[data-annotate-ready]")
    page.locator(f'mark[data-claim-id="{claim.pk}"]').first.click()
    card = page.locator("[data-claim-card]")
    expect(card).to_be_visible()
    expect(card.locator(".card-statement")).to_have_text(claim.statement)
    return card


def submit_status(page: Any, card: Any, status: str, comment: str) -> None:
    form = card.locator("form[data-status-form]")
    form.locator("select[name=status]").select_option(status)
    form.locator("textarea[name=comment]").fill(comment)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def mark_classes(page: Any, claim: Claim) -> list[str]:
    return (page.locator(f'mark[data-claim-id="{claim.pk}"]').first.get_attribute("class") or "").split()


def assert_panel_beside_the_text(page: Any) -> None:
    """The side panel, with the card, lies wholly right of the article text at this width."""
    text = page.locator("[data-article-body]").bounding_box()
    panel = page.locator(".annotate-panel").bounding_box()
    card = page.locator("[data-claim-card]").bounding_box()
    assert text["x"] + text["width"] <= panel["x"]
    assert panel["x"] <= card["x"] and card["x"] + card["width"] <= panel["x"] + panel["width"] + 1
    assert panel["x"] + panel["width"] <= page.viewport_size["width"]


@pytest.fixture
def rathaus_claim(editor: Any) -> Claim:
    article = make_article(by=editor, body=BODY, title="Hügelsdorf wächst – und saniert")
    claim = make_claim(article, editor, quote="2,3\u00a0Millionen Euro", statement="Sanierung kostet 2,3 Mio. €")
    claim.edit(by=editor, statement="Straßensanierung kostet 2,3 Mio. €", claimant="Kämmerer")
    return Claim.objects.get(pk=claim.pk)


def test_fact_checker_sees_the_history_and_starts_the_review_from_the_card(
    page, live_server, fact_checker, rathaus_claim
):
    claim = rathaus_claim
    card = open_card(page, live_server, fact_checker, claim)
    history = card.locator("[data-card-history] li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("Erika Redakteurin Angelegt")
    expect(history.nth(1)).to_contain_text("Bearbeitet")
    expect(history.nth(1)).to_contain_text("Urheber/in der Behauptung: „“ → „Kämmerer“")
    form = card.locator("form[data-status-form]")
    assert form.locator("select[name=status] option").evaluate_all("options => options.map(o => o.value)") == [
        "in_review"
    ]
    assert form.locator("input[name=version]").input_value() == str(claim.version)
    assert_panel_beside_the_text(page)

    submit_status(page, card, "in_review", "Ich frage beim Kämmerer nach – heute noch.")

    assert page.url.endswith(f"?claim={claim.pk}#claim-{claim.pk}")
    assert "Status auf „In Prüfung“ geändert." in page.locator(".messages").inner_text()
    card = page.locator("[data-claim-card]")
    expect(card).to_be_visible()
    assert card.get_attribute("data-claim-id") == str(claim.pk)
    assert "status-in_review" in mark_classes(page, claim)
    expect(card.locator("[data-card-history] li")).to_have_count(3)
    newest = card.locator("[data-card-history] li").last
    expect(newest).to_contain_text("Fritz Prüfer Status geändert: Ungeprüft → In Prüfung")
    expect(newest.locator(".event-comment")).to_have_text("Ich frage beim Kämmerer nach – heute noch.")
    # The next steps from "in review" that can succeed are offered now, none of them preselected;
    # without sources, verifying and disputing are not, and the card says why.
    options = card.locator("select[name=status] option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["", "unverified", "unverifiable"]
    assert card.locator("select[name=status]").input_value() == ""
    expect(card.locator('[data-status-unavailable] [data-status="verified"]')).to_contain_text("stützenden Quelle")

    claim.refresh_from_db()
    assert (claim.status, claim.assignee) == (ClaimStatus.IN_REVIEW, fact_checker)
    event = claim.events.order_by("created_at", "id").last()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "status",
        fact_checker,
        ClaimStatus.UNVERIFIED,
        ClaimStatus.IN_REVIEW,
    )
    assert event.comment == "Ich frage beim Kämmerer nach – heute noch."
    assert claim.events.count() == 3


def test_fact_checker_verifies_from_the_card_with_a_supporting_source(
    page, live_server, fact_checker, second_fact_checker, rathaus_claim, tmp_path
):
    claim = rathaus_claim
    claim.change_status(ClaimStatus.IN_REVIEW, by=second_fact_checker, comment="Übernehme ich.")
    source = make_source("https://www.huegelsdorf.example.org/haushalt/strassen", title="Haushaltsplan Straßenbau 2027")
    add_evidence(claim, second_fact_checker, source=source)
    claim.refresh_from_db()

    card = open_card(page, live_server, fact_checker, claim)
    expect(card.locator(".card-evidence")).to_contain_text("Haushaltsplan Straßenbau 2027")
    expect(card.locator("[data-card-history] li")).to_have_count(4)
    expect(card.locator("[data-card-history] li").last).to_contain_text(
        "Frida Prüferin Quelle hinzugefügt: Haushaltsplan Straßenbau 2027 (stützt)"
    )
    card.locator("textarea[name=comment]").fill("Laut Haushaltsplan 2,3\u00a0Mio.\u00a0€ – passt.")
    assert_panel_beside_the_text(page)
    page.screenshot(path=tmp_path / "wtc-card.png")
    card.screenshot(path=tmp_path / "wtc-card-only.png")

    submit_status(page, card, "verified", "Laut Haushaltsplan 2,3\u00a0Mio.\u00a0€ – passt.")

    assert "status-verified" in mark_classes(page, claim)
    card = page.locator("[data-claim-card]")
    expect(card).to_be_visible()
    expect(card.locator(".badge.status-verified")).to_be_visible()
    expect(card.locator("[data-card-history] li").last).to_contain_text("In Prüfung → Bestätigt")
    # Finished: a fact-checker may not reopen, so the card has no form, only the reason.
    expect(card.locator("form[data-status-form]")).to_have_count(0)
    expect(card).to_contain_text("Nur der Chef vom Dienst kann sie wieder öffnen.")
    claim.refresh_from_db()
    assert (claim.status, claim.verified_by) == (ClaimStatus.VERIFIED, fact_checker)
    assert claim.events.last().comment == "Laut Haushaltsplan 2,3\u00a0Mio.\u00a0€ – passt."


def test_editor_sees_the_history_but_no_status_form_and_finds_the_evidence_form(
    page, live_server, editor, rathaus_claim
):
    card = open_card(page, live_server, editor, rathaus_claim)
    expect(card.locator("[data-card-history] li")).to_have_count(2)
    expect(card.locator("form[data-status-form]")).to_have_count(0)
    assert page.locator("form[data-status-form]").count() == 0
    link = card.locator("a[data-add-source]")
    expect(link).to_have_text("Quelle hinzufügen →")
    with page.expect_navigation():
        link.click()
    assert page.url.endswith(f"/claims/{rathaus_claim.pk}/#add-source")
    expect(page.locator("#add-source form[data-evidence-form]")).to_be_in_viewport()


def test_creator_is_not_offered_the_verdict_and_a_stale_card_ends_on_the_claim_page(
    page, live_server, fact_checker, second_fact_checker, editor
):
    article = make_article(by=editor, body=BODY, title="Hügelsdorf wächst – und saniert")
    own = make_claim(article, fact_checker, quote="die Hälfte der Summe", statement="Land zahlt die Hälfte")
    own.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(own, fact_checker, source=make_source("https://www.land.example.org/foerderbescheid"))
    own.refresh_from_db()

    card = open_card(page, live_server, fact_checker, own)
    # Four eyes: the creator's own verdict is not offered, and the card says why beside the list.
    options = card.locator("select[name=status] option").evaluate_all("options => options.map(o => o.value)")
    assert options == ["", "unverified", "unverifiable"]
    expect(card.locator('[data-status-unavailable] [data-status="verified"]')).to_contain_text("Vier-Augen-Prinzip")

    # Meanwhile a colleague sends it back; the card's form is stale now.
    own.change_status(ClaimStatus.UNVERIFIED, by=second_fact_checker, comment="Erst die Zahlen klären.")
    own.refresh_from_db()
    version, events = own.version, own.events.count()
    submit_status(page, card, "unverifiable", "Förderbescheid nicht öffentlich – „50 %“ unbelegt.")

    # Post/Redirect/Get: the claim page with the reason, what changed, and what was typed.
    assert page.url == f"{live_server.url}/claims/{own.pk}/"
    expect(page.locator("[data-claim-error]")).to_contain_text("Jemand hat diese Behauptung geändert")
    expect(page.locator("[data-conflict-changes]")).to_contain_text("Erst die Zahlen klären.")
    form = page.locator("form[data-status-form]")
    assert form.locator("textarea[name=comment]").input_value() == "Förderbescheid nicht öffentlich – „50 %“ unbelegt."
    assert (
        form.locator("input[name=next]").input_value() == f"{article.get_absolute_url()}?claim={own.pk}#claim-{own.pk}"
    )
    # Reloading shows the page again and sends nothing.
    page.reload()
    expect(page.locator("[data-claim-error]")).to_have_count(0)
    own.refresh_from_db()
    assert (own.status, own.version, own.events.count()) == (ClaimStatus.UNVERIFIED, version, events)


def test_the_card_warns_before_an_edit_sends_a_finished_claim_back_to_review(page, live_server, editor, fact_checker):
    article = make_article(by=editor, body=BODY, title="Hügelsdorf")
    finished = make_claim(article, editor, quote="2,3\u00a0Millionen Euro", statement="2,3 Mio. €")
    add_evidence(finished, fact_checker, source=make_source("https://www.example.org/haushalt", title="Haushalt"))
    finished.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    finished.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    still_open = make_claim(article, editor, quote="4\u00a0812 Einwohnerinnen", statement="4812 Einwohner")
    card = open_card(page, live_server, editor, still_open)
    card.locator("[data-card-edit] summary").click()
    expect(card.locator("[data-edit-finished-hint]")).to_be_hidden()
    page.locator(f'mark[data-claim-id="{finished.pk}"]').first.click()
    card.locator("[data-card-edit] summary").click()
    expect(card.locator("[data-edit-finished-hint]")).to_be_visible()
    expect(card.locator("[data-edit-finished-hint]")).to_contain_text("zurück in die Prüfung")
    card.locator("[name=statement]").fill("2,3 Mio. Euro für die Straße")
    with page.expect_navigation():
        card.locator("form[data-claim-edit-form] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("wieder in Prüfung")
    assert "status-in_review" in mark_classes(page, finished)
    finished.refresh_from_db()
    assert finished.status == ClaimStatus.IN_REVIEW and finished.verified_by is None
