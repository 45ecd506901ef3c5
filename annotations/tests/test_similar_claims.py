""" "Already checked?": /claims/similar.json, the claim page's list, and the paraphrase set through the database."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations import searching
from annotations.lib.paraphrases import CASES
from annotations.models import Article, Claim
from annotations.tests.conftest import make_article, make_claim, postgresql_only

SIMILAR = reverse("annotations:claim-similar")


_postgresql_only = postgresql_only("the similar-claims lookup")


def stored_claim(editor, text: str, **fields) -> Claim:
    article = make_article(by=editor, title=text[:60], body=f"Einleitung. {text}. Schluss.", **fields)
    return make_claim(article, editor, quote=text, statement=text)


def ask(client, text: str, **params) -> list[dict]:
    response = client.get(SIMILAR, {"text": text, **params})
    assert response.status_code == 200
    return response.json()["results"]


def test_answers_the_documented_fields_best_first(client, fact_checker, editor):
    claim = stored_claim(editor, "Die Stadt investiert 12 Mio. Euro in den Radwegebau")
    client.force_login(fact_checker)
    results = ask(client, "Zwölf Millionen Euro für den Ausbau der Radwege")
    assert [row["id"] for row in results] == [claim.pk]
    row = results[0]
    assert {"id", "statement", "quote", "status", "article_id", "score"} <= row.keys()
    assert row["article_id"] == claim.article_id and row["status"] == "unverified"
    assert 0 < row["score"] <= 1


@pytest.mark.parametrize(
    "text",
    [
        "12 Mio. € für den Radwegebau",
        "zwölf Millionen Euro für den Radwegebau",
        "12.000.000 Euro für den Radwegebau",
        "Für den Ausbau der Radwege: 12.000.000 €",
    ],
)
def test_numbers_written_differently_match_across_articles(client, fact_checker, editor, text):
    claim = stored_claim(editor, "Die Stadt investiert 12 Mio. Euro in den Radwegebau")
    stored_claim(editor, "Der Kreistag tagt am Montag im Rathaus")
    client.force_login(fact_checker)
    assert [row["id"] for row in ask(client, text)][:1] == [claim.pk]


def test_another_year_or_city_ranks_below_the_true_match_and_says_so(client, fact_checker, editor):
    true = stored_claim(editor, "In Kleinbach gab es 2023 fünf Prozent mehr Verkehrsunfälle")
    other_year = stored_claim(editor, "Die Zahl der Verkehrsunfälle in Kleinbach stieg 2022 um fünf Prozent")
    other_city = stored_claim(editor, "Die Zahl der Verkehrsunfälle in Weidenau stieg 2023 um fünf Prozent")
    client.force_login(fact_checker)
    results = ask(client, "Die Zahl der Verkehrsunfälle in Kleinbach stieg 2023 um fünf Prozent")
    assert [row["id"] for row in results] == [true.pk, other_city.pk, other_year.pk] or [
        row["id"] for row in results
    ] == [true.pk, other_year.pk, other_city.pk]
    differences = {row["id"]: row["differences"] for row in results}
    assert differences[true.pk] == []
    assert differences[other_year.pk] == ["Anderes Jahr: 2022 statt 2023"]
    assert differences[other_city.pk] == ["Anderer Ort: Weidenau statt Kleinbach"]


def test_exclude_article_leaves_out_that_articles_claims(client, fact_checker, editor):
    here = stored_claim(editor, "Die EZB hebt den Leitzins auf 4,5 Prozent an")
    elsewhere = stored_claim(editor, "Europäische Zentralbank erhöht den Leitzins auf 4,5 %")
    client.force_login(fact_checker)
    assert {row["id"] for row in ask(client, "EZB erhöht Leitzins auf 4,5 %")} == {here.pk, elsewhere.pk}
    results = ask(client, "EZB erhöht Leitzins auf 4,5 %", exclude_article=here.article_id)
    assert [row["id"] for row in results] == [elsewhere.pk]


def test_limit_bounds_the_results(client, fact_checker, editor):
    for number in range(8):
        stored_claim(editor, f"Die Stadt baut {number + 2} neue Radwege in Kleinbach")
    client.force_login(fact_checker)
    assert len(ask(client, "neue Radwege in Kleinbach")) == 5
    assert len(ask(client, "neue Radwege in Kleinbach", limit="2")) == 2
    assert len(ask(client, "neue Radwege in Kleinbach", limit="20")) == 8


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "0"},
        {"limit": "21"},
        {"limit": "99999999999999999999999999"},
        {"limit": "abc"},
        {"limit": "\x00"},
        {"limit": "５"},
        {"exclude_article": "-5"},
        {"exclude_article": "9223372036854775808"},
        {"exclude_article": "1e3"},
        {"exclude_article": "\x00"},
    ],
)
def test_hostile_numbers_answer_400_with_a_message(client, fact_checker, params):
    client.force_login(fact_checker)
    response = client.get(SIMILAR, {"text": "Radweg", **params})
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize("text", ["", "x" * 1_000_000, "der die das", "'\\%_*:&|!"])
def test_hostile_texts_answer_results_never_500(client, fact_checker, editor, text):
    stored_claim(editor, "Die Stadt baut neue Radwege")
    client.force_login(fact_checker)
    response = client.get(SIMILAR, {"text": text})
    assert response.status_code == 200
    assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize("text", ["\x00", "\x00Radweg\x00"])
def test_a_nul_in_the_text_answers_400_with_a_message(client, fact_checker, editor, text):
    # A NUL anywhere in an address is refused before any view reads it (annotations/middleware.py).
    stored_claim(editor, "Die Stadt baut neue Radwege")
    client.force_login(fact_checker)
    response = client.get(SIMILAR, {"text": text})
    assert response.status_code == 400
    assert "NUL" in response.json()["error"]


def test_somebody_who_may_not_see_claims_gets_none(client, outsider, editor):
    stored_claim(editor, "Die Stadt baut neue Radwege")
    client.force_login(outsider)
    response = client.get(SIMILAR, {"text": "Die Stadt baut neue Radwege"})
    assert response.status_code == 403
    assert b"results" not in response.content


def test_a_withdrawn_claim_is_not_proposed(client, fact_checker, chief_editor, editor):
    claim = stored_claim(editor, "Die Stadt baut neue Radwege in Kleinbach")
    client.force_login(fact_checker)
    assert [row["id"] for row in ask(client, "Neue Radwege in Kleinbach")] == [claim.pk]
    claim.withdraw(by=chief_editor, reason="Doppelt erfasst")
    assert ask(client, "Neue Radwege in Kleinbach") == []


def test_the_claim_page_lists_the_claims_that_say_the_same(client, fact_checker, editor):
    claim = stored_claim(editor, "Die Stadt investiert 12 Mio. Euro in den Radwegebau")
    same = stored_claim(editor, "Zwölf Millionen Euro für den Ausbau der Radwege")
    other = stored_claim(editor, "Die Stadt investiert 15 Mio. Euro in den Radwegebau")
    client.force_login(fact_checker)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert f'data-similar-claim="{claim.pk}"' not in html
    assert html.index(f'data-similar-claim="{same.pk}"') < html.index(f'data-similar-claim="{other.pk}"')
    assert "Andere Zahl: 15 Mio. Euro statt 12 Mio. Euro" in html


@pytest.mark.parametrize(
    ("language", "heading", "difference"),
    [("de", "Schon geprüft?", "Andere Zahl"), ("en", "Already checked?", "Another number")],
)
def test_the_claim_page_and_the_json_speak_both_languages(client, fact_checker, editor, language, heading, difference):
    claim = stored_claim(editor, "Die Stadt investiert 12 Mio. Euro in den Radwegebau")
    stored_claim(editor, "Die Stadt investiert 15 Mio. Euro in den Radwegebau")
    client.force_login(fact_checker)
    client.cookies["django_language"] = language
    html = client.get(claim.get_absolute_url()).content.decode()
    assert heading in html and difference in html
    rows = ask(client, "Die Stadt investiert 12 Mio. Euro in den Radwegebau", exclude_article=claim.article_id)
    assert rows[0]["differences"][0].startswith(difference)


def test_the_paraphrase_set_through_the_database(client, fact_checker, editor, capsys):
    """Every stored claim in its own article; each paraphrase asks with its own wording."""
    stored = [stored_claim(editor, case.stored) for case in CASES]
    near = {index: [stored_claim(editor, text) for text in case.near] for index, case in enumerate(CASES)}
    client.force_login(fact_checker)
    first = top_three = 0
    for index, case in enumerate(CASES):
        ids = [row["id"] for row in ask(client, case.query, limit="10")]
        position = ids.index(stored[index].pk) if stored[index].pk in ids else len(ids)
        first += position == 0
        top_three += position < 3
        for claim in near[index]:
            if claim.pk in ids:
                assert ids.index(claim.pk) > position, (case.query, claim.statement)
    print(f"paraphrases: {len(CASES)}, true match first: {first}, in the top three: {top_three}")
    assert first >= 0.9 * len(CASES)
    assert top_three >= 0.95 * len(CASES)
    assert Article.objects.count() == len(CASES) + sum(len(claims) for claims in near.values())


def test_more_matches_than_a_branch_takes_propose_the_newest_the_same_on_every_call(
    client, fact_checker, editor, monkeypatch
):
    # Each way of matching takes at most SIMILAR_BRANCH_CAP claims. Taken in no order, which ones depended on
    # where PostgreSQL's scan began (at a million claims, another list on every reload): now the newest.
    monkeypatch.setattr(searching, "SIMILAR_BRANCH_CAP", 3)
    text = "Der Landkreis stellt 40 neue Schulbusse in Dienst"
    ids = []
    for number in range(8):
        article = make_article(by=editor, title=f"Schulbusse {number}", body=f"Meldung {number}. {text}. Ende.")
        ids.append(make_claim(article, editor, quote=text, statement=text).pk)
    client.force_login(fact_checker)
    answers = [[found["id"] for found in ask(client, text, limit=3)] for _ in range(3)]
    assert answers[0] == sorted(ids, reverse=True)[:3]
    assert answers[0] == answers[1] == answers[2]
