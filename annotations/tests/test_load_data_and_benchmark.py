"""generate_load_data fills the database fast with consistent claims and their history;
benchmark_export and benchmark_pages print their figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from annotations.management.commands.generate_load_data import WITHDRAWN_EVERY
from annotations.models import (
    FINISHED_STATUSES,
    AnchorState,
    Article,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    body_hash,
)

pytestmark = pytest.mark.django_db


def test_generated_claims_fit_their_articles_and_follow_the_status_mix():
    call_command(
        "generate_load_data", "--articles", "12", "--claims-per-article", "5", "--seed", "6", stdout=io.StringIO()
    )
    assert Article.objects.count() == 12
    assert Claim.objects.count() == 60
    counts = Claim.objects.counts_by_status()
    assert counts == {"verified": 30, "disputed": 6, "unverifiable": 6, "in_review": 12, "unverified": 6}
    for claim in Claim.objects.select_related("article"):
        body = claim.article.body
        assert body[claim.start : claim.end] == claim.quote
        assert claim.prefix == body[max(0, claim.start - 32) : claim.start]
        assert claim.article.content_hash == body_hash(body)
    verified = Claim.objects.filter(status=ClaimStatus.VERIFIED)
    assert not verified.filter(Q(verified_by=None) | Q(verified_at=None)).exists()
    supported = verified.annotate(n=Count("evidence", filter=Q(evidence__stance="supports"))).filter(n__gte=1)
    assert supported.count() == 30
    assert Evidence.objects.filter(claim__status=ClaimStatus.DISPUTED, stance="refutes").count() == 6
    texts = " ".join(Article.objects.values_list("body", flat=True))
    assert any(letter in texts for letter in "äöüß") and "„" in texts and "\u00a0" in texts
    # Articles differ in how many claims they carry; the total stays exact.
    per_article = set(Article.objects.annotate(n=Count("claims")).values_list("n", flat=True))
    assert len(per_article) > 1 and max(per_article) <= 10


def test_generated_history_is_what_the_workflow_writes():
    call_command(
        "generate_load_data", "--articles", "24", "--claims-per-article", "5", "--seed", "7", stdout=io.StringIO()
    )
    for claim in Claim.objects.prefetch_related("events", "evidence"):
        events = list(claim.events.all())
        assert [event.version for event in events] == list(range(1, len(events) + 1)) and claim.version == len(events)
        assert events[0].kind == ClaimEvent.Kind.CREATED and events[0].actor_id == claim.created_by_id
        assert all(later.created_at >= earlier.created_at for earlier, later in zip(events, events[1:], strict=False))
        statuses = [event.to_status for event in events if event.kind == ClaimEvent.Kind.STATUS]
        expected = {ClaimStatus.UNVERIFIED: [], ClaimStatus.IN_REVIEW: [ClaimStatus.IN_REVIEW]}
        assert statuses == expected.get(claim.status, [ClaimStatus.IN_REVIEW, claim.status])
        added = [event.data["source_id"] for event in events if event.kind == ClaimEvent.Kind.EVIDENCE_ADDED]
        assert sorted(added) == sorted(evidence.source_id for evidence in claim.evidence.all())
        if claim.status in FINISHED_STATUSES:
            assert claim.verified_at == events[-1].created_at and claim.verified_by_id == events[-1].actor_id
        assert (claim.assignee_id is None) == (claim.status == ClaimStatus.UNVERIFIED)
        if claim.withdrawn_at:
            assert events[-1].kind == ClaimEvent.Kind.WITHDRAWN and events[-1].created_at == claim.withdrawn_at
            assert claim.withdrawn_by_id == claim.created_by_id and claim.status == ClaimStatus.UNVERIFIED
    assert ClaimEvent.objects.count() > 2 * Claim.objects.count()
    assert Claim.objects.filter(withdrawn_at__isnull=False).count() == 120 // WITHDRAWN_EVERY


@pytest.mark.django_db(transaction=True)
def test_benchmark_prints_rates_ratio_and_memory_on_postgresql(transactional_db):
    # Transactional: the benchmark downloads the export from a gunicorn, which sees only committed rows.
    call_command("generate_load_data", "--articles", "10", "--claims-per-article", "4", stdout=io.StringIO())
    # The yardstick must follow the export's rules: a withdrawn claim is left out, an orphaned one has no place.
    withdrawn, orphaned = Claim.objects.filter(status=ClaimStatus.VERIFIED).order_by("id")[:2]
    Claim.objects.filter(pk=withdrawn.pk).update(withdrawn_at=withdrawn.verified_at)
    Claim.objects.filter(pk=orphaned.pk).update(anchor_state=AnchorState.ORPHANED)
    out = io.StringIO()
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("benchmark_export", stdout=out)
        return
    call_command("benchmark_export", stdout=out)
    text = out.getvalue()
    assert "verified claims: 19" in text
    assert "HTTP export:" in text and "same-cells COPY:" in text and "ratio export/COPY:" in text
    assert "same cells: yes" in text and "peak memory growth" in text


def test_page_benchmark_times_each_page_and_counts_its_queries():
    call_command(
        "generate_load_data", "--articles", "6", "--claims-per-article", "10", "--seed", "2", stdout=io.StringIO()
    )
    out = io.StringIO()
    call_command("benchmark_pages", "--runs", "2", stdout=out)
    text = out.getvalue()
    for page in ("dashboard", "queue, first page", "queue, filtered", "article page with", "claim page"):
        assert page in text
    assert text.count("median") == 7 and text.count("queries") == 6


def test_benchmark_article_page_prints_its_figures_and_leaves_nothing_behind():
    out = io.StringIO()
    call_command(
        "benchmark_article_page", "--length", "3000", "--claims", "12", "--runs", "2", "--no-browser", stdout=out
    )
    assert "12 claims" in out.getvalue() and "ms" in out.getvalue()
    assert not Article.objects.exists() and not Claim.objects.exists()
