"""Files become clean article text or are refused with a reason. No database."""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Iterator

import docx
import docx.enum.text
import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.lib import documents
from annotations.lib.documents import Limits, Refused

NBSP = "\u00a0"
SHY = "\u00ad"
TEXT = (
    f"Die Bürgerinnen und Bürger von Mühlheim stimmten „mit großer Mehrheit“ für die Straßenbahn – "
    f"ein Projekt über 48{NBSP}Millionen Euro.\n\n"
    f"Der Oberbürgermeister sprach von einer Ent{SHY}scheidung für Generationen. Die Grünen begrüßten das Ergebnis."
)


def parse(name: str, data: bytes, limits: Limits | None = None) -> documents.ParsedDocument:
    return documents.parse_file(name, data, limits or Limits())


def results(name: str, data: bytes, limits: Limits | None = None) -> list[documents.FileResult]:
    return list(documents.iter_documents(name, data, limits or Limits()))


def make_zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_docx(paragraphs: list[str], title: str = "") -> bytes:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.title = title
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- Encodings ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "encoded",
    [
        pytest.param(TEXT.encode("utf-8"), id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(TEXT.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + TEXT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(TEXT.replace(SHY, "").encode("cp1252").replace(b"Ent", b"Ent\xad"), id="windows-1252"),
    ],
)
def test_each_encoding_arrives_as_the_exact_text(encoded):
    assert parse("artikel.txt", encoded).body == TEXT


def test_windows_1252_gruesse_is_never_mojibake():
    data = "„Grüße aus Köln“ – sagte die Bürgermeisterin.".encode("cp1252")
    assert data[:1] == b"\x84"  # a real Windows-1252 file, not valid UTF-8
    body = parse("gruss.txt", data).body
    assert body == "„Grüße aus Köln“ – sagte die Bürgermeisterin."
    assert "Ã" not in body and "\ufffd" not in body


def test_bytes_that_fit_no_encoding_are_refused():
    # 0x81 and 0x8d are undefined in Windows-1252 and invalid UTF-8.
    with pytest.raises(Refused) as error:
        parse("kaputt.txt", b"Stra\x81e und \x8d Weg")
    assert error.value.code == "encoding"


GROESSE = "Die Größe der Fläche: 12\u00a0Hektar.\nDer Bürgermeister sprach von „großen Plänen“ für Köln.\n"


def test_utf8_with_one_invalid_byte_is_refused_with_its_place_not_read_as_windows_1252():
    data = GROESSE.encode("utf-8")
    damaged = data.replace("Plänen".encode(), b"Pl\xe4nen")  # one Latin-1 byte in a UTF-8 file
    with pytest.raises(Refused) as error:
        parse("groesse.txt", damaged)
    assert error.value.code == "utf8"
    offset = damaged.index(b"\xe4")
    column = len("Der Bürgermeister sprach von „großen Pl") + 1
    assert error.value.params == {"line": 2, "column": column, "offset": offset}


def test_utf8_with_a_bom_and_an_invalid_byte_counts_the_bom_in_the_offset():
    damaged = b"\xef\xbb\xbf" + GROESSE.encode("utf-8").replace(b"Gr\xc3\xb6", b"Gr\xc3\xc3")
    with pytest.raises(Refused) as error:
        parse("groesse.txt", damaged)
    assert error.value.code == "utf8"
    assert error.value.params["offset"] == damaged.index(b"\xc3\xc3")
    assert error.value.params["line"] == 1


@pytest.mark.parametrize("cut", [1, 2], ids=["inside-umlaut", "inside-quotation-mark"])
def test_utf8_cut_inside_a_character_is_refused(cut: int):
    data = GROESSE.rstrip("\n").encode("utf-8")
    if cut == 1:
        data = data[: data.rindex("ö".encode()) + 1]  # "…für K" and the first byte of "ö"
    else:
        data = "Er sprach von „großen Plänen“".encode()[:-1]  # two of the three bytes of "“"
    with pytest.raises(Refused) as error:
        parse("abgeschnitten.txt", data)
    assert error.value.code == "utf8_truncated"
    assert error.value.params["offset"] == len(data) - cut


def test_windows_1252_that_ends_in_an_umlaut_is_still_windows_1252():
    assert parse("gruss.txt", "Viele Grüße aus Köln, Ihr Müller".encode("cp1252")).body == (
        "Viele Grüße aus Köln, Ihr Müller"
    )
    assert parse("cafe.txt", "Treffpunkt: das Café".encode("cp1252")).body == "Treffpunkt: das Café"


@pytest.mark.parametrize("where", [10, 5000, 100_000])
def test_a_nul_anywhere_is_refused_with_its_line_never_silently_removed(where: int):
    lines = [f"Zeile {n}: Die Stadt plant eine neue Brücke über den Fluss." for n in range(3000)]
    text = "\n".join(lines)
    index = min(where, len(text) - 1)
    if text[index] == "\n":
        index += 1
    data = (text[:index] + "\x00" + text[index + 1 :]).encode("utf-8")
    with pytest.raises(Refused) as error:
        parse("nul.txt", data)
    if where < 4096:
        assert error.value.code == "binary"  # a NUL at the start: most likely no text file at all
    else:
        assert error.value.code == "nul"
        assert error.value.params == documents.text_position(text, index)
        assert error.value.params["line"] == text.count("\n", 0, index) + 1


def test_a_nul_in_a_web_page_after_the_first_kilobytes_is_refused():
    paragraphs = "".join(f"<p>Absatz {n} über die Brücke von Köln.</p>" for n in range(200))
    html = f"<html><body><article>{paragraphs}<p>Null\x00Zeichen</p></article></body></html>"
    with pytest.raises(Refused) as error:
        parse("seite.html", html.encode("utf-8"))
    assert error.value.code == "nul"


def test_binary_garbage_with_a_text_name_is_refused():
    garbage = bytes(range(256)) * 20
    with pytest.raises(Refused) as error:
        parse(
            "daten.txt",
            garbage.replace(b"\x81", b"")
            .replace(b"\x8d", b"")
            .replace(b"\x8f", b"")
            .replace(b"\x90", b"")
            .replace(b"\x9d", b""),
        )
    assert error.value.code == "binary"


def test_unsupported_types_are_refused_with_their_suffix():
    with pytest.raises(Refused) as error:
        parse("bericht.pdf", b"%PDF-1.7 binary")
    assert error.value.code == "unsupported"
    assert error.value.params == {"suffix": ".pdf"}


# --- Normalisation ------------------------------------------------------------------------


def test_normalisation_nfc_newlines_controls_bom_and_blank_lines():
    decomposed = "Mu\u0308hle"  # ü as u + combining diaeresis
    raw = f"\n\n  \r\n\ufeff{decomposed}\x00 im\x07 Tal\r\nzweite\tZeile\rdritte{NBSP}Zeile mit Ab{SHY}satz\n\n \n"
    assert documents.normalise(raw) == f"Mühle im Tal\nzweite\tZeile\ndritte{NBSP}Zeile mit Ab{SHY}satz"


def test_nbsp_at_the_end_of_a_text_stays():
    assert documents.normalise(f"Preis: 3{NBSP}€{NBSP}") == f"Preis: 3{NBSP}€{NBSP}"


# --- Metadata ----------------------------------------------------------------------------


def test_inline_date_header_runs_into_the_body():
    text = " date 2022-03 Die Ministerinnen der Länder treffen sich in Lübeck. Dort berät man über Häfen."
    document = parse("agentur.txt", text.encode("utf-8"))
    assert document.body == "Die Ministerinnen der Länder treffen sich in Lübeck. Dort berät man über Häfen."
    assert document.published == documents.PublishedDate(datetime.date(2022, 3, 1), "month")
    assert document.published.iso == "2022-03"
    assert document.title == "Die Ministerinnen der Länder treffen sich in Lübeck"


def test_key_value_lines_in_german_and_english_become_metadata():
    text = (
        "Titel: Neue Brücke über die Saale\nQuelle: dpa\nAutorin: Jördis Weiß\nDatum: 24.03.2022\n"
        "URL: https://www.example.org/saale-bruecke\n\nDie Brücke soll 2025 fertig sein."
    )
    document = parse("meldung.md", text.encode("utf-8"))
    assert document.body == "Die Brücke soll 2025 fertig sein."
    assert (document.title, document.source, document.author, document.url) == (
        "Neue Brücke über die Saale",
        "dpa",
        "Jördis Weiß",
        "https://www.example.org/saale-bruecke",
    )
    assert document.published == documents.PublishedDate(datetime.date(2022, 3, 24), "day")


@pytest.mark.parametrize(
    ("value", "iso", "precision"),
    [
        ("2022", "2022", "year"),
        ("2022-03", "2022-03", "month"),
        ("2022-03-24", "2022-03-24", "day"),
        ("24.03.2022", "2022-03-24", "day"),
        ("März 2022", "2022-03", "month"),
        ("24. März 2022", "2022-03-24", "day"),
    ],
)
def test_dates_keep_their_precision(value, iso, precision):
    published = documents.parse_date(value)
    assert (published.iso, published.precision) == (iso, precision)


def test_an_impossible_date_is_not_metadata_and_stays_in_the_body():
    document = parse("x.txt", b"Datum: 31.02.2022\nDer Text beginnt hier.")
    assert document.published is None
    assert document.body == "Datum: 31.02.2022\nDer Text beginnt hier."


def test_a_body_without_metadata_is_unchanged():
    assert documents.split_metadata(TEXT) == ({}, TEXT)


# --- Titles and agencies ------------------------------------------------------------------


def test_title_is_the_first_sentence_without_the_full_stop():
    assert documents.make_title("Am 24. März tagt der Rat. Danach folgt mehr.") == "Am 24. März tagt der Rat"
    assert documents.make_title("Wer zahlt für die Brücke? Niemand weiß es.") == "Wer zahlt für die Brücke?"


def test_a_long_first_sentence_is_shortened_at_a_word_boundary():
    body = "Die " + "außerordentlich " * 20 + "lange Sitzung dauerte bis Mitternacht."
    title = documents.make_title(body)
    assert len(title) <= documents.TITLE_MAX_LENGTH
    assert title.endswith("außerordentlich…")


LONG_LEAD = (
    "Die Verkehrsbetriebe im Landkreis Hollerbach wollen bis zum Sommer des kommenden Jahres sämtliche "
    "Dieselbusse durch Fahrzeuge mit Wasserstoffantrieb ersetzen, wie ein Sprecher am Dienstag mitteilte."
)


def test_a_title_made_from_a_long_lead_is_short_and_ends_on_a_whole_word():
    title = documents.make_title(LONG_LEAD)
    assert len(title) <= documents.TITLE_MAX_LENGTH
    assert title.endswith("…")
    words = title.removesuffix("…").split()
    assert LONG_LEAD.startswith(" ".join(words))
    # Cut after a word that ends a phrase, not after "des" or "zum".
    assert words[-1] not in {"des", "zum", "bis", "die", "und"}


def test_a_title_prefers_the_end_of_a_phrase_to_a_cut_mid_phrase():
    body = (
        "Nach drei Jahren Bauzeit und vielen Verzögerungen, die den Haushalt belasteten, "
        "öffnet die neue Stadthalle von Süderbrück am Freitag ihre Türen."
    )
    title = documents.make_title(body)
    assert title == "Nach drei Jahren Bauzeit und vielen Verzögerungen, die den Haushalt belasteten…"


def test_a_title_never_starts_with_the_agency_dateline():
    body = "Weidenau (dpa) - Der Stadtrat hat den Haushalt beschlossen. Die Opposition stimmte dagegen."
    assert documents.make_title(body) == "Der Stadtrat hat den Haushalt beschlossen"


@pytest.mark.parametrize(
    ("start", "agency"),
    [
        ("Berlin (dpa) - Die Ministerin", "dpa"),
        ("Berlin (dpa) – Die Ministerin", "dpa"),
        ("Hamburg (dpa/lno) - Im Hafen", "dpa"),
        ("Frankfurt/Main (dpa-AFX) - Der Leitindex", "dpa-AFX"),
        ("BRÜSSEL, 24. März (Reuters) - Die Kommission", "Reuters"),
        ("Paris (AFP) - Die Regierung", "AFP"),
        ("Genf (AFP/dpa) - Die Organisation", "AFP/dpa"),
        ("Hannover (epd). Die Landeskirche", "epd"),
        ("Bonn (KNA) Die Bischofskonferenz", "KNA"),
        ("Washington (AP) — Der Senat", "AP"),
        ("(dpa) Der Wetterdienst warnt", "dpa"),
    ],
)
def test_the_agency_of_a_dateline_is_recognised(start, agency):
    assert documents.dateline_agency(start + " vor Sturm.") == agency


@pytest.mark.parametrize(
    "start",
    [
        "Olaf Scholz (SPD) sagte am Montag",  # a party, not an agency
        "Die Stadt (rund 40.000 Einwohner) - so der Bericht",
        "Der Text nennt die dpa erst später (dpa) - hier",
        "Kein Klammerausdruck am Anfang",
        "",
    ],
)
def test_brackets_that_are_no_dateline_name_no_agency(start):
    assert documents.dateline_agency(start) == ""


def test_the_agency_becomes_the_source_where_the_text_names_it():
    document = parse("meldung.txt", "Kleinbach (epd) - Die Diakonie eröffnet eine Tafel.".encode())
    assert (document.source, document.title, document.title_generated) == (
        "epd",
        "Die Diakonie eröffnet eine Tafel",
        True,
    )
    # The body keeps the dateline: it is what the agency wrote, and claims may quote it.
    assert document.body.startswith("Kleinbach (epd) - ")


def test_metadata_naming_an_agency_gives_its_usual_name_and_wins_over_the_dateline():
    text = "Quelle: Deutsche Presse-Agentur\n\nMainz (AFP) - Der Landtag tagt."
    assert parse("m.txt", text.encode()).source == "dpa"
    text = "Quelle: Süderbrücker Anzeiger\n\nMainz (AFP) - Der Landtag tagt."
    assert parse("m.txt", text.encode()).source == "Süderbrücker Anzeiger"


def test_a_title_from_the_file_is_not_marked_as_generated():
    document = parse("m.txt", "Titel: Tafel eröffnet\n\nKleinbach (epd) - Die Diakonie eröffnet eine Tafel.".encode())
    assert (document.title, document.title_generated, document.source) == ("Tafel eröffnet", False, "epd")


# --- Formats ------------------------------------------------------------------------------

HTML = """<!doctype html>
<html lang="de"><head><meta charset="utf-8">
<title>Stadtrat beschließt Sanierung – Süderbrücker Anzeiger</title>
<meta name="author" content="Jörg Weißmüller">
<meta property="og:site_name" content="Süderbrücker Anzeiger">
<meta property="article:published_time" content="2023-05-17">
<style>.geheim { color: red; } body::after { content: "STILREGEL"; }</style>
<script>var tracking = "SKRIPTINHALT";</script>
</head><body>
<nav><a href="/">Start</a> | <a href="/politik">Politik</a></nav>
<article>
<h1>Stadtrat beschließt Sanierung</h1>
<p>Der Stadtrat hat am Mittwoch „überraschend deutlich“ beschlossen,
die Brücke zu sanieren – für 3,2&nbsp;Millionen Euro.</p>
<script>document.write("WERBESKRIPT");</script>
<p>Die Straße bleibt bis Ende Mai gesperrt, teilte die Verwaltung mit. Umleitungen sind ausgeschildert.</p>
</article>
<footer>Impressum · Datenschutz</footer>
</body></html>"""


def test_html_main_text_and_metadata_without_scripts_or_styles():
    document = parse("seite.html", HTML.encode("utf-8"))
    assert document.body == (
        f"Der Stadtrat hat am Mittwoch „überraschend deutlich“ beschlossen, die Brücke zu sanieren – "
        f"für 3,2{NBSP}Millionen Euro.\n\n"
        "Die Straße bleibt bis Ende Mai gesperrt, teilte die Verwaltung mit. Umleitungen sind ausgeschildert."
    )
    for never in ("SKRIPTINHALT", "WERBESKRIPT", "STILREGEL", "color", "<", "Impressum"):
        assert never not in document.body
    assert document.title == "Stadtrat beschließt Sanierung"
    assert document.author == "Jörg Weißmüller"
    assert document.source == "Süderbrücker Anzeiger"
    assert document.published == documents.PublishedDate(datetime.date(2023, 5, 17), "day")
    assert document.language == "de"


def test_htm_in_windows_1252_is_decoded():
    html = HTML.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    document = parse("seite.htm", html.encode("cp1252"))
    assert "„überraschend deutlich“" in document.body


def page_of(blocks: str) -> bytes:
    return f'<html lang="de"><head><title>Pegel</title></head><body><article>{blocks}</article></body></html>'.encode()


def test_a_page_of_100000_paragraphs_is_refused_for_its_elements_not_read_for_minutes():
    # The report's file: 4.5 MB, 100,000 paragraphs; the extractor's time grows with their square.
    data = page_of("".join(f"<p>Absatz {n} über den Pegel der Mühlenau.</p>" for n in range(100_000)))
    assert len(data) < Limits().max_file_bytes
    with pytest.raises(Refused) as error:
        parse("absaetze.html", data)
    assert error.value.code == "html_elements"
    assert error.value.params == {"count": 100_005, "limit": 5000}


def test_a_page_within_the_element_limit_is_read_and_drawings_do_not_count():
    paragraphs = "".join(f"<p>Absatz {n} über den Pegel.</p>" for n in range(40))
    icons = '<svg viewBox="0 0 1 1">' + '<path d="M0 0L1 1"/>' * 500 + "</svg>nach dem Bild"
    formula = "<math><mi>x</mi><mo>=</mo><mn>1</mn></math>"
    document = parse("seite.html", page_of(paragraphs + f"<p>{icons} {formula}</p>"), Limits(max_html_elements=50))
    assert document.body.startswith("Absatz 0 über den Pegel.\n\nAbsatz 1 über den Pegel.")
    assert "nach dem Bild" in document.body
    with pytest.raises(Refused) as error:
        parse("seite.html", page_of(paragraphs + "<p>eins</p>" * 10), Limits(max_html_elements=50))
    assert error.value.code == "html_elements"


def test_html_without_any_text_is_refused():
    with pytest.raises(Refused) as error:
        parse("leer.html", b"<html><head><script>var x = 1;</script></head><body></body></html>")
    assert error.value.code in ("html", "empty")


def test_docx_paragraphs_become_the_body():
    data = make_docx(
        [
            "Quelle: epd",
            "",
            f"Die Tafel in Gießen versorgt 1200{NBSP}Menschen – „so viele wie nie“.",
            "Zweiter Absatz.",
        ],
        title="Tafel am Limit",
    )
    document = parse("tafel.docx", data)
    assert document.body == f"Die Tafel in Gießen versorgt 1200{NBSP}Menschen – „so viele wie nie“.\n\nZweiter Absatz."
    assert document.title == "Tafel am Limit"
    assert document.source == "epd"


def test_a_broken_docx_is_refused():
    with pytest.raises(Refused) as error:
        parse("kaputt.docx", b"PK\x03\x04 not really a word file")
    assert error.value.code == "docx"


def docx_with_body(body_xml: bytes | Iterator[bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """A .docx made by python-docx whose document.xml body is replaced (streamed, so it may be huge)."""
    base = zipfile.ZipFile(io.BytesIO(make_docx(["Platzhalter"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in base.infolist():
            data = base.read(info)
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, data)
                continue
            head, tail = data.split(b"<w:body>")
            with archive.open("word/document.xml", "w", force_zip64=True) as stream:
                stream.write(head + b"<w:body>")
                for chunk in [body_xml] if isinstance(body_xml, bytes) else body_xml:
                    stream.write(chunk)
                stream.write(b"</w:body>" + tail.split(b"</w:body>", 1)[1])
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def paragraph_xml(text: str) -> bytes:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'.encode()


def test_docx_text_is_what_python_docx_reads_tabs_breaks_and_links_included():
    document = docx.Document()
    document.add_paragraph("Erster Absatz\tmit Tabulator und\nZeilenumbruch.")
    run = document.add_paragraph("Vor dem Seitenumbruch").add_run(" danach")
    run.add_break(docx.enum.text.WD_BREAK.PAGE)
    run.add_text("weiter")
    document.add_paragraph("")
    document.add_table(rows=1, cols=1).cell(0, 0).text = "Tabelle bleibt draußen, wie bei python-docx."
    document.add_paragraph("Letzter Absatz – mit „Anführungszeichen“.")
    buffer = io.BytesIO()
    document.save(buffer)
    expected = "\n\n".join(p.text for p in docx.Document(io.BytesIO(buffer.getvalue())).paragraphs if p.text.strip())
    assert parse("vergleich.docx", buffer.getvalue()).body == documents.normalise(expected)
    link = (
        b'<w:p><w:r><w:t>Siehe </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:t>Bericht</w:t></w:r></w:hyperlink>'
        b"<w:r><w:noBreakHyphen/><w:t>Seite</w:t><w:cr/><w:t>zwei</w:t></w:r></w:p>"
    )
    assert parse("link.docx", docx_with_body(link)).body == "Siehe Bericht-Seite\nzwei"


@pytest.mark.parametrize(
    "damage",
    ["malformed-xml", "unclosed-xml", "no-document-part", "truncated", "corrupt-deflate", "not-a-zip", "entity-bomb"],
)
def test_a_damaged_docx_gets_the_same_clear_refusal(damage: str):
    good = make_docx(["Ein ganz normaler Absatz über Wasserstände."])
    if damage == "malformed-xml":
        data = docx_with_body(b"<w:p><w:r><w:t>Kaputt</w:r></w:p>")
    elif damage == "unclosed-xml":
        data = docx_with_body(paragraph_xml("Offen") + b"<w:p><w:r>")
    elif damage == "no-document-part":
        base = zipfile.ZipFile(io.BytesIO(good))
        data = make_zip({i.filename: base.read(i) for i in base.infolist() if i.filename != "word/document.xml"})
    elif damage == "truncated":
        data = good[: len(good) // 2]
    elif damage == "corrupt-deflate":
        data = docx_with_body(paragraph_xml("Wasserstand " * 2000))
        start = data.index(b"word/document.xml") + 200
        data = data[:start] + bytes(b ^ 0x5A for b in data[start : start + 64]) + data[start + 64 :]
    elif damage == "not-a-zip":
        data = "Nur Text mit Umlauten: äöü".encode()
    else:
        laughs = (
            b'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "hahahahahahahahaha">'
            + b"".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(8))
            + b"]>"
        )
        base = zipfile.ZipFile(io.BytesIO(good))
        entries = {i.filename: base.read(i) for i in base.infolist()}
        xml = entries["word/document.xml"]
        entries["word/document.xml"] = laughs + xml[xml.index(b"<w:document") :].replace(
            b"Ein ganz normaler", b"&i; normaler"
        )
        data = make_zip(entries)
    with pytest.raises(Refused) as error:
        parse("schaden.docx", data)
    assert error.value.code == "docx"


def test_a_docx_bomb_is_refused_before_it_is_unpacked():
    # 100 MB of document.xml in a file of about 300 KB (the report's was 136 KB).
    chunk = paragraph_xml("Wasser " * 140) * 1000
    data = docx_with_body(chunk for _ in range(100 * 1024 * 1024 // len(chunk)))
    assert len(data) < 400 * 1024
    with pytest.raises(Refused) as error:
        parse("bombe.docx", data)
    assert error.value.code == "docx_zip_ratio"
    assert error.value.params == {"limit": 100}


def test_the_zip_limits_hold_for_docx_entries_and_size():
    data = make_docx(["Ein Absatz."])
    with pytest.raises(Refused) as error:
        parse("viele.docx", data, Limits(max_zip_entries=3))
    assert error.value.code == "docx_zip_entries"
    with pytest.raises(Refused) as error:
        parse("gross.docx", data, Limits(max_zip_uncompressed_bytes=10_000))
    assert error.value.code == "docx_zip_size"


def test_a_docx_of_50_mb_of_paragraphs_is_refused_without_being_read_whole():
    # Varied paragraphs compress less: about 190 KB for 50 MB. With the ratio limit lifted the
    # size of the unpacked part still bounds what is read.
    rows = b"".join(paragraph_xml(f"Absatz {n}: Pegel {n * 7 % 1000} cm, Abfluss {n * 13 % 997}.") for n in range(5000))
    data = docx_with_body(rows for _ in range(50 * 1024 * 1024 // len(rows)))
    with pytest.raises(Refused) as error:
        parse("absaetze.docx", data, Limits(max_zip_ratio=10**6))
    assert error.value.code == "docx_too_large"
    assert error.value.params == {"limit": 5 * 1024 * 1024}


def test_reading_a_docx_stops_when_its_text_outgrows_the_file_limit():
    # Under four times the limit of markup, but more text than an article may have: refused while streaming.
    text = "Ä" * 1000
    data = docx_with_body(paragraph_xml(text) * 150)
    with pytest.raises(Refused) as error:
        parse("lang.docx", data, Limits(max_file_bytes=100_000, max_zip_ratio=10**6))
    assert error.value.code == "docx_too_large"
    limits = Limits(max_file_bytes=100_000, max_zip_ratio=10**6)
    assert len(parse("kurz.docx", docx_with_body(paragraph_xml(text) * 50), limits).body) > 0


def test_markdown_is_kept_as_plain_text():
    document = parse("notiz.md", "# Überschrift\n\nEin *wichtiger* Satz über Äpfel.".encode())
    assert document.body == "# Überschrift\n\nEin *wichtiger* Satz über Äpfel."


# --- Limits and refusals ------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \r\n\n", "\ufeff".encode("utf-8")], ids=["empty", "blank", "bom-only"])
def test_empty_files_are_refused(data):
    with pytest.raises(Refused) as error:
        parse("leer.txt", data)
    assert error.value.code == "empty"


def test_a_file_with_only_metadata_is_empty():
    with pytest.raises(Refused) as error:
        parse("nur-kopf.txt", b"Datum: 2022-03\nQuelle: dpa\n")
    assert error.value.code == "empty"


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(Refused) as error:
        parse("gross.txt", ("ä" * 600).encode("utf-8"), Limits(max_file_bytes=1000))
    assert (error.value.code, error.value.params["limit"]) == ("too_large", 1000)


# --- Zip archives -------------------------------------------------------------------------


def test_zip_yields_each_supported_file():
    data = make_zip(
        {
            "meldungen/eins.txt": "Erste Meldung über Flüsse.".encode(),
            "meldungen/zwei.docx": make_docx(["Zweite Meldung über Seen."]),
            "meldungen/": b"",
            "__MACOSX/._eins.txt": b"\x00\x05",
            "meldungen/bild.png": b"\x89PNG",
        }
    )
    found = {result.name: result for result in results("paket.zip", data)}
    assert found["paket.zip/meldungen/eins.txt"].document.body == "Erste Meldung über Flüsse."
    assert found["paket.zip/meldungen/zwei.docx"].document.body == "Zweite Meldung über Seen."
    assert found["paket.zip/meldungen/bild.png"].refused.code == "unsupported"
    assert set(found) == {
        "paket.zip/meldungen/eins.txt",
        "paket.zip/meldungen/zwei.docx",
        "paket.zip/meldungen/bild.png",
    }


def test_zip_entries_that_leave_the_archive_are_ignored():
    data = make_zip(
        {
            "../../etc/ausbruch.txt": "Böser Pfad.".encode(),
            "/absolut/pfad.txt": b"Absoluter Pfad.",
            "ordner/../../hoch.txt": b"Noch ein Ausbruch.",
            "C:/windows/laufwerk.txt": b"Laufwerk.",
            "gut.txt": "Ein guter Text über Öfen.".encode(),
        }
    )
    found = results("pfade.zip", data)
    documents = [result for result in found if result.document]
    ignored = [result for result in found if result.ignored]
    assert [result.document.body for result in documents] == ["Ein guter Text über Öfen."]
    assert len(ignored) == 4 and {result.ignored.code for result in ignored} == {"unsafe_path"}


def test_zip_over_the_entry_limit_is_refused_whole():
    data = make_zip({f"m{number}.txt": f"Meldung {number} über Bäume.".encode() for number in range(6)})
    (result,) = results("viele.zip", data, Limits(max_zip_entries=5))
    assert result.refused.code == "zip_entries"
    assert result.refused.params == {"count": 6, "limit": 5}


def test_zip_over_the_uncompressed_limit_is_refused_whole():
    data = make_zip({"a.txt": ("Größe " * 300).encode(), "b.txt": ("Weite " * 300).encode()})
    (result,) = results("gross.zip", data, Limits(max_zip_uncompressed_bytes=3000, max_file_bytes=10_000))
    assert result.refused.code == "zip_size"


def test_zip_bomb_ratio_is_refused_before_unpacking():
    data = make_zip({"bombe.txt": b"a" * 2_000_000})
    assert len(data) < 10_000
    (result,) = results("bombe.zip", data, Limits(max_zip_ratio=100, max_file_bytes=10_000_000))
    assert result.refused.code == "zip_ratio"


def test_zip_entry_over_the_file_limit_is_refused_alone():
    data = make_zip({"klein.txt": b"Kurz und gut.", "gross.txt": ("Lang " * 500).encode()}, zipfile.ZIP_STORED)
    found = {result.name: result for result in results("mix.zip", data, Limits(max_file_bytes=1000))}
    assert found["mix.zip/klein.txt"].document.body == "Kurz und gut."
    assert found["mix.zip/gross.txt"].refused.code == "too_large"


def test_zip_in_zip_and_broken_zip_are_refused():
    inner = make_zip({"a.txt": b"Innen."})
    (nested,) = results("aussen.zip", make_zip({"innen.zip": inner}))
    assert nested.refused.code == "nested_zip"
    (broken,) = results("kaputt.zip", b"PK\x03\x04 abgeschnitten")
    assert broken.refused.code == "zip"


def test_empty_file_in_a_zip_is_refused():
    found = results("leer.zip", make_zip({"leer.txt": b"", "voll.txt": "Inhalt mit Ä.".encode()}))
    assert [(r.name, r.refused.code if r.refused else r.document.body) for r in found] == [
        ("leer.zip/leer.txt", "empty"),
        ("leer.zip/voll.txt", "Inhalt mit Ä."),
    ]


# --- Properties ---------------------------------------------------------------------------

german_text = st.text(
    alphabet=st.sampled_from(list("abcäöüßÄÖÜ „“‚‘–—…\u00a0\u00ad\t\n\r.,;:!?0123456789xyzéàç€") + ["\x00", "\ufeff"]),
    max_size=200,
)


@given(german_text)
def test_normalise_is_idempotent_and_leaves_no_forbidden_characters(text):
    once = documents.normalise(text)
    assert documents.normalise(once) == once
    assert not any(char in once for char in "\r\x00\ufeff")
    assert once.count("\u00a0") <= text.count("\u00a0")
    assert once.count("\u00ad") == text.count("\u00ad")
    assert not once.startswith("\n") and not once.endswith("\n")


@given(german_text.filter(lambda text: "\x00" not in text))
def test_every_supported_encoding_gives_back_the_same_text(text):
    expected = text.replace("\ufeff", "")
    for encoded in (expected.encode("utf-8"), b"\xef\xbb\xbf" + expected.encode("utf-8"), expected.encode("utf-16")):
        assert documents.decode(encoded).replace("\ufeff", "") == expected
    windows = expected.encode("cp1252", errors="ignore")
    try:
        # Strict order: bytes that are valid UTF-8 are read as UTF-8 (for German text with
        # umlauts followed by letters they hardly ever are).
        readings = {windows.decode("utf-8-sig")}
    except UnicodeDecodeError:
        readings = {windows.decode("cp1252")}
    # Random characters may happen to form more UTF-8 characters than stray bytes: then the file is
    # taken for damaged UTF-8 and refused. Refused or read as written; never anything else.
    try:
        assert documents.decode(windows) in readings
    except Refused as refusal:
        assert refusal.code in ("utf8", "utf8_truncated")


# Prose as a Windows-1252 tool writes it: umlauts inside words, punctuation after words or spaces.
german_word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöüéABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ")),
    st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzäöüßé")), max_size=12),
)
separator = st.sampled_from([" ", ", ", ". ", " – ", " „", " … ", "\n", "\r\n", "! ", "? ", " 3\u00a0€ ", ": "])


@given(st.lists(st.tuples(german_word, separator), min_size=1, max_size=40))
def test_german_prose_in_windows_1252_is_always_read_as_written(pieces):
    text = "".join(word + separator for word, separator in pieces)
    data = text.encode("cp1252")
    assert documents.decode(data) == (data.decode("ascii") if data.isascii() else text)


def test_windows_1252_with_as_many_accidental_utf8_pairs_as_umlauts_is_still_windows_1252():
    # "ß“" happens to be a well-formed UTF-8 character (DF 93); "ü" is a stray byte.
    text = "Mit herzlichem „Gruß“ für alle Leserinnen."
    assert documents.decode(text.encode("cp1252")) == text


def test_a_control_character_between_letter_and_accent_still_gives_nfc():
    assert documents.normalise("Mu\x07\u0308hle") == "Mühle"
