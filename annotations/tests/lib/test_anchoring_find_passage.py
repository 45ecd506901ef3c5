"""Finding the passage from a claim's wording: exact first, then German-aware fuzzy matching.

Pure: no database, no Django. The text is our own.
"""

from hypothesis import given
from hypothesis import strategies as st

from annotations.lib.anchoring import find_passages, stem

GIPFEL = (
    "Brüssel. Die Staats- und Regierungschefs der EU kommen am Donnerstag zu einem Gipfel zusammen. "
    "Es ist ein Treffen unter Zeitdruck: Die Beratungen sind die zweiten auf Ebene der Staats- und "
    "Regierungschefs seit dem Einmarsch Russlands in die Ukraine.\n\n"
    "Beim ersten Gipfel im März ging es um Sanktionen; seit dem Frühjahr wurden weitere Pakete beschlossen. "
    "Die Außenminister treffen sich außerdem nächste Woche in Luxemburg."
)
TARGET = "die zweiten auf Ebene der Staats- und Regierungschefs seit dem Einmarsch Russlands in die Ukraine"


def test_second_summit_since_the_invasion_finds_the_passage_about_the_second_meeting():
    best = find_passages(GIPFEL, "zweite Gipfel seit dem Einmarsch")[0]
    target_start = GIPFEL.index(TARGET)
    assert target_start <= best.start and best.end <= target_start + len(TARGET)
    assert best.quote.startswith("zweiten") and best.quote.endswith("Einmarsch")
    assert best.quote == GIPFEL[best.start : best.end]


def test_proposals_are_ranked_and_do_not_overlap():
    passages = find_passages(GIPFEL, "zweite Gipfel seit dem Einmarsch")
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)
    for a in passages:
        for b in passages:
            assert a is b or a.end <= b.start or b.end <= a.start


def test_exact_wording_is_found_exactly_whatever_the_case():
    [passage] = find_passages(GIPFEL, "beim ersten gipfel")
    assert passage.quote == "Beim ersten Gipfel" and passage.score == 1.0


def test_word_order_does_not_matter():
    best = find_passages(GIPFEL, "Sanktionen im März beim Gipfel")[0]
    assert "Gipfel im März ging es um Sanktionen" in best.quote


def test_compound_parts_and_umlauts_match():
    best = find_passages(GIPFEL, "Aussenministertreffen in Luxemburg")[0]
    assert best.quote.startswith("Außenminister") and best.quote.endswith("Luxemburg")


def test_inflections_share_a_stem():
    assert stem("zweite") == stem("zweiten") == stem("Zweiter")
    assert stem("Staats") == stem("Staaten")
    assert stem("Straße") == stem("strasse")


def test_spans_are_whole_words():
    for passage in find_passages(GIPFEL, "Regierungschef Einmarsch"):
        assert not GIPFEL[passage.start - 1 : passage.start].isalnum()
        assert not GIPFEL[passage.end : passage.end + 1].isalnum()


def test_nothing_is_proposed_for_unrelated_words_or_empty_wording():
    assert find_passages(GIPFEL, "Fußball Bundesliga Tabellenführung") == []
    assert find_passages(GIPFEL, "   ") == []


@given(st.text(alphabet="abcäöüß ABC-„“\n\u00a0", max_size=300), st.text(alphabet="abcäöüß ABC", max_size=30))
def test_every_proposal_is_the_text_at_its_offsets(body, wording):
    for passage in find_passages(body, wording):
        assert passage.quote == body[passage.start : passage.end]
        assert 0 <= passage.start < passage.end <= len(body)
