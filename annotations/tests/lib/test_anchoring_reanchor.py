"""Re-anchoring claims after a correction: properties, and a corpus of German corrections.

Pure: no database, no Django.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotations.lib import corrections_corpus as corpus
from annotations.lib.anchoring import Anchor, Reason, judge_change, locate, reanchor

# A small alphabet makes repeated words and letters, where a careless search goes wrong.
LETTERS = st.sampled_from(list("aäbeinrt ,.\n„“"))
TEXTS = st.text(LETTERS, min_size=1, max_size=120)
SPANS = st.tuples(st.integers(0, 119), st.integers(1, 40))


def claim_at(text: str, start: int, end: int) -> dict:
    return {
        "id": 1,
        "start": start,
        "end": end,
        "quote": text[start:end],
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[end : end + 32],
    }


def a_span(text: str, data: st.DataObject) -> tuple[int, int]:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    return start, end


# --- Properties ------------------------------------------------------------------------


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(TEXTS, st.data())
def test_unchanged_text_keeps_every_span(text, data):
    spans = [a_span(text, data) for _ in range(data.draw(st.integers(1, 5)))]
    claims = [claim_at(text, start, end) for start, end in spans]
    assert reanchor(text, text, claims) == [Anchor(start, end, False) for start, end in spans]


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(TEXTS, st.text(LETTERS, min_size=1, max_size=200), st.data())
def test_an_insertion_outside_a_span_only_shifts_it(text, inserted, data):
    start, end = a_span(text, data)
    at = data.draw(st.sampled_from([*range(0, start + 1), *range(end, len(text) + 1)]))
    # An insertion that could be read one letter further on (it begins with the letter after it,
    # or ends with the one before it) is ambiguous: every reading of it is right. Not those.
    assume(at == len(text) or inserted[0] != text[at])
    assume(at == 0 or inserted[-1] != text[at - 1])
    new = text[:at] + inserted + text[at:]
    shift = len(inserted) if at <= start else 0
    assert reanchor(text, new, [claim_at(text, start, end)]) == [Anchor(start + shift, end + shift, False)]


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(TEXTS, st.data())
def test_a_deletion_outside_a_span_only_shifts_it(text, data):
    start, end = a_span(text, data)
    assume(start > 0 or end < len(text))
    if start > 0 and (end == len(text) or data.draw(st.booleans())):
        cut_from = data.draw(st.integers(0, start - 1))
        cut_to = data.draw(st.integers(cut_from + 1, start))
    else:
        cut_from = data.draw(st.integers(end, len(text) - 1))
        cut_to = data.draw(st.integers(cut_from + 1, len(text)))
    # The same ambiguity as for insertions: a deletion that could be one letter further on.
    assume(cut_from == 0 or text[cut_from - 1] != text[cut_to - 1])
    assume(cut_to == len(text) or text[cut_from] != text[cut_to])
    new = text[:cut_from] + text[cut_to:]
    shift = cut_to - cut_from if cut_to <= start else 0
    assert reanchor(text, new, [claim_at(text, start, end)]) == [Anchor(start - shift, end - shift, False)]


EDITS = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 12), st.text(LETTERS, max_size=15)), min_size=1, max_size=6
)


def edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    for at, length, replacement in edits:
        at = min(at, len(text))
        text = text[:at] + replacement + text[at + length :]
    return text


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(TEXTS, EDITS, st.data())
def test_no_result_points_at_other_words_without_review(text, edits, data):
    spans = [a_span(text, data) for _ in range(data.draw(st.integers(1, 6)))]
    new = edited(text, edits)
    claims = [claim_at(text, start, end) for start, end in spans]
    for claim, result in zip(claims, reanchor(text, new, claims), strict=True):
        if result is None:
            continue
        assert 0 <= result.start < result.end <= len(new)
        assert new[result.start : result.end] == claim["quote"] or result.needs_review


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(st.text(min_size=1, max_size=80), st.text(max_size=80), st.data())
def test_any_texts_at_all_give_valid_results(text, new, data):
    start, end = a_span(text, data)
    (result,) = reanchor(text, new, [claim_at(text, start, end)])
    if result is not None:
        assert 0 <= result.start < result.end <= len(new)
        assert new[result.start : result.end] == text[start:end] or result.needs_review


# --- The corpus --------------------------------------------------------------------------


@pytest.mark.parametrize("case", corpus.CASES, ids=[case.name for case in corpus.CASES])
def test_corpus_case_ends_as_expected(case):
    results = reanchor(case.old, case.new, case.claim_dicts())
    verdicts = [corpus.verdict(case, claim, result) for claim, result in zip(case.claims, results, strict=True)]
    expected = [type(claim.expected).__name__.lower() for claim in case.claims]
    assert verdicts == expected


def test_the_corpus_covers_every_kind_of_correction_the_issue_names():
    names = " ".join(case.name for case in corpus.CASES)
    for kind in (
        "typo",
        "name",
        "number",
        "year",
        "weekday",
        "negation",
        "paragraph inserted",
        "paragraph deleted",
        "paragraph moved",
        "duplicated",
        "quotation marks",
        "spaces",
        "soft hyphen",
        "same name once more",
    ):
        assert kind in names
    outcomes = {type(claim.expected) for case in corpus.CASES for claim in case.claims}
    assert outcomes == {corpus.Moved, corpus.Flagged, corpus.Orphaned}


def test_the_corpus_tally_counts_misplacements():
    case = corpus.CASES[0]
    claim = case.claims[1]  # expected to move unchanged
    assert corpus.verdict(case, claim, Anchor(0, 5, False)) == "misplaced"
    assert corpus.verdict(case, claim, None) == "cautious"


# --- The one rule that matters most: never other words that merely read the same ----------


def test_a_corrected_name_is_never_moved_onto_the_same_name_elsewhere():
    old = "Robin leitet das Zentrum. Später sprach Robin mit Journalisten."
    new = "Elisa leitet das Zentrum. Später sprach Robin mit Journalisten."
    first, second = corpus.stored_claim(old, 1, "Robin"), corpus.stored_claim(old, 2, "Robin", 1)
    assert reanchor(old, new, [first, second]) == [None, Anchor(new.index("Robin"), new.index("Robin") + 5, False)]


def test_a_rewritten_sentence_does_not_send_its_claim_to_a_neighbour_with_the_same_words():
    old = "Die Stadt plant einen Neubau. Die Kosten steigen. Der Rat berät im Mai."
    new = "Die Stadt verzichtet auf den Neubau vorerst ganz. Die Kosten steigen. Der Rat berät im Mai."
    claim = corpus.stored_claim(old, 1, "Die Stadt plant einen Neubau")
    assert reanchor(old, new, [claim]) == [None]


def test_two_places_fitting_equally_well_orphan_the_claim():
    old = "Er sagte: Wir bleiben. Danach schwieg er lange."
    new = "Wir bleiben. Er sagte: Wir bleiben. Danach schwieg er lange, sagte: Wir bleiben."
    # The whole sentence was rewritten around two fresh copies of the words.
    claim = corpus.stored_claim(old, 1, "Er sagte: Wir bleiben. Danach")
    (result,) = reanchor(old, new, [claim])
    assert result is None or new[result.start : result.end] == claim["quote"]


def test_claims_come_back_in_the_order_given_and_bad_claims_are_orphaned():
    old = "Eins zwei drei vier fünf sechs."
    new = "Null. Eins zwei drei vier fünf sechs."
    claims = [
        corpus.stored_claim(old, 1, "vier fünf"),
        {"id": 2, "start": 0, "end": 4, "quote": "Zwei", "prefix": "", "suffix": ""},  # not what is there
        {"id": 3, "start": 5, "end": 99, "quote": "x", "prefix": "", "suffix": ""},
        corpus.stored_claim(old, 4, "Eins"),
    ]
    assert reanchor(old, new, claims) == [Anchor(21, 30, False), None, None, Anchor(6, 10, False)]


def test_offsets_that_miss_the_quote_are_found_again_by_the_quote_with_its_context_once():
    old = "🙂 Der Rat tagt. Der Rat beschließt am Montag."
    new = "Vorab. 🙂 Der Rat tagt. Der Rat beschließt am Montag."
    second = corpus.stored_claim(old, 1, "Der Rat", 1)
    utf16 = {**second, "start": second["start"] + 1, "end": second["end"] + 1}  # counted in UTF-16 units
    at = new.index("Der Rat beschließt")
    assert reanchor(old, new, [utf16]) == [Anchor(at, at + 7, False)]
    no_context = {**utf16, "prefix": "", "suffix": ""}  # "Der Rat" twice: which one is not known
    assert reanchor(old, new, [no_context]) == [None]


def test_claims_without_context_fields_are_anchored_from_the_old_text():
    old, new = "Der Rat tagt am Montag.", "Heute: Der Rat tagt am Montag."
    assert reanchor(old, new, [{"id": 1, "start": 4, "end": 7, "quote": "Rat"}]) == [Anchor(11, 14, False)]


def test_the_reason_is_given_for_each_result():
    old = "Der Rat beschloss 12 Punkte. Die Kosten tragen die Länder."
    new = "Der Rat beschloss 14 Punkte. Die Kosten tragen die Laender."
    outcomes = locate(
        old, new, [corpus.stored_claim(old, 1, "beschloss 12 Punkte"), corpus.stored_claim(old, 2, "die Länder")]
    )
    assert [outcome.reason for outcome in outcomes] == [Reason.NUMBER, Reason.WORDING]
    assert outcomes[1].anchor == Anchor(new.index("die Laender"), len(new) - 1, True)


# --- Judging a change inside a quote -------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("„Wir bleiben“", '"Wir bleiben"', Reason.FORMATTING),
        ("12,4\u00a0Millionen", "12,4 Millionen", Reason.FORMATTING),
        ("Haushalts\u00adplan", "Haushaltsplan", Reason.FORMATTING),
        ("Bundeskanzlerim Scholz", "Bundeskanzler Scholz", Reason.WORDING),
        ("die Straße", "die Strasse", Reason.WORDING),
        ("Herr Müller sagte", "Herr Mueller sagte", Reason.WORDING),
        ("kritisierte den Plan", "kritisierte den gesamten Plan", Reason.WORDING),
        ("12 Prozent", "13 Prozent", Reason.NUMBER),
        ("12,4 Millionen", "12.4 Millionen", Reason.NUMBER),
        ("zwei Jahre", "drei Jahre", Reason.NUMBER),
        ("der zweite Gipfel", "der dritte Gipfel", Reason.NUMBER),
        ("dreiundzwanzig Tote", "vierundzwanzig Tote", Reason.NUMBER),
        ("am Montag", "am Dienstag", Reason.DATE),
        ("im März", "im April", Reason.DATE),
        ("war nicht angeschnallt", "war angeschnallt", Reason.NEGATION),
        ("es gibt Geld", "es gibt kein Geld", Reason.NEGATION),
        ("das ist wahrscheinlich", "das ist unwahrscheinlich", Reason.NEGATION),
        ("Robin sagte", "Elisa sagte", Reason.NAME),
        ("sagte Minister Weber", "sagte Minister Schulze", Reason.NAME),
        ("er ging schnell nach Hause zurück", "sie lief langsam zum Bahnhof", Reason.NAME),
        ("er ging schnell heim", "sie lief langsam weg", Reason.REWRITTEN),
    ],
)
def test_a_change_inside_a_quote_is_judged_by_what_it_changes(old, new, reason):
    assert judge_change(old, new) == reason


def test_the_article_ein_is_no_number_but_eins_is():
    assert judge_change("ein Haus", "das Haus") == Reason.WORDING
    assert judge_change("Nummer eins", "Nummer zwei") == Reason.NUMBER
