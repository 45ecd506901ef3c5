"""Linking sources to a claim through the evidence form: one source per page, web addresses only,
markup shown as text, removal recorded."""

import json
import re

import pytest
from django.urls import reverse

from annotations.models import ClaimEvent, Evidence, Source
from annotations.tests.conftest import add_evidence, make_claim, make_source, refused_page

pytestmark = pytest.mark.django_db


def _post_evidence(client, claim, **fields):
    data = {
        "url": "https://www.kleinbach.example.org/haushalt-2027",
        "title": "Haushaltssatzung 2027",
        "publisher": "Gemeinde Kleinbach",
        "kind": "official",
        "published_on": "2026-11-03",
        "archived_url": "",
        "stance": "supports",
        "excerpt": "Gesamtausgaben: 12,4\u00a0Mio. € – ein Rekord.",
        "note": "Seite 4, Tabelle „Ergebnishaushalt“",
        "version": claim.version,
        **fields,
    }
    return client.post(reverse("annotations:claim-add-evidence", args=[claim.pk]), data)


def test_adding_evidence_creates_the_source_and_records_it(client, fact_checker, claim):
    client.force_login(fact_checker)
    response = _post_evidence(client, claim)
    assert response.status_code == 302
    evidence = Evidence.objects.select_related("source").get(claim=claim)
    assert evidence.source.title == "Haushaltssatzung 2027"
    assert evidence.source.published_on.isoformat() == "2026-11-03"
    assert evidence.source.created_by == fact_checker
    assert (evidence.stance, evidence.added_by) == ("supports", fact_checker)
    assert evidence.note == "Seite 4, Tabelle „Ergebnishaushalt“"
    event = claim.events.get(kind="evidence_added")
    assert event.actor == fact_checker and event.data["url"] == evidence.source.url


def test_the_same_page_in_another_spelling_is_the_same_source(client, fact_checker, claim, article, editor):
    existing = Source.objects.for_url("https://www.kleinbach.example.org/haushalt-2027", {"title": "Satzung"})[0]
    client.force_login(fact_checker)
    _post_evidence(client, claim, url="HTTPS://WWW.Kleinbach.Example.org:443/haushalt-2027?utm_source=nl#s4")
    assert Source.objects.count() == 1
    assert claim.evidence.get().source == existing
    assert existing.title == "Satzung"  # an existing source keeps its details


def test_for_url_refuses_non_web_urls():
    from annotations.lib.links import InvalidURL

    with pytest.raises(InvalidURL):
        Source.objects.for_url("javascript:alert(1)")
    assert not Source.objects.exists()


@pytest.mark.parametrize("field", ["url", "archived_url"])
@pytest.mark.parametrize("bad", ["javascript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>"])
def test_javascript_and_data_urls_are_refused_and_the_input_is_kept(client, fact_checker, claim, field, bad):
    client.force_login(fact_checker)
    html = refused_page(client, _post_evidence(client, claim, **{field: bad}), claim)
    assert "Geben Sie eine Webadresse ein, die mit http:// oder https:// beginnt." in html
    assert "Haushaltssatzung 2027" in html and "Ergebnishaushalt" in html  # nothing typed is lost
    assert not Source.objects.exists() and not Evidence.objects.exists()
    assert claim.events.count() == 1


def test_stance_is_required(client, fact_checker, claim):
    client.force_login(fact_checker)
    html = refused_page(client, _post_evidence(client, claim, stance=""), claim)
    assert "Bitte korrigieren Sie die markierten Felder." in html
    assert not Evidence.objects.exists()


def test_the_same_source_twice_is_refused(client, fact_checker, claim):
    client.force_login(fact_checker)
    _post_evidence(client, claim)
    claim.refresh_from_db()
    html = refused_page(client, _post_evidence(client, claim, stance="refutes"), claim)
    assert "Diese Quelle ist der Behauptung schon zugeordnet." in html
    assert Evidence.objects.count() == 1


MARKUP_TITLE = '<script>alert("titel")</script>Haushalt'
MARKUP_EXCERPT = '<img src=x onerror="alert(1)">Ausgaben & „Rekord“'


def test_titles_and_excerpts_with_markup_are_shown_as_text(client, fact_checker, claim):
    source = make_source(title=MARKUP_TITLE, publisher="<b>Amt</b>")
    claim.add_evidence(source, stance="supports", excerpt=MARKUP_EXCERPT, note="<i>kursiv?</i>", by=fact_checker)
    client.force_login(fact_checker)
    escaped_title = "&lt;script&gt;alert(&quot;titel&quot;)&lt;/script&gt;Haushalt"
    claim_page = client.get(reverse("annotations:claim-detail", args=[claim.pk])).content.decode()
    sources_page = client.get(reverse("annotations:source-list")).content.decode()
    for html in (claim_page, sources_page):
        assert "<script>alert(" not in html and "<b>Amt" not in html
        assert escaped_title in html and "&lt;b&gt;Amt&lt;/b&gt;" in html
    assert "<img src=x" not in claim_page and "<i>kursiv" not in claim_page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;Ausgaben &amp; „Rekord“" in claim_page
    assert "&lt;i&gt;kursiv?&lt;/i&gt;" in claim_page


def test_removing_evidence_is_recorded(client, editor, fact_checker, claim):
    evidence = add_evidence(claim, fact_checker)
    claim.refresh_from_db()
    client.force_login(editor)
    url = reverse("annotations:claim-remove-evidence", args=[claim.pk, evidence.pk])
    response = client.post(url, {"version": claim.version})
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert Source.objects.filter(pk=evidence.source_id).exists()  # the source stays for other claims
    event = claim.events.get(kind="evidence_removed")
    assert event.actor == editor and event.data["url"] == evidence.source.url


def test_sources_of_a_finished_claim_cannot_change(client, fact_checker, second_fact_checker, claim):
    evidence = add_evidence(claim, fact_checker)
    claim.change_status("in_review", by=fact_checker)
    claim.change_status("verified", by=second_fact_checker)
    claim.refresh_from_db()
    client.force_login(fact_checker)
    url = reverse("annotations:claim-remove-evidence", args=[claim.pk, evidence.pk])
    assert "wieder" in refused_page(client, client.post(url, {"version": claim.version}), claim)
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    html = refused_page(client, _post_evidence(client, claim, url="https://www.example.org/noch-eine"), claim)
    assert "https://www.example.org/noch-eine" in html
    assert Evidence.objects.count() == 1


def test_evidence_form_goes_back_to_the_page_that_sent_it(client, fact_checker, claim):
    client.force_login(fact_checker)
    back = claim.article.get_absolute_url()
    assert _post_evidence(client, claim, next=back)["Location"] == back
    claim.refresh_from_db()
    response = _post_evidence(client, claim, url="https://www.example.org/b", next="https://evil.example/")
    assert response["Location"] == claim.get_absolute_url()


def test_source_search_finds_by_url_title_and_publisher(client, fact_checker):
    make_source("https://www.statistik.example.org/bevoelkerung", title="Bevölkerungsstand", publisher="Landesamt")
    make_source("https://www.example.org/anderes", title="Etwas anderes", publisher="Verlag")
    client.force_login(fact_checker)
    url = reverse("annotations:source-search")
    for text in ("statistik.example", "bevölkerung", "LANDESAMT"):
        results = json.loads(client.get(url, {"q": text}).content)["results"]
        assert [r["title"] for r in results] == ["Bevölkerungsstand"], text
    assert json.loads(client.get(url, {"q": ""}).content)["results"] == []


def test_evidence_form_search_box_is_wired(client, fact_checker, claim):
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-detail", args=[claim.pk])).content.decode()
    assert re.search(r'data-source-search data-search-url="/sources/search.json"', html)
    assert "js/source_search.js" in html


def test_outsider_adds_nothing(client, outsider, claim):
    client.force_login(outsider)
    response = _post_evidence(client, claim)
    assert response.status_code == 403
    assert not Source.objects.exists() and ClaimEvent.objects.count() == 1


def test_editor_may_link_a_second_claim_to_the_same_source(client, editor, article, claim, fact_checker):
    other = make_claim(article, editor, quote="Schulen")
    client.force_login(editor)
    _post_evidence(client, claim)
    _post_evidence(client, other)
    assert Source.objects.count() == 1 and Evidence.objects.count() == 2
