"""German as reporters write it, reduced to what two claims must share to be the same claim. Pure Python.

`profile(text)` turns a statement or quote into weighted terms (Snowball stems, the parts of compounds,
common abbreviations written out), numbers whatever way they are written ("12 Mio. €", "zwölf Millionen
Euro" and "12.000.000 Euro" are all 12,000,000), years and places. `compare(query, candidate)` scores how
well a candidate says what the query says, and names the facts in which they differ: a claim with the same
words but another number, year or place is another claim, so it ranks below the true matches.

Indirect speech ("Die Stadt habe 12 Mio. investiert, sagte er") loses its reporting verbs and auxiliaries
to the stop words, and the Konjunktiv's endings ("investiere"/"investiert") match as one stem is the start
of the other. The work is bounded: only the first MAX_TEXT characters of a text are read.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import snowballstemmer

MAX_TEXT = 1000  # characters read of one text: a statement or a quote, not an article

_STEMMER = snowballstemmer.stemmer("german")

# Separators a number may be grouped with: dot, non-breaking, narrow non-breaking and thin space, apostrophe.
_GROUP = "[.\u00a0\u202f\u2009']"
_TOKEN = re.compile(
    rf"(?P<number>\d{{1,3}}(?:{_GROUP}\d{{3}})+(?:,\d+)?|\d+,\d+|\d+\.\d{{1,2}}(?!\d)|\d+)"
    r"|(?P<word>[^\W\d_]+(?:[-\u2010\u2011][^\W\d_]+)*)"
    r"|(?P<symbol>[€%$])"
)

STOP_WORDS = frozenset(
    """
    der die das dem den des ein eine einer einem einen eines kein keine keiner keinem keinen und oder aber
    doch sondern denn in im ins an am ans auf aus bei beim mit nach von vom zu zum zur für über unter vor
    seit um bis durch gegen ohne als wie so auch noch schon nur sehr dabei damit dass daß ob wenn weil da
    dort hier es er sie wir ihr ich man sich sein seine seiner seinem seinen ihre ihrer ihrem ihren ihm ihn
    dies diese dieser diesem diesen dieses jene jener welche welcher was wer wo dieser
    ist sind war waren sei seien wäre wären gewesen hat haben habe hatte hatten hätte hätten gehabt
    wird werden werde wurde wurden würde würden worden geworden kann können könne könnte könnten
    soll sollen solle sollte sollten muss müssen müsse müsste will wollen wolle wollte darf dürfe
    sagt sagte sagten sagen gesagt erklärt erklärte erklärten betont betonte betonten teilte teilt mit
    mitgeteilt berichtet berichtete laut zufolge demnach nach angaben angaben heißt hieß meint meinte
    rund etwa ca circa knapp fast nahezu beinahe gut insgesamt bereits jetzt nun derzeit inzwischen
    jahr jahre jahren jahres im
    """.split()
)

# Written out, so "EZB" and "Europäische Zentralbank" are the same words. Our own list of what German
# news writes most; an abbreviation stands for its words, it does not add to them.
ABBREVIATIONS: dict[str, str] = {
    "EZB": "Europäische Zentralbank",
    "EU": "Europäische Union",
    "UN": "Vereinte Nationen",
    "UNO": "Vereinte Nationen",
    "BIP": "Bruttoinlandsprodukt",
    "WHO": "Weltgesundheitsorganisation",
    "IWF": "Internationaler Währungsfonds",
    "RKI": "Robert-Koch-Institut",
    "BGH": "Bundesgerichtshof",
    "BVerfG": "Bundesverfassungsgericht",
    "BKA": "Bundeskriminalamt",
    "BA": "Bundesagentur für Arbeit",
    "DB": "Deutsche Bahn",
    "DGB": "Deutscher Gewerkschaftsbund",
    "IHK": "Industrie- und Handelskammer",
    "ÖPNV": "öffentlicher Personennahverkehr",
    "OB": "Oberbürgermeister",
    "OBin": "Oberbürgermeisterin",
    "Kita": "Kindertagesstätte",
    "Kitas": "Kindertagesstätten",
    "Bafög": "Ausbildungsförderung",
    "BAföG": "Ausbildungsförderung",
    "Destatis": "Statistisches Bundesamt",
    "StBA": "Statistisches Bundesamt",
    "MdB": "Bundestagsabgeordneter",
    "AKW": "Atomkraftwerk",
    "KKW": "Kernkraftwerk",
    "Pkw": "Personenkraftwagen",
    "PKW": "Personenkraftwagen",
    "Lkw": "Lastkraftwagen",
    "LKW": "Lastkraftwagen",
    "km": "Kilometer",
    "qm": "Quadratmeter",
    "Std": "Stunden",
    "Abg": "Abgeordneter",
    "Reg": "Regierung",
}

# Number words and the scales that multiply the number before them; keys are folded (see _fold).
_UNITS = {"ein": 1, "eins": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8}
_UNITS["neun"] = 9
_TEENS = {
    "zehn": 10,
    "elf": 11,
    "zwolf": 12,
    "dreizehn": 13,
    "vierzehn": 14,
    "funfzehn": 15,
    "sechzehn": 16,
    "siebzehn": 17,
    "achtzehn": 18,
    "neunzehn": 19,
}
_TENS = {
    "zwanzig": 20,
    "dreissig": 30,
    "vierzig": 40,
    "funfzig": 50,
    "sechzig": 60,
    "siebzig": 70,
    "achtzig": 80,
    "neunzig": 90,
}
# Written-out forms of the small numbers, for finding "zwölf" from "12" (umlauts as written).
_WORDS_OF = {
    float(value): word
    for word, value in {
        "zwei": 2,
        "drei": 3,
        "vier": 4,
        "fünf": 5,
        "sechs": 6,
        "sieben": 7,
        "acht": 8,
        "neun": 9,
        "zehn": 10,
        "elf": 11,
        "zwölf": 12,
        "zwanzig": 20,
        "dreißig": 30,
        "vierzig": 40,
        "fünfzig": 50,
        "hundert": 100,
        "tausend": 1000,
    }.items()
}
_ARTICLE_ONE = frozenset({"ein", "eine", "einer", "einem", "einen", "eines"})
SCALES = {
    "tausend": 1e3,
    "tsd": 1e3,
    "million": 1e6,
    "millionen": 1e6,
    "mio": 1e6,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "mrd": 1e9,
    "billion": 1e12,
    "billionen": 1e12,
    "bio": 1e12,
}
UNITS = {"€": "euro", "euro": "euro", "eur": "euro", "%": "prozent", "prozent": "prozent", "$": "dollar"}
UNITS.update({"dollar": "dollar", "usd": "dollar", "prozentpunkte": "prozentpunkt", "prozentpunkt": "prozentpunkt"})

# The last part of a compound tells what it is ("Radwege|bau" is a Bau); folded, longest first when split.
# Our own list of the heads German news builds its compounds with.
COMPOUND_HEADS = sorted(
    """
    bau ausbau abbau neubau umbau weg wege plan plane platz platze zahl zahlen geld gelder steuer steuern
    preis preise kosten haus hauser amt amter schule schulen stadt stadte land lander bank banken chef chefin
    chefs minister ministerin meister meisterin meisterinnen rat rate wahl wahlen gesetz recht rechte
    versicherung verkehr unfall unfalle energie energien strom gas wasser miete mieten markt quote rate zins
    zinsen lohn lohne rente renten haushalt netz projekt projekte programm gipfel krieg polizei kraft werk
    werke stelle stellen zeit zeiten tag tage woche wochen monat gebiet gebiete anlage anlagen park strasse
    strassen bahn linie linien hilfe hilfen schutz politik partei verband gericht urteil prozess fall falle
    grenze grenzen wert werte ziel ziele bericht studie umfrage einnahmen ausgaben schulden defizit
    forderung investition investitionen behorde behorden verwaltung regierung gemeinde kreis bezirk viertel
    zentrum klinik kliniken krankenhaus pflege arzt arzte arztin kinder eltern lehrer lehrerin personal
    beschaftigte arbeit arbeiter arbeitslose wohnung wohnungen flache flachen fahrzeug fahrzeuge auto autos
    verbrauch ausstoss emission emissionen wachstum ruckgang anstieg erhohung senkung kurzung entlastung
    paket fonds mittel budget etat bilanz umsatz gewinn verlust verluste handel export exporte import
    """.split(),
    key=len,
    reverse=True,
)

# Places anywhere in a text (folded); other places are found after "in", "aus" and "nach".
GAZETTEER = frozenset(
    """
    deutschland österreich schweiz frankreich italien spanien polen tschechien niederlande belgien dänemark
    schweden norwegen finnland großbritannien england irland portugal griechenland türkei ukraine russland
    belarus ungarn rumänien bulgarien kroatien serbien usa amerika china japan indien brasilien kanada israel
    europa afrika asien
    berlin hamburg münchen köln frankfurt stuttgart düsseldorf leipzig dortmund essen bremen dresden hannover
    nürnberg duisburg bochum wuppertal bielefeld bonn münster mannheim karlsruhe augsburg wiesbaden mainz kiel
    rostock erfurt magdeburg potsdam schwerin saarbrücken freiburg heidelberg regensburg würzburg ulm kassel
    göttingen halle chemnitz aachen braunschweig lübeck oldenburg osnabrück wien zürich paris london brüssel
    rom madrid warschau prag kiew moskau washington peking
    bayern baden-württemberg hessen sachsen sachsen-anhalt thüringen brandenburg niedersachsen
    nordrhein-westfalen rheinland-pfalz saarland schleswig-holstein mecklenburg-vorpommern
    """.split()
)
_PLACE_PREPOSITIONS = frozenset({"in", "aus", "nach"})
_PLACE_PREFIXES = frozenset({"bad", "sankt", "st", "neu", "groß", "klein", "ober", "nieder", "alt"})
# Capitalised words after "in"/"aus"/"nach" that are not places.
_NOT_PLACES = frozenset(
    """
    höhe zukunft kraft betrieb angaben ansicht sicht summe folge form zeit teilen bezug richtung frage
    gefahr sorge kürze weise grunde rahmen ordnung hinblick anbetracht verbindung prozent euro zahlen
    zusammenarbeit abstimmung absprache schulen kitas deutschen fragen anspruch zusammenhang kauf
    januar februar märz april mai juni juli august september oktober november dezember
    """.split()
)


def _fold(word: str) -> str:
    """Lower case, umlauts and ß folded: the key for number words, scales and compound heads."""
    word = word.casefold().replace("ß", "ss")
    return word.replace("ä", "a").replace("ö", "o").replace("ü", "u")


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball stem, kept for the words seen last: comparing fifty candidate claims stems some three
    hundred words, most of them seen before, and the pure-Python stemmer took half of "already checked?"."""
    return _STEMMER.stemWord(word.casefold())


def _below_hundred(word: str) -> int | None:
    if word in _UNITS:
        return _UNITS[word]
    if word in _TEENS:
        return _TEENS[word]
    if word in _TENS:
        return _TENS[word]
    unit, sep, tens = word.partition("und")
    if sep and unit in _UNITS and tens in _TENS:
        return _UNITS[unit] + _TENS[tens]
    return None


def _below_thousand(word: str) -> int | None:
    if not word:
        return None
    head, sep, rest = word.partition("hundert")
    if not sep:
        return _below_hundred(word)
    hundreds = 1 if head in ("", "ein") else _UNITS.get(head)
    if hundreds is None:
        return None
    if not rest:
        return hundreds * 100
    below = _below_hundred(rest)
    return None if below is None else hundreds * 100 + below


def number_word(word: str) -> float | None:
    """The value of a written-out German number: "zwölf" 12, "dreihundertfünfzig" 350, "zweieinhalb" 2.5."""
    folded = _fold(word)
    if folded in ("anderthalb", "eineinhalb"):
        return 1.5
    if folded.endswith("einhalb") and folded[: -len("einhalb")] in _UNITS:
        return _UNITS[folded[: -len("einhalb")]] + 0.5
    head, sep, rest = folded.partition("tausend")
    if sep:
        thousands = 1 if head in ("", "ein") else _below_thousand(head)
        below = _below_thousand(rest) if rest else 0
        if thousands is None or below is None:
            return None
        return float(thousands * 1000 + below)
    value = _below_thousand(folded)
    return None if value is None or folded == "ein" else float(value)


def parse_number(text: str) -> float:
    """A number as German text writes it: 12.000.000, 12,4, 12 000 (narrow space), 4.5 (English decimal)."""
    if re.fullmatch(r"\d+\.\d{1,2}", text):
        return float(text)
    return float(re.sub(_GROUP, "", text).replace(",", "."))


def format_number(value: float) -> str:
    """The canonical spelling of a value, the same however it was written: 12000000, 4.5."""
    if abs(value - round(value)) < 1e-9:
        return str(int(round(value)))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def split_compound(word: str) -> tuple[str, str] | None:
    """(modifier, head) of a compound, by the heads German news builds with: "Radwegebau" ("radwege", "bau")."""
    folded = _fold(word)
    if len(folded) < 6:
        return None
    for head in COMPOUND_HEADS:
        if folded.endswith(head) and len(folded) - len(head) >= 3:
            return folded[: -len(head)], head
    return None


@dataclass(frozen=True)
class Fact:
    """A number, year or place of a text: the canonical value and the words it was written as."""

    kind: str  # "number", "year" or "place"
    value: str
    text: str


@dataclass
class Profile:
    """What a text says, for comparing: weighted terms and the facts that must agree."""

    terms: dict[str, float] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    # The words to look for in the database, grouped by the concept they stand for (surface forms;
    # the database stems them itself).
    concepts: list[tuple[str, ...]] = field(default_factory=list)

    def add_term(self, term: str, weight: float) -> None:
        if term and weight > self.terms.get(term, 0.0):
            self.terms[term] = weight

    def of_kind(self, kind: str) -> list[Fact]:
        return [fact for fact in self.facts if fact.kind == kind]

    @property
    def weight(self) -> float:
        return sum(self.terms.values()) + sum(_FACT_WEIGHT[fact.kind] for fact in self.facts if fact.kind != "place")


_FACT_WEIGHT = {"number": 1.5, "year": 1.0, "place": 0.0}  # a place is weighed as a term


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text[:MAX_TEXT]).replace("\u00ad", "")
    return text


def _tokens(text: str) -> list[tuple[str, str, int, int]]:
    """(kind, token, start, end) of each number, word and unit symbol of the cleaned text."""
    return [(m.lastgroup or "word", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@functools.lru_cache(maxsize=4096)
def profile(text: str) -> Profile:
    """Terms, facts and concepts of a statement or quote (the first MAX_TEXT characters).

    Kept for the texts seen last (claims are compared again and again); treat the result as read-only.
    """
    result = Profile()
    text = _clean(text)
    tokens = _tokens(text)
    index = 0
    previous_folded = ""
    while index < len(tokens):
        kind, token = tokens[index][:2]
        folded = _fold(token)
        value: float | None = None
        if kind == "number":
            value = parse_number(token)
        elif kind == "word" and folded in _ARTICLE_ONE and index + 1 < len(tokens):
            # "eine Million": the article counts only before a scale.
            if _fold(tokens[index + 1][1]) in SCALES:
                value = 1.0
        elif kind == "word":
            value = number_word(token)
        if value is not None:
            index = _read_number(result, text, tokens, index, value)
            previous_folded = ""
            continue
        if kind == "symbol":
            result.add_term(UNITS[token], 0.5)
        elif folded in SCALES:
            result.add_term(stem(token), 0.5)  # a scale without a number before it: just a word
        else:
            _read_word(result, token, previous_folded, tokens[index + 1][1] if index + 1 < len(tokens) else "")
        previous_folded = token.casefold()
        index += 1
    return result


def _read_number(result: Profile, text: str, tokens: list[tuple[str, str, int, int]], index: int, value: float) -> int:
    """Read a number with its scale and unit from tokens[index]; add the fact; return the next index."""
    kind, token = tokens[index][:2]
    grouped = kind == "number" and not token.isdigit()
    following = index + 1
    scaled = False
    if following < len(tokens) and _fold(tokens[following][1]) in SCALES:
        value *= SCALES[_fold(tokens[following][1])]
        following += 1
        scaled = True
    unit = ""
    if following < len(tokens) and _fold(tokens[following][1]) in UNITS:
        unit = UNITS[_fold(tokens[following][1])]
        following += 1
    if unit:
        result.add_term(unit, 0.5)
    is_year = (
        kind == "number" and token.isdigit() and len(token) == 4 and 1900 <= value <= 2099 and not (scaled or unit)
    )
    canonical = format_number(value)
    as_written = text[tokens[index][2] : tokens[following - 1][3]]
    result.facts.append(Fact("year" if is_year else "number", canonical, as_written))
    # The ways another text may write it, for finding it in the database: "12 Mio." as "zwölf Millionen".
    scale = next((scale for scale in (1e12, 1e9, 1e6) if value >= scale), 1.0)
    mantissa = value / scale
    variants = {token, canonical, format_number(mantissa), _WORDS_OF.get(mantissa, "")}
    if canonical.isdigit() and len(canonical) > 3:
        variants.add(f"{int(canonical):,}".replace(",", "."))  # 1.200.000, as German texts group it
    if grouped or scaled:
        variants.add(re.split(r"[.,\s\u00a0\u202f\u2009']", token)[0])
    result.concepts.append(tuple(sorted(v for v in variants if v)))
    return following


def _read_word(result: Profile, token: str, previous: str, following: str, *, concept: bool = True) -> None:
    if token in ABBREVIATIONS:
        for _kind, word, _s, _e in _tokens(ABBREVIATIONS[token]):
            if word.casefold() not in STOP_WORDS:
                _read_word(result, word, "", "", concept=False)
        # One concept: the abbreviation, or its words in a row.
        result.concepts.append((token, ABBREVIATIONS[token]))
        return
    lowered = token.casefold()
    if lowered in STOP_WORDS:
        return
    if previous in _PLACE_PREPOSITIONS or lowered in GAZETTEER:
        place = _place(token, following)
        if place:
            result.facts.append(Fact("place", place, token))
    parts = re.split(r"[-\u2010\u2011]", token)
    alternatives = [token]
    for part in parts if len(parts) > 1 else []:
        if part.casefold() not in STOP_WORDS:
            result.add_term(stem(part), 0.5)
            alternatives.append(part)
    word_stem = stem(token.replace("-", "").replace("\u2010", "").replace("\u2011", ""))
    split = split_compound(parts[-1])
    if split:
        # A compound weighs as much as its parts together: "Radwegebau" says what "Ausbau der Radwege" says.
        modifier, head = split
        result.add_term(word_stem, 0.5)
        result.add_term(stem(modifier), 0.5)
        result.add_term(stem(head), 0.5)
        alternatives += [modifier, head]
    else:
        result.add_term(word_stem, 1.0 if len(word_stem) >= 4 else 0.5)
    if concept:
        result.concepts.append(tuple(dict.fromkeys(alternatives)))


def _place(token: str, following: str) -> str:
    lowered = token.casefold()
    if lowered in GAZETTEER:
        return lowered
    if not token[:1].isupper() or lowered in _NOT_PLACES:
        return ""
    if lowered in _PLACE_PREFIXES and following[:1].isupper():
        return f"{lowered} {following.casefold()}"
    return lowered


# --- Comparing ---------------------------------------------------------------------

CONFLICT_FACTOR = 0.35  # a claim with another number, year or place keeps a third of its score per kind


@dataclass(frozen=True)
class Difference:
    kind: str  # "number", "year" or "place"
    ours: tuple[str, ...]  # as written in the query
    theirs: tuple[str, ...]  # as written in the candidate


@dataclass(frozen=True)
class Match:
    score: float
    differences: tuple[Difference, ...] = ()


def _term_match(term: str, terms: dict[str, float]) -> float:
    """How much of a term the other side has: the same stem, or one stem the start of the other."""
    if term in terms:
        return terms[term]
    best = 0.0
    for other, weight in terms.items():
        shorter, longer = (term, other) if len(term) <= len(other) else (other, term)
        if len(shorter) >= 4 and len(longer) - len(shorter) <= 3 and longer.startswith(shorter):
            best = max(best, 0.8 * weight)
    return best


def compare(query: Profile, candidate: Profile) -> Match:
    """How well candidate says what query says, 0..1, and where their numbers, years or places differ."""
    total_q, total_c = query.weight, candidate.weight
    if not total_q or not total_c:
        return Match(0.0)
    shared = sum(min(weight, _term_match(term, candidate.terms)) for term, weight in query.terms.items())
    differences = []
    for kind in ("number", "year", "place"):
        ours, theirs = query.of_kind(kind), candidate.of_kind(kind)
        if kind == "place":
            same = {f.value for f in ours} & {f.value for f in theirs}
            matched_ours = [f for f in ours if f.value in same]
        else:
            matched_ours = [f for f in ours if f.value in {t.value for t in theirs}]
            shared += _FACT_WEIGHT[kind] * len({f.value for f in matched_ours})
        if ours and theirs and not matched_ours:
            differences.append(
                Difference(
                    kind,
                    tuple(dict.fromkeys(f.text for f in ours)),
                    tuple(dict.fromkeys(f.text for f in theirs)),
                )
            )
    # Mostly: does the candidate say all that the query says; a little: does it say much else.
    score = min(1.0, (2 * shared / total_q + shared / total_c) / 3)
    score *= CONFLICT_FACTOR ** len(differences)
    return Match(round(score, 3), tuple(differences))


def best_match(query: Profile, texts: list[str]) -> Match:
    """The best comparison of query with any of the texts (a claim's statement or its quote)."""
    matches = [compare(query, profile(text)) for text in texts if text]
    return max(matches, key=lambda match: match.score, default=Match(0.0))
