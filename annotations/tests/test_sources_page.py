"""/sources/: every source with the claims that cite it, at a constant number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db

URL = "/sources/"


def _fill(editor, checker, n: int) -> None:
    shared = make_source(f"https://www.example.org/gemeinsam-{n}", title=f"Gemeinsame Quelle {n}")
    for i in range(n):
        article = make_article(by=editor, body=f"Text {n}-{i}: Der See ist {40 + i} Meter tief. Ende.")
        claim = make_claim(article, editor, quote=f"{40 + i} Meter tief", statement=f"Seetiefe {n}-{i}")
        add_evidence(claim, checker, source=make_source(f"https://www.example.org/see/{n}-{i}", title=f"Messung {i}"))
        add_evidence(claim, checker, stance="context", source=shared)


def test_sources_show_the_claims_that_cite_them(client, fact_checker, claim, article, editor):
    source = make_source(title="Haushaltsplan 2027", publisher="Gemeinde Kleinbach")
    add_evidence(claim, fact_checker, source=source)
    other = make_claim(article, editor, quote="Schulen", statement="Schwerpunkt Schulen")
    add_evidence(other, fact_checker, stance="refutes", source=source)
    other.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    make_source("https://www.example.org/ungenutzt", title="Noch ungenutzt")
    client.force_login(fact_checker)
    html = client.get(URL).content.decode()
    item = re.search(rf'<li id="source-{source.pk}".*?</ul>', html, re.S).group(0)
    assert claim.statement in item and "Schwerpunkt Schulen" in item
    # A stance is a verb, not the verdict's word: "widerspricht", never "Widerlegt" beside a source.
    assert "stützt" in item and "widerspricht" in item and "Widerlegt" not in item
    assert "Gemeinde Kleinbach" in item
    assert "Von keiner Behauptung zitiert." in html


def test_search_narrows_the_sources(client, fact_checker):
    make_source("https://www.statistik.example.org/a", title="Bevölkerung", publisher="Landesamt")
    make_source("https://www.example.org/b", title="Wetter", publisher="Dienst")
    client.force_login(fact_checker)
    html = client.get(URL, {"q": "landesamt"}).content.decode()
    assert "Bevölkerung" in html and "Wetter" not in html


def test_sources_page_queries_do_not_grow(client, editor, fact_checker, django_assert_num_queries):
    client.force_login(fact_checker)
    _fill(editor, fact_checker, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    _fill(editor, fact_checker, 20)
    with django_assert_num_queries(len(few)):
        html = client.get(URL).content.decode()
    assert "Seetiefe 20-19" in html


def test_outsider_is_refused(client, outsider):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 403
    assert "Sie haben noch keine Rolle" in response.content.decode()


@pytest.mark.parametrize("url", [URL, "/sources/search.json"])
def test_search_with_a_nul_character_answers_instead_of_crashing(client, fact_checker, url):
    # PostgreSQL refuses NUL in text parameters; a pasted or crafted "\0" must not become a 500:
    # a NUL anywhere in an address is refused with the German 400 page (annotations/middleware.py).
    make_source("https://www.example.org/haushalt", title="Haushaltsplan 2027")
    client.force_login(fact_checker)
    response = client.get(url, {"q": "Haushalt\x00splan"})
    assert response.status_code == 400
    if url.endswith(".json"):  # the evidence form's script gets an answer it can show
        assert "NUL-Zeichen" in response.json()["error"]
    else:
        assert "Fehlerhafte Anfrage" in response.content.decode()
    assert client.get(url, {"q": "Haushaltsplan"}).status_code == 200
