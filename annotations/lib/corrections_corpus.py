"""Realistic corrections of German news text, with the expected place of every claim afterwards.

Our own writing. The pure tests and `manage.py benchmark_reanchor` judge `anchoring.reanchor`
against it. Each claim names its quote in the old text (and which occurrence), and what must
become of it: `Moved(words, occurrence)` — the same words, no review; `Flagged(words,
occurrence)` — the changed passage, for review; `Orphaned()` — no place.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from annotations.lib.anchoring import CONTEXT_LENGTH, Anchor


@dataclass(frozen=True)
class Moved:
    words: str
    occurrence: int = 0


@dataclass(frozen=True)
class Flagged:
    words: str
    occurrence: int = 0


@dataclass(frozen=True)
class Orphaned:
    pass


Expected = Moved | Flagged | Orphaned


@dataclass(frozen=True)
class Claim:
    quote: str
    expected: Expected
    occurrence: int = 0


@dataclass(frozen=True)
class Case:
    name: str
    old: str
    new: str
    claims: list[Claim] = field(default_factory=list)

    def claim_dicts(self) -> list[dict]:
        """The claims as stored: offsets into the old text with their context."""
        return [stored_claim(self.old, index, claim.quote, claim.occurrence) for index, claim in enumerate(self.claims)]


def stored_claim(text: str, claim_id: int, quote: str, occurrence: int = 0) -> dict:
    start = _find(text, quote, occurrence)
    end = start + len(quote)
    return {
        "id": claim_id,
        "start": start,
        "end": end,
        "quote": quote,
        "prefix": text[max(0, start - CONTEXT_LENGTH) : start],
        "suffix": text[end : end + CONTEXT_LENGTH],
    }


def _find(text: str, words: str, occurrence: int) -> int:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(words, at + 1)
    return at


def verdict(case: Case, claim: Claim, result: Anchor | None) -> str:
    """One of: moved, flagged, orphaned (as expected); cautious (flagged or orphaned where a
    certain move or a flag was expected: safe, but work for an editor); misplaced (anywhere else)."""
    expected = claim.expected
    if isinstance(expected, Orphaned):
        return "orphaned" if result is None else "misplaced"
    start = _find(case.new, expected.words, expected.occurrence)
    right_place = result is not None and (result.start, result.end) == (start, start + len(expected.words))
    if result is None:
        return "cautious"
    if not right_place:
        return "misplaced"
    if isinstance(expected, Moved):
        return "cautious" if result.needs_review else "moved"
    return "flagged" if result.needs_review else "misplaced"


def tally(results: dict[str, list[Anchor | None]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for case in CASES:
        for claim, result in zip(case.claims, results[case.name], strict=True):
            counts[verdict(case, claim, result)] += 1
    return counts


_GEMEINDERAT = (
    "Kleinbach (dpa) - Der Gemeinderat von Kleinbach hat am Montag den Haushalt für 2027 beschlossen. "
    "Er sieht Ausgaben von 12,4\u00a0Millionen Euro vor – so viel wie nie zuvor.\n\n"
    "Bürgermeisterin Anja Weißgerber sagte: „Wir investieren vor allem in Schulen und in den Nahverkehr.“ "
    "Die Opposition kritisierte den Plan als unsolide.\n\n"
    "Kämmerer Bernd Ostermann rechnet mit Steuereinnahmen von 9,8\u00a0Millionen Euro. "
    "Die Lücke soll über Kredite geschlossen werden."
)

_GIPFEL = (
    "Brüssel (dpa) - Die Staats- und Regierungschefs der EU treffen sich am Donnerstag in Brüssel. "
    "Es ist das zweite Treffen auf Ebene der Staats- und Regierungschefs seit dem Einmarsch.\n\n"
    "Ratspräsident Michel sagte, die Union stehe geschlossen hinter der Ukraine. "
    "Kanzler Scholz kündigte weitere Hilfen an.\n\n"
    "Ungarn lehnt neue Sanktionen weiterhin ab. Ein Diplomat sagte, eine Einigung sei nicht in Sicht."
)

_ROBIN = (
    "Robin Berger leitet seit 2019 das Jugendzentrum. Die Stadt will das Haus schließen. "
    "„Wir kämpfen um jeden Raum“, sagte Robin am Abend vor rund 80 Zuhörern."
)

_POLIZEI = (
    "Polizeibericht: Ein 34 Jahre alter Mann ist am Samstagabend in der Hauptstraße verletzt worden. "
    "Nach Angaben der Polizei war er nicht angeschnallt. Der Fahrer des zweiten Wagens blieb unverletzt.\n\n"
    "Die Hauptstraße war bis 22 Uhr gesperrt."
)

_DOPPELT = (
    "Der Landtag debattiert über das neue Schulgesetz. Die Regierung will mehr Lehrkräfte einstellen. "
    "Die Regierung will mehr Lehrkräfte einstellen. Kritiker halten den Plan für zu teuer."
)

_ABSATZ_A = "Die Feuerwehr rückte um 14.30 Uhr aus und löschte den Brand in der Scheune innerhalb einer Stunde."
_ABSATZ_B = "Verletzt wurde niemand, der Schaden wird auf etwa 200.000 Euro geschätzt, teilte ein Sprecher mit."
_ABSATZ_C = "Die Ursache des Feuers ist noch unklar; die Kriminalpolizei ermittelt wegen Brandstiftung."

_UMWELT = (
    "Berlin (dpa) - Die Bundesregierung will bis 2030 rund 12 Prozent der Flächen unter Schutz stellen. "
    "Das kündigte Umweltministerin Lemke am 24. März in Berlin an.\n\n"
    "Naturschutzverbände begrüßten den Schritt, forderten aber mehr Tempo. „Das reicht nicht“, sagte ein Sprecher.\n\n"
    "Die Länder müssen den Plänen noch zustimmen."
)
_MITTE = (
    "Naturschutzverbände begrüßten den Schritt, forderten aber mehr Tempo. „Das reicht nicht“, sagte ein Sprecher.\n\n"
)

CASES: list[Case] = [
    Case(
        "typo inside a quote",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("Opposition kritisierte", "Oppositon kritisierte"),
        [
            Claim(
                "Die Opposition kritisierte den Plan als unsolide",
                Flagged("Die Oppositon kritisierte den Plan als unsolide"),
            ),
            Claim("den Haushalt für 2027 beschlossen", Moved("den Haushalt für 2027 beschlossen")),
            Claim("Steuereinnahmen von 9,8\u00a0Millionen Euro", Moved("Steuereinnahmen von 9,8\u00a0Millionen Euro")),
        ],
    ),
    Case(
        "typo corrected before claims",
        _GEMEINDERAT.replace("Gemeinderat", "Gemeinderrat"),
        _GEMEINDERAT,
        [
            Claim("Ausgaben von 12,4\u00a0Millionen Euro", Moved("Ausgaben von 12,4\u00a0Millionen Euro")),
            Claim("Der Gemeinderrat von Kleinbach", Flagged("Der Gemeinderat von Kleinbach")),
            Claim("so viel wie nie zuvor", Moved("so viel wie nie zuvor")),
        ],
    ),
    Case(
        "number corrected",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("12,4", "12,9"),
        [
            Claim("Ausgaben von 12,4\u00a0Millionen Euro", Orphaned()),
            Claim("so viel wie nie zuvor", Moved("so viel wie nie zuvor")),
            Claim("Millionen Euro vor", Moved("Millionen Euro vor")),
            Claim("9,8\u00a0Millionen Euro", Moved("9,8\u00a0Millionen Euro")),
        ],
    ),
    Case(
        "number written out",
        _POLIZEI,
        _POLIZEI.replace("Der Fahrer des zweiten Wagens", "Der Fahrer des dritten Wagens"),
        [
            Claim("Der Fahrer des zweiten Wagens blieb unverletzt", Orphaned()),
            Claim("Ein 34 Jahre alter Mann", Moved("Ein 34 Jahre alter Mann")),
        ],
    ),
    Case(
        "year corrected",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("für 2027", "für 2028"),
        [
            Claim("den Haushalt für 2027 beschlossen", Orphaned()),
            Claim("Kredite geschlossen", Moved("Kredite geschlossen")),
        ],
    ),
    Case(
        "weekday corrected",
        _GIPFEL,
        _GIPFEL.replace("am Donnerstag", "am Freitag"),
        [
            Claim("treffen sich am Donnerstag in Brüssel", Orphaned()),
            Claim("das zweite Treffen", Moved("das zweite Treffen")),
        ],
    ),
    Case(
        "time of day corrected",
        _POLIZEI,
        _POLIZEI.replace("am Samstagabend", "am Sonntagabend"),
        [
            Claim("am Samstagabend in der Hauptstraße verletzt", Orphaned()),
            Claim("bis 22 Uhr gesperrt", Moved("bis 22 Uhr gesperrt")),
        ],
    ),
    Case(
        "negation removed",
        _POLIZEI,
        _POLIZEI.replace("war er nicht angeschnallt", "war er angeschnallt"),
        [
            Claim("war er nicht angeschnallt", Orphaned()),
            Claim(
                "Der Fahrer des zweiten Wagens blieb unverletzt",
                Moved("Der Fahrer des zweiten Wagens blieb unverletzt"),
            ),
        ],
    ),
    Case(
        "negation added",
        _GIPFEL,
        _GIPFEL.replace("Ungarn lehnt neue Sanktionen weiterhin ab", "Ungarn lehnt neue Sanktionen nicht mehr ab"),
        [
            Claim("Ungarn lehnt neue Sanktionen weiterhin ab", Orphaned()),
            Claim("eine Einigung sei nicht in Sicht", Moved("eine Einigung sei nicht in Sicht")),
        ],
    ),
    Case(
        "kein becomes ein",
        "Für das Projekt gibt es kein Geld aus Berlin, sagte der Landrat.",
        "Für das Projekt gibt es ein Geld aus Berlin, sagte der Landrat.",
        [Claim("es kein Geld aus Berlin", Orphaned()), Claim("sagte der Landrat", Moved("sagte der Landrat"))],
    ),
    Case(
        "name corrected, the same name once more (Hypothesis h#2798)",
        _ROBIN,
        _ROBIN.replace("Robin Berger", "Elisa Berger"),
        [
            Claim("Robin", Orphaned()),
            Claim("Robin", Moved("Robin"), occurrence=1),
            Claim("Robin Berger leitet seit 2019 das Jugendzentrum", Orphaned()),
            Claim("sagte Robin am Abend", Moved("sagte Robin am Abend")),
        ],
    ),
    Case(
        "second occurrence of a name corrected",
        _ROBIN,
        _ROBIN.replace("sagte Robin am Abend", "sagte Elisa am Abend"),
        [
            Claim("Robin", Moved("Robin")),
            Claim("Robin", Orphaned(), occurrence=1),
            Claim("„Wir kämpfen um jeden Raum“", Moved("„Wir kämpfen um jeden Raum“")),
        ],
    ),
    Case(
        "surname corrected",
        _GIPFEL,
        _GIPFEL.replace("Kanzler Scholz", "Kanzler Merz"),
        [
            Claim("Kanzler Scholz kündigte weitere Hilfen an", Orphaned()),
            Claim("Ratspräsident Michel", Moved("Ratspräsident Michel")),
        ],
    ),
    Case(
        "spelling of a name",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("Weißgerber", "Weissgerber"),
        [
            Claim("Bürgermeisterin Anja Weißgerber sagte", Flagged("Bürgermeisterin Anja Weissgerber sagte")),
            Claim("„Wir investieren vor allem in Schulen", Moved("„Wir investieren vor allem in Schulen")),
        ],
    ),
    Case(
        "quotation marks changed",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("„", '"').replace("“", '"'),
        [
            Claim(
                "„Wir investieren vor allem in Schulen und in den Nahverkehr.“",
                Flagged('"Wir investieren vor allem in Schulen und in den Nahverkehr."'),
            ),
            Claim("vor allem in Schulen", Moved("vor allem in Schulen")),
            Claim("Anja Weißgerber", Moved("Anja Weißgerber")),
        ],
    ),
    Case(
        "spaces and non-breaking spaces",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("\u00a0", " ").replace("so viel wie", "so  viel wie"),
        [
            Claim("Ausgaben von 12,4\u00a0Millionen Euro", Flagged("Ausgaben von 12,4 Millionen Euro")),
            Claim("so viel wie nie zuvor", Flagged("so  viel wie nie zuvor")),
            Claim("Die Opposition kritisierte", Moved("Die Opposition kritisierte")),
        ],
    ),
    Case(
        "soft hyphen inserted",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("Steuereinnahmen", "Steuer\u00adeinnahmen"),
        [
            Claim(
                "Steuereinnahmen von 9,8\u00a0Millionen Euro",
                Flagged("Steuer\u00adeinnahmen von 9,8\u00a0Millionen Euro"),
            ),
            Claim("Kämmerer Bernd Ostermann", Moved("Kämmerer Bernd Ostermann")),
        ],
    ),
    Case(
        "dash and apostrophe style",
        "Das Werk – eines der größten im Land – gehört seit 1990 dem Konzern. Das ist's gewesen, sagte er.",
        "Das Werk - eines der größten im Land - gehört seit 1990 dem Konzern. Das ist’s gewesen, sagte er.",
        [
            Claim("– eines der größten im Land –", Flagged("- eines der größten im Land -")),
            Claim("Das ist's gewesen", Flagged("Das ist’s gewesen")),
            Claim("gehört seit 1990 dem Konzern", Moved("gehört seit 1990 dem Konzern")),
        ],
    ),
    Case(
        "paragraph inserted at the top",
        _GEMEINDERAT,
        "Aktualisierte Fassung, 18.30 Uhr: mit Reaktionen der Opposition.\n\n" + _GEMEINDERAT,
        [
            Claim("den Haushalt für 2027 beschlossen", Moved("den Haushalt für 2027 beschlossen")),
            Claim(
                "Die Opposition kritisierte den Plan als unsolide",
                Moved("Die Opposition kritisierte den Plan als unsolide"),
            ),
            Claim("Kredite geschlossen werden", Moved("Kredite geschlossen werden")),
        ],
    ),
    Case(
        "paragraph inserted in the middle",
        _GIPFEL,
        _GIPFEL.replace(
            "hinter der Ukraine. Kanzler Scholz kündigte weitere Hilfen an.\n\n",
            "hinter der Ukraine. Kanzler Scholz kündigte weitere Hilfen an.\n\n"
            "Die Außenminister hatten das Treffen am Vortag vorbereitet. Sie sprachen auch über Energie.\n\n",
        ),
        [
            Claim(
                "die Union stehe geschlossen hinter der Ukraine",
                Moved("die Union stehe geschlossen hinter der Ukraine"),
            ),
            Claim("Ungarn lehnt neue Sanktionen weiterhin ab", Moved("Ungarn lehnt neue Sanktionen weiterhin ab")),
            Claim("eine Einigung sei nicht in Sicht", Moved("eine Einigung sei nicht in Sicht")),
        ],
    ),
    Case(
        "paragraph deleted",
        f"{_ABSATZ_A}\n\n{_ABSATZ_B}\n\n{_ABSATZ_C}",
        f"{_ABSATZ_A}\n\n{_ABSATZ_C}",
        [
            Claim("um 14.30 Uhr aus", Moved("um 14.30 Uhr aus")),
            Claim("auf etwa 200.000 Euro geschätzt", Orphaned()),
            Claim("Verletzt wurde niemand", Orphaned()),
            Claim(
                "die Kriminalpolizei ermittelt wegen Brandstiftung",
                Moved("die Kriminalpolizei ermittelt wegen Brandstiftung"),
            ),
        ],
    ),
    Case(
        "paragraph moved",
        f"{_ABSATZ_A}\n\n{_ABSATZ_B}\n\n{_ABSATZ_C}",
        f"{_ABSATZ_B}\n\n{_ABSATZ_A}\n\n{_ABSATZ_C}",
        [
            Claim("auf etwa 200.000 Euro geschätzt", Moved("auf etwa 200.000 Euro geschätzt")),
            Claim("löschte den Brand in der Scheune", Moved("löschte den Brand in der Scheune")),
            Claim("Die Ursache des Feuers ist noch unklar", Moved("Die Ursache des Feuers ist noch unklar")),
        ],
    ),
    Case(
        "paragraph moved to the end of a long article",
        f"{_ABSATZ_A}\n\n{_GIPFEL}\n\n{_ABSATZ_C}",
        f"{_GIPFEL}\n\n{_ABSATZ_C}\n\n{_ABSATZ_A}",
        [
            Claim("innerhalb einer Stunde", Moved("innerhalb einer Stunde")),
            Claim("das zweite Treffen", Moved("das zweite Treffen")),
        ],
    ),
    Case(
        "sentences swapped",
        "Der Zug fiel wegen eines Defekts aus. Die Fahrgäste warteten zwei Stunden. Ersatzbusse fuhren erst ab Mittag.",
        "Die Fahrgäste warteten zwei Stunden. Der Zug fiel wegen eines Defekts aus. Ersatzbusse fuhren erst ab Mittag.",
        [
            Claim("Der Zug fiel wegen eines Defekts aus.", Moved("Der Zug fiel wegen eines Defekts aus.")),
            Claim("Die Fahrgäste warteten zwei Stunden", Moved("Die Fahrgäste warteten zwei Stunden")),
            Claim("Ersatzbusse fuhren erst ab Mittag", Moved("Ersatzbusse fuhren erst ab Mittag")),
        ],
    ),
    Case(
        "duplicated sentence removed",
        _DOPPELT,
        _DOPPELT.replace("einstellen. Die Regierung will mehr Lehrkräfte einstellen.", "einstellen."),
        [
            Claim(
                "Die Regierung will mehr Lehrkräfte einstellen", Moved("Die Regierung will mehr Lehrkräfte einstellen")
            ),
            Claim("Die Regierung will mehr Lehrkräfte einstellen", Orphaned(), occurrence=1),
            Claim("Kritiker halten den Plan für zu teuer", Moved("Kritiker halten den Plan für zu teuer")),
        ],
    ),
    Case(
        "sentence duplicated by mistake",
        _GIPFEL,
        _GIPFEL.replace(
            "Kanzler Scholz kündigte weitere Hilfen an.",
            "Kanzler Scholz kündigte weitere Hilfen an. Kanzler Scholz kündigte weitere Hilfen an.",
        ),
        [
            Claim("Ratspräsident Michel sagte", Moved("Ratspräsident Michel sagte")),
            Claim("Ungarn lehnt neue Sanktionen", Moved("Ungarn lehnt neue Sanktionen")),
        ],
    ),
    Case(
        "words inserted inside a quote",
        _GEMEINDERAT,
        _GEMEINDERAT.replace("kritisierte den Plan", "kritisierte den gesamten Plan"),
        [
            Claim(
                "Die Opposition kritisierte den Plan als unsolide",
                Flagged("Die Opposition kritisierte den gesamten Plan als unsolide"),
            ),
            Claim("Bürgermeisterin Anja Weißgerber", Moved("Bürgermeisterin Anja Weißgerber")),
        ],
    ),
    Case(
        "quote rewritten",
        _GEMEINDERAT,
        _GEMEINDERAT.replace(
            "Die Lücke soll über Kredite geschlossen werden.", "Wie die Lücke gedeckt wird, blieb offen."
        ),
        [
            Claim("Die Lücke soll über Kredite geschlossen werden", Orphaned()),
            Claim("Kämmerer Bernd Ostermann rechnet", Moved("Kämmerer Bernd Ostermann rechnet")),
        ],
    ),
    Case(
        "sentence deleted, claims beside it",
        _GIPFEL,
        _GIPFEL.replace("Kanzler Scholz kündigte weitere Hilfen an.", "").replace("Ukraine. \n", "Ukraine.\n"),
        [
            Claim("Kanzler Scholz kündigte weitere Hilfen an", Orphaned()),
            Claim("Ratspräsident Michel sagte", Moved("Ratspräsident Michel sagte")),
            Claim("Ungarn lehnt neue Sanktionen weiterhin ab", Moved("Ungarn lehnt neue Sanktionen weiterhin ab")),
        ],
    ),
    Case(
        "agency version two: several corrections at once",
        _GEMEINDERAT,
        "Kleinbach (dpa) - Der Gemeinderat von Kleinbach hat am Montagabend den Haushalt für 2027 beschlossen. "
        "Er sieht Ausgaben von 12,4\u00a0Millionen Euro vor – so viel wie nie zuvor.\n\n"
        "Bürgermeisterin Anja Weißgerber (SPD) sagte: „Wir investieren vor allem in Schulen und in den Nahverkehr.“ "
        "Die Opposition kritisierte den Plan als unsolide.\n\n"
        "Kämmerer Bernd Ostermann rechnet mit Steuereinnahmen von 9,6\u00a0Millionen Euro. "
        "Die Lücke soll über Kredite geschlossen werden.\n\n"
        "(Neufassung: Angaben zu Steuereinnahmen korrigiert.)",
        [
            Claim("hat am Montag den Haushalt", Orphaned()),
            Claim("Ausgaben von 12,4\u00a0Millionen Euro", Moved("Ausgaben von 12,4\u00a0Millionen Euro")),
            Claim(
                "„Wir investieren vor allem in Schulen und in den Nahverkehr.“",
                Moved("„Wir investieren vor allem in Schulen und in den Nahverkehr.“"),
            ),
            Claim("Steuereinnahmen von 9,8\u00a0Millionen Euro", Orphaned()),
            Claim(
                "Die Lücke soll über Kredite geschlossen werden",
                Moved("Die Lücke soll über Kredite geschlossen werden"),
            ),
        ],
    ),
    Case(
        "day of a date corrected",
        _UMWELT,
        _UMWELT.replace("24. März", "25. März"),
        [
            Claim("am 24. März in Berlin", Orphaned()),
            Claim("Umweltministerin Lemke", Moved("Umweltministerin Lemke")),
        ],
    ),
    Case(
        "number written out in words",
        _UMWELT,
        _UMWELT.replace("12 Prozent", "zwölf Prozent"),
        [Claim("rund 12 Prozent der Flächen", Orphaned())],
    ),
    Case(
        "paragraph split inside a quote",
        _UMWELT,
        _UMWELT.replace("Schritt, forderten", "Schritt,\n\nforderten"),
        [
            Claim(
                "begrüßten den Schritt, forderten aber mehr Tempo",
                Flagged("begrüßten den Schritt,\n\nforderten aber mehr Tempo"),
            )
        ],
    ),
    Case(
        "paragraphs merged",
        _UMWELT,
        _UMWELT.replace("Berlin an.\n\nNaturschutz", "Berlin an. Naturschutz"),
        [
            Claim("in Berlin an.", Moved("in Berlin an.")),
            Claim("Naturschutzverbände begrüßten", Moved("Naturschutzverbände begrüßten")),
        ],
    ),
    Case(
        "quote across a paragraph that was deleted",
        _UMWELT,
        _UMWELT.replace(_MITTE, ""),
        [
            Claim("in Berlin an.\n\nNaturschutzverbände", Orphaned()),
            Claim("Die Länder müssen", Moved("Die Länder müssen")),
        ],
    ),
    Case(
        "word before a quote replaced",
        _UMWELT,
        _UMWELT.replace("Die Länder müssen", "Alle Länder müssen"),
        [Claim("müssen den Plänen noch zustimmen", Moved("müssen den Plänen noch zustimmen"))],
    ),
    Case(
        "negation nicht becomes nie",
        "Er hat das nicht gesagt, betonte der Minister.",
        "Er hat das nie gesagt, betonte der Minister.",
        [Claim("hat das nicht gesagt", Orphaned()), Claim("betonte der Minister", Moved("betonte der Minister"))],
    ),
    Case(
        "capital letter at a sentence start",
        "Die Stadt plant. die Kosten steigen deutlich.",
        "Die Stadt plant. Die Kosten steigen deutlich.",
        [Claim("die Kosten steigen deutlich", Flagged("Die Kosten steigen deutlich"))],
    ),
    Case(
        "hyphen of a compound removed",
        "Der Corona-Hilfsfonds ist leer, sagte sie.",
        "Der Coronahilfsfonds ist leer, sagte sie.",
        [Claim("Der Corona-Hilfsfonds ist leer", Flagged("Der Coronahilfsfonds ist leer"))],
    ),
    Case(
        "percent sign written out",
        "Die Quote stieg auf 12,5 %.",
        "Die Quote stieg auf 12,5 Prozent.",
        [Claim("stieg auf 12,5 %", Flagged("stieg auf 12,5 Prozent"))],
    ),
    Case(
        "a name twice, a sentence inserted between",
        "Merz sprach zuerst. Danach sprach Merz erneut.",
        "Merz sprach zuerst. Dann kam Pause. Danach sprach Merz erneut.",
        [Claim("Merz", Moved("Merz")), Claim("Merz", Moved("Merz", 1), occurrence=1)],
    ),
    Case(
        "short sentences swapped: the same words, their neighbours gone",
        "Anna lobte Ben. Ben lobte Anna.",
        "Ben lobte Anna. Anna lobte Ben.",
        [Claim("Anna lobte Ben", Flagged("Anna lobte Ben"))],
    ),
    Case(
        "nothing changed",
        _GIPFEL,
        _GIPFEL,
        [Claim("seit dem Einmarsch", Moved("seit dem Einmarsch")), Claim("Brüssel", Moved("Brüssel", 1), occurrence=1)],
    ),
]
