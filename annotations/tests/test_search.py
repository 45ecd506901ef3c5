"""German full-text search: the search page, the queue's and the article list's text filters."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations import searching
from annotations.models import Article, Claim
from annotations.tests.conftest import make_article, make_claim, postgresql_only

SEARCH = reverse("annotations:search")


_postgresql_only = postgresql_only("the German search")


@pytest.fixture
def articles(editor):
    return {
        "gipfel": make_article(
            by=editor,
            title="Gipfel in Rom",
            body="Es ist der zweite Gipfel auf Ebene der Staats- und Regierungschefs seit dem Einmarsch. "
            "Nato-Generalsekretär Jens Stoltenberg sprach von einem „wichtigen Signal“.",
            source="dpa",
        ),
        "radweg": make_article(
            by=editor,
            title="Kleinbach baut Radwege aus",
            body="Der Radwegebau in Kleinbach kostet 12 Mio. Euro. Die Bürgermeisterinnen der Nachbarorte "
            "begrüßten die Straße entlang der Bahn.",
            source="Weidenauer Tageblatt",
        ),
        "haushalt": make_article(
            by=editor,
            title="Haushalt 2027 beschlossen",
            body="Der Gemeinderat von Weidenau beschloss den Haushalt. Für Radwege bleibt kein Geld, "
            "die Schulden steigen. Größere Projekte in Kleinbach ruhen.",
            source="dpa",
        ),
    }


def found(text: str) -> list[str]:
    return list(
        Article.objects.search(text, ranked=True).order_by("-search_rank", "-id").values_list("title", flat=True)
    )


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Bürgermeisterin", "Kleinbach baut Radwege aus"),  # the text has "Bürgermeisterinnen"
        ("Regierungschef", "Gipfel in Rom"),  # the text has "Regierungschefs"
        ("Stoltenbreg", "Gipfel in Rom"),  # a typo
        ("Radwegebau", "Kleinbach baut Radwege aus"),
        ("Strasse", "Kleinbach baut Radwege aus"),  # ß typed as ss
        ("straße", "Kleinbach baut Radwege aus"),
        ("groessere", "Haushalt 2027 beschlossen"),  # ö typed as oe
        ("GRÖSSERE", "Haushalt 2027 beschlossen"),
    ],
)
def test_names_compounds_inflections_typos_umlauts_and_sharp_s_match(articles, text, title):
    assert found(text)[:1] == [title]


def test_a_phrase_matches_only_the_words_in_that_order(articles):
    assert found('"zweite Gipfel"') == ["Gipfel in Rom"]
    assert found('"Gipfel zweite"') == []


def test_a_minus_excludes_and_oder_joins(articles):
    assert set(found("Kleinbach")) == {"Kleinbach baut Radwege aus", "Haushalt 2027 beschlossen"}
    assert found("Kleinbach -Schulden") == ["Kleinbach baut Radwege aus"]
    assert set(found("Stoltenberg oder Schulden")) == {"Gipfel in Rom", "Haushalt 2027 beschlossen"}
    assert set(found("Stoltenberg or Schulden")) == {"Gipfel in Rom", "Haushalt 2027 beschlossen"}
    assert found("Stoltenberg Schulden") == []


def test_a_title_hit_ranks_above_body_hits(articles, editor):
    make_article(by=editor, title="Radwege, Radwege", body="Radwege überall. " * 30 + "Radwege und Radwege.")
    make_article(by=editor, title="Haushaltsdebatte", body="Schulden. " * 5)
    titles = found("Haushalt")
    assert titles[0] == "Haushalt 2027 beschlossen"
    ranked = found("Kleinbach")
    assert ranked[0] == "Kleinbach baut Radwege aus"  # in the title; the other only in the body


def test_claims_are_found_by_statement_quote_and_claimant(article, editor):
    claim = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="Rekordhaushalt")
    claim.edit(by=editor, statement=claim.statement, claimant="Kämmerin Süß")
    for text in ("Rekordhaushalt", "Ausgaben", "Kämmerin", "Süß"):
        assert list(Claim.objects.search(text)) == [claim], text
    assert list(Claim.objects.search("Rekordhaushalt -Süß")) == []


def test_an_empty_or_hostile_query_finds_nothing_and_never_fails(articles):
    for text in ["", "   ", "\x00", "-Kleinbach", "der die das", "'", "\\", "&|!():*<->", "a" * 10_000, "%_%"]:
        assert found(text) == [], repr(text)


def test_the_search_page_lists_articles_and_claims_with_highlighted_snippets(client, fact_checker, articles, editor):
    claim = make_claim(
        articles["radweg"], editor, quote="Der Radwegebau in Kleinbach kostet 12 Mio. Euro", statement="Radwege teuer"
    )
    client.force_login(fact_checker)
    response = client.get(SEARCH, {"q": "Radwegebau"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-result-article="{articles["radweg"].pk}"' in html
    assert f'data-result-claim="{claim.pk}"' in html
    assert '<mark class="hit">Radwegebau</mark>' in html


def test_snippets_and_titles_are_escaped(client, fact_checker, editor):
    make_article(by=editor, title="<i>Skript</i>", body="Vorsicht <script>alert(1)</script> Radwegebau & <b>fett</b>")
    client.force_login(fact_checker)
    html = client.get(SEARCH, {"q": "Radwegebau"}).content.decode()
    assert "<script>alert" not in html and "<b>fett" not in html and "<i>Skript" not in html
    assert "&lt;i&gt;Skript&lt;/i&gt;" in html
    assert "alert(1)" in html and "&amp;" in html


def test_a_body_holding_the_highlight_marks_cannot_open_a_mark(client, fact_checker, editor):
    make_article(
        by=editor, title="Marken", body=f"Text {searching.START}mit{searching.STOP} Radwegebau {searching.STOP}"
    )
    client.force_login(fact_checker)
    html = client.get(SEARCH, {"q": "Radwegebau"}).content.decode()
    assert html.count("<mark") == html.count("</mark>")
    assert searching.START not in html and searching.STOP not in html


def test_filters_by_type_status_date_and_source(client, fact_checker, articles, editor):
    import datetime

    Article.objects.filter(pk=articles["haushalt"].pk).update(
        published_on=datetime.date(2026, 3, 1), published_precision="day"
    )
    claim = make_claim(articles["haushalt"], editor, quote="die Schulden steigen", statement="Schulden in Kleinbach")
    client.force_login(fact_checker)

    def ids(**params):
        html = client.get(SEARCH, {"q": "Kleinbach", **params}).content.decode()
        return (
            {a.pk for a in Article.objects.all() if f'data-result-article="{a.pk}"' in html},
            f'data-result-claim="{claim.pk}"' in html,
        )

    assert ids() == ({articles["radweg"].pk, articles["haushalt"].pk}, True)
    assert ids(type="articles") == ({articles["radweg"].pk, articles["haushalt"].pk}, False)
    assert ids(type="claims") == (set(), True)
    assert ids(source="Tageblatt") == ({articles["radweg"].pk}, False)
    assert ids(since="2026-02-01") == ({articles["haushalt"].pk}, True)
    assert ids(until="2026-02-01") == (set(), False)
    assert ids(status="verified") == ({articles["radweg"].pk, articles["haushalt"].pk}, False)
    assert ids(status="unverified")[1]


def test_results_are_paginated(client, fact_checker, editor):
    for number in range(25):
        make_article(by=editor, title=f"Radweg Nummer {number}", body=f"Radweg {number}")
    client.force_login(fact_checker)
    first = client.get(SEARCH, {"q": "Radweg", "type": "articles"}).content.decode()
    second = client.get(SEARCH, {"q": "Radweg", "type": "articles", "page": "2"}).content.decode()
    assert first.count("data-result-article=") == 20
    assert second.count("data-result-article=") == 5
    assert "page=2" in first


def test_the_search_page_asks_the_same_number_of_queries_however_many_results(client, fact_checker, editor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(fact_checker)

    def queries(kind: str) -> int:
        with CaptureQueriesContext(connection) as context:
            assert client.get(SEARCH, {"q": "Radweg", "type": kind}).status_code == 200
        return len(context)

    article = make_article(by=editor, title="Radweg", body="Der Radweg wird gebaut. " * 30)
    make_claim(article, editor, quote="Der Radweg wird gebaut", statement="Radweg kommt")
    few = queries("claims"), queries("articles")
    for number in range(6):
        other = make_article(by=editor, title=f"Radweg {number}", body=f"Radweg Nummer {number} wird gebaut.")
        make_claim(other, editor, quote=f"Radweg Nummer {number}", statement=f"Radweg {number} kommt")
    assert (queries("claims"), queries("articles")) == few


@pytest.mark.parametrize(
    "params",
    [
        {"q": "\x00"},
        {"q": "x" * 5000},
        {"q": "Radweg", "since": "99999-01-01"},
        {"q": "Radweg", "until": "2026-13-45"},
        {"q": "Radweg", "status": "gelöscht"},
        {"q": "Radweg", "type": "\x00"},
        {"q": "Radweg", "page": "-1"},
        {"q": "Radweg", "page": "99999999999999999999999"},
        {"q": "Radweg", "source": "\x00"},
        {"q": "Radweg", "since": "2026-02-01", "until": "2026-01-01"},
    ],
)
def test_hostile_parameters_answer_400_or_a_page_never_500(client, fact_checker, articles, params):
    client.force_login(fact_checker)
    response = client.get(SEARCH, params)
    assert response.status_code in (200, 400)


def test_somebody_without_a_role_finds_nothing(client, outsider, articles, editor):
    claim = make_claim(articles["radweg"], editor, quote="Der Radwegebau in Kleinbach", statement="Radwegebau")
    client.force_login(outsider)
    html = client.get(SEARCH, {"q": "Radwegebau"}).content.decode()
    assert f'data-result-article="{articles["radweg"].pk}"' not in html
    assert f'data-result-claim="{claim.pk}"' not in html


def test_a_withdrawn_claim_is_not_found(client, fact_checker, chief_editor, articles, editor):
    claim = make_claim(articles["radweg"], editor, quote="Der Radwegebau in Kleinbach", statement="Radwegebau")
    client.force_login(fact_checker)
    assert f'data-result-claim="{claim.pk}"' in client.get(SEARCH, {"q": "Radwegebau"}).content.decode()
    claim.withdraw(by=chief_editor, reason="Doppelt erfasst")
    assert f'data-result-claim="{claim.pk}"' not in client.get(SEARCH, {"q": "Radwegebau"}).content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", ["Suche", "Behauptungen", "Artikel", "Veröffentlicht ab"]), ("en", ["Search", "Claims", "Articles"])],
)
def test_the_search_page_speaks_both_languages(client, fact_checker, articles, language, words):
    client.force_login(fact_checker)
    client.cookies["django_language"] = language
    html = client.get(SEARCH, {"q": "Kleinbach"}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    for word in words:
        assert word in html


def test_the_navigation_has_a_search_box(client, fact_checker):
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:dashboard")).content.decode()
    assert "data-nav-search" in html and f'action="{SEARCH}"' in html


def test_the_queue_and_the_article_list_filter_with_the_same_search(client, fact_checker, articles, editor):
    claim = make_claim(articles["gipfel"], editor, quote="Regierungschefs", statement="Zweiter Gipfel")
    client.force_login(fact_checker)
    queue = client.get(reverse("annotations:claim-list"), {"q": "Regierungschef"}).content.decode()
    assert f'data-claim-row="{claim.pk}"' in queue
    queue = client.get(reverse("annotations:claim-list"), {"q": "Regierungschef -Gipfel"}).content.decode()
    assert f'data-claim-row="{claim.pk}"' not in queue
    listing = client.get(reverse("annotations:article-list"), {"q": "Stoltenbreg"}).content.decode()
    assert f'data-article-id="{articles["gipfel"].pk}"' in listing
    assert f'data-article-id="{articles["haushalt"].pk}"' not in listing


def test_the_sqlite_fallback_finds_words_phrases_and_exclusions(articles, monkeypatch):
    monkeypatch.setattr(searching, "is_postgres", lambda queryset: False)
    assert found("Regierungschefs") == ["Gipfel in Rom"]
    assert found("Kleinbach -Schulden") == ["Kleinbach baut Radwege aus"]
    assert found('"zweite Gipfel"') == ["Gipfel in Rom"]
    assert found("Radwege")[0] == "Kleinbach baut Radwege aus"  # title hit first
    assert set(found("Stoltenberg oder Schulden")) == {"Gipfel in Rom", "Haushalt 2027 beschlossen"}


def test_a_sharp_s_in_a_misspelt_name_still_finds_it(editor):
    make_article(by=editor, title="Sitzung", body="Bürgermeisterin Anja Weißgerber eröffnete die Sitzung.")
    assert found("Weißgerbr") == ["Sitzung"]
    assert found("Weisgerber") == ["Sitzung"]
