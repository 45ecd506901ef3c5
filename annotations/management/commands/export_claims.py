"""Export claims from the command line with the queue's filters: the same files as the pages give."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import QueryDict

from annotations import exporting
from annotations.filters import ClaimFilter
from annotations.lib import formats
from annotations.models import Claim, ClaimStatus

# option name -> the FilterSet's query string key
FILTER_OPTIONS = {
    "q": "q",
    "assignee": "assignee",
    "article": "article",
    "created_by": "created_by",
    "claimant": "claimant",
    "created_after": "created_after",
    "created_before": "created_before",
    "changed_after": "changed_after",
    "changed_before": "changed_before",
    "checked_after": "checked_after",
    "checked_before": "checked_before",
    "has_evidence": "has_evidence",
    "withdrawn": "withdrawn",
    "ordering": "ordering",
}


class Command(BaseCommand):
    help = (
        "Export claims as CSV (default), W3C Web Annotation JSON-LD or schema.org ClaimReview JSON-LD. "
        "Takes the filters of the claim queue; without --status only verified claims "
        "(verified and disputed for ClaimReview)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", help="File to write; standard output when left out.")
        parser.add_argument(
            "--dialect",
            choices=sorted(formats.DIALECTS),
            default=formats.DEFAULT_DIALECT,
            help="CSV dialect: rfc4180 (comma) or excel (BOM and semicolons, for German Excel).",
        )
        parser.add_argument("--format", choices=["csv", "w3c", "claimreview"], default="csv")
        parser.add_argument(
            "--labels",
            choices=exporting.LABEL_LANGUAGES,
            help="CSV only: column names, statuses and stances in this language (de) instead of the stored values.",
        )
        parser.add_argument(
            "--base-url",
            default="http://localhost:8000",
            help="Where the app is served; JSON-LD ids and targets are absolute URLs below it.",
        )
        parser.add_argument(
            "--status", action="append", choices=ClaimStatus.values, help="A status to export; repeat for several."
        )
        parser.add_argument("--q", help="Text in the statement or quote.")
        parser.add_argument("--assignee", choices=["nobody", "anyone"])
        parser.add_argument("--article", type=int, help="Article id.")
        parser.add_argument("--created-by", help="User name of the creator.")
        parser.add_argument("--claimant")
        parser.add_argument("--created-after", help="YYYY-MM-DD")
        parser.add_argument("--created-before", help="YYYY-MM-DD")
        parser.add_argument("--changed-after", help="YYYY-MM-DD")
        parser.add_argument("--changed-before", help="YYYY-MM-DD")
        parser.add_argument("--checked-after", help="Finished on or after YYYY-MM-DD.")
        parser.add_argument("--checked-before", help="Finished on or before YYYY-MM-DD.")
        parser.add_argument("--has-evidence", choices=["true", "false"])
        parser.add_argument(
            "--withdrawn",
            choices=["include", "only"],
            help="Withdrawn claims are left out unless this includes them or asks for only these.",
        )
        parser.add_argument(
            "--ordering",
            help="As on the queue: created, changed, checked, status, id; a minus sorts descending "
            "(write --ordering=-created).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        default = (
            [ClaimStatus.VERIFIED, ClaimStatus.DISPUTED]
            if options["format"] == "claimreview"
            else [ClaimStatus.VERIFIED]
        )
        data = QueryDict(mutable=True)
        data.setlist("status", options["status"] or default)
        for option, key in FILTER_OPTIONS.items():
            if options.get(option) is not None:
                data[key] = str(options[option])
        # The operator's command reads every claim; the FilterSet leaves out the withdrawn unless asked.
        claims = ClaimFilter(data, queryset=Claim.objects.all())
        if not claims.is_valid():
            raise CommandError(f"Invalid filter: {claims.errors.as_text()}")
        base = options["base_url"].rstrip("/")

        def absolute(path: str | None = None) -> str:
            return base + (path or "/claims/export.jsonld")

        chunks: Iterator[bytes]
        if options["format"] == "csv":
            labels = exporting.labels_in(options["labels"]) if options["labels"] else None
            chunks = exporting.csv_chunks(claims.qs, formats.get_dialect(options["dialect"]), labels)
        elif options["format"] == "w3c":
            placed = exporting.annotatable(claims.qs)
            chunks = formats.annotation_collection_chunks(
                absolute(), "Claims", placed.count(), exporting.web_annotations(placed, absolute)
            )
        else:
            chunks = formats.graph_chunks("https://schema.org", exporting.claim_reviews(claims.qs, absolute))
        if options["output"]:
            with Path(options["output"]).open("wb") as out:
                written = _write(chunks, out)
            self.stderr.write(f"{written} bytes written to {options['output']}")
        else:
            _write(chunks, sys.stdout.buffer)
            sys.stdout.buffer.flush()


def _write(chunks: Iterator[bytes], out: BinaryIO) -> int:
    written = 0
    for chunk in chunks:
        out.write(chunk)
        written += len(chunk)
    return written
