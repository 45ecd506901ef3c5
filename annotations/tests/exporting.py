"""Helpers for the export tests: finished claims made through the workflow, and CSV parsing."""

from __future__ import annotations

import csv
import io
from typing import Any

from annotations.models import Article, Claim, ClaimStatus, Source
from annotations.tests.conftest import make_article

# Texts that break naive CSV writers and spreadsheets: umlauts, „quotes“, ; and , and " and line breaks.
TRICKY_BODY = (
    "Der Kämmerer von Großröhrsdorf sagte: „Die Steuer steigt um 3,5\u00a0Prozent; das ist nötig.“\n"
    'Die Opposition nannte das einen "Griff in die Taschen" der Bürger – und zählte 1.250 Einwände.\n\n'
    "Übrigens: Die Straße wird im Mai gesperrt."
)


def finish(
    claim: Claim,
    checker: Any,
    status: str = ClaimStatus.VERIFIED,
    urls: tuple[str, ...] = (),
    comment: str = "Geprüft.",
) -> Claim:
    """Bring a claim to a finished status through the model methods, with a source per URL."""
    stance = {"verified": "supports", "disputed": "refutes"}.get(status, "context")
    for url in urls or (f"https://quelle.example.org/{claim.pk}",):
        source, _ = Source.objects.get_or_create(url=url, defaults={"title": "Quelle"})
        claim.add_evidence(source, stance=stance, by=checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=checker)
    claim.change_status(status, by=checker, comment=comment)
    claim.refresh_from_db()
    return claim


def claim_on(
    article: Article, editor: Any, quote: str, statement: str = "Eine Behauptung", claimant: str = ""
) -> Claim:
    start = article.body.index(quote)
    return Claim.objects.create_from_selection(
        article=article,
        start=start,
        end=start + len(quote),
        quote=quote,
        statement=statement,
        claimant=claimant,
        by=editor,
    )


def tricky_article(editor: Any, **fields: Any) -> Article:
    fields.setdefault("title", "Steuer; Streit, „Zahlen“")
    fields.setdefault("body", TRICKY_BODY)
    return make_article(by=editor, **fields)


def read_csv(data: bytes, delimiter: str = ",") -> list[dict[str, str]]:
    text = data.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))


def body_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)
