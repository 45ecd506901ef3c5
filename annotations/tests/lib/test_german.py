"""German normalisation for "already checked?": numbers, abbreviations, compounds, stems, near misses."""

from __future__ import annotations

import pytest

from annotations.lib import german
from annotations.lib.paraphrases import CASES


def numbers(text: str) -> list[str]:
    return [fact.value for fact in german.profile(text).facts if fact.kind == "number"]


@pytest.mark.parametrize(
    "text",
    [
        "12 Mio. €",
        "zwölf Millionen Euro",
        "12.000.000 Euro",
        "12\u202f000\u202f000 Euro",
        "12,0 Millionen Euro",
        "Zwölf Mio. EUR",
    ],
)
def test_twelve_million_euros_is_one_number_however_it_is_written(text):
    assert numbers(text) == ["12000000"]
    assert german.profile(text).terms.get("euro")


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("zwölf", 12),
        ("dreiundzwanzig", 23),
        ("hundertfünfzig", 150),
        ("dreihundertvierzig", 340),
        ("zweitausendachthundert", 2800),
        ("Eintausendachthundertdreißig", 1830),
        ("zweieinhalb", 2.5),
        ("anderthalb", 1.5),
    ],
)
def test_number_words(word, value):
    assert german.number_word(word) == value


def test_words_that_only_look_like_numbers_are_words():
    assert german.number_word("Elfmeter") is None
    assert german.number_word("ein") is None  # the article, unless a scale follows
    assert numbers("ein Anstieg") == []
    assert numbers("eine Million Menschen") == ["1000000"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("4,5 Prozent", "4.5"), ("4.5 %", "4.5"), ("1.250.000", "1250000"), ("1,25 Mio.", "1250000"), ("12.000", "12000")],
)
def test_german_and_english_decimal_marks(text, value):
    assert numbers(text) == [value]


def test_a_four_digit_year_is_a_year_and_a_year_with_a_unit_is_a_number():
    facts = german.profile("Im Jahr 2019 kostete es 2019 Euro").facts
    assert [(fact.kind, fact.value) for fact in facts] == [("year", "2019"), ("number", "2019")]


def test_an_abbreviation_stands_for_its_words():
    assert german.profile("Die EZB").terms == german.profile("Die Europäische Zentralbank").terms


def test_compounds_share_their_parts_with_the_words_they_are_made_of():
    compound = german.profile("Radwegebau").terms
    phrase = german.profile("Ausbau der Radwege").terms
    assert {"radweg", "bau"} <= compound.keys() & phrase.keys()
    assert german.split_compound("Regierungschefs") == ("regierungs", "chefs")
    assert german.split_compound("Haus") is None


def test_umlauts_and_sharp_s_are_folded_by_the_stemmer():
    assert german.stem("Straße") == german.stem("Strasse")
    assert german.stem("Bürgermeisterinnen") == german.stem("Bürgermeisterin")


def test_indirect_speech_matches_the_direct_statement():
    direct = german.profile("Die Stadt investiert 3 Millionen Euro in Schulen")
    reported = german.profile("Die Stadt investiere drei Millionen Euro in Schulen, sagte der Kämmerer")
    assert german.compare(direct, reported).score > 0.7


def test_another_number_year_or_place_is_a_named_difference():
    claim = german.profile("In Kleinbach stiegen die Mieten 2023 um 5 Prozent")
    for other, kind, theirs in [
        ("In Kleinbach stiegen die Mieten 2023 um 7 Prozent", "number", "7 Prozent"),
        ("In Kleinbach stiegen die Mieten 2022 um 5 Prozent", "year", "2022"),
        ("In Weidenau stiegen die Mieten 2023 um 5 Prozent", "place", "Weidenau"),
    ]:
        match = german.compare(claim, german.profile(other))
        assert [(d.kind, d.theirs) for d in match.differences] == [(kind, (theirs,))]
        assert match.score < german.CONFLICT_FACTOR


def test_differences_quote_the_numbers_as_written():
    match = german.compare(german.profile("Kosten von 12 Mio. €"), german.profile("Kosten von 15 Millionen Euro"))
    assert match.differences[0].ours == ("12 Mio. €",)
    assert match.differences[0].theirs == ("15 Millionen Euro",)


def test_only_the_first_characters_of_a_long_text_are_read():
    long = "Radweg " * 10_000 + "Zentralbank"
    assert "zentralbank" not in german.profile(long).terms


def test_empty_and_hostile_texts_score_nothing():
    for text in ["", "\x00", "der die das", "–––", "\u202e" * 50]:
        assert german.compare(german.profile(text), german.profile("Die Stadt baut")).score == 0.0


def test_the_paraphrase_set_ranks_the_true_match_first_and_near_misses_below():
    stored = [(index, case.stored) for index, case in enumerate(CASES)]
    stored += [(-1, near) for case in CASES for near in case.near]
    profiles = [(index, german.profile(text)) for index, text in stored]
    first = top_three = 0
    for index, case in enumerate(CASES):
        query = german.profile(case.query)
        ranked = sorted(profiles, key=lambda item: -german.compare(query, item[1]).score)
        position = [owner for owner, _p in ranked].index(index)
        first += position == 0
        top_three += position < 3
        true_score = german.compare(query, german.profile(case.stored)).score
        for near in case.near:
            assert german.compare(query, german.profile(near)).score < true_score, (case.query, near)
    assert len(CASES) >= 30
    assert first >= 0.9 * len(CASES)
    assert top_three == len(CASES)
