"""The article page's side panel in Chromium, on a long article: the open card, a new claim's form and a
picked proposal are always in view beside the text; mouse selections snap to whole words (Alt keeps them
exact); a quote across paragraphs or over many sentences asks before it is saved; what was typed and not
sent survives moving between claims; the status list offers only what can succeed and says why not the rest."""

from typing import Any

import pytest
from playwright.sync_api import expect

from annotations.models import Claim, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source
from annotations.tests.test_browser_annotate import CHAR_RECT, open_article, select_text

pytestmark = pytest.mark.browser

TOWNS = ["Kleinbach", "Weidenau", "Eschental", "Mühlhausen", "Großröhrsdorf", "Lößnitzgrund"]


def _paragraph(number: int) -> str:
    town = TOWNS[number % len(TOWNS)]
    return (
        f"Der Gemeinderat von {town} hat in seiner {number + 3}. Sitzung über den Haushalt beraten. "
        f"Die Kämmerin nannte Ausgaben von {number + 10},5\u00a0Millionen Euro – mehr als im Vorjahr. "
        f"„Wir bauen die Grundschule am Mühlbach aus“, sagte Bürgermeisterin Anja Weißgerber. "
        f"Die Opposition hält den Plan für zu teuer; sie verlangt eine Prüfung durch den Landesrechnungshof."
    )


SUMMIT = (
    "Die Beratungen in Lößnitzgrund sind bereits die zweiten auf Ebene der Ministerinnen und Minister "
    "seit dem Einmarsch der Truppen in die Nachbarregion. Ein Ergebnis gilt als offen."
)
# Thirty paragraphs: several screens of text, the summit sentence near the end.
LONG = "\n\n".join([*(_paragraph(n) for n in range(26)), SUMMIT, *(_paragraph(n) for n in range(26, 30))])
STATEMENTS = ["Erste", "Zweite", "Dritte", "Vierte", "Fünfte", "Sechste"]


def in_view(page: Any, selector: str) -> dict[str, float]:
    """Where an element's top and bottom are, and whether they are seen: inside the window and not
    scrolled away inside the panel's scroll area."""
    return page.evaluate(IN_VIEW, selector)


IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  const area = document.querySelector('[data-panel-scroll]').getBoundingClientRect();
  const top = Math.max(0, area.top), bottom = Math.min(window.innerHeight, area.bottom);
  const inPanel = area.left <= box.left && box.right <= area.right + 1;
  const topInWindow = box.top >= -1 && box.top < window.innerHeight - 30;
  return {
    top: box.top, bottom: box.bottom, window: window.innerHeight,
    topSeen: topInWindow && (!inPanel || (box.top >= top - 1 && box.top < bottom - 30)),
    bottomSeen: box.bottom <= window.innerHeight + 1 && (!inPanel || box.bottom <= bottom + 1),
  };
}"""


def assert_beside_the_text(page: Any, selector: str) -> None:
    text = page.locator("[data-article-body]").bounding_box()
    part = page.locator(selector).bounding_box()
    assert text["x"] + text["width"] <= part["x"], "the panel covers the text"


@pytest.fixture
def long_article(editor: Any) -> Any:
    return make_article(by=editor, body=LONG, title="Haushaltsberatungen in sechs Gemeinden")


def test_after_saving_a_claim_low_in_the_text_its_card_and_the_message_are_in_view(
    page, live_server, editor, long_article
):
    open_article(page, live_server, editor, long_article)
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")  # the last paragraph, low on the screen
    select_text(page, "39,5\u00a0Millionen Euro – mehr als im Vorjahr")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    # The form opens in the panel, with its save button seen, not at the selection's height.
    assert in_view(page, "[data-claim-form-save]")["bottomSeen"]
    assert_beside_the_text(page, "form[data-claim-form]")
    form.locator("[name=statement]").fill("Opposition verlangt Prüfung")
    with page.expect_navigation():
        form.locator("[data-claim-form-save]").click()
    page.wait_for_selector("body[data-annotate-ready]")
    claim = Claim.objects.get()
    card = page.locator("[data-claim-card]")
    expect(card.locator(".card-statement")).to_have_text("Opposition verlangt Prüfung")
    assert in_view(page, "[data-claim-card]")["topSeen"]
    message = page.locator("[data-panel-messages]")
    expect(message).to_contain_text("Die Behauptung ist gespeichert")
    assert in_view(page, "[data-panel-messages]")["topSeen"]
    assert_beside_the_text(page, "[data-claim-card]")
    mark = page.locator(f'mark[data-claim-id="{claim.pk}"]').first
    expect(mark).to_be_in_viewport()


def test_j_and_k_bring_each_card_into_view_beside_its_highlight(page, live_server, editor, fact_checker, long_article):
    quotes = [
        f"Sitzung über den Haushalt beraten. Die Kämmerin nannte Ausgaben von {n + 10},5"
        for n in (0, 5, 11, 17, 23, 29)
    ]
    claims = []
    for quote, statement in zip(quotes, STATEMENTS, strict=True):
        claim = make_claim(long_article, editor, quote=quote, statement=statement)
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker, comment="Ich sehe mir das an – " * 4)
        claims.append(claim)
    open_article(page, live_server, fact_checker, long_article)
    card = page.locator("[data-claim-card]")
    for claim in [*claims, claims[0]]:  # once round, back to the first
        page.keyboard.press("j")
        expect(card.locator(".card-statement")).to_have_text(claim.statement)
        assert in_view(page, "[data-claim-card]")["topSeen"], claim.statement
        expect(page.locator(f'mark[data-claim-id="{claim.pk}"]').first).to_be_in_viewport()
    for claim in [claims[-1], claims[-2], claims[-3]]:  # back past the first, round to the last
        page.keyboard.press("k")
        expect(card.locator(".card-statement")).to_have_text(claim.statement)
        assert in_view(page, "[data-claim-card]")["topSeen"], claim.statement


def test_with_a_card_open_the_search_and_the_whole_claim_list_can_be_reached(
    page, live_server, editor, fact_checker, long_article
):
    for n, statement in enumerate(STATEMENTS):
        make_claim(long_article, editor, quote=f"Ausgaben von {n + 10},5\u00a0Millionen Euro", statement=statement)
    open_article(page, live_server, editor, long_article)
    page.keyboard.press("j")
    expect(page.locator("[data-claim-card]")).to_be_visible()
    expect(page.locator("#passage-q")).to_be_in_viewport()
    page.evaluate("const s = document.querySelector('[data-panel-scroll]'); s.scrollTop = s.scrollHeight")
    assert in_view(page, ".claim-index li:last-child")["bottomSeen"]
    assert page.locator(".claim-index li").count() == len(STATEMENTS)


def test_a_picked_proposal_opens_the_form_in_view_and_says_what_is_marked_already(
    page, live_server, editor, long_article
):
    marked = make_claim(long_article, editor, quote="seit dem Einmarsch der Truppen", statement="Einmarsch")
    open_article(page, live_server, editor, long_article)
    page.keyboard.press("/")
    page.keyboard.type("zweites Treffen seit dem Einmarsch")
    page.keyboard.press("Enter")
    proposal = page.locator(".passage-proposal").first
    expect(proposal.locator(".passage-quote")).to_have_text(
        "die zweiten auf Ebene der Ministerinnen und Minister seit dem Einmarsch der Truppen in die Nachbarregion"
    )
    expect(proposal.locator("[data-passage-overlap]")).to_contain_text("Schon markiert: ")
    expect(proposal.locator("[data-passage-overlap]")).to_contain_text(marked.statement)
    proposal.click()
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    expect(form.locator("[data-selected-quote]")).to_contain_text("die zweiten auf Ebene")
    assert in_view(page, "form[data-claim-form]")["topSeen"]
    assert in_view(page, "[data-claim-form-save]")["bottomSeen"]
    expect(page.locator(f'mark[data-claim-id="{marked.pk}"]').first).to_be_in_viewport()  # the passage, in the text


SCROLL_TO_CHARACTER = """(offset) => {
  const walker = document.createTreeWalker(document.querySelector('[data-article-body]'), NodeFilter.SHOW_TEXT);
  let node, seen = 0;
  while ((node = walker.nextNode())) { if (seen + node.length > offset) break; seen += node.length; }
  const range = document.createRange();
  range.setStart(node, offset - seen); range.setEnd(node, offset - seen + 1);
  window.scrollBy(0, range.getBoundingClientRect().top - window.innerHeight / 2);
}"""


def _drag(page: Any, start: int, end: int) -> None:
    """A mouse drag from the middle of the character at `start` to the middle of the one before `end`."""
    page.evaluate(SCROLL_TO_CHARACTER, start)
    first = page.evaluate(CHAR_RECT, [start])
    last = page.evaluate(CHAR_RECT, [end - 1])
    page.mouse.move((first["left"] + first["right"]) / 2 - 1, first["y"])
    page.mouse.down()
    page.mouse.move((last["left"] + last["right"]) / 2 + 1, last["y"], steps=8)
    page.mouse.up()


def test_a_mouse_selection_snaps_to_whole_words_and_alt_keeps_it_exact(page, live_server, editor, long_article):
    open_article(page, live_server, editor, long_article)
    start = LONG.index("zweiten auf Ebene")
    quote = page.locator("form[data-claim-form] [data-selected-quote]")
    # From inside "zweiten" to inside "Ebene": "eiten auf Eben" becomes the words it touches.
    _drag(page, start + 2, start + len("zweiten auf Eben"))
    expect(quote).to_have_text("zweiten auf Ebene")
    assert page.evaluate("window.getSelection().toString()") == "zweiten auf Ebene"
    page.keyboard.press("Escape")
    page.keyboard.down("Alt")
    _drag(page, start + 2, start + len("zweiten auf Eben"))
    page.keyboard.up("Alt")
    expect(quote).to_have_text("eiten auf Eben")
    with page.expect_navigation():
        page.locator("[data-claim-form-save]").click()
    claim = Claim.objects.get()
    assert (claim.quote, claim.start) == ("eiten auf Eben", start + 2)
    page.keyboard.press("?")
    expect(page.locator("[data-key-overlay]")).to_contain_text("Alt + Maus")


def test_a_quote_across_paragraphs_asks_before_it_is_saved(page, live_server, editor, long_article):
    open_article(page, live_server, editor, long_article)
    select_text(page, "Ein Ergebnis gilt als offen.\n\nDer Gemeinderat")
    form = page.locator("form[data-claim-form]")
    warning = form.locator("[data-quote-warning]")
    expect(warning).to_contain_text("über mehrere Absätze")
    form.locator("[data-claim-form-save]").click()
    expect(form.locator("[data-claim-form-save]")).to_have_text("Trotzdem speichern")
    assert not Claim.objects.exists()
    with page.expect_navigation():
        form.locator("[data-claim-form-save]").click()
    assert Claim.objects.get().quote == "Ein Ergebnis gilt als offen.\n\nDer Gemeinderat"


def test_a_quote_of_many_sentences_asks_before_it_is_saved(page, live_server, editor, long_article):
    open_article(page, live_server, editor, long_article)
    select_text(page, _paragraph(3))
    warning = page.locator("form[data-claim-form] [data-quote-warning]")
    expect(warning).to_contain_text("4 Sätze lang")
    select_text(page, "Die Kämmerin nannte Ausgaben von 13,5\u00a0Millionen Euro – mehr als im Vorjahr.")
    expect(warning).to_be_hidden()


def test_typed_text_in_cards_and_the_new_claim_form_survives_j_and_k(
    page, live_server, editor, fact_checker, long_article
):
    first = make_claim(long_article, editor, quote="Grundschule am Mühlbach", statement="Erste")
    second = make_claim(long_article, editor, quote="Landesrechnungshof", statement="Zweite")
    for claim in (first, second):
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    open_article(page, live_server, fact_checker, long_article)
    card = page.locator("[data-claim-card]")
    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Erste")
    status = card.locator("form[data-status-form]")
    status.locator("select[name=status]").select_option("unverifiable")
    status.locator("textarea[name=comment]").fill("Die Satzung ist nicht öffentlich – ")
    card.locator("[data-card-edit] summary").click()
    card.locator("[name=statement]").fill("Erste, genauer gefasst")
    page.keyboard.press("Escape")  # leaves the field; the card closes, the words stay
    # A new claim, half typed, put aside with Esc.
    select_text(page, "Wir bauen die Grundschule am Mühlbach aus")
    page.locator("form[data-claim-form] [name=statement]").fill("Ausbau der Grundschule")
    page.keyboard.press("Escape")
    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Zweite")
    expect(card.locator("textarea[name=comment]")).to_have_value("")
    page.keyboard.press("k")
    expect(card.locator(".card-statement")).to_have_text("Erste")
    expect(card.locator("select[name=status]")).to_have_value("unverifiable")
    expect(card.locator("textarea[name=comment]")).to_have_value("Die Satzung ist nicht öffentlich – ")
    expect(card.locator("textarea[name=comment]")).to_have_attribute("required", "")
    expect(card.locator("[name=statement]")).to_have_value("Erste, genauer gefasst")
    assert card.locator("[data-card-edit]").evaluate("details => details.open")
    select_text(page, "sagte Bürgermeisterin Anja Weißgerber")
    expect(page.locator("form[data-claim-form] [name=statement]")).to_have_value("Ausbau der Grundschule")
    assert [c.statement for c in Claim.objects.order_by("pk")] == ["Erste", "Zweite"]  # nothing was sent


def test_the_card_offers_only_what_can_succeed_and_says_why_not_the_rest(
    page, live_server, editor, fact_checker, long_article
):
    theirs = make_claim(long_article, editor, quote="Grundschule am Mühlbach", statement="Schulausbau")
    add_evidence(theirs, fact_checker, "context", make_source("https://www.example.org/kontext"))
    theirs.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    own = make_claim(long_article, fact_checker, quote="Landesrechnungshof", statement="Prüfung verlangt")
    add_evidence(own, fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    own.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    open_article(page, live_server, fact_checker, long_article)
    card = page.locator("[data-claim-card]")
    options = "options => options.map(o => o.value)"

    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Schulausbau")
    assert card.locator("select[name=status] option").evaluate_all(options) == ["", "unverified", "unverifiable"]
    reasons = card.locator("[data-status-unavailable]")
    expect(reasons.locator('[data-status="verified"]')).to_contain_text("mindestens einer stützenden Quelle")
    expect(reasons.locator('[data-status="disputed"]')).to_contain_text("mindestens einer widersprechenden Quelle")

    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Prüfung verlangt")
    assert card.locator("select[name=status] option").evaluate_all(options) == ["", "unverified", "unverifiable"]
    expect(card.locator('[data-status-unavailable] [data-status="verified"]')).to_contain_text("Vier-Augen-Prinzip")
