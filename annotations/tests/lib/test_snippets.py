"""Cutting text for display: whole words only, quotation marks never doubled. No database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import snippets


def test_a_short_text_stays_as_it_is_but_for_its_white_space():
    assert snippets.shorten("Der  Rat\ntagt.", 40) == "Der Rat tagt."


def test_a_long_text_is_cut_after_a_whole_word():
    assert snippets.shorten("Der Gemeinderat von Kleinbach tagt am Montag", 24) == "Der Gemeinderat von…"
    assert snippets.shorten("Der Gemeinderat von Kleinbach tagt", 20) == "Der Gemeinderat von…"


def test_a_cut_does_not_leave_a_comma_or_dash_before_the_ellipsis():
    assert snippets.shorten("Eins, zwei – drei und vier", 12) == "Eins, zwei…"


@given(st.text(alphabet="abc äöß-,\n", max_size=120), st.integers(min_value=2, max_value=60))
def test_a_shortened_text_fits_and_is_made_of_whole_words(text, width):
    short = snippets.shorten(text, width)
    assert len(short) <= width
    words = " ".join(text.split()).split(" ")
    kept = short.removesuffix("…").split(" ")
    if short.endswith("…") and len(kept) > 1:
        # Every word but a lone first one (longer than the room) is a whole word of the text.
        assert all(word.rstrip(snippets.DANGLING) in [w.rstrip(snippets.DANGLING) for w in words] for word in kept)


@pytest.mark.parametrize(
    ("prefix", "complete", "expected"),
    [
        ("kommenden Jahr soll es soweit sein, ", False, "…Jahr soll es soweit sein, "),
        (" Jahr soll es ", False, "…Jahr soll es "),
        ("Am Anfang: ", True, "Am Anfang: "),  # the start of the article: nothing was cut
        ("", True, ""),
        ("Wortanfangohnegrenze", False, "…"),
        ("Zeile\nzwei ", False, "…zwei "),
    ],
)
def test_the_words_before_a_quote_start_with_a_whole_word(prefix, complete, expected):
    assert snippets.context_before(prefix, complete=complete) == expected


def test_context_cut_shorter_still_starts_with_a_whole_word():
    prefix = "im vergangenen Herbst werden. Seit "
    assert snippets.context_before(prefix, complete=True, max_length=16) == "…werden. Seit "  # "bst" dropped
    assert snippets.context_before(prefix, complete=True, max_length=13) == "…werden. Seit "  # cut after a space


@pytest.mark.parametrize(
    ("suffix", "complete", "expected"),
    [
        # The last word of a cut context may be half a word ("Sei" of "Seite"): it is dropped.
        (" im vergangenen Herbst werden. Seit", False, " im vergangenen Herbst werden.…"),
        (" im vergangenen Herbst werden. ", False, " im vergangenen Herbst werden.…"),
        (" am Ende.", True, " am Ende."),
        ("", True, ""),
        ("Wortende", False, "…"),
    ],
)
def test_the_words_after_a_quote_end_with_a_whole_word(suffix, complete, expected):
    assert snippets.context_after(suffix, complete=complete) == expected


def test_context_after_cut_shorter_ends_with_a_whole_word():
    assert snippets.context_after(" w im vergangenen Herbst", complete=False, max_length=16) == " w im…"
    assert snippets.context_after(" w im vergangenen Herbst", complete=False, max_length=17) == " w im vergangenen…"
    assert snippets.context_after(" im Herbst werden", complete=True, max_length=10) == " im Herbst…"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Wir investieren in Schulen", "„Wir investieren in Schulen“"),
        ("„Wir investieren in Schulen“", "„Wir investieren in Schulen“"),
        ("“Not again”", "“Not again”"),
        ("»Nie wieder«", "»Nie wieder«"),
        ('"gerade"', '"gerade"'),
        ("„Ja“, sagte sie, „aber nicht jetzt“", "„„Ja“, sagte sie, „aber nicht jetzt““"),
        ("„nur vorn", "„„nur vorn“"),
        ("„", "„„“"),
    ],
)
def test_quotes_get_quotation_marks_only_when_they_have_none(text, shown):
    assert snippets.quoted(text) == shown


def test_a_quote_snippet_keeps_both_quotation_marks_when_it_is_cut():
    assert snippets.quote_snippet("„Vor 2031 fährt dort keine einzige Bahn“", 24) == "„Vor 2031 fährt dort…“"
    assert snippets.quote_snippet("Vor 2031 fährt dort keine einzige Bahn", 24) == "„Vor 2031 fährt dort…“"
    assert snippets.quote_snippet("„kurz“", 24) == "„kurz“"
    assert len(snippets.quote_snippet("ein " * 40, 30)) <= 30


def test_unquoted_takes_away_only_a_pair_that_encloses_the_whole_text():
    assert snippets.unquoted("„Jeder Liter zählt.“") == "Jeder Liter zählt."
    assert snippets.unquoted("„Ja“, sagte sie, „nein“") == "„Ja“, sagte sie, „nein“"
