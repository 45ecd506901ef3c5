"""The edit between two versions of a text, and the word-by-word comparison for people.

Pure: no database, no Django.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.lib.textdiff import Edit, Piece, compare_words


def changed(pieces: list[Piece]) -> list[str]:
    return [piece.text for piece in pieces if piece.changed]


def test_changed_words_are_marked_whole_with_umlauts_and_punctuation():
    old = "Bürgermeisterin Anja Weißgerber sagte: „Wir investieren in Schulen.“ Das kostet 12,4 Mio. Euro."
    new = "Bürgermeisterin Anja Weißgerber erklärte: „Wir investieren in Kitas.“ Das kostet 12,9 Mio. Euro."
    old_pieces, new_pieces = compare_words(old, new)
    assert changed(old_pieces) == ["sagte", "Schulen", "4"]
    assert changed(new_pieces) == ["erklärte", "Kitas", "9"]


def test_a_word_with_a_typo_is_marked_whole():
    old_pieces, new_pieces = compare_words("Die Oppositon kritisierte.", "Die Opposition kritisierte.")
    assert changed(old_pieces) == ["Oppositon"]
    assert changed(new_pieces) == ["Opposition"]


def test_white_space_between_two_changed_words_belongs_to_the_change():
    _, new_pieces = compare_words("Es regnet heute in Köln.", "Es schneit morgen in Köln.")
    assert changed(new_pieces) == ["schneit morgen"]


def test_an_inserted_paragraph_is_one_change():
    old = "Erster Absatz.\n\nZweiter Absatz."
    new = "Erster Absatz.\n\nEingefügt wurde dieser Absatz.\n\nZweiter Absatz."
    old_pieces, new_pieces = compare_words(old, new)
    assert changed(old_pieces) == []
    assert changed(new_pieces) == ["Eingefügt wurde dieser Absatz."]


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(st.text(max_size=150), st.text(max_size=150))
def test_the_pieces_of_each_side_make_up_that_side(old, new):
    old_pieces, new_pieces = compare_words(old, new)
    assert "".join(piece.text for piece in old_pieces) == old
    assert "".join(piece.text for piece in new_pieces) == new
    if old == new:
        assert not changed(old_pieces)


@settings(deadline=None)  # a shared, loaded machine: no wall-clock limit per example
@given(st.text(max_size=150), st.text(max_size=150))
def test_shared_blocks_are_shared_text_and_do_not_overlap(old, new):
    edit = Edit.between(old, new)
    blocks = sorted([*edit.ordered, *edit.moved], key=lambda block: block.old)
    for block in blocks:
        assert old[block.old : block.old_end] == new[block.new : block.new_end]
    for first, second in zip(blocks, blocks[1:], strict=False):
        assert first.old_end <= second.old
    by_new = sorted(blocks, key=lambda block: block.new)
    for first, second in zip(by_new, by_new[1:], strict=False):
        assert first.new_end <= second.new


def test_positions_map_through_shared_text_and_not_through_changed_text():
    old = "Der Rat tagte am Montag in Kleinbach."
    new = "Der Gemeinderat tagte am Montag in Kleinbach."
    edit = Edit.between(old, new)
    assert edit.map_start(old.index("tagte")) == new.index("tagte")
    assert edit.map_end(old.index("Rat") + 3) == new.index("Gemeinderat") + len("Gemeinderat")
    assert edit.map_start(old.index("Rat") + 1) == new.index("rat") + 1  # "at" survived
    edit = Edit.between(old, new.replace("Montag", "Freitag"))
    assert edit.map_start(old.index("Montag") + 1) is None  # inside the changed letters


def test_a_moved_paragraph_keeps_its_identity():
    first = "Die Feuerwehr löschte den Brand innerhalb einer Stunde."
    second = "Verletzt wurde niemand, teilte ein Sprecher der Polizei mit."
    third = "Die Ursache ist unklar; die Kriminalpolizei ermittelt."
    old, new = f"{first}\n\n{second}\n\n{third}", f"{second}\n\n{third}\n\n{first}"
    edit = Edit.between(old, new)
    assert edit.map_start(old.index("Brand")) == new.index("Brand")
    assert edit.map_start(old.index("Sprecher")) == new.index("Sprecher")


def test_a_complete_rewrite_of_a_long_text_still_finishes():
    old = " ".join(f"Satz {n} über den Haushalt." for n in range(4000))
    new = " ".join(f"Absatz {n} zur Lage der Schulen." for n in range(4000))
    edit = Edit.between(old, new)
    assert edit.map_start(10) is None or edit.map_start(10) >= 0
    old_pieces, new_pieces = compare_words(old, new)
    assert "".join(piece.text for piece in new_pieces) == new
