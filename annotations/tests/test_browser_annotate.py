"""Annotating in Chromium against the live server: select, record, see every claim in place."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from annotations.models import Claim
from annotations.roles import EDITOR
from annotations.tests.conftest import add_evidence, log_in, make_article, make_claim, make_user

pytestmark = pytest.mark.browser

BODY = (
    "Die Bürgermeisterin sagte am Dienstag: „Wir schaffen das 👍🏽 – bis 2030 sind 120\u00a0Kilometer "
    "Radwege fertig.“ Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu.\n\n"
    "Die Opposition hält die Pläne für zu teuer; sie spricht von 48\u00a0Millionen Euro. "
    "Über die Finanzierung entscheidet der Kreistag im Frühjahr."
)

# Selects the UTF-16 range [start, end) of the body, as a mouse drag would: found with the
# browser's own string search, independent of the page's script.
SELECT = """([start, end]) => {
  const body = document.querySelector('[data-article-body]');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const at = (target) => {
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      if (seen + node.length >= target) return [node, target - seen];
      seen += node.length;
    }
  };
  const [a, ao] = at(start);
  walker.currentNode = body;
  const [b, bo] = at(end);
  const range = document.createRange();
  range.setStart(a, ao); range.setEnd(b, bo);
  const selection = window.getSelection();
  selection.removeAllRanges(); selection.addRange(range);
}"""


def select_text(page, needle: str, extra_before: int = 0, extra_after: int = 0) -> None:
    start = page.evaluate(
        "(needle) => document.querySelector('[data-article-body]').textContent.indexOf(needle)", needle
    )
    assert start >= 0
    length = page.evaluate("(needle) => needle.length", needle)
    page.evaluate(SELECT, [start - extra_before, start + length + extra_after])


def open_article(page, live_server, user, article) -> None:
    log_in(page, live_server, user)
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_selector("body[data-annotate-ready]")


def save_claim(page, claimant: str = "") -> None:
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    if claimant:
        form.locator("[name=claimant]").fill(claimant)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector("body[data-annotate-ready]")


def test_a_selection_with_umlauts_emoji_quotes_and_nbsp_is_stored_in_code_points(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    quote = "„Wir schaffen das 👍🏽 – bis 2030 sind 120\u00a0Kilometer Radwege fertig.“"
    select_text(page, quote, extra_before=1, extra_after=1)  # a space either side: trimmed away
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    assert form.locator("[name=statement]").input_value() == quote.replace("\u00a0", " ")
    save_claim(page, claimant="Bürgermeisterin")
    claim = Claim.objects.get()
    assert claim.quote == quote == article.body[claim.start : claim.end]
    assert claim.start == BODY.index(quote) and claim.end == claim.start + len(quote)
    assert claim.claimant == "Bürgermeisterin"
    # drawn at once, in place, with its card open
    mark = page.locator(f'mark[data-claim-id="{claim.pk}"]')
    assert mark.first.is_visible() and "status-unverified" in mark.first.get_attribute("class")
    expect(page.locator("[data-claim-card] .card-statement")).to_have_text(claim.statement)
    assert page.evaluate("document.querySelector('[data-article-body]').textContent") == BODY


def test_a_selection_inside_a_flag_widens_to_the_whole_emoji(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    start = page.evaluate("document.querySelector('[data-article-body]').textContent.indexOf('🇩🇪')")
    # from between the two regional indicators (each two UTF-16 units) to the end of "stimmte"
    page.evaluate(SELECT, [start + 2, start + 4 + len(" stimmte")])
    save_claim(page)
    assert Claim.objects.get().quote == "🇩🇪 stimmte"


def test_a_selection_across_paragraphs_keeps_the_blank_line(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    quote = "großer Mehrheit zu.\n\nDie Opposition"
    select_text(page, quote)
    form = page.locator("form[data-claim-form]")
    expect(form.locator("[data-quote-warning]")).to_contain_text("über mehrere Absätze")
    form.locator("button[type=submit]").click()  # the first click asks again
    expect(form.locator("[data-claim-form-save]")).to_have_text("Trotzdem speichern")
    save_claim(page)
    claim = Claim.objects.get()
    assert claim.quote == quote == BODY[claim.start : claim.end]
    assert page.locator(f'mark[data-claim-id="{claim.pk}"]').count() >= 1


def test_overlapping_claims_are_both_visible_and_clickable(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    first = make_claim(article, editor, quote="sie spricht von 48\u00a0Millionen Euro", statement="Kosten 48 Mio.")
    second = make_claim(
        article, editor, quote="48\u00a0Millionen Euro. Über die Finanzierung", statement="Finanzierung"
    )
    open_article(page, live_server, editor, article)
    for claim in (first, second):
        assert page.locator(f'mark[data-claim-id="{claim.pk}"]').first.is_visible()
    card = page.locator("[data-claim-card]")
    page.locator(f'mark[data-claim-id="{first.pk}"]').first.click(position={"x": 3, "y": 5})
    expect(card.locator(".card-statement")).to_have_text("Kosten 48 Mio.")
    page.locator(f'mark[data-claim-id="{second.pk}"]').last.click()
    expect(card.locator(".card-statement")).to_have_text("Finanzierung")
    # in the overlap both are offered
    page.locator(f'mark[data-claim-id="{first.pk}"] mark[data-claim-id="{second.pk}"]').click()
    card.locator(f'[data-open-claim="{first.pk}"]').click()
    expect(card.locator(".card-statement")).to_have_text("Kosten 48 Mio.")


def test_keyboard_selection_and_creation(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    start = page.evaluate("document.querySelector('[data-article-body]').textContent.indexOf('Radwege')")
    page.evaluate(SELECT, [start, start])  # the caret before "Radwege", as a click would put it
    for _ in range(len("Radwege")):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("c")
    statement = page.locator("form[data-claim-form] [name=statement]")
    statement.wait_for(state="visible")
    assert page.evaluate("document.activeElement.name") == "statement"
    page.keyboard.type("120 km Radwege bis 2030")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    claim = Claim.objects.get()
    assert (claim.quote, claim.statement) == ("Radwege", "120 km Radwege bis 2030")


def test_keys_move_between_claims_and_show_the_key_list(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    a = make_claim(article, editor, quote="Wir schaffen das", statement="Erste")
    b = make_claim(article, editor, quote="Kreistag", statement="Zweite")
    open_article(page, live_server, editor, article)
    card = page.locator("[data-claim-card]")
    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Erste")
    assert page.evaluate("document.activeElement.dataset.claimId") == str(a.pk)
    page.keyboard.press("j")
    expect(card.locator(".card-statement")).to_have_text("Zweite")
    page.keyboard.press("k")
    expect(card.locator(".card-statement")).to_have_text("Erste")
    page.keyboard.press("Escape")
    expect(card).to_be_hidden()
    page.locator(f'mark[data-claim-id="{b.pk}"]').focus()
    page.keyboard.press("Enter")
    expect(card.locator(".card-statement")).to_have_text("Zweite")
    page.keyboard.press("?")
    expect(page.locator("[data-key-overlay]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-key-overlay]")).to_be_hidden()
    assert page.locator(".key-hints kbd").count() >= 4


GIPFEL = (
    "Brüssel. Die Staats- und Regierungschefs der EU kommen am Donnerstag zu einem Gipfel zusammen. "
    "Es ist ein Treffen unter Zeitdruck: Die Beratungen sind die zweiten auf Ebene der Staats- und "
    "Regierungschefs seit dem Einmarsch Russlands in die Ukraine.\n\n"
    "Beim ersten Gipfel im März ging es um Sanktionen; seit dem Frühjahr wurden weitere Pakete beschlossen."
)


def test_find_the_passage_pick_adjust_and_save(page, live_server, editor):
    article = make_article(by=editor, body=GIPFEL, title="Gipfel in Brüssel")
    open_article(page, live_server, editor, article)
    page.keyboard.press("/")
    page.keyboard.type("zweite Gipfel seit dem Einmarsch")
    page.keyboard.press("Enter")
    proposal = page.locator(".passage-proposal").first
    proposal.wait_for()
    expect(proposal.locator(".passage-quote")).to_have_text(
        "die zweiten auf Ebene der Staats- und Regierungschefs seit dem Einmarsch Russlands in die Ukraine"
    )
    proposal.click()
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    assert form.locator("[name=statement]").input_value() == "zweite Gipfel seit dem Einmarsch"
    page.locator("[data-article-body]").focus()
    for _ in range(3):  # narrow by three words: "in die Ukraine"
        page.keyboard.press("Control+Shift+ArrowLeft")
    page.wait_for_function(
        "() => !document.querySelector('form[data-claim-form] [data-selected-quote]').textContent.includes('Ukraine')"
    )
    save_claim(page)
    claim = Claim.objects.get()
    assert claim.quote == "die zweiten auf Ebene der Staats- und Regierungschefs seit dem Einmarsch Russlands"
    assert claim.quote == GIPFEL[claim.start : claim.end]
    assert claim.statement == "zweite Gipfel seit dem Einmarsch"


def test_script_and_img_in_article_and_claim_render_as_text_and_run_nothing(page, live_server, editor):
    evil_body = (
        'Zitat: <script>window.pwned = 1; alert("body")</script> und <img src=x onerror="window.pwned = 2; '
        'alert(2)"> – Ende.'
    )
    article = make_article(by=editor, body=evil_body, title="<img src=x onerror=alert('titel')>")
    make_claim(
        article,
        editor,
        quote='<img src=x onerror="window.pwned = 2; alert(2)">',
        statement='<script>window.pwned = 3</script><img src=y onerror="window.pwned = 4">',
    )
    Claim.objects.update(claimant="<b onmouseover=alert(5)>Fett</b>")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_article(page, live_server, editor, article)
    page.keyboard.press("j")  # the card shows statement, quote and claimant
    expect(page.locator("[data-claim-card] .card-statement")).to_contain_text("<script>window.pwned = 3</script>")
    assert page.evaluate("document.querySelector('[data-article-body]').textContent") == evil_body
    assert page.locator("h1").inner_text() == "<img src=x onerror=alert('titel')>"
    page.wait_for_timeout(300)
    assert page.evaluate("window.pwned") is None and dialogs == []
    assert page.locator("[data-article-body] img, [data-article-body] script, [data-claim-card] img").count() == 0


def test_the_card_edits_the_wording_and_withdraws_only_what_may_be_withdrawn(page, live_server, editor, fact_checker):
    article = make_article(by=editor, body=BODY)
    mine = make_claim(article, editor, quote="Wir schaffen das", statement="Alte Fassung")
    theirs = make_claim(article, fact_checker, quote="Kreistag", statement="Mit Quelle")
    add_evidence(theirs, fact_checker)
    open_article(page, live_server, editor, article)
    card = page.locator("[data-claim-card]")
    page.locator(f'mark[data-claim-id="{theirs.pk}"]').click()
    expect(card.locator("[data-claim-withdraw-link]")).to_be_hidden()  # somebody else's claim
    assert card.locator(".card-evidence li").count() == 1
    page.locator(f'mark[data-claim-id="{mine.pk}"]').click()
    card.locator("[data-card-edit] summary").click()
    card.locator("[name=statement]").fill("Neue Fassung")
    card.locator("[name=claimant]").fill("Bürgermeisterin")
    with page.expect_navigation():
        card.locator("form[data-claim-edit-form] button[type=submit]").click()
    mine.refresh_from_db()
    assert (mine.statement, mine.claimant, mine.version) == ("Neue Fassung", "Bürgermeisterin", 2)
    assert mine.events.filter(kind="edited").count() == 1
    expect(page.locator("[data-claim-card] .card-statement")).to_have_text("Neue Fassung")
    # Withdrawing asks for a reason on a page of its own, then comes back to the article.
    with page.expect_navigation():
        card.locator("[data-claim-withdraw-link]").click()
    expect(page.locator("h1")).to_have_text("Behauptung zurückziehen")
    page.locator("form[data-withdraw-form] [name=reason]").fill("Doppelt markiert")
    with page.expect_navigation():
        page.locator("form[data-withdraw-form] button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("zurückgezogen")
    assert page.url.startswith(f"{live_server.url}{article.get_absolute_url()}")
    assert page.locator(f'mark[data-claim-id="{mine.pk}"]').count() == 0
    mine.refresh_from_db()
    assert mine.is_withdrawn and mine.events.filter(kind="withdrawn", comment="Doppelt markiert").count() == 1


CHAR_RECT = """([offset]) => {
  const body = document.querySelector('[data-article-body]');
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  let seen = 0, node;
  while ((node = walker.nextNode())) {
    if (seen + node.length > offset) break;
    seen += node.length;
  }
  const range = document.createRange();
  range.setStart(node, offset - seen); range.setEnd(node, offset - seen + 1);
  const rect = range.getClientRects()[0];
  return {left: rect.left, right: rect.right, y: rect.top + rect.height / 2};
}"""


def test_a_mouse_drag_over_umlauts_and_a_nbsp_records_the_words_dragged_over(page, live_server, editor):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    quote = "Opposition hält die Pläne für zu teuer; sie spricht von 48\u00a0Millionen"
    start = page.evaluate("(q) => document.querySelector('[data-article-body]').textContent.indexOf(q)", quote)
    first = page.evaluate(CHAR_RECT, [start])
    last = page.evaluate(CHAR_RECT, [start + len(quote) - 1])
    page.mouse.move(first["left"] + 1, first["y"])
    page.mouse.down()
    page.mouse.move(last["right"] - 1, last["y"], steps=8)
    page.mouse.up()
    save_claim(page)
    claim = Claim.objects.get()
    assert claim.quote == quote == BODY[claim.start : claim.end]


ASTRAL = "Grüße 🇩🇪 aus Köln 👍🏽 – „Straße“ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 und 😀\u00a0Ende.\n\nZweiter 👩\u200d💻 Absatz mit ß und é."
WORDS = [(m.start(), m.end()) for m in re.finditer(r"\S+", ASTRAL)]


def utf16(text: str, offset: int) -> int:
    return len(text[:offset].encode("utf-16-le")) // 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_page_sends_the_code_points_python_counts_for_any_selection(page, live_server, editor, data):
    if not page.url.startswith(live_server.url):
        open_article(page, live_server, editor, make_article(by=editor, body=ASTRAL))
    first = data.draw(st.integers(0, len(WORDS) - 1))
    last = data.draw(st.integers(first, len(WORDS) - 1))
    start, end = WORDS[first][0], WORDS[last][1]
    # The example before may have chosen the same words, and selecting the very range that is already
    # selected changes nothing, so Chromium reports no selection change: let go of it first (and wait
    # until the browser said so), then empty the fields the page fills, so that waiting for them below
    # means this selection filled them.
    page.evaluate(
        """() => new Promise((done) => {
          const selection = window.getSelection();
          if (!selection.rangeCount) return done();
          document.addEventListener("selectionchange", () => done(), {once: true});
          selection.removeAllRanges();
        })"""
    )
    page.evaluate(
        "['start', 'end', 'quote'].forEach("
        "(n) => { document.querySelector('form[data-claim-form] [name=' + n + ']').value = ''; })"
    )
    page.evaluate(SELECT, [utf16(ASTRAL, start), utf16(ASTRAL, end)])
    # The page waits 60 ms after a selection change before it fills the form.
    page.wait_for_function(
        "(quote) => { const f = document.querySelector('form[data-claim-form]');"
        " return f.querySelector('[name=quote]').value === quote && f.querySelector('[name=start]').value !== ''; }",
        arg=ASTRAL[start:end],
    )
    sent = page.evaluate(
        "() => Object.fromEntries(['start', 'end', 'quote'].map("
        "(n) => [n, document.querySelector('form[data-claim-form] [name=' + n + ']').value]))"
    )
    assert (int(sent["start"]), int(sent["end"]), sent["quote"]) == (start, end, ASTRAL[start:end])


def test_words_selected_just_before_a_colleagues_marks_are_drawn_still_open_the_form(page, live_server, editor):
    # The live desk redraws the marks and puts the reader's selection back. A selection the form has not
    # shown yet (made less than the page's 60 ms pause before) is still the reader's news, not a repeat.
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    quote = "Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu."
    start = BODY.index(quote)
    page.evaluate(
        """async ([start, end]) => {
          const select = """
        + SELECT
        + """;
          const config = JSON.parse(document.getElementById('live-config').textContent);
          const answer = await fetch(config.url + '?text_version=' + config.text_version,
                                     {headers: {Accept: 'application/json'}});
          const state = await answer.json();
          select([start, end]);
          document.dispatchEvent(new CustomEvent('live:claims', {detail: {
            order: [], changed: [], removed: [], marks: state.marks, counts: state.counts}}));
        }""",
        [utf16(BODY, start), utf16(BODY, start + len(quote))],
    )
    form = page.locator("form[data-claim-form]")
    expect(form).to_be_visible()
    expect(form.locator("[name=quote]")).to_have_value(quote)
    expect(form.locator("[name=start]")).to_have_value(str(start))


def test_the_card_shows_a_creator_name_with_dollar_signs_as_written(page, live_server):
    # String.replace reads "$&" and "$'" in a replacement as patterns; a name is text, not a pattern.
    author = make_user("dollar", EDITOR, first_name="Jens", last_name="$& $' Prüfer")
    article = make_article(by=author, body=BODY)
    make_claim(article, author, quote="120\u00a0Kilometer", statement="120 km Radwege bis 2030")
    open_article(page, live_server, author, article)
    page.keyboard.press("j")
    expect(page.locator("[data-claim-card] p.meta").first).to_contain_text("Angelegt von Jens $& $' Prüfer am ")


def test_a_refused_claim_form_ends_on_the_article_page_with_the_words_kept_and_a_reload_sends_nothing(
    page, live_server, editor, tmp_path
):
    article = make_article(by=editor, body=BODY)
    open_article(page, live_server, editor, article)
    select_text(page, "Der Stadtrat")
    form = page.locator("form[data-claim-form]")
    form.wait_for(state="visible")
    form.locator("[name=statement]").fill("Meine sorgfältige Formulierung")
    # A colleague corrects the text meanwhile: the words at these offsets are no longer "Der Stadtrat".
    article.correct(BODY.replace("Der Stadtrat", "Das Gremium"), by=editor)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_selector("body[data-annotate-ready]")
    assert page.url.split("?")[0].split("#")[0] == live_server.url + article.get_absolute_url()
    expect(form).to_be_visible()
    expect(form.locator(".errorlist")).to_contain_text("Artikel")
    expect(form.locator("[name=statement]")).to_have_value("Meine sorgfältige Formulierung")
    page.screenshot(path=tmp_path / "refused-claim-form.png")
    assert not Claim.objects.exists()
    # The browser holds a GET: reloading asks nothing and sends nothing; the refusal was shown once.
    page.on("dialog", lambda dialog: pytest.fail(f"the reload asked: {dialog.message}"))
    page.reload()
    page.wait_for_selector("body[data-annotate-ready]")
    expect(form.locator(".errorlist")).to_have_count(0)
    assert not Claim.objects.exists()
