"""The claim page: the claim in its context, its sources, its history and the forms that act on it."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db


def _page(client, claim) -> str:
    response = client.get(reverse("annotations:claim-detail", args=[claim.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _status_options(html: str) -> list[str]:
    form = re.search(r"<form[^>]*data-status-form.*?</form>", html, re.S).group(0)
    return re.findall(r'<option value="([a-z_]+)"', form)


def test_page_shows_the_claim_in_its_context(client, fact_checker, claim):
    client.force_login(fact_checker)
    html = _page(client, claim)
    assert claim.statement in html
    assert f'<mark class="status-unverified">{claim.quote}</mark>' in html
    # The stored context, cut at whole words (annotations.lib.snippets).
    assert claim.prefix.split(" ", 1)[1].lstrip() in html and claim.suffix.rsplit(" ", 1)[0] in html
    assert claim.article.title in html


def test_page_shows_sources_and_a_timeline_of_who_did_what(client, fact_checker, chief_editor, claim):
    add_evidence(claim, fact_checker, source=make_source(title="Haushaltssatzung 2027", publisher="Gemeinde Kleinbach"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker, comment="Ich prüfe die Zahlen.")
    claim.assign(fact_checker, by=chief_editor)  # no change: already assigned by starting the review
    client.force_login(chief_editor)
    html = _page(client, claim)
    assert "Haushaltssatzung 2027" in html and "Gemeinde Kleinbach" in html
    timeline = re.search(r"<ol class=\"timeline\" data-history>.*?</ol>", html, re.S).group(0)
    assert timeline.count("<li") == 3  # created, source added, status changed
    assert "Fritz Prüfer" in timeline
    assert "Quelle hinzugefügt" in timeline
    assert "Ungeprüft → In Prüfung" in timeline
    assert "Ich prüfe die Zahlen." in timeline


def _unavailable(html: str) -> str:
    found = re.search(r"data-status-unavailable>(.*?)</div>", html, re.S)
    return html_lib.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def test_status_form_offers_only_the_next_steps_that_can_succeed(client, fact_checker, claim):
    client.force_login(fact_checker)
    assert _status_options(_page(client, claim)) == ["in_review"]
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    html = _page(client, claim)
    assert _status_options(html) == ["unverified", "unverifiable"]
    beside = _unavailable(html)
    assert "Bestätigt – Eine Behauptung kann nur mit mindestens einer stützenden Quelle bestätigt werden." in beside
    assert "Widerlegt – Eine Behauptung kann nur mit mindestens einer widersprechenden Quelle" in beside
    add_evidence(claim, fact_checker, "supports")
    html = _page(client, claim)
    assert _status_options(html) == ["unverified", "verified", "unverifiable"]
    assert "Bestätigt" not in _unavailable(html)


def test_the_creator_is_told_beside_the_list_that_four_eyes_apply(client, fact_checker, article):
    own = make_claim(article, fact_checker, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    add_evidence(own, fact_checker, "supports")
    own.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    client.force_login(fact_checker)
    html = _page(client, own)
    assert _status_options(html) == ["unverified", "unverifiable"]
    assert "Bestätigt – Vier-Augen-Prinzip" in _unavailable(html)


def test_an_editor_gets_no_status_form_but_the_reason(client, editor, claim):
    client.force_login(editor)
    html = _page(client, claim)
    assert "data-status-form" not in html
    assert "Nur die Dokumentation und der Chef vom Dienst ändern den Status." in html


def test_finished_claim_offers_only_reopening(client, fact_checker, chief_editor, claim):
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Daten veröffentlicht.")
    client.force_login(chief_editor)
    html = _page(client, claim)
    assert _status_options(html) == ["in_review"]
    assert "Wieder öffnen" in html
    assert "data-evidence-form" not in html  # a finished claim's sources stay as they were


def test_forms_carry_the_claim_version(client, fact_checker, claim):
    add_evidence(claim, fact_checker)
    client.force_login(fact_checker)
    html = _page(client, claim)
    for hook in ("data-status-form", "data-evidence-form"):
        form = re.search(rf"<form[^>]*{hook}.*?</form>", html, re.S).group(0)
        assert f'name="version" value="{claim.version}"' in form
    assert claim.version == 2


def test_evidence_form_has_the_documented_fields(client, fact_checker, claim):
    client.force_login(fact_checker)
    form = re.search(r"<form[^>]*data-evidence-form.*?</form>", _page(client, claim), re.S).group(0)
    for name in ("url", "title", "publisher", "stance", "excerpt", "kind", "published_on", "archived_url", "note"):
        assert f'name="{name}"' in form, name


def test_take_button_is_offered_to_fact_checkers_only(client, editor, fact_checker, claim):
    client.force_login(fact_checker)
    assert "Ich übernehme" in _page(client, claim)
    client.force_login(editor)
    assert "Ich übernehme" not in _page(client, claim)


def test_only_chief_editors_see_the_assign_form(client, fact_checker, chief_editor, claim):
    client.force_login(fact_checker)
    assert "data-assign-form" not in _page(client, claim)
    client.force_login(chief_editor)
    assert "data-assign-form" in _page(client, claim)


def test_page_queries_do_not_grow_with_sources_and_history(
    client, fact_checker, chief_editor, article, editor, django_assert_max_num_queries
):
    claim = make_claim(article, editor, quote="Schulen")
    client.force_login(chief_editor)
    for i in range(8):
        add_evidence(claim, fact_checker, source=make_source(url=f"https://www.example.org/quelle-{i}"))
    with django_assert_max_num_queries(14):
        _page(client, claim)


def test_outsider_is_refused_in_german(client, outsider, claim):
    client.force_login(outsider)
    response = client.get(reverse("annotations:claim-detail", args=[claim.pk]))
    assert response.status_code == 403
    assert "Sie haben noch keine Rolle" in response.content.decode()


def test_dashboard_lists_the_newest_articles(client, editor):
    for i in range(7):
        make_article(by=editor, body=f"Meldung Nr. {i}: Die Brücke über die Saale wird gesperrt.", title=f"Meldung {i}")
    client.force_login(editor)
    recent = client.get("/").content.decode().split("Neueste Artikel")[1].split("</section>")[0]
    assert re.findall(r">(Meldung \d)</a>", recent) == ["Meldung 6", "Meldung 5", "Meldung 4", "Meldung 3", "Meldung 2"]


def test_claim_page_and_queue_speak_english_when_asked(client, settings, fact_checker, claim):
    client.force_login(fact_checker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(client, claim)
    assert "I’ll take it" in html and "Change status" in html and "Find a source we already have" in html
    assert "With the selected claims" in client.get("/claims/").content.decode()
