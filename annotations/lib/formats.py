"""Writing exports of claims: CSV, schema.org ClaimReview and W3C Web Annotation. Pure Python: no Django.

The CSV contract (DESIGN.md): one row per claim, COLUMNS in this order, UTF-8, RFC 4180 quoting
with CRLF between rows, ISO 8601 times with offset, text cells that a spreadsheet would run as a
formula prefixed with ``'`` (OWASP CSV injection). The "excel" dialect adds a BOM and uses ``;``
because German Excel splits on ``;``.

The PostgreSQL path (annotations/exporting.py) lets COPY write the rows; the quoting here copies
COPY's CSV rules exactly, so both paths give the same bytes.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

# The contract's columns (DESIGN.md), unchanged since the first export: readers rely on them and their order.
CONTRACT_COLUMNS: tuple[str, ...] = (
    "claim_id",
    "status",
    "statement",
    "quote",
    "claimant",
    "article_id",
    "article_title",
    "article_source",
    "article_published",
    "article_url",
    "start",
    "end",
    "sources",
    "source_count",
    "created_by",
    "created_at",
    "verified_by",
    "verified_at",
)
# What an archive needs besides the source URLs, after the contract's columns so existing readers keep
# working: each source's title, publisher and stance, in the order of `sources` (" | " between them;
# a "|" inside a title or publisher is written "¦", so every list splits into `source_count` items), and
# the comment of the verdict (the status change that finished the claim; empty while it is open).
EVIDENCE_COLUMNS: tuple[str, ...] = ("source_titles", "source_publishers", "source_stances", "verdict_comment")
COLUMNS: tuple[str, ...] = CONTRACT_COLUMNS + EVIDENCE_COLUMNS

# Numbers are written as they are: a negative number is data, not a formula.
NUMBER_COLUMNS: frozenset[str] = frozenset({"claim_id", "article_id", "start", "end", "source_count"})

# OWASP: a cell starting with one of these may be run as a formula by a spreadsheet. The line feed is on
# the list because some spreadsheets drop a leading line break and read what follows ("\n+49 …").
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n")

SOURCE_SEPARATOR = " | "
# Takes the place of "|" inside an item of a joined list, so the separator stays unambiguous.
ITEM_BAR = "¦"
ROW_END = b"\r\n"
BOM = "\ufeff".encode()


@dataclass(frozen=True)
class Dialect:
    name: str
    delimiter: str
    bom: bool


DIALECTS: dict[str, Dialect] = {
    "rfc4180": Dialect("rfc4180", ",", bom=False),
    "excel": Dialect("excel", ";", bom=True),
}
DEFAULT_DIALECT = "rfc4180"


def get_dialect(name: str | None) -> Dialect:
    """The dialect of that name; ValueError for an unknown one."""
    try:
        return DIALECTS[name or DEFAULT_DIALECT]
    except KeyError:
        raise ValueError(f"unknown CSV dialect {name!r}; known: {', '.join(DIALECTS)}") from None


def neutralise(text: str) -> str:
    """Prefix a cell that a spreadsheet would take for a formula with ' (OWASP CSV injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def quote_cell(text: str, delimiter: str) -> str:
    """RFC 4180 quoting, exactly as PostgreSQL's COPY ... CSV quotes.

    Quoted when the cell holds the delimiter, a double quote, CR or LF (doubling the quotes). An empty
    cell stays empty. (COPY also quotes a lone ``\\.``, but only in a one-column file; ours has more.)
    """
    if delimiter in text or '"' in text or "\n" in text or "\r" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def iso_time(value: datetime.datetime | None, zone: ZoneInfo) -> str:
    """ISO 8601 in the newsroom's time zone with its offset, whole seconds: 2026-03-24T14:05:09+01:00."""
    if value is None:
        return ""
    return value.astimezone(zone).isoformat(timespec="seconds")


def published_iso(value: datetime.date | None, precision: str) -> str:
    """The published date at its precision: 2022, 2022-03 or 2022-03-24 (as Article.published_iso)."""
    if value is None:
        return ""
    iso = value.isoformat()
    return {"year": iso[:4], "month": iso[:7]}.get(precision, iso)


def joined(items: Iterable[str]) -> str:
    """A list cell: the items joined by SOURCE_SEPARATOR, a "|" inside an item written ITEM_BAR."""
    return SOURCE_SEPARATOR.join(item.replace("|", ITEM_BAR) for item in items)


def header_line(dialect: Dialect, names: Mapping[str, str] | None = None) -> bytes:
    """The header row: the column names, or the names given for them (e.g. German labels)."""
    names = names or {}
    cells = [quote_cell(names.get(column, column), dialect.delimiter) for column in COLUMNS]
    return dialect.delimiter.join(cells).encode() + ROW_END


def format_row(row: dict[str, Any], dialect: Dialect) -> str:
    """One CSV line (with its CRLF) from a row whose values are already strings or ints."""
    cells = []
    for column in COLUMNS:
        value = row[column]
        if column in NUMBER_COLUMNS:
            cells.append("" if value is None else str(int(value)))
        else:
            cells.append(quote_cell(neutralise(value or ""), dialect.delimiter))
    return dialect.delimiter.join(cells) + "\r\n"


def csv_chunks(
    rows: Iterable[dict[str, Any]],
    dialect: Dialect,
    chunk_bytes: int = 64 * 1024,
    names: Mapping[str, str] | None = None,
) -> Iterator[bytes]:
    """The whole file in chunks of about chunk_bytes: BOM (excel), header, rows.

    The header leaves as its own first chunk, so a download starts before the first query ends.
    """
    yield (BOM if dialect.bom else b"") + header_line(dialect, names)
    buffer: list[str] = []
    size = 0
    for row in rows:
        line = format_row(row, dialect)
        buffer.append(line)
        size += len(line)
        if size >= chunk_bytes:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


def crlf_rows(chunks: Iterable[bytes | memoryview], chunk_bytes: int = 64 * 1024) -> Iterator[bytes]:
    """Turn COPY's LF row ends into CRLF, leaving line breaks inside quoted cells alone.

    A LF ends a row exactly when the double quotes before it are balanced (quotes inside a cell are
    doubled, so they never upset the count). Works on chunks cut anywhere; regroups them into
    chunks of about chunk_bytes.
    """
    inside_quotes = False
    out: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = bytes(chunk)
        if not inside_quotes and data.endswith(b"\n") and data.count(b"\n") == 1 and not data.count(b'"') % 2:
            # The common case, one row as COPY hands it over: its only LF ends it. No per-piece loop.
            out.append(data[:-1])
            out.append(ROW_END)
            size += len(data) + 1
            if size >= chunk_bytes:
                yield b"".join(out)
                out, size = [], 0
            continue
        pieces = data.split(b"\n")
        for index, piece in enumerate(pieces):
            if piece.count(b'"') % 2:
                inside_quotes = not inside_quotes
            out.append(piece)
            size += len(piece) + 2
            if index < len(pieces) - 1:
                out.append(b"\n" if inside_quotes else ROW_END)
        if size >= chunk_bytes:
            yield b"".join(out)
            out, size = [], 0
    if out:
        yield b"".join(out)


# --- schema.org ClaimReview -----------------------------------------------------------

# The rating scale of our ClaimReviews (schema.org leaves the scale to the publisher):
# 1 = disputed (the sources contradict the claim: false) … 5 = verified (the sources support it: true).
# Only finished claims with a conclusion get a ClaimReview; "unverifiable" draws no conclusion.
WORST_RATING = 1
BEST_RATING = 5
RATING_BY_STATUS: dict[str, int] = {"disputed": WORST_RATING, "verified": BEST_RATING}


@dataclass(frozen=True)
class ReviewedClaim:
    """What a ClaimReview says about one claim; plain values, so this module needs no Django."""

    claim_url: str
    statement: str
    status: str
    status_label: str
    claimant: str
    reviewed_at: datetime.datetime | None
    article_url: str
    article_title: str
    article_published: str
    language: str


def claim_review(claim: ReviewedClaim, organisation: dict[str, str], zone: ZoneInfo) -> dict[str, Any]:
    """A schema.org ClaimReview for a verified or disputed claim (no @context: the caller adds it)."""
    rating = RATING_BY_STATUS[claim.status]
    appearance: dict[str, Any] = {"@type": "CreativeWork", "url": claim.article_url, "headline": claim.article_title}
    if claim.article_published:
        appearance["datePublished"] = claim.article_published
    item_reviewed: dict[str, Any] = {"@type": "Claim", "appearance": appearance}
    if claim.claimant:
        item_reviewed["author"] = {"@type": "Person", "name": claim.claimant}
    review: dict[str, Any] = {
        "@type": "ClaimReview",
        "url": claim.claim_url,
        "claimReviewed": claim.statement,
        "inLanguage": claim.language,
        "author": {"@type": "Organization", **organisation},
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": rating,
            "worstRating": WORST_RATING,
            "bestRating": BEST_RATING,
            "alternateName": claim.status_label,
        },
        "itemReviewed": item_reviewed,
    }
    if claim.reviewed_at is not None:
        review["datePublished"] = claim.reviewed_at.astimezone(zone).date().isoformat()
    return review


SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_for_script(data: Any) -> str:
    """JSON that is safe inside <script>: no "<", ">" or "&" (as Django's json_script escapes)."""
    return json.dumps(data, ensure_ascii=False, indent=2).translate(SCRIPT_ESCAPES)


# --- W3C Web Annotation ---------------------------------------------------------------

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


@dataclass(frozen=True)
class AnnotatedClaim:
    annotation_url: str
    article_url: str
    statement: str
    status_label: str
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int
    language: str
    created_at: datetime.datetime
    modified_at: datetime.datetime | None
    creator: str


def web_annotation(claim: AnnotatedClaim, zone: ZoneInfo) -> dict[str, Any]:
    """An Annotation assessing the quoted words of the article: the claim as body, the status as assessment."""
    quote_selector: dict[str, Any] = {"type": "TextQuoteSelector", "exact": claim.quote}
    if claim.prefix:
        quote_selector["prefix"] = claim.prefix
    if claim.suffix:
        quote_selector["suffix"] = claim.suffix
    annotation: dict[str, Any] = {
        "id": claim.annotation_url,
        "type": "Annotation",
        "motivation": "assessing",
        "created": iso_time(claim.created_at, zone),
        "creator": {"type": "Person", "nickname": claim.creator},
        "body": [
            {
                "type": "TextualBody",
                "value": claim.statement,
                "format": "text/plain",
                "language": claim.language,
                "purpose": "describing",
            },
            {
                "type": "TextualBody",
                "value": claim.status_label,
                "format": "text/plain",
                "language": claim.language,
                "purpose": "assessing",
            },
        ],
        "target": {
            "type": "SpecificResource",
            "source": claim.article_url,
            "selector": [
                quote_selector,
                {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            ],
        },
    }
    if claim.modified_at is not None:
        annotation["modified"] = iso_time(claim.modified_at, zone)
    return annotation


def annotation_collection_chunks(
    collection_url: str, label: str, total: int, annotations: Iterable[dict[str, Any]]
) -> Iterator[bytes]:
    """An AnnotationCollection with one AnnotationPage, written item by item so memory stays flat."""
    head = {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": total,
    }
    page_head = {"id": collection_url + "#page-1", "type": "AnnotationPage", "startIndex": 0}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "first": ' + json.dumps(page_head, ensure_ascii=False)
    yield (opening[:-1] + ', "items": [\n').encode()
    yield from _json_items(annotations)
    yield b"\n]}}\n"


def graph_chunks(context: str, items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON-LD document {"@context": ..., "@graph": [...]}, written item by item."""
    yield ('{"@context": ' + json.dumps(context) + ', "@graph": [\n').encode()
    yield from _json_items(items)
    yield b"\n]}\n"


def _json_items(items: Iterable[dict[str, Any]], per_chunk: int = 200) -> Iterator[bytes]:
    batch: list[str] = []
    first = True
    for item in items:
        batch.append(json.dumps(item, ensure_ascii=False))
        if len(batch) >= per_chunk:
            yield ((",\n" if not first else "") + ",\n".join(batch)).encode()
            batch, first = [], False
    if batch:
        yield ((",\n" if not first else "") + ",\n".join(batch)).encode()


def batched(items: Iterable[Any], size: int) -> Iterator[Sequence[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
