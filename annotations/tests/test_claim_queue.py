"""The queue /claims/: one FilterSet, sorting, pagination, counts per status, bulk actions that
check each claim, and a number of queries that does not grow with the rows."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db

URL = "/claims/"


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'data-claim-row="(\d+)"', response.content.decode())]


def _fill(editor, fact_checker, n: int) -> list[Claim]:
    claims = []
    offset = Claim.objects.count()
    for i in range(offset, offset + n):
        article = make_article(by=editor, body=f"Meldung {i}: Im Kreis leben {2000 + i} Menschen. Ende.")
        claim = make_claim(article, editor, quote=f"{2000 + i} Menschen", statement=f"Einwohnerzahl {i}")
        add_evidence(claim, fact_checker, source=make_source(url=f"https://www.example.org/quelle/{i}"))
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
        claims.append(claim)
    return claims


@pytest.fixture
def three(article, editor, fact_checker, second_fact_checker):
    """Three claims: one unverified by the editor, one in review (fact-checker), one unverified with a source."""
    a = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="Rekordhaushalt")
    b = make_claim(article, editor, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    b.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    c = Claim.objects.create_from_selection(
        article=make_article(by=editor, body="Die Brücke über die Ems ist 312 Meter lang. Sagt der Landrat."),
        start=4,
        end=42,
        quote="Brücke über die Ems ist 312 Meter lang",
        statement="Brückenlänge",
        claimant="Landrat Jörg Öztürk",
        by=second_fact_checker,
    )
    add_evidence(c, fact_checker)
    return a, b, c


def test_queue_lists_claims_newest_first(client, fact_checker, three):
    a, b, c = three
    client.force_login(fact_checker)
    assert _ids(client.get(URL)) == [c.pk, b.pk, a.pk]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=unverified", "ac"),
        ("status=unverified&status=in_review", "abc"),
        ("status=verified", ""),
        ("assignee=me", "b"),
        ("assignee=nobody", "ac"),
        ("assignee=anyone", "b"),
        ("created_by=frida", "c"),
        ("claimant=landrat jörg", "c"),  # SQLite folds only ASCII case; PostgreSQL folds all
        ("q=schulen", "b"),
        ("q=312 Meter", "c"),
        ("has_evidence=true", "c"),
        ("has_evidence=false", "ab"),
        ("ordering=created", "abc"),
        ("ordering=-created", "cba"),
    ],
)
def test_filters_and_sorting(client, fact_checker, three, query, expected):
    names = dict(zip("abc", three, strict=True))
    client.force_login(fact_checker)
    ids = _ids(client.get(f"{URL}?{query}"))
    if query.startswith("ordering"):
        assert ids == [names[x].pk for x in expected]
    else:
        assert sorted(ids) == sorted(names[x].pk for x in expected)


def test_filter_by_article_and_date_ranges(client, fact_checker, three):
    a, b, c = three
    Claim.objects.filter(pk=a.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    client.force_login(fact_checker)
    assert sorted(_ids(client.get(f"{URL}?article={a.article_id}"))) == sorted([a.pk, b.pk])
    since = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()
    assert sorted(_ids(client.get(f"{URL}?created_after={since}"))) == sorted([b.pk, c.pk])
    assert _ids(client.get(f"{URL}?created_before={since}")) == [a.pk]
    assert len(_ids(client.get(f"{URL}?changed_after={timezone.localdate().isoformat()}"))) == 3


def test_counts_per_status_follow_the_other_filters(client, fact_checker, three):
    client.force_login(fact_checker)
    html = client.get(f"{URL}?status=in_review&has_evidence=false").content.decode()
    counts = dict(re.findall(r'data-status="(\w+)">\s*<span class="count">(\d+)</span>', html))
    assert counts == {"unverified": "1", "in_review": "1", "verified": "0", "disputed": "0", "unverifiable": "0"}


def test_a_status_box_shows_the_claims_it_counts(client, fact_checker, three):
    # The boxes count with the other filters applied; a click must keep them, or it shows other claims.
    client.force_login(fact_checker)
    html = client.get(f"{URL}?status=in_review&has_evidence=false").content.decode()
    box = re.search(r'<a class="count-card status-unverified[^"]*" href="([^"]+)"', html).group(1)
    counted = re.search(r'data-status="unverified">\s*<span class="count">(\d+)</span>', html).group(1)
    assert len(_ids(client.get(URL + box.replace("&amp;", "&")))) == int(counted) == 1


@pytest.mark.parametrize(
    "others",
    [
        "withdrawn=only",
        "withdrawn=include&assignee=nobody",
        "assignee=me&ordering=status",
        "has_evidence=true&created_by=frida",
        "q=Schulen",
        "created_after=2000-01-01&anchor_state=exact",
    ],
)
def test_each_status_box_counts_what_its_click_shows_whatever_the_other_filters(
    client, editor, fact_checker, three, others
):
    three[0].withdraw(by=editor, reason="Versehen")
    client.force_login(fact_checker)
    html = client.get(f"{URL}?status=verified&{others}").content.decode()
    counts = dict(re.findall(r'data-status="(\w+)">\s*<span class="count">(\d+)</span>', html))
    assert len(counts) == 5
    for status, count in counts.items():
        assert len(_ids(client.get(f"{URL}?status={status}&{others}"))) == int(count), (status, others)


def test_pagination_keeps_the_filters(client, editor, fact_checker, monkeypatch):
    _fill(editor, fact_checker, 3)
    from annotations.views import claims

    client.force_login(fact_checker)
    monkeypatch.setattr(claims, "QUEUE_PAGE_SIZE", 2)
    first = client.get(f"{URL}?status=in_review")
    second = client.get(f"{URL}?status=in_review&page=2")
    assert len(_ids(first)) == 2 and len(_ids(second)) == 1
    assert "status=in_review&amp;page=2" in first.content.decode()
    assert "Seite 1 von 2" in first.content.decode()


def test_a_text_filter_matching_too_many_claims_is_not_counted_but_pages_on(client, editor, fact_checker, monkeypatch):
    # A common word matches tens of thousands of claims: counting them read every matching row of the table.
    _fill(editor, fact_checker, 3)
    from annotations.views import claims

    client.force_login(fact_checker)
    monkeypatch.setattr(claims, "QUEUE_PAGE_SIZE", 2)
    monkeypatch.setattr(claims, "QUEUE_COUNT_CAP", 2)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(f"{URL}?q=Einwohnerzahl")
    html = first.content.decode()
    assert len(_ids(first)) == 2
    assert html.count('data-not-counted>–</span>') == 5 and "Mehr als 2 Behauptungen passen" in html
    assert "Seite 1<" in html and "Seite 1 von" not in html and "q=Einwohnerzahl&amp;page=2" in html
    assert not any("COUNT(*)" in query["sql"].upper() for query in queries.captured_queries)
    second = client.get(f"{URL}?q=Einwohnerzahl&page=2").content.decode()
    assert len(re.findall(r'data-claim-row="(\d+)"', second)) == 1
    assert 'rel="prev"' in second and 'rel="next"' not in second and "Seite 2<" in second
    beyond = client.get(f"{URL}?q=Einwohnerzahl&page=99999999999999999999999")
    assert beyond.status_code == 200 and _ids(beyond) == []
    # At most the cap: counted exactly, as before.
    monkeypatch.setattr(claims, "QUEUE_COUNT_CAP", 3)
    html = client.get(f"{URL}?q=Einwohnerzahl").content.decode()
    counts = dict(re.findall(r'data-status="(\w+)">\s*<span class="count">(\d+)</span>', html))
    assert counts["in_review"] == "3" and "3 Behauptungen" in html and "Seite 1 von 2" in html


def test_queue_queries_do_not_grow_with_rows(client, editor, fact_checker, django_assert_num_queries):
    client.force_login(fact_checker)
    filtered = f"{URL}?status=in_review&assignee=me&has_evidence=true&q=Einwohner&ordering=-changed"
    _fill(editor, fact_checker, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(_ids(client.get(URL))) == 2
    with CaptureQueriesContext(connection) as few_filtered:
        client.get(filtered)
    _fill(editor, fact_checker, 30)
    with django_assert_num_queries(len(few)):
        assert len(_ids(client.get(URL))) == 32
    # The text filter asks the search's word list once per filtering (the page, the status counts).
    with django_assert_num_queries(len(few_filtered)):
        client.get(filtered)
    assert len(few_filtered) <= len(few) + 2


def _bulk(client, action: str, claims, **extra):
    data = {"action": action, "claims": [c.pk for c in claims], "next": f"{URL}?status=unverified", **extra}
    return client.post(URL, data, follow=True)


def test_bulk_start_review_reports_each_claim(client, fact_checker, three):
    a, b, c = three
    client.force_login(fact_checker)
    response = _bulk(client, "start_review", [a, b, c])
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == f"{URL}?status=unverified"
    assert f"Erledigt für: #{a.pk}, #{c.pk}" in html
    assert f"#{b.pk} „Schwerpunkt Schulen“: Die Behauptung ist bereits „In Prüfung“." in html
    statuses = dict(Claim.objects.values_list("pk", "status"))
    assert statuses == {a.pk: "in_review", b.pk: "in_review", c.pk: "in_review"}
    assert Claim.objects.get(pk=a.pk).events.filter(kind="status").count() == 1


def test_bulk_take_refuses_claims_somebody_else_works_on(client, fact_checker, second_fact_checker, three):
    a, b, c = three  # b is the fact-checker's
    client.force_login(second_fact_checker)
    html = _bulk(client, "take", [a, b]).content.decode()
    assert f"#{b.pk}" in html and "Fritz Prüfer bearbeitet diese Behauptung bereits" in html
    assert Claim.objects.get(pk=a.pk).assignee == second_fact_checker
    assert Claim.objects.get(pk=b.pk).assignee == fact_checker


def test_chief_editor_bulk_assigns_and_nobody_can_be_given_to_an_editor(
    client, chief_editor, editor, second_fact_checker, three
):
    a, b, c = three
    client.force_login(chief_editor)
    _bulk(client, "assign", [a, c], assignee=second_fact_checker.pk)
    assert {Claim.objects.get(pk=x.pk).assignee for x in (a, c)} == {second_fact_checker}
    html = _bulk(client, "assign", [a], assignee=editor.pk).content.decode()
    assert "Wählen Sie jemanden, der Behauptungen prüft" in html  # an editor is not on the list
    assert Claim.objects.get(pk=a.pk).assignee == second_fact_checker


def test_bulk_without_claims_says_so(client, fact_checker, three):
    client.force_login(fact_checker)
    html = _bulk(client, "take", []).content.decode()
    assert "Wählen Sie mindestens eine Behauptung aus." in html


def test_bulk_controls_are_shown_to_people_who_check(client, editor, fact_checker, chief_editor, three):
    client.force_login(editor)
    assert "data-bulk-form" in client.get(URL).content.decode()
    assert 'name="action"' not in client.get(URL).content.decode()
    client.force_login(fact_checker)
    html = client.get(URL).content.decode()
    assert 'value="take"' in html and 'value="assign"' not in html
    client.force_login(chief_editor)
    assert 'value="assign"' in client.get(URL).content.decode()


def test_queue_is_in_german(client, fact_checker, three):
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-list")).content.decode()
    for text in ("Filter", "Zugewiesen an", "Hat Quellen", "Sortieren nach", "Mit den ausgewählten Behauptungen"):
        assert text in html


def test_sorting_by_status_shows_every_claim_on_exactly_one_page(client, chief_editor, editor):
    # Many claims share a status; without a tie-breaker the database may order them differently
    # for each page's LIMIT/OFFSET, and a claim appears twice while another is never shown.
    article = make_article(by=editor)
    for i in range(130):
        make_claim(article, editor, statement=f"Behauptung Nr. {i}")
    first = list(Claim.objects.order_by("id").values_list("pk", flat=True)[:40])
    Claim.objects.filter(pk__in=first).update(status=ClaimStatus.IN_REVIEW)
    client.force_login(chief_editor)
    shown = [claim_id for page in (1, 2, 3) for claim_id in _ids(client.get(URL, {"ordering": "status", "page": page}))]
    assert sorted(shown) == sorted(Claim.objects.values_list("pk", flat=True))


def test_an_article_id_too_large_for_the_database_is_refused_with_a_message(client, chief_editor, claim):
    # SQLite cannot even compare such a number (OverflowError, a 500); the filter refuses it first.
    client.force_login(chief_editor)
    huge = "9" * 23
    response = client.get(URL, {"article": huge})
    assert response.status_code == 200
    assert "kleiner oder gleich" in response.content.decode()
    response = client.get("/claims/export.csv", {"article": huge})
    assert response.status_code == 400
    assert "kleiner oder gleich" in response.content.decode()


def test_bulk_action_with_a_claim_id_too_large_for_the_database_changes_nothing(client, fact_checker, claim):
    # SQLite cannot even compare such a number (OverflowError, a 500); the form refuses it instead.
    client.force_login(fact_checker)
    data = {"action": "take", "claims": [str(claim.pk), "9" * 23]}
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assignee is None


def test_queue_does_not_load_article_bodies(client, editor, fact_checker):
    article = make_article(by=editor)
    make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro")
    client.force_login(fact_checker)
    with CaptureQueriesContext(connection) as context:
        assert client.get("/claims/").status_code == 200
    claim_queries = [q["sql"] for q in context.captured_queries if 'FROM "annotations_claim"' in q["sql"]]
    assert claim_queries
    assert not any('"annotations_article"."body"' in sql for sql in claim_queries)
