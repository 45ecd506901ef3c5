"""Generated German news text for load tests: articles with claim-like sentences. Pure Python: no Django.

Every sentence is built from parts, so a million claims do not repeat one text, and the texts have
what real articles have: umlauts and ß, „typographic quotes“, dashes, non-breaking spaces between
numbers and units, and cells that begin with a minus or a plus (the CSV export must neutralise them).
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

NBSP = "\u00a0"

PLACES = [
    "Kleinbach",
    "Weidenau",
    "Eschental",
    "Mühlhausen am See",
    "Großröhrsdorf",
    "Bad Sülzhain",
    "Überlingen-Nord",
    "Düsterwald",
    "Königsbrück",
    "Straßfurt",
    "Lößnitzgrund",
    "Oberjöhlingen",
    "Fürstenhöhe",
    "Schönfließ",
]
# (genitive, name): "Nach Angaben des Kreistags", claimant "Kreistag"
BODIES = [
    ("des Gemeinderats", "Gemeinderat"),
    ("des Kreistags", "Kreistag"),
    ("des Landesamts für Statistik", "Landesamt für Statistik"),
    ("der Stadtwerke", "Stadtwerke"),
    ("des Umweltamts", "Umweltamt"),
    ("der Industrie- und Handelskammer", "Industrie- und Handelskammer"),
    ("des Landesrechnungshofs", "Landesrechnungshof"),
    ("des Gesundheitsamts", "Gesundheitsamt"),
    ("der Verbraucherzentrale", "Verbraucherzentrale"),
    ("des Bundes der Steuerzahler", "Bund der Steuerzahler"),
    ("der Agentur für Arbeit", "Agentur für Arbeit"),
    ("des Statistischen Bundesamts", "Statistisches Bundesamt"),
]
PEOPLE = [
    "Bürgermeisterin Anja Weißgerber",
    "Landrat Jürgen Häußler",
    "Stadträtin Özlem Kaya",
    "Kämmerer Björn Süß",
    "Dezernentin Dr. Gülay Brückner",
    "Fraktionschef Malte Übelhör",
    "Sprecherin Petra Lindqvist",
    "Amtsleiter Klaus-Dieter Rößler",
    "Ministerin Henrike Jäger-Groß",
    "Verbandschef Sören Möller",
]
# (phrase, short form, plural?)
TOPICS = [
    ("die Ausgaben für Schulen", "Schulausgaben", True),
    ("die Zahl der Kita-Plätze", "Kita-Plätze", False),
    ("die Mieten in der Innenstadt", "Innenstadtmieten", True),
    ("der Grundwasserspiegel", "Grundwasserspiegel", False),
    ("die Zahl der Fahrgäste im Nahverkehr", "Fahrgastzahlen", False),
    ("die Gewerbesteuereinnahmen", "Gewerbesteuer", True),
    ("die Zahl der Verkehrsunfälle", "Verkehrsunfälle", False),
    ("der Stromverbrauch der Straßenbeleuchtung", "Stromverbrauch Beleuchtung", False),
    ("die Wartezeit auf einen Termin im Bürgeramt", "Wartezeit Bürgeramt", False),
    ("die Zahl der Übernachtungen", "Übernachtungen", False),
    ("die Länge der Radwege", "Radwege", False),
    ("der Anteil erneuerbarer Energien", "Erneuerbare", False),
]
# (singular, plural)
VERBS_UP = [("stieg", "stiegen"), ("wuchs", "wuchsen"), ("kletterte", "kletterten"), ("legte", "legten")]
VERBS_DOWN = [("sank", "sanken"), ("fiel", "fielen"), ("schrumpfte", "schrumpften"), ("ging", "gingen")]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November"]
FILLERS = [
    "Die Sitzung dauerte bis in den späten Abend.",
    "Zuschauer verfolgten die Debatte von der vollbesetzten Empore aus.",
    "Eine endgültige Entscheidung soll im Frühjahr fallen.",
    "Die Opposition kündigte an, das Thema erneut auf die Tagesordnung zu setzen.",
    "Anwohner hatten zuvor Unterschriften gesammelt – mehr als 2.000 in drei Wochen.",
    "Die Verwaltung verwies auf den Haushaltsplan, der im Internet einsehbar ist.",
    "Kritiker sprechen von einem „Rechentrick“, die Verwaltung widerspricht.",
]
SOURCES = ["dpa", "epd", "KNA", "Weidenauer Tageblatt", "Eschentaler Bote", "Radio Kleinbach", "AFP"]


@dataclass(frozen=True)
class GeneratedClaim:
    start: int
    end: int
    statement: str
    claimant: str


@dataclass(frozen=True)
class GeneratedArticle:
    title: str
    body: str
    source: str
    author: str
    published_on: datetime.date
    precision: str
    claims: list[GeneratedClaim]


def _number(rng: random.Random) -> str:
    value = rng.randint(11, 999) / 10
    return f"{value:.1f}".replace(".", ",")


def _claim_sentence(rng: random.Random, place: str) -> tuple[str, str, str]:
    """(sentence, statement, claimant)."""
    topic, short, plural = rng.choice(TOPICS)
    year = rng.randint(2015, 2026)
    up = rng.random() < 0.6
    percent = _number(rng)
    kind = rng.randrange(4)
    if kind == 0:
        genitive, body = rng.choice(BODIES)
        verb = rng.choice(VERBS_UP if up else VERBS_DOWN)[plural]
        particle = {"legte": " zu", "legten": " zu", "ging": " zurück", "gingen": " zurück"}.get(verb, "")
        sentence = (
            f"Nach Angaben {genitive} {verb} {topic} in {place} im Jahr {year} um {percent}{NBSP}Prozent{particle}."
        )
        return sentence, f"{'+' if up else '-'}{percent} % {short} ({year})", body
    if kind == 1:
        person = rng.choice(PEOPLE)
        amount = _number(rng)
        sentence = f"{person} sagte: „Wir investieren {amount}{NBSP}Millionen Euro – so viel wie nie zuvor.“"
        return sentence, f"Rekordinvestition von {amount} Mio. Euro", person
    if kind == 2:
        month = rng.choice(MONTHS)
        count = rng.randint(120, 98_000)
        sentence = (
            f"Seit {month} {year} zählte die Stadt {count:,}".replace(",", ".")
            + f" Fälle; {topic} {'seien' if plural else 'sei'} „deutlich gestiegen“."
        )
        return sentence, f"{count} Fälle seit {month} {year}", f"Stadtverwaltung {place}"
    person = rng.choice(PEOPLE)
    verb, side = ("liegen" if plural else "liege"), ("über" if up else "unter")
    sentence = f"{topic[0].upper()}{topic[1:]} {verb} {side} dem Landesdurchschnitt, erklärte {person}."
    return sentence, f"{short} {'über' if up else 'unter'} Landesschnitt", person


def article(rng: random.Random, claims: int) -> GeneratedArticle:
    """An article with `claims` claim sentences among filler sentences; claims point at their sentences."""
    place = rng.choice(PLACES)
    source = rng.choice(SOURCES)
    headline = rng.choice(["Streit um Zahlen", "neue Bilanz", "Rat entscheidet", "Kritik wächst"])
    title = f"{place}: {rng.choice(TOPICS)[1]} – {headline}"
    parts: list[str] = [f"{place} ({source}) – "]
    offset = len(parts[0])
    spans: list[GeneratedClaim] = []
    for index in range(claims):
        sentence, statement, claimant = _claim_sentence(rng, place)
        spans.append(GeneratedClaim(offset, offset + len(sentence), statement, claimant))
        parts.append(sentence)
        offset += len(sentence)
        gap = "\n\n" if index % 3 == 2 else " "
        if rng.random() < 0.3:
            gap = " " + rng.choice(FILLERS) + gap
        parts.append(gap)
        offset += len(gap)
    parts.append(rng.choice(FILLERS))
    published = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(2500))
    # The time of the last update, as online news print it: with the place, source and sentences it keeps
    # even articles without claims apart (the content hash of an article is unique).
    minute = rng.randrange(24 * 60)
    parts.append(f"\n\nStand: {published:%d.%m.%Y}, {minute // 60:02d}:{minute % 60:02d}{NBSP}Uhr")
    precision = rng.choices(["day", "month", "year"], weights=[8, 1, 1])[0]
    if precision == "month":
        published = published.replace(day=1)
    elif precision == "year":
        published = published.replace(month=1, day=1)
    author = rng.choice(["Lena Strauß", "Tobias Krüger", "Ayşe Demir", "Jörg Weiß", ""])
    return GeneratedArticle(title, "".join(parts), source, author, published, precision, spans)


def source_url(rng: random.Random, number: int) -> tuple[str, str, str]:
    """(url, title, publisher) of a generated source; the number keeps URLs unique."""
    publisher = rng.choice(["Statistisches Landesamt", "Stadt Weidenau", "Kreis Eschental", "Bundesanstalt für Wasser"])
    slug = rng.choice(["haushalt", "statistik", "pressemitteilung", "sitzungsprotokoll", "datensatz"])
    return (
        f"https://quellen.example.org/{slug}/{number}",
        f"{slug.capitalize()} Nr. {number} – {publisher}",
        publisher,
    )
