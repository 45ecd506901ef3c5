"""Paraphrase pairs for measuring "already checked?": our own writing, in the German reporters write.

Each case is a claim as stored (`stored`), the same claim as another reporter writes it (`query`: other word
order, inflection, compounds, numbers written differently, abbreviations, indirect speech), and near misses
(`near`): the same words with another number, year or place, which must rank below the stored claim.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    query: str
    stored: str
    near: tuple[str, ...] = ()


CASES: tuple[Case, ...] = (
    Case(
        "Die Stadt investiert 12 Mio. € in den Radwegebau",
        "Zwölf Millionen Euro fließen in den Ausbau der Radwege der Stadt",
        ("Die Stadt investiert 15 Mio. € in den Radwegebau",),
    ),
    Case(
        "Für neue Busspuren gibt die Stadt 8.000.000 Euro aus",
        "Die Stadt investiert acht Mio. Euro in Busspuren",
    ),
    Case(
        "Die EZB hebt den Leitzins auf 4,5 Prozent an",
        "Europäische Zentralbank erhöht den Leitzins auf 4,5 %",
        ("Die EZB hebt den Leitzins auf 4,25 Prozent an",),
    ),
    Case(
        "Die Zahl der Verkehrsunfälle in Kleinbach stieg 2023 um fünf Prozent",
        "In Kleinbach gab es 2023 fünf Prozent mehr Unfälle im Verkehr",
        (
            "Die Zahl der Verkehrsunfälle in Weidenau stieg 2023 um fünf Prozent",
            "Die Zahl der Verkehrsunfälle in Kleinbach stieg 2022 um fünf Prozent",
        ),
    ),
    Case(
        "Bürgermeisterin Weißgerber sagte, die Stadt habe 3,2 Millionen Euro für Schulen ausgegeben",
        "Die Stadt gab 3,2 Mio. Euro für Schulen aus",
        ("Die Stadt gab 2,3 Mio. Euro für Schulen aus",),
    ),
    Case(
        "Laut Statistischem Bundesamt wuchs das BIP 2024 um 0,3 Prozent",
        "Das Bruttoinlandsprodukt wuchs im Jahr 2024 um 0,3 %, teilte Destatis mit",
        ("Das Bruttoinlandsprodukt wuchs im Jahr 2023 um 0,3 %, teilte Destatis mit",),
    ),
    Case(
        "Die Arbeitslosenquote in Bayern liegt bei 3,7 Prozent",
        "In Bayern sind 3,7 % arbeitslos, die Quote ist bundesweit die niedrigste",
        ("Die Arbeitslosenquote in Sachsen liegt bei 3,7 Prozent",),
    ),
    Case(
        "Zweiter Gipfel der Staats- und Regierungschefs seit dem Einmarsch",
        "Die Regierungschefs treffen sich zum zweiten Gipfel seit dem Einmarsch",
    ),
    Case(
        "Die Mieten in der Innenstadt stiegen seit 2020 um 18 Prozent",
        "Innenstadtmieten seit 2020 um achtzehn Prozent gestiegen",
        ("Die Mieten in der Innenstadt stiegen seit 2015 um 18 Prozent",),
    ),
    Case(
        "Der Landkreis schafft 250 neue Kita-Plätze",
        "250 zusätzliche Plätze in Kindertagesstätten im Landkreis",
        ("Der Landkreis schafft 520 neue Kita-Plätze",),
    ),
    Case(
        "Das Land zahlt eine Milliarde Euro für Krankenhäuser",
        "Eine Mrd. € vom Land für die Krankenhäuser",
        ("Das Land zahlt zwei Milliarden Euro für Krankenhäuser",),
    ),
    Case(
        "Die Gewerbesteuereinnahmen sanken um 7,5 Prozent",
        "Die Einnahmen aus der Gewerbesteuer gingen um 7,5 % zurück",
    ),
    Case(
        "Der Stromverbrauch der Straßenbeleuchtung halbierte sich nach der Umrüstung auf LED",
        "Nach der Umrüstung auf LED braucht die Straßenbeleuchtung nur noch halb so viel Strom",
    ),
    Case(
        "Die Wartezeit auf einen Termin im Bürgeramt beträgt sechs Wochen",
        "Auf einen Bürgeramtstermin wartet man 6 Wochen",
        ("Die Wartezeit auf einen Termin im Bürgeramt beträgt acht Wochen",),
    ),
    Case(
        "Die Bahn will bis 2030 alle Regionalzüge elektrifizieren",
        "Bis 2030 sollen laut Deutscher Bahn sämtliche Regionalzüge elektrisch fahren",
        ("Die Bahn will bis 2035 alle Regionalzüge elektrifizieren",),
    ),
    Case(
        "Die Zahl der Übernachtungen in Eschental stieg auf 1,2 Millionen",
        "Eschental verzeichnete 1.200.000 Übernachtungen",
        ("Die Zahl der Übernachtungen in Königsbrück stieg auf 1,2 Millionen",),
    ),
    Case(
        "Der Kreistag beschloss einen Haushalt von 410 Millionen Euro",
        "Haushalt über 410 Mio. € vom Kreistag beschlossen",
        ("Der Kreistag beschloss einen Haushalt von 401 Millionen Euro",),
    ),
    Case(
        "Die WHO meldet 3.000 neue Fälle in einer Woche",
        "Die Weltgesundheitsorganisation zählte binnen einer Woche dreitausend neue Fälle",
    ),
    Case(
        "Der Grundwasserspiegel sank im Sommer um 40 Zentimeter",
        "Im Sommer fiel der Spiegel des Grundwassers um 40 cm",
    ),
    Case(
        "Die Fahrgastzahlen im Nahverkehr stiegen um zwölf Prozent",
        "Im Nahverkehr fuhren 12 % mehr Fahrgäste",
        ("Die Fahrgastzahlen im Nahverkehr stiegen um zwei Prozent",),
    ),
    Case(
        "Ministerin Jäger-Groß kündigte 500 zusätzliche Lehrerstellen an",
        "500 neue Stellen für Lehrer, kündigte die Ministerin an",
        ("Ministerin Jäger-Groß kündigte 300 zusätzliche Lehrerstellen an",),
    ),
    Case(
        "Der Anteil erneuerbarer Energien am Strom liegt in Hessen bei 52 Prozent",
        "Erneuerbare Energien decken 52 % des Stroms in Hessen",
        ("Der Anteil erneuerbarer Energien am Strom liegt in Thüringen bei 52 Prozent",),
    ),
    Case(
        "Die Sanierung der Brücke kostet 27 Millionen Euro",
        "Brückensanierung für 27 Mio. Euro",
        ("Die Sanierung der Brücke kostet 72 Millionen Euro",),
    ),
    Case(
        "Der IWF senkt seine Wachstumsprognose für Deutschland auf 0,5 Prozent",
        "Internationaler Währungsfonds erwartet für Deutschland nur noch 0,5 % Wachstum",
        ("Der IWF senkt seine Wachstumsprognose für Frankreich auf 0,5 Prozent",),
    ),
    Case(
        "Die Stadtwerke erhöhen den Gaspreis zum 1. Januar um 9 Prozent",
        "Gas wird bei den Stadtwerken ab Januar neun Prozent teurer",
    ),
    Case(
        "In München fehlen 12.000 Wohnungen",
        "Der Stadt München fehlen zwölftausend Wohnungen",
        ("In Hamburg fehlen 12.000 Wohnungen",),
    ),
    Case(
        "Der Rechnungshof rügt Mehrkosten von 4,8 Millionen Euro beim Rathausneubau",
        "Beim Neubau des Rathauses entstanden laut Rechnungshof 4,8 Mio. € Mehrkosten",
    ),
    Case(
        "Die Polizei zählte 2022 in Dresden 350 Fahrraddiebstähle",
        "350 Fahrräder wurden 2022 in Dresden gestohlen, so die Polizei",
        ("Die Polizei zählte 2021 in Dresden 350 Fahrraddiebstähle",),
    ),
    Case(
        "Die Pflegekassen melden ein Defizit von 1,5 Milliarden Euro",
        "Das Defizit der Pflegekasse beträgt anderthalb Milliarden Euro",
    ),
    Case(
        "Das Gericht erklärte die Gebührenerhöhung für rechtswidrig",
        "Die Erhöhung der Gebühren sei rechtswidrig, urteilte das Gericht",
    ),
    Case(
        "Die Zahl der Pkw in Berlin stieg auf 1,25 Millionen",
        "In Berlin sind inzwischen 1.250.000 Personenkraftwagen zugelassen",
        ("Die Zahl der Pkw in Berlin stieg auf 1,52 Millionen",),
    ),
    Case(
        "Die EU stellt der Ukraine 50 Milliarden Euro bereit",
        "50 Mrd. € der Europäischen Union für die Ukraine",
        ("Die EU stellt der Ukraine 5 Milliarden Euro bereit",),
    ),
    Case(
        "Der Landrat sagte, der Kreis spare 2025 zwei Millionen Euro bei der Verwaltung",
        "Der Kreis spart 2025 2 Mio. € Verwaltungskosten",
        ("Der Kreis spart 2026 2 Mio. € Verwaltungskosten",),
    ),
    Case(
        "Jede dritte Schule hat keinen Internetanschluss",
        "Ein Drittel der Schulen ist ohne Anschluss ans Internet",
    ),
    Case(
        "Die Verbraucherzentrale warnt vor Preiserhöhungen bei Fernwärme",
        "Fernwärme wird teurer, warnt die Verbraucherzentrale vor höheren Preisen",
    ),
    Case(
        "Die Feuerwehr rückte 2023 zu 1.830 Einsätzen aus",
        "Eintausendachthundertdreißig Einsätze der Feuerwehr im Jahr 2023",
        ("Die Feuerwehr rückte 2024 zu 1.830 Einsätzen aus",),
    ),
)
