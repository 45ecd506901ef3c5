"""The live desk's questions: what changed on an article (its ETag, the claims, the marks, the cards),
and how many claims the queue or the dashboard has not shown yet. Bounded, by the one read rule,
and hostile parameters answer 400."""

import html
import json
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimStatus
from annotations.tests.conftest import BODY, add_evidence, make_article, make_claim, make_source
from annotations.views import live

pytestmark = pytest.mark.django_db


def ask(client: Client, article: Any, etag: str | None = None, text_version: int | None = None) -> Any:
    headers = {"HTTP_IF_NONE_MATCH": etag} if etag else {}
    version = article.text_version if text_version is None else text_version
    return client.get(reverse("annotations:article-live", args=[article.pk]), {"text_version": version}, **headers)


def cards(client: Client, article: Any, *claims: Claim) -> dict[int, dict[str, Any]]:
    ids = ",".join(str(claim.pk) for claim in claims)
    response = client.get(reverse("annotations:article-live-claims", args=[article.pk]), {"ids": ids})
    assert response.status_code == 200, response.content
    return {card["id"]: card for card in response.json()["claims"]}


def page_script_data(client: Client, article: Any, name: str) -> Any:
    page = client.get(article.get_absolute_url()).content.decode()
    return json.loads(re.search(rf'<script id="{name}" type="application/json">(.*?)</script>', page, re.S).group(1))


def app_queries(queries: CaptureQueriesContext) -> list[str]:
    """The queries that read the app's own tables (not the session, the user or the permissions)."""
    return [query["sql"] for query in queries.captured_queries if "annotations_" in query["sql"]]


def test_an_idle_page_is_answered_304_after_three_small_queries_of_the_apps_tables(client, fact_checker, claim):
    client.force_login(fact_checker)
    first = ask(client, claim.article)
    assert first.status_code == 200
    assert first["ETag"] and "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]

    with CaptureQueriesContext(connection) as queries:
        again = ask(client, claim.article, first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    # The article, its claims' stamp, its sources' stamp: each a lookup by index, however many claims.
    assert len(app_queries(queries)) == 3, app_queries(queries)


def test_every_change_of_a_claim_changes_the_answer(client, editor, fact_checker, chief_editor, article, claim):
    client.force_login(fact_checker)
    other = make_claim(article, editor, quote="Bürgermeisterin Anja Weißgerber", statement="Sie sagte es")
    source = make_source()
    changes = [
        lambda: claim.edit(by=editor, statement="Rekordhaushalt", claimant="Gemeinderat"),
        lambda: claim.add_evidence(source, stance="supports", by=fact_checker),
        lambda: claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker),
        lambda: claim.assign(None, by=chief_editor),
        lambda: claim.change_status(ClaimStatus.VERIFIED, by=fact_checker),
        lambda: other.withdraw(by=editor, reason="doppelt markiert"),
        lambda: other.restore(by=chief_editor),
        lambda: make_claim(article, editor, quote="Schulen", statement="Investitionen in Schulen"),
    ]
    etag = ask(client, article)["ETag"]
    for change in changes:
        change()
        answer = ask(client, article, etag)
        assert answer.status_code == 200, change
        etag = answer["ETag"]
        versions = {row["id"]: (row["version"], row["status"]) for row in answer.json()["claims"]}
        standing = Claim.objects.current().for_article(article)
        assert versions == {c.pk: (c.version, c.status) for c in standing}
        assert ask(client, article, etag).status_code == 304


def test_a_change_of_a_cited_source_changes_the_answer_and_the_cards_stamp(client, fact_checker, chief_editor, claim):
    # The card shows the source's title and its changes; the claim's version stays as it is.
    source = make_source(title="Haushaltsplan")
    claim.add_evidence(source, stance="supports", by=fact_checker)
    client.force_login(fact_checker)
    first = ask(client, claim.article)
    stamp = first.json()["claims"][0]["stamp"]
    version = claim.version

    source.change(by=chief_editor, title="Haushaltsplan 2027 (beschlossen)")

    answer = ask(client, claim.article, first["ETag"])
    assert answer.status_code == 200
    (row,) = answer.json()["claims"]
    assert row["version"] == version and row["stamp"] != stamp
    card = cards(client, claim.article, claim)[claim.pk]
    assert card["stamp"] == row["stamp"]
    assert card["evidence"][0]["title"] == "Haushaltsplan 2027 (beschlossen)"


def test_the_answer_lists_the_claims_in_page_order_with_counts_by_status(client, editor, fact_checker, article):
    later = make_claim(article, editor, quote="Schulen")
    first = make_claim(article, editor, quote="Gemeinderat von Kleinbach")
    gone = make_claim(article, editor, quote="Montag")
    gone.withdraw(by=editor, reason="falsch markiert")
    client.force_login(fact_checker)

    answer = ask(client, article).json()

    assert [row["id"] for row in answer["claims"]] == [first.pk, later.pk]
    assert answer["counts"] == {**dict.fromkeys(ClaimStatus.values, 0), "unverified": 2}
    assert answer["text_version"] == article.text_version


def _html(nodes: list[Any], body: str) -> str:
    """The live answer's marks drawn the way live.js draws them (attributes in the same order)."""
    parts = []
    for node in nodes:
        if isinstance(node, list):
            parts.append(html.escape(body[node[0] : node[1]], quote=False))
            continue
        anchor = f' id="claim-{node["id"]}" tabindex="0"' if node["first"] else ""
        parts.append(f'<mark data-claim-id="{node["id"]}" class="status-{node["status"]}"{anchor}>')
        parts.append(_html(node["children"], body))
        parts.append("</mark>")
    return "".join(parts)


def test_the_marks_in_the_answer_are_the_marks_of_the_page(client, editor, fact_checker, article):
    # Overlapping, nested and side by side: the tree must nest them as the page's HTML does.
    make_claim(article, editor, quote="Gemeinderat von Kleinbach hat am Montag")
    make_claim(article, editor, quote="Kleinbach hat am Montag den Haushalt")
    make_claim(article, editor, quote="Montag")
    add_evidence(make_claim(article, editor, quote="12,4\u00a0Millionen Euro"), fact_checker)
    client.force_login(fact_checker)

    answer = ask(client, article).json()
    page = client.get(article.get_absolute_url()).content.decode()
    drawn = re.search(r"<div class=\"article-body\" data-article-body>(.*?)</div>", page, re.S).group(1)

    assert html.unescape(_html(answer["marks"], BODY)) == html.unescape(drawn)
    assert "<mark" in drawn


def test_marks_count_code_points_as_the_server_does(client, editor, fact_checker):
    article = make_article(by=editor, body="Ein Daumen 👍🏽 hoch für den 🇩🇪 Haushalt von 2027.")
    claim = make_claim(article, editor, quote="Haushalt von 2027")
    client.force_login(fact_checker)

    (before, mark, after) = ask(client, article).json()["marks"]

    assert mark["id"] == claim.pk
    assert mark["children"] == [[claim.start, claim.end]]
    assert before == [0, claim.start] and after == [claim.end, len(article.body)]


def test_a_page_showing_an_earlier_text_is_told_who_corrected_it(client, editor, fact_checker, claim):
    article = claim.article
    client.force_login(fact_checker)
    shown = article.text_version
    article.correct(article.body.replace("Montag", "Dienstag"), by=editor, comment="Wochentag")

    answer = ask(client, article, text_version=shown)

    assert answer.status_code == 200
    assert answer.json() == {"text_version": shown + 1, "corrected_by": "Erika Redakteurin"}


def test_cards_are_the_pages_cards_and_a_withdrawn_claim_says_by_whom(client, editor, fact_checker, article, claim):
    other = make_claim(article, editor, quote="Schulen", statement="Investitionen in Schulen")
    client.force_login(fact_checker)
    on_page = {row["id"]: row for row in page_script_data(client, article, "claim-data")}
    other.withdraw(by=editor, reason="doppelt markiert")

    answered = cards(client, article, claim, other)

    assert answered[claim.pk] == on_page[claim.pk]
    assert answered[other.pk]["withdrawn"] is True
    last = answered[other.pk]["history"][-1]
    assert (last["kind"], last["who"], last["comment"]) == ("withdrawn", "Erika Redakteurin", "doppelt markiert")


def test_cards_come_only_from_the_article_asked_about(client, editor, fact_checker, claim):
    elsewhere = make_claim(make_article(by=editor, body="Ein ganz anderer Text über Radwege."), editor, quote="Radwege")
    client.force_login(fact_checker)

    assert cards(client, claim.article, claim, elsewhere).keys() == {claim.pk}


def test_a_user_without_a_role_learns_nothing(client, outsider, claim):
    client.force_login(outsider)
    article = claim.article
    since = ClaimEvent.objects.newest_id()
    claim.edit(by=claim.created_by, statement="Geheim geändert", claimant="")

    for response in (
        ask(client, article),
        client.get(reverse("annotations:article-live-claims", args=[article.pk]), {"ids": str(claim.pk)}),
        client.get(reverse("annotations:claim-changes"), {"since": since}, HTTP_ACCEPT="application/json"),
    ):
        assert response.status_code == 403
        assert b"Geheim" not in response.content and b'"count"' not in response.content


def test_logged_out_the_questions_go_to_the_login(client, claim):
    response = ask(client, claim.article)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


HOSTILE = ["", "abc", "-1", "0", "1.0", "1e3", " 1", "１", "9" * 20, str(2**63), "1\x00"]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_text_version_is_refused_with_400(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    url = reverse("annotations:article-live", args=[claim.article.pk])
    answer = client.get(url, {"text_version": value})
    assert answer.status_code == 400
    if "\x00" not in value:  # the middleware refuses a NUL in any address before the view
        assert answer.json() == {"error": "„text_version“ muss eine ganze Zahl von 1 bis 2147483647 sein."}


@pytest.mark.parametrize(
    "value", ["", "a", "1,,2", ",1", "0", "-3", str(2**63), "1;2", "１", ",".join(["1"] * (live.CARDS_PER_ANSWER + 1))]
)
def test_hostile_card_ids_are_refused_with_400(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    url = reverse("annotations:article-live-claims", args=[claim.article.pk])
    answer = client.get(url, {"ids": value})
    assert answer.status_code == 400
    assert answer.json() == {"error": "„ids“ muss eine Liste von bis zu 50 durch Kommas getrennten IDs sein."}


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"since": "x"},
        {"since": "-1"},
        {"since": str(2**63)},
        {"since": "1", "shown": "1,x"},
        {"since": "1", "shown": ",".join(["5"] * 101)},
    ],
)
def test_hostile_cursors_of_the_queue_are_refused_with_400(client, fact_checker, claim, query):
    client.force_login(fact_checker)
    answer = client.get(reverse("annotations:claim-changes"), query)
    assert answer.status_code == 400
    assert answer.json()["error"].startswith(("„since“", "„shown“"))


def test_an_article_that_does_not_exist_is_404(client, fact_checker):
    client.force_login(fact_checker)
    assert client.get(reverse("annotations:article-live", args=[2**62]), {"text_version": 1}).status_code == 404


# --- the queue and the dashboard ------------------------------------------------------------


def changes(client: Client, since: int, **query: Any) -> dict[str, Any]:
    response = client.get(reverse("annotations:claim-changes"), {"since": since, **query})
    assert response.status_code == 200, response.content
    return response.json()


def test_the_queue_counts_claims_added_or_changed_since_it_was_shown(client, editor, fact_checker, article, claim):
    client.force_login(fact_checker)
    since = ClaimEvent.objects.newest_id()
    assert changes(client, since) == {"count": 0, "more": False}

    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(claim, fact_checker)  # a second change of the same claim is still one claim
    make_claim(article, editor, quote="Schulen")

    assert changes(client, since)["count"] == 2


def test_the_queue_counts_what_its_filters_select_and_what_it_shows(client, editor, fact_checker, article, claim):
    client.force_login(fact_checker)
    elsewhere = make_claim(article, editor, quote="Schulen")
    since = ClaimEvent.objects.newest_id()
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)

    # Filtered to unverified claims, the claim that went to review is neither selected nor shown ...
    assert changes(client, since, status="unverified")["count"] == 0
    # ... unless the page shows it: then its row changed.
    assert changes(client, since, status="unverified", shown=f"{claim.pk},{elsewhere.pk}")["count"] == 1
    assert changes(client, since, status="in_review")["count"] == 1


def test_the_dashboard_counts_withdrawn_claims_too(client, editor, fact_checker, claim):
    client.force_login(fact_checker)
    since = ClaimEvent.objects.newest_id()
    claim.withdraw(by=editor, reason="doppelt")

    assert changes(client, since)["count"] == 0  # the queue leaves withdrawn claims out
    assert changes(client, since, withdrawn="include")["count"] == 1


def test_the_queue_looks_at_a_bounded_number_of_entries(client, editor, fact_checker, article, monkeypatch):
    monkeypatch.setattr(live, "EVENTS_PER_ANSWER", 3)
    client.force_login(fact_checker)
    since = ClaimEvent.objects.newest_id()
    for quote in ("Gemeinderat", "Kleinbach", "Montag", "Haushalt"):
        make_claim(article, editor, quote=quote)

    assert changes(client, since) == {"count": 3, "more": True}


def test_an_idle_queue_costs_one_query_of_the_apps_tables(client, fact_checker, claim):
    client.force_login(fact_checker)
    since = ClaimEvent.objects.newest_id()
    with CaptureQueriesContext(connection) as queries:
        assert changes(client, since, status="unverified", q="Haushalt")["count"] == 0
    assert len(app_queries(queries)) == 1, app_queries(queries)


def test_the_queue_and_the_dashboard_start_from_the_newest_entry(client, fact_checker, claim):
    client.force_login(fact_checker)
    newest = ClaimEvent.objects.newest_id()
    for url in (reverse("annotations:claim-list"), reverse("annotations:dashboard")):
        page = client.get(url).content.decode()
        config = json.loads(
            re.search(r'<script id="live-notice-config" type="application/json">(.*?)</script>', page).group(1)
        )
        assert config["since"] == newest
        assert config["url"] == reverse("annotations:claim-changes")
        assert config["one"] == "%(count)s neue Änderung" and config["many"] == "%(count)s neue Änderungen"


def test_the_article_page_tells_its_script_where_to_ask(client, fact_checker, claim):
    client.force_login(fact_checker)
    config = page_script_data(client, claim.article, "live-config")
    assert config["url"] == reverse("annotations:article-live", args=[claim.article.pk])
    assert config["claims_url"] == reverse("annotations:article-live-claims", args=[claim.article.pk])
    assert config["text_version"] == claim.article.text_version
    assert config["cards_per_answer"] == live.CARDS_PER_ANSWER
