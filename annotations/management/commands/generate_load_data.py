"""Fill the database with realistic volume for benchmarks, fast: generated German articles and claims, bulk inserts."""

from __future__ import annotations

import datetime
import random
import sys
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from annotations.lib import anchoring, loadtext
from annotations.models import Article, Claim, ClaimStatus, Evidence, Source, SourceKind, Stance, body_hash
from annotations.roles import EDITOR, FACT_CHECKER

# Out of every ten claims: five verified, one disputed, one unverifiable, two in review, one new.
STATUS_CYCLE = [ClaimStatus.VERIFIED] * 5 + [
    ClaimStatus.DISPUTED,
    ClaimStatus.UNVERIFIABLE,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.UNVERIFIED,
]
ARTICLES_PER_BATCH = 500
SOURCE_POOL = 5000


class Command(BaseCommand):
    help = (
        "Generate articles with claims (half of them verified with sources) for load tests and benchmarks. "
        "Writes into the configured database; run it on a benchmark database, not on real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=100)
        parser.add_argument("--claims-per-article", type=int, default=10)
        parser.add_argument("--seed", type=int, help="Random seed, for the same texts again.")

    def handle(self, *args: Any, articles: int, claims_per_article: int, seed: int | None, **options: Any) -> None:
        rng = random.Random(seed)
        started = time.perf_counter()
        editor = _load_user("last-redaktion", EDITOR)
        checker = _load_user("last-doku", FACT_CHECKER)
        sources = _source_pool(rng, checker)
        made = {"articles": 0, "claims": 0, "verified": 0, "evidence": 0}
        for first in range(0, articles, ARTICLES_PER_BATCH):
            count = min(ARTICLES_PER_BATCH, articles - first)
            with transaction.atomic():
                batch = _insert_batch(rng, count, claims_per_article, editor, checker, sources)
            for key, value in batch.items():
                made[key] += value
            sys.stderr.write(f"\r{made['articles']}/{articles} articles, {made['claims']} claims")
        sys.stderr.write("\n")
        # Fresh planner statistics: without them PostgreSQL plans the export for the empty tables it saw last.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{made['articles']} articles, {made['claims']} claims "
            f"({made['verified']} verified), "
            f"{made['evidence']} evidence rows in {seconds:.1f} s"
        )


def _load_user(username: str, group: str) -> Any:
    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.set_unusable_password()
        user.save()
        user.groups.add(Group.objects.get(name=group))
    return user


def _source_pool(rng: random.Random, by: Any) -> list[Source]:
    existing = list(Source.objects.filter(url__startswith="https://quellen.example.org/")[:SOURCE_POOL])
    if len(existing) >= SOURCE_POOL:
        return existing
    offset = Source.objects.filter(url__startswith="https://quellen.example.org/").count()
    new = []
    for number in range(offset, offset + SOURCE_POOL - len(existing)):
        url, title, publisher = loadtext.source_url(rng, number)
        new.append(Source(url=url, title=title, publisher=publisher, kind=SourceKind.OFFICIAL, created_by=by))
    return existing + Source.objects.bulk_create(new, batch_size=2000)


def _insert_batch(
    rng: random.Random, count: int, per_article: int, editor: Any, checker: Any, sources: list[Source]
) -> dict[str, int]:
    now = timezone.now()
    generated = [loadtext.article(rng, per_article) for _ in range(count)]
    articles = Article.objects.bulk_create(
        [
            Article(
                title=item.title,
                body=item.body,
                source=item.source,
                author=item.author,
                published_on=item.published_on,
                published_precision=item.precision,
                content_hash=body_hash(item.body),  # bulk_create skips save(), which sets it
                created_by=editor,
                updated_by=editor,
            )
            for item in generated
        ],
        batch_size=1000,
    )
    claims: list[Claim] = []
    for article, item in zip(articles, generated, strict=True):
        for spec in item.claims:
            span = anchoring.span_at(item.body, spec.start, spec.end)
            status = STATUS_CYCLE[len(claims) % len(STATUS_CYCLE)]
            created = now - datetime.timedelta(minutes=rng.randrange(2 * 365 * 24 * 60))
            finished = status in (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIABLE)
            claims.append(
                Claim(
                    article=article,
                    **span.as_fields(),
                    statement=spec.statement,
                    claimant=spec.claimant,
                    status=status,
                    assignee=checker if status != ClaimStatus.UNVERIFIED else None,
                    created_by=editor,
                    created_at=created,
                    verified_by=checker if finished else None,
                    verified_at=created + datetime.timedelta(minutes=rng.randrange(10, 5000)) if finished else None,
                    note="Keine Quelle gefunden; die Stadt antwortet nicht."
                    if status == ClaimStatus.UNVERIFIABLE
                    else "",
                )
            )
    claims = Claim.objects.bulk_create(claims, batch_size=5000)
    evidence = []
    for claim in claims:
        if claim.status == ClaimStatus.VERIFIED:
            picked = rng.sample(sources, rng.choice([1, 1, 2, 3]))
            stances = [Stance.SUPPORTS] + [rng.choice([Stance.SUPPORTS, Stance.CONTEXT]) for _ in picked[1:]]
        elif claim.status == ClaimStatus.DISPUTED:
            picked, stances = rng.sample(sources, 1), [Stance.REFUTES]
        else:
            continue
        for source, stance in zip(picked, stances, strict=True):
            evidence.append(
                Evidence(
                    claim=claim,
                    source=source,
                    stance=stance,
                    excerpt="Laut Tabelle 3 der Veröffentlichung stimmt die Zahl.",
                    added_by=checker,
                    added_at=claim.verified_at,
                )
            )
    Evidence.objects.bulk_create(evidence, batch_size=5000)
    verified = sum(claim.status == ClaimStatus.VERIFIED for claim in claims)
    return {"articles": len(articles), "claims": len(claims), "verified": verified, "evidence": len(evidence)}
