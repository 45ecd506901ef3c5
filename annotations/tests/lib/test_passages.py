"""Finding the passage from a claim's wording ("Stelle finden"): exact first, then German-aware fuzzy
matching that proposes whole phrases within one sentence; the work per search is bounded.

Pure: no database, no Django. The texts are our own.
"""

import time

from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import passages
from annotations.lib.passages import find_passages, query_terms, search_passages, sentence_spans, stem

GIPFEL = (
    "Brüssel. Die Staats- und Regierungschefs der EU kommen am Donnerstag zu einem Gipfel zusammen. "
    "Es ist ein Treffen unter Zeitdruck: Die Beratungen sind die zweiten auf Ebene der Staats- und "
    "Regierungschefs seit dem Einmarsch Russlands in die Ukraine.\n\n"
    "Beim ersten Gipfel im März ging es um Sanktionen; seit dem Frühjahr wurden weitere Pakete beschlossen. "
    "Die Außenminister treffen sich außerdem nächste Woche in Luxemburg."
)
TARGET = "die zweiten auf Ebene der Staats- und Regierungschefs seit dem Einmarsch Russlands in die Ukraine"

# Like an agency text: the phrase goes on with a date, and a sentence about other summits ends
# right before one that starts with "Seit".
WIEN = (
    "Wien (nrw) – Die Außenministerinnen und Außenminister der OSZE-Staaten treffen sich am 2. Dezember "
    "in der Hofburg. Die Beratungen sind bereits die zweiten auf Ebene der Ministerinnen und Minister seit "
    "dem Einmarsch Russlands in die Ukraine am 24. Februar. Es gilt als unwahrscheinlich, dass es weitreichende "
    "Beschlüsse gibt.\n\n"
    "Für die Gastgeberin wird das Treffen der erste große Gipfel nach der Konferenz in Genf und dem "
    "anschließenden Klimagipfel in Kairo im vergangenen Herbst werden. Seit dem Amtsantritt im Januar ist sie "
    "nur zweimal gereist. Der Gipfel beginnt um 9.30 Uhr, z. B. mit einer Rede von Dr. Eva Lindner."
)
WIEN_TARGET = "die zweiten auf Ebene der Ministerinnen und Minister seit dem Einmarsch Russlands in die Ukraine"


def sentence_of(body: str, start: int, end: int) -> tuple[int, int] | None:
    return next(((s, e) for s, e in sentence_spans(body) if s <= start and end <= e), None)


def test_second_summit_since_the_invasion_proposes_the_whole_phrase():
    [best] = find_passages(GIPFEL, "zweite Gipfel seit dem Einmarsch")
    assert best.quote == TARGET
    assert (best.start, best.end) == (GIPFEL.index(TARGET), GIPFEL.index(TARGET) + len(TARGET))


def test_the_phrase_ends_after_its_genitive_and_one_prepositional_phrase():
    # "am 24. Februar" is a second prepositional phrase: the proposal ends with the first.
    best = find_passages(WIEN, "zweite Gipfel seit dem Einmarsch")[0]
    assert best.quote == WIEN_TARGET


def test_proposals_stay_within_one_sentence_and_leave_out_weak_fragments():
    # "Gipfel … Herbst werden. Seit dem" would cross a sentence end; "der erste große Gipfel" matches
    # one word of meaning out of three: a fragment, not a proposal.
    found = find_passages(WIEN, "zweite Gipfel seit dem Einmarsch")
    assert [p.quote for p in found] == [WIEN_TARGET]
    for wording in ("Klimagipfel im Herbst seit Amtsantritt", "Gipfel Genf Kairo Herbst", "Rede Lindner Gipfel"):
        for passage in find_passages(WIEN, wording):
            assert sentence_of(WIEN, passage.start, passage.end), passage.quote
            assert len(passage.quote.split()) > 2, passage.quote


def test_proposals_are_ranked_and_do_not_overlap():
    found = find_passages(WIEN + "\n\n" + GIPFEL, "zweite Beratungen seit dem Einmarsch")
    assert len(found) == 2
    assert [p.score for p in found] == sorted((p.score for p in found), reverse=True)
    for a in found:
        for b in found:
            assert a is b or a.end <= b.start or b.end <= a.start


def test_exact_wording_is_found_exactly_whatever_the_case_and_the_spaces():
    [passage] = find_passages(GIPFEL, "beim ersten gipfel")
    assert passage.quote == "Beim ersten Gipfel" and passage.score == 1.0
    [across] = find_passages(GIPFEL, "Einmarsch Russlands in die Ukraine. Beim ersten")
    assert across.quote == "Einmarsch Russlands in die Ukraine.\n\nBeim ersten"


def test_word_order_does_not_matter():
    best = find_passages(GIPFEL, "Sanktionen im März beim Gipfel")[0]
    assert best.quote == "Beim ersten Gipfel im März ging es um Sanktionen"


def test_compound_parts_and_umlauts_match():
    best = find_passages(GIPFEL, "Aussenministertreffen in Luxemburg")[0]
    assert best.quote == "Die Außenminister treffen sich außerdem nächste Woche in Luxemburg"


def test_the_first_half_of_a_pair_belongs_to_the_phrase():
    best = find_passages(GIPFEL, "Regierungschef Einmarsch")[0]
    assert best.quote == "der Staats- und Regierungschefs seit dem Einmarsch Russlands in die Ukraine"


def test_inflections_share_a_stem():
    assert stem("zweite") == stem("zweiten") == stem("Zweiter")
    assert stem("Staats") == stem("Staaten")
    assert stem("Straße") == stem("strasse")


def test_spans_are_whole_words():
    for body in (GIPFEL, WIEN):
        for passage in find_passages(body, "Regierungschef Einmarsch Minister"):
            assert not body[passage.start - 1 : passage.start].isalnum()
            assert not body[passage.end : passage.end + 1].isalnum()


def test_nothing_is_proposed_for_unrelated_words_stop_words_or_empty_wording():
    assert find_passages(GIPFEL, "Fußball Bundesliga Tabellenführung") == []
    assert find_passages(GIPFEL, "die der und seit dem") == []
    assert find_passages(GIPFEL, "   ") == []


def test_sentences_end_at_full_stops_not_at_abbreviations_ordinals_or_times():
    sentences = [WIEN[s:e].strip() for s, e in sentence_spans(WIEN)]
    assert "treffen sich am 2. Dezember in der Hofburg" in sentences[0]
    assert sentences[1].endswith("in die Ukraine am 24. Februar")
    assert sentences[3].endswith("im vergangenen Herbst werden")
    assert sentences[4].startswith("Seit dem Amtsantritt")
    assert sentences[-1] == "Der Gipfel beginnt um 9.30 Uhr, z. B. mit einer Rede von Dr. Eva Lindner"


def test_semicolons_colons_and_line_breaks_end_a_clause():
    sentences = [GIPFEL[s:e].strip() for s, e in sentence_spans(GIPFEL)]
    assert "Es ist ein Treffen unter Zeitdruck" in sentences
    assert "Beim ersten Gipfel im März ging es um Sanktionen" in sentences
    assert "seit dem Frühjahr wurden weitere Pakete beschlossen" in sentences


@given(st.text(alphabet="abcäöüß ABC-„“.;:\n\u00a0", max_size=300), st.text(alphabet="abcäöüß ABC", max_size=30))
def test_every_proposal_is_the_text_at_its_offsets_within_one_sentence(body, wording):
    for passage in find_passages(body, wording):
        assert passage.quote == body[passage.start : passage.end]
        assert 0 <= passage.start < passage.end <= len(body)
        if passage.score < 1.0:
            assert sentence_of(body, passage.start, passage.end)


# --- bounds ---------------------------------------------------------------------------------


def test_the_wording_is_cut_to_its_limit_and_to_a_few_distinct_words():
    long = "Einmarsch " * 10 + " ".join(f"Wort{n}" for n in range(200))
    terms = query_terms(long)
    assert len(terms) == passages.MAX_QUERY_TERMS
    assert [term.stem for term in terms].count("einmarsch") == 1
    beyond = "x" * passages.MAX_WORDING_CHARS + " Luxemburg"
    assert query_terms(beyond) == query_terms("x" * passages.MAX_WORDING_CHARS)
    assert find_passages(GIPFEL, beyond) == []


def test_words_of_meaning_take_the_places_before_stop_words():
    terms = query_terms("der die das und in im seit dem " + " ".join(f"Wort{n}" for n in range(20)))
    assert all(term.weight == 1.0 for term in terms)


def test_the_fuzzy_search_reads_no_more_than_its_word_budget(monkeypatch):
    monkeypatch.setattr(passages, "MAX_FUZZY_WORDS", 200)
    filler = "Der Rat tagte lange. " * 40  # 160 words
    early = search_passages(filler + GIPFEL, "zweite Gipfel seit dem Einmarsch")
    assert [p.quote for p in early.passages] == [TARGET]
    late = search_passages(filler * 2 + GIPFEL, "zweite Gipfel seit dem Einmarsch")
    assert (late.passages, late.complete) == ([], False)
    # Exact wording is found in all of the text, beyond the budget too.
    assert search_passages(filler * 2 + GIPFEL, "beim ersten Gipfel").passages[0].quote == "Beim ersten Gipfel"


def test_a_sentence_without_full_stops_is_scored_in_pieces_and_only_the_best_pieces_in_full():
    body = "Gipfeltreffen " * 5000
    scan = passages._scan(body, passages._Matcher(query_terms("Gipfel Treffen Gipfeltreffen")), None)
    assert len(scan.candidates) == passages.MAX_CANDIDATES
    for _reachable, _order, start, end in scan.candidates:
        assert len(body[start:end].split()) <= passages.MAX_SENTENCE_WORDS
    for passage in find_passages(body, "Gipfel Treffen Gipfeltreffen"):
        assert len(passage.quote.split()) <= passages.MAX_SPAN_WORDS


def test_a_passed_deadline_stops_the_fuzzy_search_and_says_so():
    result = search_passages(GIPFEL, "zweite Gipfel seit dem Einmarsch", deadline=time.monotonic() - 1)
    assert (result.passages, result.complete) == ([], False)
    assert search_passages(GIPFEL, "zweite Gipfel seit dem Einmarsch").complete is True
