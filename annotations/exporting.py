"""The database side of the exports: which claims, in which order, read how.

`csv_chunks` picks the fast path: on PostgreSQL the rows come from ``COPY (SELECT ...) TO STDOUT``
through psycopg 3 with the OWASP neutralisation, the time format and the joining of sources done in
SQL; elsewhere (SQLite) the ORM reads the rows in chunks and annotations.lib.formats formats them.
Both give the same bytes for the same data (tests/test_export_copy_parity.py holds them to it).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from annotations.lib import formats
from annotations.models import AnchorState, Article, Claim, ClaimStatus, Evidence, Source

CHUNK_ROWS = 2000


def export_zone() -> ZoneInfo:
    """Times in exports are in the newsroom's time zone (Europe/Berlin), with their offset."""
    return ZoneInfo(settings.TIME_ZONE)


def export_ordering(claims: QuerySet[Claim]) -> list[str]:
    """The order of the queue (the FilterSet's ordering or the model's), made total with the id."""
    ordering = [str(field) for field in (claims.query.order_by or Claim._meta.ordering)]
    if not {"id", "-id", "pk", "-pk"} & set(ordering):
        ordering.append("id")
    return ordering


# Each format its own file name, so the plain and the Excel CSV (or the two JSON-LD kinds) downloaded
# on one day do not overwrite each other or get mixed up.
FILE_ENDINGS = {
    "rfc4180": ".csv",
    "excel": "-excel.csv",
    "w3c": "-w3c.jsonld",
    "claimreview": "-claimreview.jsonld",
}


def file_name(kind: str) -> str:
    """behauptungen-2026-03-24.csv, …-excel.csv, …-w3c.jsonld, …-claimreview.jsonld (today, newsroom time)."""
    name = pgettext("export file name", "claims")
    return f"{name}-{timezone.localdate().isoformat()}{FILE_ENDINGS[kind]}"


def as_attachment(response: StreamingHttpResponse, kind: str) -> StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{file_name(kind)}"'
    return response


def csv_chunks(claims: QuerySet[Claim], dialect: formats.Dialect) -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        return csv_chunks_via_copy(claims, dialect)
    return csv_chunks_via_orm(claims, dialect)


# --- The ORM path (any database) ---------------------------------------------------------

_ROW_FIELDS = {
    "claim_id": "id",
    "status": "status",
    "statement": "statement",
    "quote": "quote",
    "claimant": "claimant",
    "article_id": "article_id",
    "article_title": "article__title",
    "article_source": "article__source",
    "published_on": "article__published_on",
    "published_precision": "article__published_precision",
    "article_url": "article__url",
    "start": "start",
    "end": "end",
    "anchor_state": "anchor_state",
    "created_by": "created_by__" + get_user_model().USERNAME_FIELD,
    "created_at": "created_at",
    "verified_by": "verified_by__" + get_user_model().USERNAME_FIELD,
    "verified_at": "verified_at",
}


def export_rows(claims: QuerySet[Claim]) -> Iterator[dict[str, Any]]:
    """The CSV rows as plain values, read CHUNK_ROWS claims (and one query for their sources) at a time."""
    zone = export_zone()
    rows = claims.order_by(*export_ordering(claims)).values_list(*_ROW_FIELDS.values()).iterator(CHUNK_ROWS)
    for batch in formats.batched(rows, CHUNK_ROWS):
        urls: dict[int, list[str]] = {}
        evidence = Evidence.objects.filter(claim_id__in=[values[0] for values in batch]).order_by("id")
        for claim_id, url in evidence.values_list("claim_id", "source__url"):
            urls.setdefault(claim_id, []).append(url)
        for values in batch:
            row = dict(zip(_ROW_FIELDS, values, strict=True))
            sources = urls.get(row["claim_id"], [])
            row["article_published"] = formats.published_iso(row.pop("published_on"), row.pop("published_precision"))
            row["sources"] = formats.SOURCE_SEPARATOR.join(sources)
            row["source_count"] = len(sources)
            row["created_at"] = formats.iso_time(row["created_at"], zone)
            row["verified_at"] = formats.iso_time(row["verified_at"], zone)
            if row.pop("anchor_state") == AnchorState.ORPHANED:
                row["start"] = row["end"] = None  # no place in the current text: no offsets into it
            yield row


def csv_chunks_via_orm(claims: QuerySet[Claim], dialect: formats.Dialect) -> Iterator[bytes]:
    return formats.csv_chunks(export_rows(claims), dialect)


# --- The COPY path (PostgreSQL) -------------------------------------------------------------


_SQL_LITERALS = {"=": "'='", "+": "'+'", "-": "'-'", "@": "'@'", "\t": "E'\\t'", "\r": "E'\\r'", "\n": "E'\\n'"}


def _neutralised(column: str) -> str:
    """SQL for formats.neutralise(column), and NULL for an empty cell (COPY writes NULL unquoted, as we do)."""
    triggers = ", ".join(_SQL_LITERALS[trigger] for trigger in formats.FORMULA_TRIGGERS)
    return f"NULLIF(CASE WHEN left({column}, 1) IN ({triggers}) THEN '''' || {column} ELSE {column} END, '')"


def _iso_time(column: str) -> str:
    """SQL for formats.iso_time: whole seconds, the offset of the session time zone (set to the newsroom's)."""
    return f"""to_char({column}, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM')"""


def _tables() -> dict[str, str]:
    user = get_user_model()
    return {
        "claim": Claim._meta.db_table,
        "article": Article._meta.db_table,
        "evidence": Evidence._meta.db_table,
        "source": Source._meta.db_table,
        "user": user._meta.db_table,
        "username": user._meta.get_field(user.USERNAME_FIELD).column,
    }


def _order_by(ordering: list[str]) -> str:
    """export_ordering as SQL on the claim table ``c``: fields of the claim itself, by name or column."""
    parts = []
    for name in ordering:
        field = Claim._meta.pk if name.lstrip("-") == "pk" else Claim._meta.get_field(name.lstrip("-"))
        if field.is_relation and name.lstrip("-") == field.name:
            raise ValueError(f"the export orders by columns of the claim, not by {name!r} (use its _id)")
        parts.append(f'c."{field.column}" {"DESC" if name.startswith("-") else "ASC"}')
    return ", ".join(parts)


def export_sql(claims: QuerySet[Claim]) -> tuple[str, tuple[Any, ...]]:
    """SELECT of the finished CSV cells, in COLUMNS order, of the claims the FilterSet selects, in export order.

    Shaped for speed at a million claims: the FilterSet's own SQL picks the claims once (``selected``),
    their sources are joined and aggregated in one pass over the evidence of those claims (not once per
    row), and the rows come straight from the claim table in the export order, which its indexes serve.
    """
    selection, params = claims.order_by().values("id").query.sql_with_params()
    t = _tables()
    published = (
        "CASE a.published_precision WHEN 'year' THEN to_char(a.published_on, 'YYYY') "
        "WHEN 'month' THEN to_char(a.published_on, 'YYYY-MM') ELSE to_char(a.published_on, 'YYYY-MM-DD') END"
    )
    cells = {
        "claim_id": "c.id",
        "status": _neutralised("c.status"),
        "statement": _neutralised("c.statement"),
        "quote": _neutralised("c.quote"),
        "claimant": _neutralised("c.claimant"),
        "article_id": "c.article_id",
        "article_title": _neutralised("a.title"),
        "article_source": _neutralised("a.source"),
        "article_published": _neutralised(published),
        "article_url": _neutralised("a.url"),
        # An orphaned claim has no place in the current text: its cells stay empty, as in export_rows.
        "start": f"CASE WHEN c.anchor_state = '{AnchorState.ORPHANED.value}' THEN NULL ELSE c.start END",
        "end": f"""CASE WHEN c.anchor_state = '{AnchorState.ORPHANED.value}' THEN NULL ELSE c."end" END""",
        "sources": _neutralised("ev.urls"),
        "source_count": "coalesce(ev.n, 0)",
        "created_by": _neutralised(f'cu."{t["username"]}"'),
        "created_at": _iso_time("c.created_at"),
        "verified_by": _neutralised(f'vu."{t["username"]}"'),
        "verified_at": _iso_time("c.verified_at"),
    }
    assert tuple(cells) == formats.COLUMNS
    separator = formats.SOURCE_SEPARATOR.replace("'", "''")
    # The selection twice rather than once in a CTE: a materialised CTE hides its size from the planner.
    sql = f"""
        WITH sources AS (
            SELECT e.claim_id, string_agg(s.url, '{separator}' ORDER BY e.id) AS urls, count(*) AS n
            FROM "{t["evidence"]}" e JOIN "{t["source"]}" s ON s.id = e.source_id
            WHERE e.claim_id IN ({selection})
            GROUP BY e.claim_id
        )
        SELECT {", ".join(cells.values())}
        FROM "{t["claim"]}" c
        JOIN "{t["article"]}" a ON a.id = c.article_id
        JOIN "{t["user"]}" cu ON cu.id = c.created_by_id
        LEFT JOIN "{t["user"]}" vu ON vu.id = c.verified_by_id
        LEFT JOIN sources ev ON ev.claim_id = c.id
        WHERE c.id IN ({selection})
        ORDER BY {_order_by(export_ordering(claims))}
    """
    return sql, params + params


def copy_out(sql: str, params: tuple[Any, ...], options: str = "FORMAT csv") -> Iterator[memoryview]:
    """The data of COPY (sql) TO STDOUT as psycopg hands it over, with the session in the newsroom's time zone.

    The time zone is set for this transaction only and put back afterwards, so an enclosing
    transaction (a test, a request) sees the connection as before.
    """
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg 3 cursor under Django's wrapper
        cursor.execute("SELECT current_setting('TimeZone')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])
        with cursor.copy(f"COPY ({sql}) TO STDOUT WITH ({options})", params) as copy:
            yield from copy
        # Only on success: a download broken off rolls back (to the savepoint), which undoes the setting.
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [previous])


def csv_chunks_via_copy(claims: QuerySet[Claim], dialect: formats.Dialect) -> Iterator[bytes]:
    yield (formats.BOM if dialect.bom else b"") + formats.header_line(dialect)
    sql, params = export_sql(claims)
    yield from formats.crlf_rows(copy_out(sql, params, f"FORMAT csv, DELIMITER '{dialect.delimiter}'"))


# --- JSON-LD --------------------------------------------------------------------------------


def _status_label(status: str) -> str:
    # The published ratings speak the newsroom's language, whatever the reader's interface language.
    with translation.override(settings.LANGUAGE_CODE):
        return str(ClaimStatus(status).label)


def reviewed_claim(claim: Claim, absolute: Any) -> formats.ReviewedClaim:
    article = claim.article
    return formats.ReviewedClaim(
        claim_url=absolute(claim.get_absolute_url()),
        statement=claim.statement,
        status=claim.status,
        status_label=_status_label(claim.status),
        claimant=claim.claimant,
        reviewed_at=claim.verified_at,
        article_url=article.url or absolute(article.get_absolute_url()),
        article_title=article.title,
        article_published=article.published_iso,
        language=article.language,
    )


def claim_review(claim: Claim, absolute: Any) -> dict[str, Any] | None:
    """The ClaimReview of a verified or disputed claim; None for any other status."""
    if claim.status not in formats.RATING_BY_STATUS:
        return None
    return formats.claim_review(reviewed_claim(claim, absolute), settings.NEWSROOM_ORGANISATION, export_zone())


def claim_reviews(claims: QuerySet[Claim], absolute: Any) -> Iterator[dict[str, Any]]:
    reviewable = claims.filter(status__in=list(formats.RATING_BY_STATUS)).select_related("article")
    for claim in reviewable.order_by(*export_ordering(claims)).iterator(CHUNK_ROWS):
        review = claim_review(claim, absolute)
        if review is not None:
            yield review


def annotatable(claims: QuerySet[Claim]) -> QuerySet[Claim]:
    """The claims that can be Web Annotations of the current text: an orphaned claim has no place in it."""
    return claims.exclude(anchor_state=AnchorState.ORPHANED)


def web_annotations(claims: QuerySet[Claim], absolute: Any) -> Iterator[dict[str, Any]]:
    zone = export_zone()
    rows = claims.select_related("article", "created_by").order_by(*export_ordering(claims))
    for claim in rows.iterator(CHUNK_ROWS):
        yield formats.web_annotation(
            formats.AnnotatedClaim(
                annotation_url=absolute(claim.get_absolute_url()),
                article_url=absolute(claim.article.get_absolute_url()),
                statement=claim.statement,
                status_label=_status_label(claim.status),
                quote=claim.quote,
                prefix=claim.prefix,
                suffix=claim.suffix,
                start=claim.start,
                end=claim.end,
                language=claim.article.language,
                created_at=claim.created_at,
                modified_at=claim.updated_at,
                creator=claim.created_by.get_username(),
            ),
            zone,
        )
