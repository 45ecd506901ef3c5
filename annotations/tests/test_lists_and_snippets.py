"""Lists and snippets: quotation marks never doubled, context cut at whole words, whole titles on hover,
the note labelled, generated titles marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from annotations.models import describe_anchoring
from annotations.tests.conftest import make_article, make_claim

pytestmark = pytest.mark.django_db

BODY = (
    "Die Opposition kritisierte den Zeitplan der Stadtwerke. „Vor 2031 fährt dort keine einzige Bahn“, "
    "sagte der Fraktionsvorsitzende. Eine Inbetriebnahme könne frühestens im vergangenen Herbst werden."
)
LONG_TITLE = (
    "Stadtrat von Hollerbach beschließt nach monatelanger Debatte die Verlängerung der Straßenbahnlinie 4 "
    "bis zum neuen Gewerbegebiet am Nordring"
)


@pytest.fixture
def quoted_claim(editor):
    article = make_article(by=editor, body=BODY, title=LONG_TITLE)
    return make_claim(article, editor, quote="„Vor 2031 fährt dort keine einzige Bahn“", statement="Erste Bahn 2031")


def test_the_queue_does_not_double_the_quotation_marks_a_quote_carries(client, fact_checker, quoted_claim):
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-list")).content.decode()
    assert "„Vor 2031 fährt dort keine einzige Bahn“" in html
    assert "„„" not in html and "““" not in html


def test_the_queue_shows_the_whole_article_title_on_hover(client, fact_checker, quoted_claim):
    client.force_login(fact_checker)
    html = client.get(reverse("annotations:claim-list")).content.decode()
    assert f'class="clamp" title="{LONG_TITLE}">{LONG_TITLE}</a>' in html


def test_the_claim_page_cuts_the_words_around_the_quote_at_whole_words(client, fact_checker, editor):
    article = make_article(by=editor, body=BODY)
    claim = make_claim(article, editor, quote="sagte der Fraktionsvorsitzende", statement="Zitat")
    assert not claim.prefix[0].isspace() and len(claim.prefix) == 32  # stored context starts mid-word
    client.force_login(fact_checker)
    html = client.get(claim.get_absolute_url()).content.decode()
    context = re.search(r"data-claim-context>(.*?)</blockquote>", html, re.S).group(1)
    before = re.search(r'<span class="context">(.*?)</span>', context).group(1)
    after = re.findall(r'<span class="context">(.*?)</span>', context)[1]
    words = BODY.split()
    assert before.startswith("…") and before[1:].split()[0] in words  # a whole word after the ellipsis
    assert after.endswith("…") and after[:-1].split()[-1] in words


def test_a_quote_at_the_start_of_the_text_has_no_ellipsis_before_it(client, fact_checker, editor):
    article = make_article(by=editor, body=BODY)
    claim = make_claim(article, editor, quote="Die Opposition", statement="Anfang")
    client.force_login(fact_checker)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert 'data-claim-context><span class="context"></span><mark' in html


def test_the_claim_s_note_has_a_label(client, fact_checker, claim):
    claim.edit(by=fact_checker, statement=claim.statement, claimant="", note="Zahl aus dem Haushaltsplan")
    client.force_login(fact_checker)
    html = client.get(claim.get_absolute_url()).content.decode()
    assert re.search(r'<h2 class="note-label" id="claim-note-label">Notiz</h2>\s*<p[^>]*data-claim-note>', html)


def test_a_re_anchoring_entry_does_not_double_the_marks_of_a_quote():
    line = describe_anchoring(
        {"action": "reattached", "from": {"quote": "„Jeder Liter zählt.“"}, "to": {"quote": "„Jeder Tropfen zählt.“"}}
    )
    assert line == "Neu zugeordnet: „Jeder Liter zählt.“ → „Jeder Tropfen zählt.“"


def test_the_article_list_marks_a_generated_title_and_shows_the_whole_title_on_hover(client, editor):
    make_article(by=editor, title=LONG_TITLE, title_generated=True)
    client.force_login(editor)
    html = client.get(reverse("annotations:article-list")).content.decode()
    assert f'class="clamp" title="{LONG_TITLE}"' in html
    assert "data-title-generated" in html and "Titel erzeugt" in html
