"""In Chromium: an editor cannot verify their own claim; a fact-checker links a supporting source
and verifies it; the article page then draws the claim in the verified colour."""

from typing import Any

import pytest

from annotations.models import Claim, ClaimStatus, Evidence
from annotations.tests.conftest import log_in, make_claim, make_source

pytestmark = pytest.mark.browser


def _new_page(browser: Any) -> Any:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    return page


def _set_status(page: Any, status: str, comment: str = "") -> None:
    form = page.locator("form[data-status-form]")
    form.locator("select[name=status]").select_option(status)
    form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_editor_cannot_verify_own_claim_fact_checker_verifies_with_a_source(
    browser, page, live_server, editor, fact_checker, article, tmp_path
):
    claim = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="Rekordhaushalt")
    claim_url = f"{live_server.url}/claims/{claim.pk}/"

    # The fact-checker starts the review from the claim page.
    log_in(page, live_server, fact_checker)
    page.goto(claim_url)
    _set_status(page, "in_review")
    assert "Status auf „In Prüfung“ geändert." in page.locator(".messages").inner_text()

    # Before a supporting source, verifying is not offered, and the page says why.
    reasons = page.locator("[data-status-unavailable]").inner_text()
    assert "Bestätigt – Eine Behauptung kann nur mit mindestens einer stützenden Quelle bestätigt werden." in reasons

    # The editor who created the claim gets no status form at all, only who changes it.
    editor_page = _new_page(browser)
    try:
        log_in(editor_page, live_server, editor)
        editor_page.goto(claim_url)
        assert editor_page.locator("form[data-status-form]").count() == 0
        assert "Nur die Dokumentation und der Chef vom Dienst ändern den Status." in editor_page.inner_text("main")
    finally:
        editor_page.context.close()
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW

    # The fact-checker links a supporting source, then verifies.
    page.goto(claim_url)
    form = page.locator("form[data-evidence-form]")
    form.locator("input[name=url]").fill("https://www.kleinbach.example.org/haushalt-2027?utm_source=newsletter")
    form.locator("input[name=title]").fill("Haushaltssatzung der Gemeinde Kleinbach 2027")
    form.locator("input[name=publisher]").fill("Gemeinde Kleinbach")
    form.locator("select[name=kind]").select_option("official")
    form.locator("input[name=stance][value=supports]").check()
    form.locator("textarea[name=excerpt]").fill("Ergebnishaushalt: Aufwendungen 12,4\u00a0Mio.\u00a0€")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert "Quelle hinzugefügt" in page.locator(".messages").inner_text()
    assert "Haushaltssatzung der Gemeinde Kleinbach 2027" in page.locator("[data-evidence-list]").inner_text()
    evidence = Evidence.objects.select_related("source").get(claim=claim)
    assert evidence.source.url == "https://www.kleinbach.example.org/haushalt-2027"

    _set_status(page, "verified", "Die Haushaltssatzung nennt 12,4 Mio. €.")
    assert "Status auf „Bestätigt“ geändert." in page.locator(".messages").inner_text()
    assert page.locator(".claim-facts .badge.status-verified").is_visible()
    history = page.locator("[data-history]").inner_text()
    assert "In Prüfung → Bestätigt" in history and "Fritz Prüfer" in history
    page.screenshot(path=tmp_path / "wt5-claim-page.png", full_page=True)
    claim.refresh_from_db()
    assert (claim.status, claim.verified_by) == (ClaimStatus.VERIFIED, fact_checker)

    page.goto(f"{live_server.url}/claims/")
    page.screenshot(path=tmp_path / "wt5-queue.png", full_page=True)

    # Last, because issue 4 draws the highlights on the article page (merged before this branch).
    page.goto(f"{live_server.url}/articles/{article.pk}/")
    mark = page.locator(f'mark[data-claim-id="{claim.pk}"]').first
    assert "status-verified" in (mark.get_attribute("class") or "").split()


def test_source_search_fills_the_evidence_form(page, live_server, fact_checker, editor, article):
    claim = make_claim(article, editor, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    make_source(
        "https://www.kleinbach.example.org/schulbau", title="Schulbauprogramm 2027", publisher="Gemeinde Kleinbach"
    )
    log_in(page, live_server, fact_checker)
    page.goto(f"{live_server.url}/claims/{claim.pk}/")
    form = page.locator("form[data-evidence-form]")
    search = form.locator("[data-source-query]")
    search.fill("Schulbau")
    # An arrow function: Playwright polls a bare expression with eval, which the page's CSP forbids.
    page.wait_for_function("() => document.querySelectorAll('[data-source-results] option').length === 1")
    search.fill("https://www.kleinbach.example.org/schulbau")
    assert form.locator("input[name=title]").input_value() == "Schulbauprogramm 2027"
    assert form.locator("input[name=publisher]").input_value() == "Gemeinde Kleinbach"
    form.locator("input[name=stance][value=context]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert Evidence.objects.get(claim=claim).source.title == "Schulbauprogramm 2027"
