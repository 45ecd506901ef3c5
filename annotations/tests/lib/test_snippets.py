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
    ("prefix", "expected"),
    [
        ("kommenden Jahr soll es soweit sein, ", " Jahr soll es soweit sein, "),
        (" Jahr soll es", " Jahr soll es"),
        ("", ""),
        ("Wortanfang", ""),
        ("Zeile\nzwei ", "\nzwei "),
    ],
)
def test_the_words_before_a_quote_start_with_a_whole_word(prefix, expected):
    assert snippets.context_before(prefix) == expected


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        (" im vergangenen Herbst werden. Seit", " im vergangenen Herbst werden. "),
        (" im Herbst ", " im Herbst "),
        ("", ""),
        ("Wortende", ""),
    ],
)
def test_the_words_after_a_quote_end_with_a_whole_word(suffix, expected):
    assert snippets.context_after(suffix) == expected


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
