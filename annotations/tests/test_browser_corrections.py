"""Corrections in Chromium: correct an article, see which claims moved, are flagged or lost their
place, re-attach one, confirm another; upload an agency's new version and accept it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import AnchorState, Article, Claim
from annotations.tests.conftest import log_in, make_article, make_claim

pytestmark = pytest.mark.browser

BODY = (
    "Oberau (dpa) – Die Feuerwehr hat am Sonntag einen Brand in einer Scheune gelöscht. "
    "Der Schaden liegt bei etwa 80.000\u00a0Euro, teilte ein Sprecher mit.\n\n"
    "Verletzt wurde niemand. Die Kriminalpolizei ermittelt wegen Brandstiftung."
)
CORRECTED = (
    "Oberau (dpa) – Die Feuerwehr hat am Sonntag einen Brand in einer Scheune gelöscht. "
    "Der Schaden liegt bei etwa 120.000\u00a0Euro, teilte ein Sprecher mit.\n\n"
    "Verletzt wurde niemand. Die Kriminalpolizei ermitelt wegen Brandstiftung.\n\n"
    "Die Feuerwehr war mit 40 Kräften im Einsatz."
)

# Selects the words in the element, as a mouse drag would: found with the browser's own string search.
SELECT = """([selector, needle]) => {
  const box = document.querySelector(selector);
  const start = box.textContent.indexOf(needle);
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  const at = (target) => {
    let seen = 0, node;
    while ((node = walker.nextNode())) {
      if (seen + node.length >= target) return [node, target - seen];
      seen += node.length;
    }
  };
  const [a, ao] = at(start);
  walker.currentNode = box;
  const [b, bo] = at(start + needle.length);
  const range = document.createRange();
  range.setStart(a, ao); range.setEnd(b, bo);
  window.getSelection().removeAllRanges();
  window.getSelection().addRange(range);
}"""


def test_correct_an_article_see_what_happened_to_its_claims_and_reattach_one(page, live_server, editor, tmp_path):
    article = make_article(by=editor, body=BODY, title="Brand in Scheune", source="dpa")
    moved = make_claim(article, editor, quote="Verletzt wurde niemand", statement="Keine Verletzten")
    flagged = make_claim(article, editor, quote="ermittelt wegen Brandstiftung", statement="Brandstiftung")
    orphaned = make_claim(article, editor, quote="etwa 80.000\u00a0Euro", statement="80.000 Euro Schaden")
    log_in(page, live_server, editor)
    page.goto(live_server.url + article.get_absolute_url())
    page.click("a[data-correct-link]")

    form = page.locator("form[data-correction-form]")
    expect(form.locator("textarea[name=body]")).to_have_value(BODY)
    form.locator("textarea[name=body]").fill(CORRECTED)
    form.locator("[name=comment]").fill("Schadenssumme korrigiert, Einsatzkräfte ergänzt")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()

    # The revisions page: what the correction did, and the two versions side by side.
    expect(page.locator("[data-effect=flagged]")).to_contain_text("Brandstiftung")
    expect(page.locator("[data-effect=orphaned]")).to_contain_text("80.000 Euro Schaden")
    expect(page.locator("[data-compare-old] del")).to_contain_text(["80", "ermittelt"])
    expect(page.locator("[data-compare-new] ins").first).to_contain_text("120")
    page.screenshot(path=str(tmp_path / "revisions.png"), full_page=True)

    # The article page: the flagged claim is drawn on its new words, the orphaned one not at all.
    page.goto(live_server.url + article.get_absolute_url())
    page.wait_for_selector("body[data-annotate-ready]")
    expect(page.locator(f'mark[data-claim-id="{moved.pk}"]').first).to_have_text("Verletzt wurde niemand")
    expect(page.locator(f'mark[data-claim-id="{flagged.pk}"]').first).to_have_text("ermitelt wegen Brandstiftung")
    expect(page.locator(f'mark[data-claim-id="{orphaned.pk}"]')).to_have_count(0)
    attention = page.locator("[data-anchor-attention]")
    expect(attention.locator(f'[data-attention-claim="{flagged.pk}"] [data-anchor-state]')).to_have_attribute(
        "data-anchor-state", "needs_review"
    )
    expect(attention.locator(f'[data-attention-claim="{orphaned.pk}"] [data-anchor-state]')).to_have_attribute(
        "data-anchor-state", "orphaned"
    )
    page.screenshot(path=str(tmp_path / "article.png"), full_page=True)

    # Re-attach the orphaned claim by selecting the corrected amount.
    attention.locator(f'[data-attention-claim="{orphaned.pk}"] a[data-reattach-link]').click()
    # Select once the page's script listens: a selection made before would reach nobody.
    page.wait_for_selector("form[data-reattach-form][data-ready]", state="attached")
    page.evaluate(SELECT, ["[data-reattach-body]", "etwa 120.000\u00a0Euro"])
    submit = page.locator("[data-reattach-submit]")
    expect(submit).to_be_enabled()
    expect(page.locator("[data-reattach-selection]")).to_have_text("etwa 120.000\u00a0Euro")
    page.screenshot(path=str(tmp_path / "reattach.png"), full_page=True)
    with page.expect_navigation():
        submit.click()
    page.wait_for_selector("body[data-annotate-ready]")
    expect(page.locator(f'mark[data-claim-id="{orphaned.pk}"]').first).to_have_text("etwa 120.000\u00a0Euro")

    # Confirm the flagged one: the list empties.
    with page.expect_navigation():
        page.locator(f'[data-attention-claim="{flagged.pk}"] button[data-confirm-anchor]').click()
    page.wait_for_selector("body[data-annotate-ready]")
    expect(page.locator("[data-anchor-attention]")).to_have_count(0)
    orphaned.refresh_from_db()
    flagged.refresh_from_db()
    assert (orphaned.anchor_state, orphaned.quote) == (AnchorState.EXACT, "etwa 120.000\u00a0Euro")
    assert flagged.anchor_state == AnchorState.EXACT


def test_upload_an_agency_version_and_accept_it_as_the_new_version(page, live_server, editor, tmp_path):
    article = make_article(by=editor, body=BODY, title="Brand in Scheune", source="dpa")
    claim = make_claim(article, editor, quote="Verletzt wurde niemand", statement="Keine Verletzten")
    version_two = tmp_path / "brand-2-fassung.txt"
    version_two.write_text("Titel: Brand in Scheune\nQuelle: dpa\n\n" + CORRECTED, encoding="utf-8")
    log_in(page, live_server, editor)
    page.goto(live_server.url + "/articles/new/")
    form = page.locator("form[data-upload-form]")
    form.locator("input[name=files]").set_input_files(str(version_two))
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    row = page.locator('[data-result="new_version"]')
    expect(row).to_contain_text("brand-2-fassung.txt")
    expect(row).to_contain_text("Brand in Scheune")
    page.screenshot(path=str(tmp_path / "upload-results.png"), full_page=True)
    with page.expect_navigation():
        row.locator("button[data-accept-version]").click()
    expect(page.locator("[data-revision]")).to_have_count(1)
    assert Article.objects.count() == 1
    article.refresh_from_db()
    assert article.text_version == 2 and article.body == CORRECTED
    claim = Claim.objects.get(pk=claim.pk)
    assert article.body[claim.start : claim.end] == "Verletzt wurde niemand"
