""" "Already checked?" in Chromium: the claim form lists matching claims of other articles as the editor writes."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim
from annotations.tests.test_browser_annotate import open_article, select_text

pytestmark = pytest.mark.browser


def test_the_claim_form_shows_checked_claims_while_the_statement_is_written(
    page, live_server, editor, fact_checker, tmp_path
):
    earlier = make_article(
        by=editor, title="Radwege in Kleinbach", body="Die Stadt investiert 12 Mio. Euro in den Radwegebau. Ende."
    )
    wording = "Die Stadt investiert 12 Mio. Euro in den Radwegebau"
    checked = make_claim(earlier, editor, quote=wording, statement=wording)
    checked.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(checked, fact_checker)
    checked.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    other_number = make_claim(
        earlier, editor, quote="Ende", statement="Die Stadt investiert 15 Mio. Euro in den Radwegebau"
    )
    article = make_article(
        by=editor,
        title="Haushalt",
        body="Für den Ausbau der Radwege gibt die Stadt zwölf Millionen Euro aus, sagte der Kämmerer.",
    )
    open_article(page, live_server, editor, article)
    select_text(page, "zwölf Millionen Euro")
    page.keyboard.press("c")
    form = page.locator("form[data-claim-form]")
    form.locator("textarea[name=statement]").fill("Die Stadt investiert 12 Mio. € in den Ausbau der Radwege")
    first = form.locator("[data-similar-list] li").first
    expect(first).to_have_attribute("data-similar-claim", str(checked.pk))
    expect(first.locator(".badge")).to_have_text("Bestätigt")
    other = form.locator(f'[data-similar-claim="{other_number.pk}"]')
    expect(other.locator(".difference")).to_have_text("Andere Zahl: 15 Mio. Euro statt 12 Mio. €")
    page.screenshot(path=tmp_path / "similar-claims.png")
    # Another wording, nothing like it: the list empties and hides.
    form.locator("textarea[name=statement]").fill("Der Kämmerer trat zurück")
    expect(form.locator("[data-similar-claims]")).to_be_hidden()
