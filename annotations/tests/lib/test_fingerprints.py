"""Near duplicates are found by shared keys and confirmed by shared word runs. No database."""

from __future__ import annotations

import random

from annotations.lib import fingerprints

REPORT = (
    "Die Gemeindewerke von Hollerbach wollen bis zum Jahr 2031 alle Straßenlaternen im Ortskern auf "
    "sparsame Leuchtdioden umstellen. Sie rechnen mit rund 40 Prozent weniger Stromverbrauch, wie eine "
    "Sprecherin am Mittwoch mitteilte. Der Gemeinderat muss dem Plan noch zustimmen."
)
OTHER_REPORT = (
    "Im Ortskern von Hollerbach sollen die Laternen bald weniger Strom verbrauchen: Der Gemeinderat berät am "
    "Donnerstag über einen Vorschlag der Gemeindewerke, der Leuchtdioden vorsieht und Geld sparen soll."
)


def shared_keys(first: str, second: str) -> int:
    return len(set(fingerprints.keys(first)) & set(fingerprints.keys(second)))


def test_the_same_text_with_one_word_changed_shares_keys_and_most_word_runs():
    changed = REPORT.replace("sparsame", "sparsamere")
    assert shared_keys(REPORT, changed) > 0
    similarity = fingerprints.similarity(fingerprints.shingles(REPORT), fingerprints.shingles(changed))
    assert fingerprints.NEAR_DUPLICATE <= similarity < 1


def test_a_report_on_the_same_subject_in_other_words_is_no_near_duplicate():
    similarity = fingerprints.similarity(fingerprints.shingles(REPORT), fingerprints.shingles(OTHER_REPORT))
    assert similarity < fingerprints.NEAR_DUPLICATE
    assert shared_keys(REPORT, OTHER_REPORT) == 0


def test_case_soft_hyphens_and_spacing_do_not_make_a_text_different():
    variant = REPORT.upper().replace("Straßenlaternen".upper(), "STRASSEN\u00adLATERNEN").replace(" ", "  ")
    assert fingerprints.shingles(variant) == fingerprints.shingles(REPORT)  # case-folded, ß and SS alike
    assert fingerprints.keys(REPORT.replace(" ", "\n ")) == fingerprints.keys(REPORT)


def test_keys_are_stable_signed_64_bit_numbers():
    keys = fingerprints.keys(REPORT)
    assert len(keys) == fingerprints.BANDS
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert keys == fingerprints.keys(REPORT)  # the same in every process: no salted hash()


def test_a_text_without_words_has_no_keys_and_a_short_one_has_keys():
    assert fingerprints.keys(" – … ") == []
    assert len(fingerprints.keys("Eilmeldung")) == fingerprints.BANDS


def test_one_word_changed_is_found_for_texts_of_any_length():
    vocabulary = "Rat Stadt Bahn Linie Schule Markt Brücke Haushalt neue alte sagte will soll".split()
    chance = random.Random(12)
    found = 0
    for _ in range(200):
        text = [f"{chance.choice(vocabulary)}{chance.randint(0, 99)}" for _ in range(chance.randint(15, 400))]
        changed = list(text)
        changed[chance.randrange(len(text))] = "anders"
        found += shared_keys(" ".join(text), " ".join(changed)) > 0
    assert found == 200


def test_work_is_bounded_by_the_words_read():
    text = "Wort " * (fingerprints.MAX_WORDS * 3) + "Schluss"
    assert len(fingerprints.words(text)) == fingerprints.MAX_WORDS
    # Beyond the bound nothing counts: a change at the very end is not seen.
    assert fingerprints.keys(text) == fingerprints.keys(text.replace("Schluss", "Ende"))
