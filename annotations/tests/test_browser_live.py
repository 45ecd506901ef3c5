"""The live desk in Chromium: two people in two browsers, each on their own app server process, one
PostgreSQL database. What one does appears on the other's open page without a reload, and nothing
the other is typing is lost or moved."""

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from annotations import serving
from annotations.models import Claim, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source, postgresql_only
from annotations.tests.test_browser_annotate import select_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

_postgresql_only = postgresql_only("two app server processes on one database")

BODY = (
    "Der Kreistag hat am Dienstag den Haushalt für 2027 beschlossen. Er sieht Ausgaben von "
    "84\u00a0Millionen Euro vor – 👍🏽 so viel wie nie.\n\n"
    "Landrätin Petra Nowak sagte: „Wir investieren vor allem in Schulen und Radwege.“ "
    "Die Opposition stimmte dagegen."
)


@pytest.fixture(autouse=True)
def _real_transactions(transactional_db: None) -> None:
    """Named here so the suite's role fixture sees a flushed database and recreates the groups."""


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[str]]:
    """Two app servers (gunicorn, one process each) on the test database, as behind a load balancer.

    The article page asks at its default pace (the 5 s below hold for it); the queue, which asks every
    10 s by default, sooner, so that its test is not slow.
    """
    with serving.development_servers(2, tmp_path, NEWSROOM_LIVE_NOTICE_POLL_MS="1500") as running:
        yield [server.url for server in running]


def desk(browser: Any, url: str, user: Any) -> Any:
    """A browser of its own (cookies, storage) logged in as user on the server at url."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    name, value = serving.session_cookie(user).split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    return page


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-annotate-ready]")


# What live.js hands annotate.js, made here from the server's answers: the state and one claim's card.
REPEAT_ANSWER = """async (id) => {
  const config = JSON.parse(document.getElementById('live-config').textContent);
  const ask = async (url) => (await fetch(url, {headers: {Accept: 'application/json'}})).json();
  const state = await ask(config.url + '?text_version=' + config.text_version);
  const cards = await ask(config.claims_url + '?ids=' + id);
  document.dispatchEvent(new CustomEvent('live:claims', {detail: {
    order: state.claims.map((claim) => String(claim.id)), changed: cards.claims, removed: [],
    marks: state.marks, counts: state.counts}}));
}"""


def updates(page: Any) -> int:
    return int(page.evaluate("() => document.body.dataset.liveUpdates || 0"))


def wait_for_update(page: Any, seen: int) -> None:
    page.wait_for_function("(seen) => Number(document.body.dataset.liveUpdates || 0) > seen", arg=seen)


PASSING_CLASSES = re.compile(r" ?\b(active|live-changed)\b")


def drawn_marks(page: Any) -> str:
    """The body's HTML as the script drew it, without the passing classes (open card, glow)."""
    return PASSING_CLASSES.sub("", page.locator("[data-article-body]").inner_html())


def served_marks(page: Any, url: str) -> str:
    """The body's HTML as the server draws it for a fresh page."""
    text = page.request.get(url).text()
    return re.search(r'<div class="article-body" data-article-body>(.*?)</div>', text, re.S).group(1)


def test_a_new_claim_and_a_verdict_reach_the_other_page_and_a_half_typed_claim_survives(
    browser, servers, editor, fact_checker
):
    article = make_article(by=editor, body=BODY)
    # Claims already there, around and across the words the editor will mark: the new mark nests among them.
    make_claim(article, editor, quote="Ausgaben von 84\u00a0Millionen Euro vor", statement="84 Millionen")
    make_claim(article, editor, quote="Haushalt für 2027 beschlossen. Er sieht Ausgaben", statement="Beschluss")
    path = article.get_absolute_url()
    erika = desk(browser, servers[0], editor)
    fritz = desk(browser, servers[1], fact_checker)
    open_page(erika, servers[0] + path)
    open_page(fritz, servers[1] + path)

    # Erika marks a claim on her server; it appears on Fritz's page, served by the other one, within 5 s.
    select_text(erika, "84\u00a0Millionen Euro")
    erika.locator("form[data-claim-form] [name=statement]").fill("Ausgaben von 84 Mio. Euro")
    with erika.expect_navigation():
        erika.locator("form[data-claim-form] button[type=submit]").click()
    claim = Claim.objects.get(statement="Ausgaben von 84 Mio. Euro")
    mark = f'mark[data-claim-id="{claim.pk}"]'
    expect(fritz.locator(mark).first).to_be_visible(timeout=5_000)
    expect(fritz.locator(f'[data-claim-link="{claim.pk}"]')).to_contain_text("Ausgaben von 84 Mio. Euro")
    expect(fritz.locator("[data-claim-count]")).to_have_text("3")
    # Drawn by the script from the server's tree, exactly as the server draws a fresh page.
    assert fritz.locator("[data-article-body]").text_content() == BODY
    assert html.unescape(drawn_marks(fritz)) == html.unescape(served_marks(fritz, servers[1] + path))

    # Erika opens her claim's card, then starts the next claim and is half-way through its statement.
    erika.wait_for_selector("body[data-annotate-ready]")
    erika.locator(mark).first.click()
    expect(erika.locator("[data-claim-card]")).to_be_visible()
    select_text(erika, "Landrätin Petra Nowak")
    statement = erika.locator("form[data-claim-form] [name=statement]")
    expect(erika.locator("form[data-claim-form] [data-selected-quote]")).to_have_text("Landrätin Petra Nowak")
    statement.fill("")
    statement.press_sequentially("Nowak sagt, der Kreis inves")
    form = erika.locator("form[data-claim-form]")
    fields = {name: form.locator(f"[name={name}]").input_value() for name in ("start", "end", "quote")}
    box = statement.bounding_box()

    # Fritz checks it: a source (made here), then in review and verified through his card.
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/kreishaushalt-2027"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    expect(fritz.locator(mark).first).to_have_class(re.compile(r"\bstatus-in_review\b"))
    fritz.locator(mark).first.click()
    card = fritz.locator("[data-claim-card]")
    card.locator("select[name=status]").select_option("verified")
    with fritz.expect_navigation():
        card.locator("form[data-status-form] button[type=submit]").click()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.VERIFIED

    # Erika's mark turns green and her open card says what happened and who did it ...
    expect(erika.locator(mark).first).to_have_class(re.compile(r"\bstatus-verified\b"))
    erika_card = erika.locator("[data-claim-card]")
    expect(erika_card.locator(".badge").first).to_have_text(re.compile("Bestätigt"))
    verdict = "Fritz Prüfer – Status geändert: In Prüfung → Bestätigt"
    expect(erika_card.locator("[data-card-live]")).to_contain_text(verdict)
    expect(erika_card.locator("[data-card-history]")).to_contain_text("Haushaltsplan 2027")
    # An answer may bring again a card the page shows already (a card fetched after a change is newer
    # than the state it was asked for, and the next state then names it): nothing is said twice or lost.
    seen = updates(erika)
    erika.evaluate(REPEAT_ANSWER, claim.pk)
    wait_for_update(erika, seen)
    expect(erika_card.locator("[data-card-live]")).to_contain_text(verdict)
    # ... and her half-typed statement, its selection and its place are as they were.
    expect(statement).to_have_value("Nowak sagt, der Kreis inves")
    expect(statement).to_be_focused()
    assert statement.bounding_box() == box
    assert {name: form.locator(f"[name={name}]").input_value() for name in fields} == fields
    assert erika.locator("[data-article-body]").text_content() == BODY

    statement.press_sequentially("tiert vor allem in Schulen")
    with erika.expect_navigation():
        erika.locator("form[data-claim-form] button[type=submit]").click()
    saved = Claim.objects.get(statement="Nowak sagt, der Kreis investiert vor allem in Schulen")
    assert saved.quote == "Landrätin Petra Nowak"
    assert erika.problems == [] and fritz.problems == []


def test_a_correction_asks_the_other_page_to_reload_with_one_click(browser, servers, editor, fact_checker):
    article = make_article(by=editor, body=BODY)
    make_claim(article, editor, quote="Landrätin Petra Nowak", statement="Zitat der Landrätin")
    path = article.get_absolute_url()
    erika = desk(browser, servers[0], editor)
    fritz = desk(browser, servers[1], fact_checker)
    open_page(fritz, servers[1] + path)
    place = fritz.locator("[data-article-body]").bounding_box()

    erika.goto(servers[0] + path + "text/")
    corrected = BODY.replace("84\u00a0Millionen", "86\u00a0Millionen")
    erika.locator("form[data-correction-form] [name=body]").fill(corrected)
    erika.locator("form[data-correction-form] [name=comment]").fill("Zahl korrigiert")
    with erika.expect_navigation():
        erika.locator("form[data-correction-form] button[type=submit]").click()

    banner = fritz.locator("[data-live-reload]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Erika Redakteurin hat den Text korrigiert (jetzt Fassung 2)")
    # Until the reader reloads, the old text and its marks stay as they were, where they were.
    assert fritz.locator("[data-article-body]").text_content() == BODY
    assert fritz.locator("[data-article-body]").bounding_box() == place
    with fritz.expect_navigation():
        banner.get_by_role("button", name="Neu laden").click()
    fritz.wait_for_selector("body[data-annotate-ready]")
    assert fritz.locator("[data-article-body]").text_content() == corrected
    expect(fritz.locator("[data-live-reload]")).to_be_hidden()
    assert urlsplit(fritz.url).path == path


def test_an_open_card_changed_meanwhile_says_by_whom_and_keeps_what_was_typed(browser, servers, editor, fact_checker):
    article = make_article(by=editor, body=BODY)
    claim = make_claim(article, editor, quote="Die Opposition stimmte dagegen", statement="Opposition dagegen")
    other = make_claim(article, editor, quote="Schulen und Radwege", statement="Schulen und Radwege")
    path = article.get_absolute_url()
    fritz = desk(browser, servers[1], fact_checker)
    open_page(fritz, servers[1] + path)
    mark = f'mark[data-claim-id="{claim.pk}"]'
    fritz.locator(mark).first.click()
    card = fritz.locator("[data-claim-card]")
    card.locator("select[name=status]").select_option("in_review")
    comment = card.locator("textarea[name=comment]")
    comment.fill("Ich rufe beim Kreis an")
    version = card.locator("form[data-status-form] [name=version]").input_value()

    # Erika rewords the claim on the other server while Fritz writes his comment.
    seen = updates(fritz)
    claim.edit(by=editor, statement="Die Opposition stimmte geschlossen dagegen", claimant="Kreistag")
    wait_for_update(fritz, seen)

    notice = card.locator("[data-card-live]")
    expect(notice).to_contain_text("Erika Redakteurin hat diese Behauptung geändert, während Sie schrieben")
    expect(card.locator(".card-statement")).to_have_text("Die Opposition stimmte geschlossen dagegen")
    # Shown where he is about to send the form; the form keeps his words and the version he saw.
    expect(card.locator("form[data-status-form] [data-card-live]")).to_be_visible()
    expect(comment).to_have_value("Ich rufe beim Kreis an")
    assert card.locator("form[data-status-form] [name=version]").input_value() == version

    notice.get_by_role("button", name="Mein Formular auf den neuen Stand bringen").click()
    expect(card.locator("textarea[name=comment]")).to_have_value("Ich rufe beim Kreis an")
    expect(card.locator("select[name=status]")).to_have_value("in_review")
    assert card.locator("form[data-status-form] [name=version]").input_value() == str(
        Claim.objects.get(pk=claim.pk).version
    )
    with fritz.expect_navigation():
        card.locator("form[data-status-form] button[type=submit]").click()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW

    # A withdrawn claim leaves the text and the list; its open card says who withdrew it.
    fritz.wait_for_selector("body[data-annotate-ready]")
    other_mark = f'mark[data-claim-id="{other.pk}"]'
    fritz.locator(other_mark).first.click()
    expect(card).to_be_visible()
    other.withdraw(by=editor, reason="Doppelt markiert")
    expect(fritz.locator(other_mark)).to_have_count(0)
    expect(fritz.locator(f'[data-claim-link="{other.pk}"]')).to_have_count(0)
    expect(card.locator("[data-card-live]")).to_contain_text("Erika Redakteurin hat diese Behauptung zurückgezogen")
    expect(card.locator("form[data-status-form] button[type=submit]")).to_be_disabled()
    assert fritz.locator("[data-article-body]").text_content() == BODY
    assert fritz.problems == []


def test_a_page_that_lost_its_connection_catches_up_when_it_is_back(browser, servers, editor, fact_checker):
    article = make_article(by=editor, body=BODY)
    path = article.get_absolute_url()
    fritz = desk(browser, servers[1], fact_checker)
    open_page(fritz, servers[1] + path)

    place = fritz.locator("[data-article-body]").bounding_box()
    fritz.context.set_offline(True)
    status = fritz.locator("[data-live-status]")
    expect(status).to_contain_text("Keine Verbindung zum Server")
    assert fritz.locator("[data-article-body]").bounding_box() == place
    claim = make_claim(article, editor, quote="Die Opposition stimmte dagegen", statement="Opposition dagegen")
    # The page still works as before: a card opens, the text is the text.
    assert fritz.locator("[data-article-body]").text_content() == BODY

    fritz.context.set_offline(False)
    fritz.evaluate("() => window.dispatchEvent(new Event('online'))")
    expect(fritz.locator(f'mark[data-claim-id="{claim.pk}"]')).to_be_visible()
    expect(status).to_be_hidden()


def test_the_queue_says_how_many_claims_changed_without_moving_its_rows(browser, servers, editor, fact_checker):
    article = make_article(by=editor, body=BODY)
    first = make_claim(article, editor, quote="Die Opposition stimmte dagegen", statement="Opposition dagegen")
    fritz = desk(browser, servers[1], fact_checker)
    fritz.goto(servers[1] + "/claims/")
    rows = fritz.locator("[data-claim-row]")
    expect(rows).to_have_count(1)

    first.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    make_claim(article, editor, quote="Landrätin Petra Nowak", statement="Zitat")
    notice = fritz.locator("[data-live-notice]")
    expect(notice).to_have_text("2 neue Änderungen anzeigen")
    expect(rows).to_have_count(1)  # nothing moved under the reader's pointer
    with fritz.expect_navigation():
        notice.get_by_role("link", name="anzeigen").click()
    expect(fritz.locator("[data-claim-row]")).to_have_count(2)
    assert fritz.problems == []
