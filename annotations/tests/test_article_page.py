"""The article page and its posts, through Django's test client against the database."""

import json
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.models import Claim, ClaimEvent, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source, refused_article_page
from annotations.views.articles import _highlighted_body

pytestmark = pytest.mark.django_db

BODY = (
    "Die Bürgermeisterin sagte am Dienstag: „Wir schaffen das 👍🏽 – bis 2030 sind 120\u00a0Kilometer "
    "Radwege fertig.“ Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu.\n\n"
    "Die Opposition hält die Pläne für zu teuer; sie spricht von 48\u00a0Millionen Euro."
)


class _BodyText(HTMLParser):
    """The textContent of [data-article-body], as a browser would compute it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.marks: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth:
            self.depth += 1
            if tag == "mark":
                self.marks.append(dict(attrs))
        elif "data-article-body" in dict(attrs):
            self.depth = 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)


def body_of(response) -> _BodyText:
    parser = _BodyText()
    parser.feed(response.content.decode())
    return parser


def selection(body: str, quote: str) -> dict[str, str]:
    start = body.index(quote)
    return {"start": str(start), "end": str(start + len(quote)), "quote": quote}


def test_the_body_text_equals_the_stored_body_with_overlapping_claims(client, editor):
    article = make_article(by=editor, body=BODY)
    make_claim(article, editor, quote="„Wir schaffen das 👍🏽 – bis 2030")
    make_claim(article, editor, quote="bis 2030 sind 120\u00a0Kilometer Radwege fertig")
    make_claim(article, editor, quote="2030")
    client.force_login(editor)
    response = client.get(article.get_absolute_url())
    parsed = body_of(response)
    assert "".join(parsed.text) == BODY
    ids = {mark["data-claim-id"] for mark in parsed.marks}
    assert ids == {str(c.pk) for c in Claim.objects.all()}
    assert all(mark["class"] == "status-unverified" for mark in parsed.marks)


def test_a_verified_claim_is_drawn_with_its_status_class(client, editor, fact_checker, article, claim):
    add_evidence(claim, fact_checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    client.force_login(editor)
    marks = body_of(client.get(article.get_absolute_url())).marks
    assert marks[0]["data-claim-id"] == str(claim.pk) and marks[0]["class"] == "status-verified"


def test_the_page_has_the_claim_form_legend_and_keyboard_hints(client, editor, article):
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "data-claim-form" in html and 'name="statement"' in html and 'name="claimant"' in html
    assert "Bestätigt" in html and "Widerlegt" in html  # the legend, in German
    assert "<kbd>?</kbd>" in html


def test_a_selection_becomes_a_claim_with_code_point_offsets(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    quote = "Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu."
    response = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {**selection(BODY, quote), "statement": "Mehrheit im Stadtrat", "claimant": "Stadtrat", "note": ""},
    )
    claim = Claim.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"?claim={claim.pk}#claim-{claim.pk}")
    assert (claim.start, claim.end, claim.quote) == (BODY.index(quote), BODY.index(quote) + len(quote), quote)
    assert claim.events.get().kind == ClaimEvent.Kind.CREATED


@pytest.mark.parametrize(
    "tamper",
    [
        {"quote": "Der Gemeinderat"},  # a quote the article does not have there (stale page)
        {"start": "1"},  # offsets moved
        {"end": "100000"},  # beyond the body
    ],
)
def test_a_stale_or_forged_quote_is_refused_in_german_and_stores_nothing(client, editor, tamper):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    data = {**selection(BODY, "Der Stadtrat"), "statement": "Meine Worte bleiben", **tamper}
    response = client.post(reverse("annotations:claim-create", args=[article.pk]), data)
    html = refused_article_page(client, response, article)
    assert "stimmt nicht mehr mit dem Artikeltext überein" in html or "liegt außerhalb des Artikeltexts" in html
    assert "Meine Worte bleiben" in html  # nothing the editor wrote is lost
    assert Claim.objects.count() == 0 and ClaimEvent.objects.count() == 0


def test_a_post_without_a_selection_asks_for_one(client, editor, article):
    client.force_login(editor)
    response = client.post(reverse("annotations:claim-create", args=[article.pk]), {"statement": "Ohne Stelle"})
    html = refused_article_page(client, response, article)
    assert "Markieren Sie zuerst die Wörter der Behauptung im Artikel." in html and "Ohne Stelle" in html
    # Shown once: reloading the page shows it without the refusal, and sends nothing again.
    assert "Markieren Sie zuerst" not in client.get(article.get_absolute_url()).content.decode()
    assert Claim.objects.count() == 0


def test_an_outsider_may_not_create_claims(client, outsider):
    article = make_article(body=BODY)
    client.force_login(outsider)
    response = client.post(
        reverse("annotations:claim-create", args=[article.pk]), {**selection(BODY, "Radwege"), "statement": "x"}
    )
    assert response.status_code == 403 and Claim.objects.count() == 0


def test_posts_without_csrf_token_are_refused(editor, claim):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    article = claim.article
    posts = [
        (
            reverse("annotations:claim-create", args=[article.pk]),
            {**selection(article.body, "Kleinbach"), "statement": "x"},
        ),
        (reverse("annotations:claim-edit", args=[claim.pk]), {"statement": "neu", "claimant": "", "version": "1"}),
        (reverse("annotations:claim-withdraw", args=[claim.pk]), {"reason": "weg", "version": "1"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403
    claim.refresh_from_db()
    assert Claim.objects.count() == 1 and claim.statement == "12,4 Mio. Ausgaben" and not claim.is_withdrawn


def test_editing_the_wording_is_recorded_in_the_history(client, editor, claim):
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-edit", args=[claim.pk]),
        {"statement": "Ausgaben von 12,4 Mio. Euro", "claimant": "Gemeinderat", "version": claim.version},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.statement, claim.claimant, claim.version) == ("Ausgaben von 12,4 Mio. Euro", "Gemeinderat", 2)
    event = claim.events.get(kind=ClaimEvent.Kind.EDITED)
    assert event.data["statement"] == {"from": "12,4 Mio. Ausgaben", "to": "Ausgaben von 12,4 Mio. Euro"}


def test_an_edit_from_an_old_version_is_refused_and_keeps_the_input(client, editor, chief_editor, claim):
    claim.edit(by=chief_editor, statement="Zwischendurch geändert", claimant="")
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-edit", args=[claim.pk]),
        {"statement": "Meine späte Fassung", "claimant": "", "version": 1},
    )
    assert response["Location"].endswith(f"?claim={claim.pk}#claim-{claim.pk}")  # the card opens again
    html = refused_article_page(client, response, claim.article)
    sent_back = json.loads(re.search(r'id="claim-edit-error"[^>]*>(.*?)</script>', html).group(1))
    assert sent_back["statement"] == "Meine späte Fassung"  # the card's form is filled again with it
    assert sent_back["messages"][0].startswith("Jemand hat diese Behauptung geändert")
    claim.refresh_from_db()
    assert claim.statement == "Zwischendurch geändert"


def test_passage_search_answers_with_code_point_offsets(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    response = client.get(reverse("annotations:passage-search", args=[article.pk]), {"q": "Stadtrat stimmte zu"})
    best = response.json()["passages"][0]
    assert BODY[best["start"] : best["end"]] == best["quote"]
    # The whole clause, to the particle of "stimmte … zu"; the flag is two code points, not four units.
    assert best["quote"] == "Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu"
    assert best["end"] - best["start"] == len("Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu")


def test_passage_search_names_the_claims_a_proposal_overlaps(client, editor, outsider):
    article = make_article(by=editor, body=BODY)
    marked = make_claim(article, editor, quote="mit großer Mehrheit", statement="Große Mehrheit")
    make_claim(article, editor, quote="48\u00a0Millionen Euro", statement="Kosten")
    url = reverse("annotations:passage-search", args=[article.pk])
    client.force_login(editor)
    answer = client.get(url, {"q": "Stadtrat stimmte zu"}).json()
    assert answer["complete"] is True
    assert answer["passages"][0]["claims"] == [marked.pk]
    # Somebody who may not read the article learns nothing here either, and costs the server nothing.
    client.force_login(outsider)
    assert client.get(url, {"q": "Stadtrat stimmte zu"}).status_code == 403


def test_passage_search_bounds_a_huge_wording(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    wording = "Stadtrat stimmte zu " + "Gipfeltreffen " * 5000
    response = client.get(reverse("annotations:passage-search", args=[article.pk]), {"q": wording})
    assert response.status_code == 200
    assert response.json()["passages"][0]["quote"] == "Der Stadtrat 🇩🇪 stimmte mit großer Mehrheit zu"


def test_article_and_claim_text_is_escaped(client, editor):
    evil = 'Böse <script>alert("x")</script> und <img src=x onerror="alert(1)"> Ende.'
    article = make_article(by=editor, body=evil, title="<script>alert('t')</script>")
    make_claim(article, editor, quote='<img src=x onerror="alert(1)">', statement="</script><script>alert(2)</script>")
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "".join(body_of(client.get(article.get_absolute_url())).text) == evil


@pytest.mark.parametrize("claim_count", [3, 300])
def test_the_article_page_needs_the_same_queries_for_3_and_300_claims(
    client, editor, fact_checker, django_assert_num_queries, claim_count
):
    body = " ".join(f"Satz {n} über Kleinbach." for n in range(400))
    article = make_article(by=editor, body=body)
    words = [f"Satz {n}" for n in range(claim_count)]
    for n, quote in enumerate(words):
        claim = make_claim(article, editor, quote=quote + " ", statement=f"Behauptung {n}")
        if n % 50 == 0:  # some claims with sources, so the evidence query has rows to fetch
            add_evidence(claim, fact_checker, source=make_source(url=f"https://example.org/quelle-{n}"))
    client.force_login(editor)
    # session, user, article, claims, evidence, history with its actors, the changes of their sources,
    # the user's and the groups' permissions (may they withdraw, change the status?): the same nine
    # whatever the number of claims
    with django_assert_num_queries(9):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len({m["data-claim-id"] for m in body_of(response).marks}) == claim_count


def test_a_quote_across_paragraphs_sent_with_crlf_line_breaks_matches(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    data = selection(BODY, "Mehrheit zu.\n\nDie Opposition")
    data["quote"] = data["quote"].replace("\n", "\r\n")  # what a browser posts
    response = client.post(reverse("annotations:claim-create", args=[article.pk]), {**data, "statement": "Absätze"})
    assert response.status_code == 302
    assert Claim.objects.get().quote == "Mehrheit zu.\n\nDie Opposition"


def test_the_article_page_allows_only_its_own_scripts(client, editor, article):
    client.force_login(editor)
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy


def test_a_selection_that_cuts_a_flag_in_two_is_refused(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    start = BODY.index("🇩🇪") + 1  # between the two regional indicators
    data = {"start": start, "end": start + 9, "quote": BODY[start : start + 9], "statement": "Halbe Flagge"}
    response = client.post(reverse("annotations:claim-create", args=[article.pk]), data)
    assert "Die Markierung teilt ein Zeichen" in refused_article_page(client, response, article)
    assert Claim.objects.count() == 0


class _MarkCoverage(_BodyText):
    """Which body offsets each claim's marks cover."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.covered: dict[str, set[int]] = {}
        self.position = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        super().handle_starttag(tag, attrs)
        if tag == "mark" and self.depth:
            self.open.append(dict(attrs)["data-claim-id"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark" and self.depth > 1:
            self.open.pop()
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        super().handle_data(data)
        if self.depth:
            for claim_id in self.open:
                self.covered.setdefault(claim_id, set()).update(range(self.position, self.position + len(data)))
            self.position += len(data)


@settings(max_examples=60)
@given(st.lists(st.tuples(st.integers(0, len(BODY) - 1), st.integers(1, 40)), max_size=10))
def test_highlighted_body_keeps_the_text_and_marks_each_claim_exactly_where_it_stands(spans):
    claims = [
        Claim(pk=n, start=start, end=min(len(BODY), start + length), status="unverified")
        for n, (start, length) in enumerate(spans, start=1)
    ]
    parsed = _MarkCoverage()
    parsed.feed(f"<div data-article-body>{_highlighted_body(BODY, claims)}</div>")
    assert "".join(parsed.text) == BODY
    for claim in claims:
        assert parsed.covered[str(claim.pk)] == set(range(claim.start, claim.end))


def _keys_shown(html: str) -> set[str]:
    return set(re.findall(r"<kbd>([^<]+)</kbd>", html))


def test_key_names_are_in_the_language_of_the_page(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    german = _keys_shown(client.get(article.get_absolute_url()).content.decode())
    assert {"Umschalt", "Strg", "Eingabe", "Alt", "Esc"} <= german
    assert not german & {"Shift", "Ctrl", "Enter"}
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _keys_shown(client.get(article.get_absolute_url()).content.decode())
    assert {"Shift", "Ctrl", "Enter", "Alt", "Esc"} <= english
    assert not english & {"Umschalt", "Strg", "Eingabe"}


def test_the_claimant_is_marked_optional_like_the_note(client, editor):
    article = make_article(by=editor, body=BODY)
    client.force_login(editor)
    html = client.get(article.get_absolute_url()).content.decode()
    form = re.search(r"<form[^>]*data-claim-form.*?</form>", html, re.S).group(0)
    assert re.search(r'Urheber/in <span class="hint">optional</span></label>', form)
    assert re.search(r'Notiz <span class="hint">optional</span></label>', form)
