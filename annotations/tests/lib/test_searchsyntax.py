"""The search box's syntax: words, "phrases", oder/or, -exclusions; and the fallback's highlighting."""

from __future__ import annotations

from annotations.lib.searchsyntax import MAX_TERMS, Piece, Term, highlight, parse, spelling_variant


def test_words_are_all_required():
    assert parse("Radweg Ausbau").groups == ((Term("Radweg"),), (Term("Ausbau"),))


def test_a_quoted_phrase_is_one_term_also_in_typographic_quotes():
    assert parse('"zweite Gipfel" Rom').groups == ((Term("zweite Gipfel", phrase=True),), (Term("Rom"),))
    assert parse("„zweite Gipfel“").groups == ((Term("zweite Gipfel", phrase=True),),)


def test_oder_and_or_join_the_words_beside_them():
    for word in ("oder", "or", "ODER"):
        assert parse(f"Kleinbach {word} Weidenau Haushalt").groups == (
            (Term("Kleinbach"), Term("Weidenau")),
            (Term("Haushalt"),),
        )


def test_a_leading_minus_excludes():
    assert parse("Haushalt -Schulden").groups == ((Term("Haushalt"),), (Term("Schulden", negated=True),))
    assert not parse("-Schulden")  # only exclusions: nothing to look for


def test_punctuation_nul_and_control_characters_are_not_words():
    assert parse("\x00Straße!!! ;;").groups == ((Term("Straße"),),)
    assert not parse("\x00 \x1f ... \u200b")


def test_a_long_query_is_cut():
    assert len(parse(" ".join(f"wort{i}" for i in range(100))).terms) == MAX_TERMS
    assert len(parse("x" * 100_000).terms) == 1


def test_hyphenated_words_and_umlauts_stay_whole():
    assert parse("Kita-Plätze Müßiggang").groups == ((Term("Kita-Plätze"),), (Term("Müßiggang"),))


def test_highlight_marks_word_beginnings_in_a_window_cut_at_word_boundaries():
    text = "Vorher. " * 40 + "Die Radwege in Kleinbach werden ausgebaut. " + "Nachher. " * 40
    pieces = highlight(text, ["Radweg", "kleinbach"], width=80)
    assert [piece.text for piece in pieces if piece.marked] == ["Radwege", "Kleinbach"]
    assert pieces[0] == Piece("… ", False)
    assert pieces[-1] == Piece(" …", False)
    assert not pieces[1].text.startswith("orher")


def test_highlight_without_words_shows_the_beginning():
    assert highlight("kurz", []) == [Piece("kurz", False)]


def test_digraphs_typed_for_umlauts_have_an_umlaut_variant():
    assert spelling_variant("groessere") == "grössere"
    assert spelling_variant("Uebergang") == "Übergang"
    assert spelling_variant("Radweg") is None
