"""Fill the database with realistic volume for benchmarks, fast: generated German articles with claims,
sources, evidence and each claim's history, written with COPY on PostgreSQL.

    manage.py generate_load_data --articles 100000 --claims-per-article 10

Articles carry between none and twice --claims-per-article claims (two neighbouring articles balance each
other, so the total is exactly articles × claims per article). Out of every ten claims five are verified,
one disputed, one unverifiable, two in review and one new; a verified claim has one to three sources, at
least one supporting it, a disputed one a refuting source, and some claims in review already have a
source for context; one claim in a hundred, a new one, was withdrawn by its editor. The history of each
claim is what the app's own methods would have written: created, taken into review, each source added, the
verdict or the withdrawal; the claim's version counts these events. The work is
spread over a desk of editors and fact-checkers and over the last two years.
"""

from __future__ import annotations

import datetime
import json
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction
from django.utils import timezone
from tqdm import tqdm

from annotations import searching, serving
from annotations.lib import anchoring, loadtext
from annotations.models import (
    FINISHED_STATUSES,
    OPEN_STATUSES,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    ClaimTally,
    Evidence,
    FinishedTally,
    Source,
    SourceKind,
    Stance,
    body_hash,
)
from annotations.roles import EDITOR, FACT_CHECKER

# Out of every ten claims: five verified, one disputed, one unverifiable, two in review, one new.
STATUS_CYCLE = [ClaimStatus.VERIFIED] * 5 + [
    ClaimStatus.DISPUTED,
    ClaimStatus.UNVERIFIABLE,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.UNVERIFIED,
]
ARTICLES_PER_BATCH = 1000
EDITORS, FACT_CHECKERS = 20, 10
SPAN = datetime.timedelta(days=2 * 365)
# One claim in a hundred (a tenth of the new ones) is withdrawn by the editor who marked it by mistake.
WITHDRAWN_EVERY = 100
EXCERPT = "Laut Tabelle 3 der Veröffentlichung stimmt die Zahl."
UNVERIFIABLE_NOTE = "Keine Quelle gefunden; die Stadt antwortet nicht."


class Command(BaseCommand):
    help = (
        "Generate articles with claims, sources, evidence and history for load tests and benchmarks "
        "(COPY on PostgreSQL). Writes into the configured database: run it on a benchmark database, not on real data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=100)
        parser.add_argument("--claims-per-article", type=int, default=10, help="On average; the total is exact.")
        parser.add_argument("--seed", type=int, help="Random seed, for the same texts again.")

    def handle(self, *args: Any, articles: int, claims_per_article: int, seed: int | None, **options: Any) -> None:
        started = time.perf_counter()
        desk = Desk(
            editors=_load_users("last-redaktion", EDITORS, EDITOR),
            checkers=_load_users("last-doku", FACT_CHECKERS, FACT_CHECKER),
        )
        rng = random.Random(seed)
        sources = _source_pool(rng, desk.checkers, max(5000, articles * claims_per_article // 50))
        made = Made()
        with tqdm(total=articles, unit=" articles", desc="generating", disable=articles < 2000) as progress:
            for first in range(0, articles, ARTICLES_PER_BATCH):
                count = min(ARTICLES_PER_BATCH, articles - first)
                with transaction.atomic():
                    made.add(_write_batch(_generate(rng, count, claims_per_article, made.claims, desk, sources)))
                progress.update(count)
        # The COPY went past the triggers that keep the tallies (claims per status, finished claims per
        # hour) and the search's word list (typos, inflections, compounds): count and collect once, here.
        ClaimTally.objects.recount()
        FinishedTally.objects.recount()
        searching.fill_word_list()
        written = time.perf_counter() - started
        self.stderr.write(f"written in {written:.1f} s; updating the planner's statistics …")
        _vacuum_analyze([Article, Claim, ClaimEvent, Evidence, Source])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{made.articles} articles, {made.claims} claims ({made.verified} verified), "
            f"{made.evidence} evidence rows, {made.events} history rows in {seconds:.1f} s ({written:.1f} s writing, "
            f"{made.claims / written:,.0f} claims/s)"
        )


@dataclass
class Desk:
    editors: list[Any]
    checkers: list[Any]


@dataclass
class Batch:
    articles: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    verified: int = 0


@dataclass
class Made:
    articles: int = 0
    claims: int = 0
    verified: int = 0
    evidence: int = 0
    events: int = 0

    def add(self, batch: Batch) -> None:
        self.articles += len(batch.articles)
        self.claims += len(batch.claims)
        self.verified += batch.verified
        self.evidence += len(batch.evidence)
        self.events += len(batch.events)


def _load_users(prefix: str, count: int, group: str) -> list[Any]:
    return [serving.account(f"{prefix}-{number}", group) for number in range(1, count + 1)]


def _source_pool(rng: random.Random, checkers: list[Any], size: int) -> list[Source]:
    generated = Source.objects.filter(url__startswith="https://quellen.example.org/").order_by("id")
    existing = list(generated[:size])
    offset = generated.count()
    new = []
    for number in range(offset, offset + size - len(existing)):
        url, title, publisher = loadtext.source_url(rng, number)
        new.append(
            Source(url=url, title=title, publisher=publisher, kind=SourceKind.OFFICIAL, created_by=rng.choice(checkers))
        )
    return existing + Source.objects.bulk_create(new, batch_size=2000)


def _claim_counts(rng: random.Random, articles: int, per_article: int) -> Iterator[int]:
    """Between 0 and 2 × per_article claims each, pairs summing to 2 × per_article: the total stays exact."""
    for _ in range(articles // 2):
        spread = rng.randint(0, per_article)
        yield from (per_article + spread, per_article - spread)
    if articles % 2:
        yield per_article


def _generate(
    rng: random.Random, count: int, per_article: int, claims_before: int, desk: Desk, sources: list[Source]
) -> Batch:
    now = timezone.now()
    batch = Batch()
    article_ids = iter(_new_ids(Article, count))
    for claims in _claim_counts(rng, count, per_article):
        item = loadtext.article(rng, claims)
        editor = rng.choice(desk.editors)
        uploaded = now - SPAN + datetime.timedelta(seconds=rng.randrange(int(SPAN.total_seconds())))
        article = {
            "id": next(article_ids),
            "title": item.title,
            "body": item.body,
            "source": item.source,
            "author": item.author,
            "published_on": item.published_on,
            "published_precision": item.precision,
            "content_hash": body_hash(item.body),
            "created_by_id": editor.pk,
            "updated_by_id": editor.pk,
            "created_at": uploaded,
            "updated_at": uploaded,
        }
        batch.articles.append(article)
        for spec in item.claims:
            number = claims_before + len(batch.claims)
            status = STATUS_CYCLE[number % len(STATUS_CYCLE)]
            created = min(now, uploaded + datetime.timedelta(minutes=rng.randrange(3 * 24 * 60)))
            claim = {
                "article_id": article["id"],
                **anchoring.span_at(item.body, spec.start, spec.end).as_fields(),
                "statement": spec.statement,
                "claimant": spec.claimant,
                "status": status,
                "created_by_id": editor.pk,
                "created_at": created,
                "withdrawn": number % WITHDRAWN_EVERY == WITHDRAWN_EVERY - 1 and status in OPEN_STATUSES,
            }
            batch.claims.append(claim)
    for claim, claim_id in zip(batch.claims, _new_ids(Claim, len(batch.claims)), strict=True):
        claim["id"] = claim_id
        _history(rng, claim, desk, sources, batch, now)
    return batch


def _history(
    rng: random.Random, claim: dict[str, Any], desk: Desk, sources: list[Source], batch: Batch, now: datetime.datetime
) -> None:
    """The claim's events as its methods write them, its sources, and the fields that follow from them."""
    status, when = claim["status"], claim["created_at"]
    events = [
        {"kind": ClaimEvent.Kind.CREATED, "to_status": ClaimStatus.UNVERIFIED, "actor_id": claim["created_by_id"]}
    ]
    events[0]["created_at"] = when
    checker = rng.choice(desk.checkers)

    def later(most_minutes: int) -> datetime.datetime:
        nonlocal when
        when = min(now, when + datetime.timedelta(minutes=rng.randrange(1, most_minutes)))
        return when

    if status != ClaimStatus.UNVERIFIED:
        claim["assignee_id"] = checker.pk  # taking a claim into review assigns it to whoever took it
        events.append(
            {
                "kind": ClaimEvent.Kind.STATUS,
                "from_status": ClaimStatus.UNVERIFIED,
                "to_status": ClaimStatus.IN_REVIEW,
                "actor_id": checker.pk,
                "created_at": later(2 * 24 * 60),
            }
        )
    stances: list[str] = []
    if status == ClaimStatus.VERIFIED:
        stances = [Stance.SUPPORTS] + [
            rng.choice([Stance.SUPPORTS, Stance.CONTEXT]) for _ in range(rng.choice([0, 0, 1, 2]))
        ]
        batch.verified += 1
    elif status == ClaimStatus.DISPUTED:
        stances = [Stance.REFUTES]
    elif status == ClaimStatus.IN_REVIEW and rng.random() < 0.3:
        stances = [Stance.CONTEXT]
    for source, stance in zip(rng.sample(sources, len(stances)), stances, strict=True):
        added = later(24 * 60)
        batch.evidence.append(
            {
                "claim_id": claim["id"],
                "source_id": source.pk,
                "stance": stance,
                "excerpt": EXCERPT,
                "added_by_id": checker.pk,
                "added_at": added,
            }
        )
        data = {"source_id": source.pk, "url": source.url, "title": source.title, "stance": stance}
        events.append(
            {"kind": ClaimEvent.Kind.EVIDENCE_ADDED, "data": data, "actor_id": checker.pk, "created_at": added}
        )
    if status in FINISHED_STATUSES:
        comment = UNVERIFIABLE_NOTE if status == ClaimStatus.UNVERIFIABLE else ""
        claim.update(verified_by_id=checker.pk, verified_at=later(3 * 24 * 60), note=comment)
        events.append(
            {
                "kind": ClaimEvent.Kind.STATUS,
                "from_status": ClaimStatus.IN_REVIEW,
                "to_status": status,
                "comment": comment,
                "actor_id": checker.pk,
                "created_at": when,
            }
        )
    if claim.pop("withdrawn"):
        claim.update(withdrawn_at=later(24 * 60), withdrawn_by_id=claim["created_by_id"])
        events.append(
            {
                "kind": ClaimEvent.Kind.WITHDRAWN,
                "comment": "Versehentlich markiert.",
                "actor_id": claim["created_by_id"],
                "created_at": when,
            }
        )
    for version, event in enumerate(events, start=1):
        batch.events.append({**event, "claim_id": claim["id"], "version": version})
    claim.update(version=len(events), updated_at=when)


def _new_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows written with explicit ids (their claims and history must point at them)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Taken from the table's own sequence: rows the app inserts meanwhile get other ids.
            cursor.execute(
                f"SELECT nextval(pg_get_serial_sequence('{model._meta.db_table}', 'id')) FROM generate_series(1, %s)",
                [count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # the transaction holds the write lock
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def _write_batch(batch: Batch) -> Batch:
    _skip_foreign_key_checks()
    _write(Article, batch.articles)
    _write(Claim, batch.claims)
    _write(Evidence, batch.evidence)
    _write(ClaimEvent, batch.events)
    return batch


def _skip_foreign_key_checks() -> None:
    """For this transaction, where allowed (a PostgreSQL superuser): the rows are consistent by construction
    (tests/test_load_data_and_benchmark.py checks them), and the foreign key triggers would cost a lookup per
    reference, a third of the time at a million claims. pg_restore --disable-triggers does the same."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def _write(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert the rows, each a dict of field attnames; fields not given get their model defaults,
    and the database numbers the rows unless they bring their ids.

    PostgreSQL: one COPY, values as Python gives them (psycopg adapts them). Elsewhere: executemany
    with the values prepared by the fields, as the ORM would.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if not isinstance(f, models.AutoField) or f.attname in rows[0]]
    defaults = {f.attname: f.get_default() for f in fields if f.has_default() or f.null}
    json_fields = {f.attname for f in fields if isinstance(f, models.JSONField)}
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def values(row: dict[str, Any]) -> list[Any]:
        row = {**defaults, **row}
        for name in json_fields:
            row[name] = json.dumps(row[name], ensure_ascii=False)
        return [row[f.attname] if f.attname in row else _blank(f) for f in fields]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(values(row))
            return
        placeholders = ", ".join(["%s"] * len(fields))
        prepared = []
        for row in rows:
            prepared.append(
                [
                    value if f.attname in json_fields else f.get_db_prep_save(value, connection)
                    for f, value in zip(fields, values(row), strict=True)
                ]
            )
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", prepared)


def _blank(field: models.Field) -> Any:
    """The value of a text field left empty; anything else must be given."""
    if isinstance(field, models.CharField | models.TextField):
        return ""
    raise ValueError(f"no value for {field.model.__name__}.{field.attname}")


def _vacuum_analyze(models_: list[type[models.Model]]) -> None:
    """Fresh planner statistics and visibility maps, as autovacuum would leave them: without them
    PostgreSQL plans for the empty tables it saw last, and index-only scans read the table anyway."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run inside a transaction (a test's); ANALYZE alone can.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
