"""Demo data for a first look at the app: our own invented German articles.

The towns, people and figures are made up; the source URLs point to example.org.
Each claim names its quote; the offsets are found in the text, so editing a text
here never leaves a claim pointing at the wrong words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NBSP = "\u00a0"

DEMO_PASSWORD = "demo-passwort-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    group: str | None
    is_superuser: bool = False


DEMO_USERS = [
    DemoUser("redaktion", "Rieke", "Redakteurin", "Editor"),
    DemoUser("doku", "Dario", "Dokumentar", "Fact-checker"),
    DemoUser("doku2", "Dilara", "Dokumentarin", "Fact-checker"),
    DemoUser("cvd", "Clara", "Chefin vom Dienst", "Chief editor"),
    DemoUser("admin", "Anton", "Admin", None, is_superuser=True),
]


@dataclass(frozen=True)
class DemoEvidence:
    url: str
    title: str
    publisher: str
    kind: str
    stance: str
    excerpt: str


@dataclass(frozen=True)
class DemoClaim:
    quote: str
    statement: str
    claimant: str
    # The path through the workflow: a list of (status, comment, username).
    steps: list[tuple[str, str, str]] = field(default_factory=list)
    evidence: list[DemoEvidence] = field(default_factory=list)
    created_by: str = "redaktion"


@dataclass(frozen=True)
class DemoArticle:
    title: str
    source: str
    author: str
    published: str
    precision: str
    body: str
    claims: list[DemoClaim]


TRAM = DemoArticle(
    title="Stadtrat von Weidenau beschließt Verlängerung der Straßenbahnlinie 4",
    source="Weidenauer Tageblatt",
    author="Jana Körber",
    published="2026-10-14",
    precision="day",
    body=(
        "Der Stadtrat von Weidenau hat am Dienstagabend mit 31 zu 12 Stimmen die Verlängerung "
        "der Straßenbahnlinie 4 bis zum neuen Wohngebiet „Am Mühlbach“ beschlossen. Die Strecke "
        f"soll 3,8{NBSP}Kilometer lang werden und sechs neue Haltestellen erhalten.\n\n"
        "Oberbürgermeisterin Petra Lindqvist sprach von einem „Meilenstein für die Verkehrswende“. "
        f"Die Baukosten bezifferte sie auf 84{NBSP}Millionen Euro – davon übernehme der Bund "
        "nach dem Gemeindeverkehrsfinanzierungsgesetz rund drei Viertel.\n\n"
        "Die Opposition kritisierte den Zeitplan. „Vor 2031 fährt dort keine einzige Bahn“, sagte "
        "der Fraktionsvorsitzende Malte Übelhör. Die Stadtwerke rechnen dagegen mit einer "
        "Inbetriebnahme im Herbst 2029. Nach ihren Angaben nutzen schon heute täglich rund "
        "46.000 Fahrgäste die Linie 4; sie sei damit die am stärksten ausgelastete Linie der Stadt."
    ),
    claims=[
        DemoClaim(
            quote="mit 31 zu 12 Stimmen die Verlängerung der Straßenbahnlinie 4",
            statement="Stadtrat stimmte mit 31 zu 12 für die Verlängerung",
            claimant="Weidenauer Tageblatt",
            steps=[("in_review", "", "doku"), ("verified", "Protokoll der Sitzung bestätigt das Ergebnis.", "doku")],
            evidence=[
                DemoEvidence(
                    url="https://ratsinfo.weidenau.example.org/sitzung/2026-10-13/protokoll",
                    title="Niederschrift der Ratssitzung vom 13. Oktober 2026",
                    publisher="Stadt Weidenau",
                    kind="official",
                    stance="supports",
                    excerpt="Abstimmungsergebnis TOP 7: 31 Ja-Stimmen, 12 Nein-Stimmen, 2 Enthaltungen.",
                )
            ],
        ),
        DemoClaim(
            quote=f"auf 84{NBSP}Millionen Euro",
            statement=f"Baukosten: 84{NBSP}Millionen Euro",
            claimant="Petra Lindqvist",
            steps=[("in_review", "", "doku2")],
        ),
        DemoClaim(
            quote="davon übernehme der Bund nach dem Gemeindeverkehrsfinanzierungsgesetz rund drei Viertel",
            statement="Bund trägt rund drei Viertel der Kosten",
            claimant="Petra Lindqvist",
            steps=[
                ("in_review", "", "doku"),
                ("disputed", "Die Förderquote liegt laut Bescheid bei 60 Prozent, nicht bei drei Vierteln.", "doku"),
            ],
            evidence=[
                DemoEvidence(
                    url="https://foerderung.example.org/bescheide/weidenau-linie-4",
                    title="Zuwendungsbescheid Stadtbahn Weidenau, Linie 4",
                    publisher="Landesamt für Verkehrsförderung",
                    kind="document",
                    stance="refutes",
                    excerpt="Die zuwendungsfähigen Kosten werden zu 60 vom Hundert gefördert.",
                )
            ],
        ),
        DemoClaim(
            quote="„Vor 2031 fährt dort keine einzige Bahn“",
            statement="Erste Bahn nicht vor 2031",
            claimant="Malte Übelhör",
            steps=[
                ("in_review", "", "doku2"),
                ("unverifiable", "Eine Prognose; belastbare Angaben gibt es erst nach der Ausschreibung.", "doku2"),
            ],
        ),
        DemoClaim(
            quote="täglich rund 46.000 Fahrgäste",
            statement="46.000 Fahrgäste täglich auf der Linie 4",
            claimant="Stadtwerke Weidenau",
        ),
        DemoClaim(
            quote="die am stärksten ausgelastete Linie der Stadt",
            statement="Linie 4 ist die meistgenutzte Linie",
            claimant="Stadtwerke Weidenau",
        ),
    ],
)

DROUGHT = DemoArticle(
    title="Trockener Sommer: Grundwasser im Kreis Eschental auf Tiefststand",
    source="dpa-Regionaldienst (Demo)",
    author="",
    published="2026-09",
    precision="month",
    body=(
        "Nach dem dritten zu trockenen Sommer in Folge ist der Grundwasserspiegel im Kreis "
        "Eschental so niedrig wie seit Beginn der Messungen 1971 nicht mehr. Das teilte das "
        "Umweltamt des Kreises mit. An 17 von 23 Messstellen lägen die Werte unter dem "
        "langjährigen Mittel.\n\n"
        f"Landrat Hubertus Große-Wöstmann rief die Bürgerinnen und Bürger zum Wassersparen auf: "
        f"„Jeder Liter zählt.“ Das Befüllen privater Pools ist seit dem 1.{NBSP}August "
        "untersagt; wer dagegen verstößt, muss mit einem Bußgeld von bis zu 50.000 Euro rechnen.\n\n"
        "Landwirte in der Region beklagen Ernteausfälle von bis zu 40 Prozent beim Mais. "
        "Der Bauernverband fordert Soforthilfen des Landes."
    ),
    claims=[
        DemoClaim(
            quote="so niedrig wie seit Beginn der Messungen 1971 nicht mehr",
            statement="Grundwasser so niedrig wie nie seit 1971",
            claimant="Umweltamt Kreis Eschental",
            steps=[("in_review", "", "doku"), ("verified", "Messreihe des Umweltamts geprüft.", "doku")],
            evidence=[
                DemoEvidence(
                    url="https://umwelt.eschental.example.org/grundwasser/messreihen?utm_source=newsletter",
                    title="Grundwassermessstellen – Jahresreihen seit 1971",
                    publisher="Kreis Eschental, Umweltamt",
                    kind="dataset",
                    stance="supports",
                    excerpt="Niedrigster Stand der Messreihe im September 2026 an 17 Messstellen.",
                ),
                DemoEvidence(
                    url="https://www.example.org/klima/trockenheit-2026",
                    title="Die Dürre in Zahlen",
                    publisher="Beispiel-Zeitung",
                    kind="media",
                    stance="context",
                    excerpt="Seit 2018 waren sechs von neun Sommern zu trocken.",
                ),
            ],
        ),
        DemoClaim(
            quote="An 17 von 23 Messstellen",
            statement="17 von 23 Messstellen unter dem Mittel",
            claimant="Umweltamt Kreis Eschental",
            steps=[("in_review", "", "doku")],
        ),
        DemoClaim(
            quote="mit einem Bußgeld von bis zu 50.000 Euro",
            statement="Bußgeld bis 50.000 Euro fürs Poolbefüllen",
            claimant="Kreisverwaltung",
        ),
        DemoClaim(
            quote="Ernteausfälle von bis zu 40 Prozent beim Mais",
            statement="Bis zu 40 Prozent Ernteausfall beim Mais",
            claimant="Landwirte der Region",
        ),
    ],
)

LIBRARY = DemoArticle(
    title="Stadtbibliothek öffnet sonntags – Modellversuch in drei Städten",
    source="Kulturspiegel Nord (Demo)",
    author="Ömer Şahin",
    published="2026",
    precision="year",
    body=(
        "Drei Stadtbibliotheken im Land dürfen künftig auch sonntags öffnen. Möglich macht das "
        "eine Ausnahme im Ladenöffnungsgesetz, die der Landtag im Frühjahr beschlossen hat.\n\n"
        "In Lindhafen kamen am ersten Sonntag 2.300 Besucherinnen und Besucher – mehr als an "
        "jedem Werktag der vergangenen zwölf Monate. Die Kosten für das zusätzliche Personal "
        "trägt für zwei Jahre das Kulturministerium."
    ),
    claims=[
        DemoClaim(
            quote="mehr als an jedem Werktag der vergangenen zwölf Monate",
            statement="Erster Sonntag besucherstärker als jeder Werktag des Jahres",
            claimant="Stadtbibliothek Lindhafen",
        ),
    ],
)

DEMO_ARTICLES = [TRAM, DROUGHT, LIBRARY]
