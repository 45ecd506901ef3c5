"""The database side of the exports: which claims, in which order, read how.

`csv_chunks` picks the fast path: on PostgreSQL the rows come from ``COPY (SELECT ...) TO STDOUT``
through psycopg 3 with the OWASP neutralisation, the time format and the joining of sources done in
SQL; elsewhere (SQLite) the ORM reads the rows in chunks and annotations.lib.formats formats them.
Both give the same bytes for the same data (tests/test_export_copy_parity.py holds them to it).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.translation import pgettext, pgettext_lazy

from annotations.lib import formats
from annotations.models import (
    FINISHED_STATUSES,
    AnchorState,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    Source,
    Stance,
)

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


# The CSV's column names for people (?labels=de): German whatever the reader's interface language.
COLUMN_LABELS = {
    "claim_id": pgettext_lazy("CSV column", "Claim ID"),
    "status": pgettext_lazy("CSV column", "Status"),
    "statement": pgettext_lazy("CSV column", "Claim"),
    "quote": pgettext_lazy("CSV column", "Quote"),
    "claimant": pgettext_lazy("CSV column", "Claimant"),
    "article_id": pgettext_lazy("CSV column", "Article ID"),
    "article_title": pgettext_lazy("CSV column", "Article title"),
    "article_source": pgettext_lazy("CSV column", "Article source"),
    "article_published": pgettext_lazy("CSV column", "Article published"),
    "article_url": pgettext_lazy("CSV column", "Article URL"),
    "start": pgettext_lazy("CSV column", "Start"),
    "end": pgettext_lazy("CSV column", "End"),
    "sources": pgettext_lazy("CSV column", "Source URLs"),
    "source_count": pgettext_lazy("CSV column", "Number of sources"),
    "created_by": pgettext_lazy("CSV column", "Created by"),
    "created_at": pgettext_lazy("CSV column", "Created at"),
    "verified_by": pgettext_lazy("CSV column", "Checked by"),
    "verified_at": pgettext_lazy("CSV column", "Checked at"),
    "source_titles": pgettext_lazy("CSV column", "Source titles"),
    "source_publishers": pgettext_lazy("CSV column", "Source publishers"),
    "source_stances": pgettext_lazy("CSV column", "Source stances"),
    "verdict_comment": pgettext_lazy("CSV column", "Verdict comment"),
}
LABEL_LANGUAGES = ("de",)


@dataclass(frozen=True)
class Labels:
    """Words for people in place of the stored values: the header, the status and the stances."""

    columns: dict[str, str]
    statuses: dict[str, str]
    stances: dict[str, str]


def labels_in(language: str) -> Labels:
    """The labels in that language (one of LABEL_LANGUAGES), from the translation catalogue."""
    if language not in LABEL_LANGUAGES:
        raise ValueError(f"unknown labels {language!r}; known: {', '.join(LABEL_LANGUAGES)}")
    with translation.override(language):
        return Labels(
            columns={name: str(label) for name, label in COLUMN_LABELS.items()},
            statuses={value: str(label) for value, label in ClaimStatus.choices},
            stances={value: str(label) for value, label in Stance.choices},
        )


def csv_chunks(claims: QuerySet[Claim], dialect: formats.Dialect, labels: Labels | None = None) -> Iterator[bytes]:
    if connection.vendor == "postgresql":
        return csv_chunks_via_copy(claims, dialect, labels)
    return csv_chunks_via_orm(claims, dialect, labels)


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


def _verdict_comments(claim_ids: list[int]) -> dict[int, str]:
    """The comment of the status change that last finished each claim (the caller keeps finished claims only)."""
    comments: dict[int, str] = {}
    events = ClaimEvent.objects.filter(
        claim_id__in=claim_ids, kind=ClaimEvent.Kind.STATUS, to_status__in=FINISHED_STATUSES
    ).order_by("claim_id", "-id")
    for claim_id, comment in events.values_list("claim_id", "comment"):
        comments.setdefault(claim_id, comment)
    return comments


def export_rows(claims: QuerySet[Claim], labels: Labels | None = None) -> Iterator[dict[str, Any]]:
    """The CSV rows as plain values, read CHUNK_ROWS claims at a time, with one query for their sources
    and one for their verdicts' comments."""
    zone = export_zone()
    rows = claims.order_by(*export_ordering(claims)).values_list(*_ROW_FIELDS.values()).iterator(CHUNK_ROWS)
    for batch in formats.batched(rows, CHUNK_ROWS):
        ids = [values[0] for values in batch]
        sources: dict[int, list[tuple[str, str, str, str]]] = {}
        evidence = Evidence.objects.filter(claim_id__in=ids).order_by("id")
        for claim_id, *source in evidence.values_list(
            "claim_id", "source__url", "source__title", "source__publisher", "stance"
        ):
            sources.setdefault(claim_id, []).append(tuple(source))  # type: ignore[arg-type]
        verdicts = _verdict_comments([values[0] for values in batch if values[1] in FINISHED_STATUSES])
        for values in batch:
            row = dict(zip(_ROW_FIELDS, values, strict=True))
            linked = sources.get(row["claim_id"], [])
            row["article_published"] = formats.published_iso(row.pop("published_on"), row.pop("published_precision"))
            row["sources"] = formats.SOURCE_SEPARATOR.join(url for url, _, _, _ in linked)
            row["source_count"] = len(linked)
            row["created_at"] = formats.iso_time(row["created_at"], zone)
            row["verified_at"] = formats.iso_time(row["verified_at"], zone)
            if row.pop("anchor_state") == AnchorState.ORPHANED:
                row["start"] = row["end"] = None  # no place in the current text: no offsets into it
            stances = [stance for _, _, _, stance in linked]
            row["source_titles"] = formats.joined(title for _, title, _, _ in linked)
            row["source_publishers"] = formats.joined(publisher for _, _, publisher, _ in linked)
            row["source_stances"] = (
                formats.joined(labels.stances.get(s, s) for s in stances) if labels else (formats.joined(stances))
            )
            row["verdict_comment"] = verdicts.get(row["claim_id"], "")
            if labels:
                row["status"] = labels.statuses.get(row["status"], row["status"])
            yield row


def csv_chunks_via_orm(
    claims: QuerySet[Claim], dialect: formats.Dialect, labels: Labels | None = None
) -> Iterator[bytes]:
    return formats.csv_chunks(export_rows(claims, labels), dialect, names=labels.columns if labels else None)


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
        "event": ClaimEvent._meta.db_table,
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


def _labelled(column: str, words: dict[str, str] | None) -> tuple[str, tuple[Any, ...]]:
    """SQL for the label of a stored value (the value itself without labels), the labels as parameters."""
    if not words:
        return column, ()
    cases = " ".join("WHEN %s THEN %s" for _ in words)
    return f"CASE {column} {cases} ELSE {column} END", tuple(part for pair in words.items() for part in pair)


def export_sql(claims: QuerySet[Claim], labels: Labels | None = None) -> tuple[str, tuple[Any, ...]]:
    """SELECT of the finished CSV cells, in COLUMNS order, of the claims the FilterSet selects, in export order.

    Shaped for speed at a million claims: the FilterSet's own SQL picks the claims once (``selected``),
    their sources are joined and aggregated in one pass over the evidence of those claims (not once per
    row), their verdicts' comments in one pass over their status changes, and the rows come straight
    from the claim table in the export order, which its indexes serve.
    """
    selection, params = claims.order_by().values("id").query.sql_with_params()
    status, status_params = _labelled("c.status", labels.statuses if labels else None)
    stance, stance_params = _labelled("e.stance", labels.stances if labels else None)
    t = _tables()
    published = (
        "CASE a.published_precision WHEN 'year' THEN to_char(a.published_on, 'YYYY') "
        "WHEN 'month' THEN to_char(a.published_on, 'YYYY-MM') ELSE to_char(a.published_on, 'YYYY-MM-DD') END"
    )
    cells = {
        "claim_id": "c.id",
        # Labels are our own words, none starting with a formula character: no neutralising (which would
        # repeat the expression and its parameters).
        "status": status if labels else _neutralised("c.status"),
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
        "source_titles": _neutralised("ev.titles"),
        "source_publishers": _neutralised("ev.publishers"),
        "source_stances": _neutralised("ev.stances"),
        "verdict_comment": _neutralised("vd.comment"),
    }
    assert tuple(cells) == formats.COLUMNS
    separator = formats.SOURCE_SEPARATOR.replace("'", "''")
    finished = ", ".join(f"'{value}'" for value in FINISHED_STATUSES)

    def item(column: str) -> str:  # formats.joined: a "|" inside an item is written ITEM_BAR
        return f"replace({column}, '|', '{formats.ITEM_BAR}')"

    # The selection three times rather than once in a CTE: a materialised CTE hides its size from the planner.
    sql = f"""
        WITH sources AS (
            SELECT e.claim_id, string_agg(s.url, '{separator}' ORDER BY e.id) AS urls, count(*) AS n,
                   string_agg({item("s.title")}, '{separator}' ORDER BY e.id) AS titles,
                   string_agg({item("s.publisher")}, '{separator}' ORDER BY e.id) AS publishers,
                   string_agg({stance}, '{separator}' ORDER BY e.id) AS stances
            FROM "{t["evidence"]}" e JOIN "{t["source"]}" s ON s.id = e.source_id
            WHERE e.claim_id IN ({selection})
            GROUP BY e.claim_id
        ),
        verdicts AS (
            SELECT DISTINCT ON (h.claim_id) h.claim_id, h.comment
            FROM "{t["event"]}" h
            WHERE h.claim_id IN ({selection}) AND h.kind = '{ClaimEvent.Kind.STATUS.value}'
              AND h.to_status IN ({finished})
            ORDER BY h.claim_id, h.id DESC
        )
        SELECT {", ".join(cells.values())}
        FROM "{t["claim"]}" c
        JOIN "{t["article"]}" a ON a.id = c.article_id
        JOIN "{t["user"]}" cu ON cu.id = c.created_by_id
        LEFT JOIN "{t["user"]}" vu ON vu.id = c.verified_by_id
        LEFT JOIN sources ev ON ev.claim_id = c.id
        LEFT JOIN verdicts vd ON vd.claim_id = c.id AND c.status IN ({finished})
        WHERE c.id IN ({selection})
        ORDER BY {_order_by(export_ordering(claims))}
    """
    return sql, stance_params + params + params + status_params + params


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


def csv_chunks_via_copy(
    claims: QuerySet[Claim], dialect: formats.Dialect, labels: Labels | None = None
) -> Iterator[bytes]:
    yield (formats.BOM if dialect.bom else b"") + formats.header_line(dialect, labels.columns if labels else None)
    sql, params = export_sql(claims, labels)
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
