"""Time the CSV export of the verified claims over HTTP against a hand-written COPY of the same cells.

    manage.py benchmark_export [--dialect excel]

1. The yardstick: one COPY, written here by hand for this benchmark (it shares nothing with
   annotations/exporting.py), that selects the same cells the export writes (the 18 of the contract with
   formula neutralisation, ISO times in the newsroom's time zone, dates at their precision; then the
   sources' titles, publishers and stances and the verdict's comment) for the verified claims in the
   export's order, with the sources and verdicts of all claims aggregated in one pass rather than per row.
2. The export: GET /claims/export.csv?status=verified from gunicorn (one worker, the production
   settings) over a real socket, as a chief editor, reading the body to the last byte.

Prints rows per second of both, their ratio (goal: the export at least half the COPY's rate), whether
both wrote the same cells (the export's CRLF row ends aside), and the worker's peak memory growth.
"""

from __future__ import annotations

import hashlib
import http.client
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from annotations import serving
from annotations.models import Claim
from annotations.roles import CHIEF_EDITOR

# By hand, on purpose: the benchmark measures the export against what PostgreSQL can do with the same cells.
SAME_CELLS_COPY = """
COPY (
    WITH sources AS (
        SELECT e.claim_id, string_agg(s.url, ' | ' ORDER BY e.id) AS urls, count(*) AS n,
               string_agg(replace(s.title, '|', '¦'), ' | ' ORDER BY e.id) AS titles,
               string_agg(replace(s.publisher, '|', '¦'), ' | ' ORDER BY e.id) AS publishers,
               string_agg(e.stance, ' | ' ORDER BY e.id) AS stances
        FROM annotations_evidence e JOIN annotations_source s ON s.id = e.source_id
        GROUP BY e.claim_id
    ),
    verdicts AS (
        SELECT DISTINCT ON (h.claim_id) h.claim_id, h.comment
        FROM annotations_claimevent h
        WHERE h.kind = 'status' AND h.to_status IN ('verified', 'disputed', 'unverifiable')
        ORDER BY h.claim_id, h.id DESC
    )
    SELECT c.id,
           {status}, {statement}, {quote}, {claimant},
           c.article_id, {title}, {source}, {published}, {url},
           CASE WHEN c.anchor_state = 'orphaned' THEN NULL ELSE c.start END,
           CASE WHEN c.anchor_state = 'orphaned' THEN NULL ELSE c."end" END, {urls}, coalesce(ev.n, 0),
           {created_by}, to_char(c.created_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
           {verified_by}, to_char(c.verified_at, 'YYYY-MM-DD"T"HH24:MI:SSTZH:TZM'),
           {titles}, {publishers}, {stances}, {comment}
    FROM annotations_claim c
    JOIN annotations_article a ON a.id = c.article_id
    JOIN auth_user cu ON cu.id = c.created_by_id
    LEFT JOIN auth_user vu ON vu.id = c.verified_by_id
    LEFT JOIN sources ev ON ev.claim_id = c.id
    LEFT JOIN verdicts vd ON vd.claim_id = c.id
    WHERE c.status = 'verified' AND c.withdrawn_at IS NULL
    ORDER BY c.article_id, c.start, c."end", c.id
) TO STDOUT WITH (FORMAT csv, DELIMITER '{delimiter}')
"""
PUBLISHED = (
    "CASE a.published_precision WHEN 'year' THEN to_char(a.published_on, 'YYYY') "
    "WHEN 'month' THEN to_char(a.published_on, 'YYYY-MM') ELSE to_char(a.published_on, 'YYYY-MM-DD') END"
)


def _text_cell(sql: str) -> str:
    """A text cell as the CSV contract wants it: a leading formula character neutralised, empty as no value."""
    return (
        f"NULLIF(CASE WHEN left({sql}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r', E'\\n') "
        f"THEN '''' || {sql} ELSE {sql} END, '')"
    )


def same_cells_copy(delimiter: str) -> str:
    cells = {
        "status": "c.status",
        "statement": "c.statement",
        "quote": "c.quote",
        "claimant": "c.claimant",
        "title": "a.title",
        "source": "a.source",
        "published": PUBLISHED,
        "url": "a.url",
        "urls": "ev.urls",
        "created_by": "cu.username",
        "verified_by": "vu.username",
        "titles": "ev.titles",
        "publishers": "ev.publishers",
        "stances": "ev.stances",
        "comment": "vd.comment",
    }
    return SAME_CELLS_COPY.format(delimiter=delimiter, **{name: _text_cell(sql) for name, sql in cells.items()})


class Command(BaseCommand):
    help = (
        "Benchmark /claims/export.csv over HTTP (gunicorn, PostgreSQL) against a hand-written COPY of the same "
        "cells; print rows/s of both, their ratio, whether the cells agree and the worker's peak memory growth."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dialect", default="rfc4180", choices=["rfc4180", "excel"])

    def handle(self, *args: Any, dialect: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark compares with COPY: run it against PostgreSQL (DATABASE_URL).")
        rows = Claim.objects.current().filter(status="verified").count()  # the export leaves withdrawn claims out
        if not rows:
            raise CommandError("No verified claims: fill the database with generate_load_data first.")
        self.stdout.write(f"verified claims: {rows}")
        delimiter = ";" if dialect == "excel" else ","
        _copy(same_cells_copy(delimiter))  # warm the cache, so neither run pays for reading the tables from disk

        started = time.perf_counter()
        raw_size, raw_digest = _copy(same_cells_copy(delimiter))
        raw_seconds = time.perf_counter() - started

        cookie = serving.session_cookie(serving.account("benchmark-cvd", CHIEF_EDITOR))
        with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as folder:
            # One worker, so its memory is the request's; a long timeout, so a busy machine cannot cut the run short.
            with serving.gunicorn(
                Path(folder) / "gunicorn.log", GUNICORN_WORKERS="1", GUNICORN_TIMEOUT="600"
            ) as server:
                (worker,) = server.worker_pids()
                url = f"/claims/export.csv?status=verified&dialect={dialect}"
                _download(server.port, url, cookie)  # the worker's first request loads the code and templates
                rss_before = _status_kib(worker, "VmRSS")
                Path(f"/proc/{worker}/clear_refs").write_text("5")  # VmHWM := VmRSS, so the peak is this request's
                started = time.perf_counter()
                size, first_byte, digest = _download(server.port, url, cookie)
                export_seconds = time.perf_counter() - started
                growth_mib = (_status_kib(worker, "VmHWM") - rss_before) / 1024

        export_rate, raw_rate = rows / export_seconds, rows / raw_seconds
        self.stdout.write(
            f"HTTP export:     {rows} rows, {size / 2**20:.1f} MiB, {export_seconds:.2f} s "
            f"= {export_rate:,.0f} rows/s; first bytes after {1000 * first_byte:.1f} ms"
        )
        self.stdout.write(
            f"same-cells COPY: {rows} rows, {raw_size / 2**20:.1f} MiB, {raw_seconds:.2f} s = {raw_rate:,.0f} rows/s"
        )
        self.stdout.write(f"ratio export/COPY: {export_rate / raw_rate:.2f} (goal: at least 0.5)")
        self.stdout.write(f"same cells: {'yes' if digest == raw_digest else 'NO'} (rows compared with LF row ends)")
        self.stdout.write(
            f"peak memory growth of the gunicorn worker: {growth_mib:.1f} MiB (goal: under 50 MB; "
            "VmHWM after the request minus VmRSS before)"
        )


def _copy(sql: str) -> tuple[int, str]:
    """Run the COPY in the newsroom's time zone; its size in bytes and the digest of its data."""
    digest, size = hashlib.sha256(), 0
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])
        with cursor.copy(sql) as copy:
            for data in copy:
                digest.update(data)
                size += len(data)
    return size, digest.hexdigest()


def _download(port: int, path: str, cookie: str) -> tuple[int, float, str]:
    """GET path to its last byte: (bytes, seconds to the first byte, digest of the rows with LF ends)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    if response.status != 200:
        raise CommandError(f"export answered {response.status}: {response.read(500)!r}")
    digest, size, first_byte, header, tail = hashlib.sha256(), 0, 0.0, True, b""
    while chunk := response.read1(256 * 1024):
        if not size:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        data = tail + chunk
        tail = b"\r" if data.endswith(b"\r") else b""  # a CRLF cut between two chunks
        data = data[: len(data) - len(tail)]
        if header:  # the header line (after the BOM of the excel dialect) is not in the COPY
            data = data.split(b"\r\n", 1)[1] if b"\r\n" in data else b""
            header = False
        digest.update(data.replace(b"\r\n", b"\n"))
    conn.close()
    return size, first_byte, digest.hexdigest()


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise CommandError(f"/proc/{pid}/status has no {field}")
