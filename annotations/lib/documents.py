"""Turning files into article text. Pure Python: no Django.

Every file either becomes a `ParsedDocument` whose body is the normalised plain text
(the text all claim offsets point into) or is refused with a `Refused` error that carries a
code and its parameters; the Django side turns those into messages in the editor's language.

Decoding is strict and in a fixed order: UTF-8 (with or without BOM), UTF-16 with BOM,
Windows-1252. Nothing is ever decoded with replacement characters, so mojibake cannot arrive.
"""

from __future__ import annotations

import datetime
import io
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from annotations.lib.snippets import DANGLING, ELLIPSIS, shorten

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
ZIP_SUFFIXES = (".zip",)
SUPPORTED_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + DOCX_SUFFIXES + ZIP_SUFFIXES

NBSP = "\u00a0"


class Refused(Exception):
    """A file that cannot become an article. `code` names the reason, `params` fill in its message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 5 * 1024 * 1024
    max_zip_uncompressed_bytes: int = 200 * 1024 * 1024
    max_zip_ratio: int = 100
    max_zip_entries: int = 2000
    max_html_elements: int = 5000


@dataclass(frozen=True)
class PublishedDate:
    """A date at the precision the file gave: for a month, the first day of that month."""

    date: datetime.date
    precision: str  # "day", "month" or "year"

    @property
    def iso(self) -> str:
        text = self.date.isoformat()
        return {"year": text[:4], "month": text[:7]}.get(self.precision, text)


@dataclass(frozen=True)
class ParsedDocument:
    name: str
    body: str
    title: str = ""
    source: str = ""
    author: str = ""
    url: str = ""
    language: str = ""
    published: PublishedDate | None = None
    # The title was made from the first words of the body: the file had none.
    title_generated: bool = False


@dataclass(frozen=True)
class FileResult:
    """One file's outcome: a document, a refusal, or (for unsafe zip entries) ignored."""

    name: str
    document: ParsedDocument | None = None
    refused: Refused | None = None
    ignored: Refused | None = None


# --- Decoding and normalisation ---------------------------------------------------------


def decode(data: bytes) -> str:
    """Decode strictly: UTF-8 (BOM optional), UTF-16 with BOM, then Windows-1252; else refuse.

    A file that is UTF-8 but for a damaged byte, or that was cut inside a character, is refused
    with the place of the damage: read as Windows-1252 it would become mojibake ("GrÃ¶ÃŸe").
    """
    utf8 = data[3:] if data.startswith(UTF8_BOM) else data
    try:
        return utf8.decode("utf-8")
    except UnicodeDecodeError as error:
        damage = error
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refused("encoding") from None
    offset = len(data) - len(utf8) + damage.start
    if _damaged_utf8(utf8, damage):
        code = "utf8_truncated" if damage.end == len(utf8) and damage.reason == "unexpected end of data" else "utf8"
        raise Refused(code, **position(data, offset))
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise Refused("encoding") from None


UTF8_BOM = b"\xef\xbb\xbf"
# A well-formed UTF-8 character of two to four bytes (RFC 3629, no surrogates, no overlong forms).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _damaged_utf8(data: bytes, damage: UnicodeDecodeError) -> bool:
    """Is this UTF-8 with damage rather than Windows-1252?

    German text in Windows-1252 has its umlauts next to letters, which is never well-formed UTF-8;
    a UTF-8 file has mostly well-formed characters. So the file is taken for UTF-8 when its
    well-formed multi-byte characters outnumber its stray bytes, or when its only
    damage is a character cut at the end after at least one of its continuation bytes.
    """
    characters = _UTF8_MULTIBYTE.findall(data)
    stray = len(data) - len(data.translate(None, _HIGH_BYTES)) - sum(len(character) for character in characters)
    if len(characters) > stray:
        return True
    cut = damage.end == len(data) and damage.reason == "unexpected end of data"
    return cut and stray == len(data) - damage.start and len(data) - damage.start > 1


def position(data: bytes, offset: int) -> dict[str, int]:
    """Line and column (in characters, counting from 1) and the byte offset of a place in a file."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return {"line": data.count(b"\n", 0, offset) + 1, "column": column, "offset": offset}


def text_position(text: str, index: int) -> dict[str, int]:
    """Line and column (counting from 1) of a character in a decoded text."""
    line_start = text.rfind("\n", 0, index) + 1
    return {"line": text.count("\n", 0, index) + 1, "column": index - line_start + 1}


def refuse_nul(text: str) -> None:
    """A NUL is never article text, and removing it would store what nobody wrote: refuse with its place."""
    index = text.find("\x00")
    if index >= 0:
        raise Refused("nul", **text_position(text, index))


# Unicode's control characters (category Cc) but \t and \n.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def looks_binary(text: str) -> bool:
    """Text full of control characters is a binary file with a text name, not an article."""
    if "\x00" in text[:4096]:
        return True
    sample = text[:8192]
    controls = len(_CONTROLS.findall(sample)) - sample.count("\r") - sample.count("\f")
    return controls > max(2, len(sample) // 100)


_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def normalise(text: str) -> str:
    """NFC, `\\n` line ends, no BOM, no control characters but `\\n` and `\\t`, no blank lines around.

    Non-breaking spaces and soft hyphens are characters the author wrote: they stay.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    # Composed last: removing a character between a letter and its accent makes a new pair.
    text = unicodedata.normalize("NFC", _CONTROLS.sub("", text))
    text = _LEADING_BLANK_LINES.sub("", text)
    # Python's strip() would also remove NBSP, which is text here.
    return text.rstrip(" \t\n").lstrip(" \t")


# --- Metadata at the top of a text -------------------------------------------------------

_KEYS = {
    "date": "date",
    "datum": "date",
    "title": "title",
    "titel": "title",
    "source": "source",
    "quelle": "source",
    "author": "author",
    "autor": "author",
    "autorin": "author",
    "url": "url",
}
_KEY_PATTERN = "|".join(sorted(_KEYS, key=len, reverse=True))
_KEY_VALUE_LINE = re.compile(rf"^[ \t]*(?P<key>{_KEY_PATTERN})[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$", re.IGNORECASE)
_DATE_TOKEN = r"\d{4}-\d{2}-\d{2}|\d{4}-\d{2}|\d{1,2}\.\d{1,2}\.\d{4}|\d{4}"
# The agency form: " date 2022-03 Die Staats- und …" — key and value run straight into the body.
_INLINE = re.compile(
    rf"\A[ \t]*(?:(?P<datekey>date|datum)[ \t]+(?P<date>{_DATE_TOKEN})|(?P<urlkey>url)[ \t]+(?P<url>https?://\S+))"
    r"(?=\s|\Z)[ \t]*",
    re.IGNORECASE,
)
_GERMAN_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "jan", "jänner"),
            ("februar", "feb"),
            ("märz", "mär", "maerz"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("dezember", "dez"),
        ],
        start=1,
    )
    for name in names
}


def parse_date(value: str) -> PublishedDate | None:
    """`2022`, `2022-03`, `2022-03-24`, `24.03.2022`, `24. März 2022`, `März 2022`, at their precision."""
    value = value.strip().replace(NBSP, " ")
    try:
        if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.+\-Z]*)?", value):
            year, month, day = (int(part) for part in match.groups())
            return PublishedDate(datetime.date(year, month, day), "day")
        if match := re.fullmatch(r"(\d{4})-(\d{2})", value):
            return PublishedDate(datetime.date(int(match[1]), int(match[2]), 1), "month")
        if match := re.fullmatch(r"(\d{4})", value):
            return PublishedDate(datetime.date(int(match[1]), 1, 1), "year")
        if match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", value):
            return PublishedDate(datetime.date(int(match[3]), int(match[2]), int(match[1])), "day")
        if match := re.fullmatch(r"(?:(\d{1,2})\.\s*)?([^\W\d_]+)\.?\s+(\d{4})", value):
            month = _GERMAN_MONTHS.get(match[2].lower())
            if month is None:
                return None
            if match[1]:
                return PublishedDate(datetime.date(int(match[3]), month, int(match[1])), "day")
            return PublishedDate(datetime.date(int(match[3]), month, 1), "month")
    except ValueError:  # 2022-13 or 31.02.2022: not a date, so not metadata either
        return None
    return None


def _accept(meta: dict[str, str], key: str, value: str) -> bool:
    """Store a metadata value if it is one; a value that is not (a bad date) stays in the body."""
    if not value or key in meta:
        return False
    if key == "date" and parse_date(value) is None:
        return False
    if key == "url" and not re.fullmatch(r"https?://\S+", value):
        return False
    meta[key] = value
    return True


def split_metadata(text: str) -> tuple[dict[str, str], str]:
    """Leading metadata (inline ` date 2022-03 ` or `Key: value` lines) and the body after it."""
    meta: dict[str, str] = {}
    rest = text
    while True:
        if match := _INLINE.match(rest):
            key, value = ("date", match["date"]) if match["datekey"] else ("url", match["url"])
            if not _accept(meta, key, value):
                break
            rest = rest[match.end() :]
            continue
        line, newline, after = rest.partition("\n")
        if not line.strip(" \t") and meta and newline:
            rest = after
            continue
        if match := _KEY_VALUE_LINE.match(line):
            if not _accept(meta, _KEYS[match["key"].lower()], match["value"]):
                break
            rest = after
            continue
        break
    return meta, normalise(rest) if meta else text


# --- Titles and agencies ----------------------------------------------------------------------

# A full stop after a number ("24. März") or a common abbreviation does not end a sentence.
_ABBREVIATIONS = {"dr", "prof", "nr", "bzw", "ca", "vgl", "st", "str", "abs", "z", "b", "u", "a", "d", "h", "ggf"}
_SENTENCE_END = re.compile(r"[.!?…]+[\"“”»«'’)]*(?=\s|\Z)")


def first_sentence(body: str) -> str:
    line = next((line.strip(" \t") for line in body.split("\n") if line.strip(" \t")), "")
    for match in _SENTENCE_END.finditer(line):
        before = line[: match.start()]
        word = re.split(r"[\s(]", before)[-1].lower()
        if match.group().startswith(".") and (word.isdigit() or word in _ABBREVIATIONS):
            continue
        # A headline ends without its full stop but keeps "?", "!" and closing quotes.
        return line[: match.start()] + match.group().lstrip(".")
    return line


# The news agencies of German-language newsrooms, by the spellings their texts use for them.
AGENCIES = {
    "dpa": "dpa",
    "dpa-afx": "dpa-AFX",
    "afp": "AFP",
    "reuters": "Reuters",
    "epd": "epd",
    "kna": "KNA",
    "ap": "AP",
    "dts": "dts",
    "ddp": "ddp",
    "apa": "APA",
    "sda": "SDA",
    "kap": "Kathpress",
    "sid": "SID",
    "deutsche presse-agentur": "dpa",
    "agence france-presse": "AFP",
    "thomson reuters": "Reuters",
    "evangelischer pressedienst": "epd",
    "katholische nachrichten-agentur": "KNA",
    "associated press": "AP",
    "austria presse agentur": "APA",
    "schweizerische depeschenagentur": "SDA",
    "keystone-sda": "SDA",
    "sport-informations-dienst": "SID",
}
# "Berlin (dpa) - ", "BERLIN, 24. März (Reuters) -", "Frankfurt/Main (dpa-AFX) –", "(KNA) ":
# a place (or nothing), the agencies in brackets, then a dash or the text. Only at the very start.
_DATELINE = re.compile(
    r"\A(?P<place>[^\n()]{0,60}?)[ \t]*\((?P<agencies>[^()\n]{1,40})\)[ \t]*(?:[-–—:.][ \t]*|(?=[A-ZÄÖÜ]))"
)


# Small words inside place names: "Frankfurt am Main", "Weil der Stadt", "Rothenburg ob der Tauber".
_PLACE_PARTICLES = {"am", "an", "der", "die", "im", "in", "ob", "bei", "vor", "auf", "de", "la", "sur", "upon"}


def _looks_like_place(place: str) -> bool:
    """A dateline's place (and date): capitalised words, numbers and the particles of place names."""
    words = [word for word in re.split(r"[\s,/]+", place) if word]
    return all(word[0].isupper() or word[0].isdigit() or word in _PLACE_PARTICLES for word in words)


def agency_name(value: str) -> str:
    """The agency's usual name if the value names one ("Deutsche Presse-Agentur" → "dpa"), else ""."""
    return AGENCIES.get(" ".join(value.split()).casefold(), "")


def dateline_agency(body: str) -> str:
    """The agencies named in the dateline at the start of the text ("Berlin (dpa/lno) -" → "dpa"), or "".

    Only known agencies count: "Olaf Scholz (SPD) sagte" has no dateline.
    """
    match = _DATELINE.match(body)
    if match is None or not _looks_like_place(match["place"]):
        return ""
    names = []
    for part in re.split(r"\s*[/,;]\s*|\s+und\s+", match["agencies"].strip()):
        name = agency_name(part)
        if name and name not in names:
            names.append(name)
        elif not name and names:
            continue  # "dpa/lno": the regional desk after the agency
        elif not name:
            return ""
    return "/".join(names)


def without_dateline(line: str) -> str:
    """The first line without its agency dateline: what a title is made of."""
    match = _DATELINE.match(line)
    if match is None or not dateline_agency(line):
        return line
    return line[match.end() :]


TITLE_MAX_LENGTH = 80  # one line in every list
# Words a shortened title should not end on: it would read as cut mid-phrase.
_WEAK_ENDINGS = {
    *"der die das dem den des ein eine einer eines einem einen".split(),
    *"und oder aber sowie doch denn als wie dass ob wenn weil nach bei mit von vom zu zum zur".split(),
    *"im in am an auf aus für über unter vor bis um gegen ohne durch seit sei ist sind hat haben wird".split(),
    *"the a an and or of to in on at for with by from".split(),
}
# Where a phrase ends inside a sentence: a title cut there reads as complete.
_PHRASE_END = re.compile(r"\s*(?:[,;:]|\s[–—-])\s")


def make_title(body: str, max_length: int = TITLE_MAX_LENGTH) -> str:
    """A short title for a text that has none: its first sentence (without the agency's dateline),
    cut where a phrase ends or else after a whole word, never on a word like "der" or "und"."""
    sentence = " ".join(first_sentence(without_dateline(body.lstrip())).split())
    if len(sentence) <= max_length:
        return sentence
    # A phrase that ends in the second half of the room available is the best cut.
    ends = [match.start() for match in _PHRASE_END.finditer(sentence[:max_length])]
    ends = [end for end in ends if end >= max_length // 2]
    if ends:
        return sentence[: ends[-1]].rstrip(DANGLING) + ELLIPSIS
    words = shorten(sentence, max_length).removesuffix(ELLIPSIS).split(" ")
    while len(words) > 3 and words[-1].casefold().strip(DANGLING) in _WEAK_ENDINGS:
        words.pop()
    return " ".join(words).rstrip(DANGLING) + ELLIPSIS


# --- Formats ------------------------------------------------------------------------------


def _document(name: str, text: str, **found: str) -> ParsedDocument:
    """Normalise, take the leading metadata out of the body, fill in what the format found."""
    text = normalise(text)
    meta, body = split_metadata(text)
    if not body:
        raise Refused("empty")
    for key, value in found.items():
        if value and key not in meta:
            meta[key] = value
    published = parse_date(meta["date"]) if meta.get("date") else None
    title = " ".join(meta.get("title", "").split())
    source = " ".join(meta.get("source", "").split())
    return ParsedDocument(
        name=name,
        body=body,
        title=title or make_title(body),
        title_generated=not title,
        # Where the text names its agency (in its metadata or its dateline), that is its source.
        source=agency_name(source) or source or dateline_agency(body),
        author=meta.get("author", "").strip(),
        url=meta.get("url", "").strip(),
        language=found.get("language", ""),
        published=published,
    )


def parse_text(text: str, name: str = "") -> ParsedDocument:
    """A pasted text or a decoded .txt/.md file."""
    if looks_binary(text):
        raise Refused("binary")
    refuse_nul(text)
    return _document(name, text)


def _parse_plain(name: str, data: bytes, limits: Limits) -> ParsedDocument:
    return parse_text(decode(data), name)


# The extractor collapses every kind of white space and drops unprintable characters; this
# printable pair that no article contains carries each NBSP through it.
_NBSP_MARK = "\u2e3b\u2423"
_NBSP_IN_HTML = re.compile(r"\u00a0|&nbsp;|&#160;|&#x0*a0;", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.IGNORECASE)


# Drawings and formulas: many elements, never article text.
_NO_TEXT_ELEMENTS = ("svg", "math", "template")


def _bounded_tree(markup: str, limits: Limits) -> Any:
    """The page parsed as the extractor parses it, refused when it has more elements than we read.

    The extractor's work grows faster than the page (libxml2 evaluates its `//p//text()` in time
    that grows with the square of the paragraphs: 20,000 take seconds, 100,000 minutes), so the
    number of elements is bounded; a real article page has a few hundred to a few thousand.
    """
    import trafilatura
    from lxml import etree

    tree = trafilatura.load_html(markup)
    if tree is None:
        raise Refused("html")
    etree.strip_elements(tree, *_NO_TEXT_ELEMENTS, with_tail=False)
    count = sum(1 for _ in tree.iter())
    if count > limits.max_html_elements:
        raise Refused("html_elements", count=count, limit=limits.max_html_elements)
    return tree


def _parse_html(name: str, data: bytes, limits: Limits) -> ParsedDocument:
    import trafilatura  # imported here: it is slow to import and only HTML needs it
    from trafilatura.settings import use_config

    markup = decode(data)
    if looks_binary(markup):
        raise Refused("binary")
    refuse_nul(markup)
    markup = _NBSP_IN_HTML.sub(_NBSP_MARK, markup.replace(_NBSP_MARK, ""))
    config = use_config()
    # Short agency items are articles too; the defaults drop anything under 250 characters.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "1")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "1")
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    try:
        tree = _bounded_tree(markup, limits)
        extracted = trafilatura.bare_extraction(
            tree,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            config=config,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Refused:
        raise
    except Exception as error:  # the library raises many kinds of parser errors for broken markup
        raise Refused("html") from error
    if extracted is None or not (extracted.text or "").strip():
        raise Refused("html")
    paragraphs = [line.replace(_NBSP_MARK, NBSP) for line in extracted.text.split("\n") if line.strip()]
    title = (extracted.title or "").replace(_NBSP_MARK, NBSP)
    # The headline is usually the first block of the article: it is the title, not body text.
    if title and paragraphs and paragraphs[0].strip() == title.strip() and len(paragraphs) > 1:
        paragraphs = paragraphs[1:]
    lang = _HTML_LANG.search(markup)
    return _document(
        name,
        "\n\n".join(paragraphs),
        title=title,
        author=(extracted.author or "").replace(_NBSP_MARK, NBSP),
        source=(extracted.sitename or "").replace(_NBSP_MARK, NBSP),
        url=extracted.url or "",
        date=extracted.date or "",
        language=lang[1].lower() if lang else "",
    )


# --- Word (.docx) ---------------------------------------------------------------------------
#
# A .docx is a zip archive: the archive limits hold for it before anything is unpacked. The body is
# read by streaming the main document part through lxml's iterparse, paragraph by paragraph, and
# reading stops once the text outgrows the file limit: python-docx builds the whole tree first and
# its paragraph text takes time that grows faster than the file (2 MB of XML: 18 s, 10 MB: 2 min).
# The text of a paragraph is what python-docx gives for it (tests compare both).

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RELATIONSHIPS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_CORE_PROPERTIES = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
# Word's markup around the text (run properties, revision ids) rarely exceeds three times the text;
# a main part larger than this many times the file limit cannot be an article that fits the limit.
DOCX_MARKUP_FACTOR = 4
# Package parts we read whole (relationships, core properties) are small in any real file.
_SMALL_PART_BYTES = 1024 * 1024
_RUN_TEXT = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _xml_parser() -> Any:
    from lxml import etree

    # No entities, no DTD, no network: an XML bomb in a Word file expands to nothing.
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def _small_part(archive: zipfile.ZipFile, name: str) -> Any:
    """A small XML part parsed whole, or None when the package has no such part (or an oversized one)."""
    from lxml import etree

    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > _SMALL_PART_BYTES:
        return None
    return etree.fromstring(archive.read(info), _xml_parser())


def _relationship_target(archive: zipfile.ZipFile, kind: str, default: str) -> str:
    relationships = _small_part(archive, "_rels/.rels")
    if relationships is not None:
        for relationship in relationships.iter(_RELATIONSHIPS):
            if relationship.get("Type") == kind and relationship.get("TargetMode") != "External":
                return posixpath.normpath(relationship.get("Target", default).lstrip("/"))
    return default


def _paragraph_text(paragraph: Any) -> str:
    """python-docx's Paragraph.text: the runs, also those inside hyperlinks, with tabs and breaks as text."""
    parts: list[str] = []
    for child in paragraph:
        runs = (
            [child] if child.tag == f"{_W}r" else child.iterchildren(f"{_W}r") if child.tag == f"{_W}hyperlink" else ()
        )
        for run in runs:
            for item in run:
                if item.tag == f"{_W}t":
                    parts.append(item.text or "")
                elif item.tag == f"{_W}br":
                    # A line break is a new line; page and column breaks are no text.
                    parts.append("\n" if item.get(f"{_W}type", "textWrapping") == "textWrapping" else "")
                else:
                    parts.append(_RUN_TEXT.get(item.tag, ""))
    return "".join(parts)


def _docx_paragraphs(archive: zipfile.ZipFile, part: str, limits: Limits) -> list[str]:
    """The text of the body's paragraphs, streamed; refused once it outgrows the file limit."""
    from lxml import etree

    info = archive.getinfo(part)
    if info.file_size > limits.max_file_bytes * DOCX_MARKUP_FACTOR:
        raise Refused("docx_too_large", limit=limits.max_file_bytes)
    paragraphs: list[str] = []
    size = 0
    with archive.open(info) as stream:
        events = etree.iterparse(
            stream, events=("end",), resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False
        )
        for _, element in events:
            parent = element.getparent()
            if parent is None or parent.tag != f"{_W}body":
                continue
            if element.tag == f"{_W}p":
                text = _paragraph_text(element)
                size += len(text)
                if size > limits.max_file_bytes:
                    raise Refused("docx_too_large", limit=limits.max_file_bytes)
                paragraphs.append(text)
            # What is read is dropped: memory holds the text, not the tree.
            element.clear()
            while element.getprevious() is not None:
                del parent[0]
    return paragraphs


def _parse_docx(name: str, data: bytes, limits: Limits) -> ParsedDocument:
    from lxml import etree

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        refusal = archive_refusal(archive.infolist(), limits)
        if refusal is not None:
            raise Refused("docx_" + refusal.code, **refusal.params)
        part = _relationship_target(archive, _OFFICE_DOCUMENT, "word/document.xml")
        paragraphs = _docx_paragraphs(archive, part, limits)
        core = _small_part(archive, _relationship_target(archive, _CORE_PROPERTIES, "docProps/core.xml"))
    except (
        zipfile.BadZipFile,
        zlib.error,
        etree.LxmlError,
        KeyError,
        ValueError,
        EOFError,
        OSError,
        RuntimeError,
    ) as error:
        # Damaged in any way: a broken archive, a missing part, malformed XML, bad or unknown compression,
        # encryption (RuntimeError; NotImplementedError is one too).
        raise Refused("docx") from error
    title = core.findtext(_DC_TITLE) if core is not None else ""
    text = "\n\n".join(paragraph for paragraph in paragraphs if paragraph.strip(" \t\n"))
    return _document(name, text, title=title or "")


_PARSERS = {
    **dict.fromkeys(TEXT_SUFFIXES, _parse_plain),
    **dict.fromkeys(HTML_SUFFIXES, _parse_html),
    **dict.fromkeys(DOCX_SUFFIXES, _parse_docx),
}


def suffix_of(name: str) -> str:
    return posixpath.splitext(name.lower())[1]


def parse_file(name: str, data: bytes, limits: Limits) -> ParsedDocument:
    """One file that is not an archive."""
    suffix = suffix_of(name)
    parser = _PARSERS.get(suffix)
    if parser is None:
        raise Refused("unsupported", suffix=suffix or name)
    if len(data) > limits.max_file_bytes:
        raise Refused("too_large", size=len(data), limit=limits.max_file_bytes)
    if not data.strip(b" \t\r\n\x00"):
        raise Refused("empty")
    return parser(name, data, limits)


def unsafe_entry_name(name: str) -> bool:
    """Absolute paths, drive letters and `..` are never followed, even though nothing is written to disk."""
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(re.match(r"[A-Za-z]:", path)) or ".." in path.split("/")


def _skipped_entry(name: str) -> bool:
    """Folders and the files macOS and Windows add to archives are no articles."""
    parts = name.replace("\\", "/").split("/")
    return name.endswith("/") or "__MACOSX" in parts or parts[-1].startswith(".") or parts[-1] == "Thumbs.db"


def archive_refusal(entries: list[zipfile.ZipInfo], limits: Limits) -> Refused | None:
    """The zip-bomb limits, checked on the archive's directory before anything is unpacked."""
    if len(entries) > limits.max_zip_entries:
        return Refused("zip_entries", count=len(entries), limit=limits.max_zip_entries)
    total = sum(info.file_size for info in entries)
    if total > limits.max_zip_uncompressed_bytes:
        return Refused("zip_size", size=total, limit=limits.max_zip_uncompressed_bytes)
    for info in entries:
        if info.file_size > 0 and info.file_size / max(info.compress_size, 1) > limits.max_zip_ratio:
            return Refused("zip_ratio", limit=limits.max_zip_ratio)
    return None


def iter_zip(name: str, data: bytes, limits: Limits) -> Iterator[FileResult]:
    """Each entry of a zip archive, checked against the zip-bomb limits before anything is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not _skipped_entry(info.filename)]
    except (zipfile.BadZipFile, ValueError, EOFError):
        yield FileResult(name, refused=Refused("zip"))
        return
    refusal = archive_refusal(entries, limits)
    if refusal is not None:
        yield FileResult(name, refused=refusal)
        return
    for info in entries:
        entry_name = f"{name}/{info.filename}"
        if unsafe_entry_name(info.filename):
            yield FileResult(entry_name, ignored=Refused("unsafe_path"))
            continue
        yield _zip_entry(archive, info, entry_name, limits)


def _zip_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry_name: str, limits: Limits) -> FileResult:
    suffix = suffix_of(info.filename)
    if suffix in ZIP_SUFFIXES:
        return FileResult(entry_name, refused=Refused("nested_zip"))
    if suffix not in _PARSERS:
        return FileResult(entry_name, refused=Refused("unsupported", suffix=suffix or info.filename))
    if info.flag_bits & 0x1:
        return FileResult(entry_name, refused=Refused("encrypted"))
    if info.file_size > limits.max_file_bytes:
        return FileResult(entry_name, refused=Refused("too_large", size=info.file_size, limit=limits.max_file_bytes))
    try:
        with archive.open(info) as stream:
            # The header's size is the archive's claim; read no more than the limit allows.
            content = stream.read(limits.max_file_bytes + 1)
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, EOFError):
        return FileResult(entry_name, refused=Refused("zip"))
    return _parsed(entry_name, content, limits)


def _parsed(name: str, data: bytes, limits: Limits) -> FileResult:
    try:
        return FileResult(name, document=parse_file(name, data, limits))
    except Refused as refusal:
        return FileResult(name, refused=refusal)


def iter_documents(name: str, data: bytes, limits: Limits) -> Iterator[FileResult]:
    """One result per file; an archive yields one per entry."""
    if suffix_of(name) in ZIP_SUFFIXES:
        if len(data) > limits.max_zip_uncompressed_bytes:
            yield FileResult(
                name, refused=Refused("too_large", size=len(data), limit=limits.max_zip_uncompressed_bytes)
            )
            return
        yield from iter_zip(name, data, limits)
        return
    yield _parsed(name, data, limits)


def with_defaults(document: ParsedDocument, **defaults: str) -> ParsedDocument:
    """Fill empty fields (e.g. the source an editor chose for a whole upload)."""
    changes = {key: value for key, value in defaults.items() if value and not getattr(document, key)}
    return replace(document, **changes) if changes else document
