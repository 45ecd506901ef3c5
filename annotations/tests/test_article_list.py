"""The article list: filters, claim counts per status at a constant number of queries, pages."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim

pytestmark = pytest.mark.django_db

URL = "/articles/"


def listed(response) -> list[str]:
    return re.findall(
        r'<tr data-article-id="\d+">\s*<td[^>]*><a href="[^"]+"[^>]*>([^<]+)</a>', response.content.decode()
    )


def article(title: str, **fields):
    body = fields.pop("body", f"{title}. Ein Text über Schöneberg – mit „Zitaten“ und Maßen.")
    return make_article(title=title, body=body, **fields)


def test_filters_by_title_source_language_uploader_and_date(client, editor, fact_checker):
    article(
        "Hochwasser an der Oder",
        source="dpa",
        by=editor,
        published_on=datetime.date(2022, 3, 1),
        published_precision="month",
    )
    article(
        "Schulbau in Görlitz",
        source="MDR",
        by=fact_checker,
        published_on=datetime.date(2023, 6, 2),
        published_precision="day",
    )
    article("Flood in Frankfurt (Oder)", source="Reuters", by=editor, language="en")
    client.force_login(editor)
    assert listed(client.get(URL, {"q": "görlitz"})) == ["Schulbau in Görlitz"]
    assert listed(client.get(URL, {"source": "dp"})) == ["Hochwasser an der Oder"]
    assert listed(client.get(URL, {"language": "en"})) == ["Flood in Frankfurt (Oder)"]
    assert sorted(listed(client.get(URL, {"uploaded_by": editor.username}))) == [
        "Flood in Frankfurt (Oder)",
        "Hochwasser an der Oder",
    ]
    in_2023 = {"published_after": "2023-01-01", "published_before": "2023-12-31"}
    assert listed(client.get(URL, in_2023)) == ["Schulbau in Görlitz"]


def test_filter_has_open_claims(client, editor, fact_checker):
    open_one = article("Mit offener Behauptung", by=editor)
    finished = article("Nur abgeschlossene Behauptungen", by=editor)
    article("Ohne Behauptungen", by=editor)
    make_claim(open_one, editor, quote="Ein Text")
    claim = make_claim(finished, editor, quote="Ein Text")
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Unterlagen.")
    client.force_login(editor)
    assert listed(client.get(URL, {"has_open_claims": "true"})) == ["Mit offener Behauptung"]
    assert sorted(listed(client.get(URL, {"has_open_claims": "false"}))) == [
        "Nur abgeschlossene Behauptungen",
        "Ohne Behauptungen",
    ]


def test_claim_counts_per_status_are_shown(client, editor, fact_checker):
    counted = article("Gezählt", by=editor, body="Eins zwei drei vier fünf sechs sieben acht neun zehn.")
    for quote in ("Eins", "zwei", "drei"):
        make_claim(counted, editor, quote=quote)
    reviewed = make_claim(counted, editor, quote="vier")
    reviewed.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    verified = make_claim(counted, editor, quote="fünf")
    add_evidence(verified, fact_checker)
    verified.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    verified.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    client.force_login(editor)
    html = client.get(URL).content.decode()
    cell = re.search(r'<td class="claim-counts" data-claim-count="5">(.*?)</td>', html, re.S).group(1)
    chips = dict(re.findall(r'data-status="(\w+)">.*?</span>(\d+)</span>', cell, re.S))
    assert chips == {"unverified": "3", "in_review": "1", "verified": "1"}


def _queries_for_list(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, {"has_open_claims": "true", "q": "Artikel"}).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_articles(client, editor, django_assert_max_num_queries):
    client.force_login(editor)
    for number in range(2):
        make_claim(article(f"Artikel {number}", by=editor), editor, quote="Ein Text")
    few = _queries_for_list(client)
    for number in range(2, 25):
        new = article(f"Artikel {number}", by=editor)
        make_claim(new, editor, quote="Ein Text")
        make_claim(new, editor, quote="Schöneberg")
    many = _queries_for_list(client)
    assert few == many
    with django_assert_max_num_queries(8):
        client.get(URL)


def test_pages_keep_the_filter(client, editor):
    for number in range(30):
        article(f"Meldung {number:02d}", by=editor, source="epd")
    article("Andere Quelle", by=editor, source="KNA")
    client.force_login(editor)
    first = client.get(URL, {"source": "epd"})
    assert len(listed(first)) == 25
    assert "30 Artikel" in first.content.decode()
    assert 'href="?source=epd&amp;page=2"' in first.content.decode()
    second = client.get(URL, {"source": "epd", "page": 2})
    assert len(listed(second)) == 5
    assert "Andere Quelle" not in second.content.decode()


def test_month_precision_shows_as_month_name(client, editor):
    article("März-Meldung", by=editor, published_on=datetime.date(2022, 3, 1), published_precision="month")
    client.force_login(editor)
    assert '<time datetime="2022-03">März 2022</time>' in client.get(URL).content.decode()


def test_sorting_by_published_date_shows_every_article_on_exactly_one_page(client, editor):
    # Most uploads share a date (or have none); ties need a tie-breaker or pages repeat and skip articles.
    for i in range(200):
        article(
            f"Meldung Nr. {i}",
            body=f"Meldung Nr. {i}: Der Bahnhof öffnet später.",
            by=editor,
            published_on=datetime.date(2026, 3, 1),
            published_precision="day",
        )
    client.force_login(editor)
    shown = [
        title for page in range(1, 9) for title in listed(client.get(URL, {"ordering": "published", "page": page}))
    ]
    assert sorted(shown) == sorted(f"Meldung Nr. {i}" for i in range(200))
