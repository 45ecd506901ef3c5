"""generate_load_data fills the database fast with consistent claims; benchmark_export prints its figures."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q

from annotations.models import Article, Claim, ClaimStatus, Evidence, body_hash

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


def test_benchmark_prints_rates_ratio_and_memory_on_postgresql():
    call_command("generate_load_data", "--articles", "10", "--claims-per-article", "4", stdout=io.StringIO())
    out = io.StringIO()
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("benchmark_export", stdout=out)
        return
    call_command("benchmark_export", stdout=out)
    text = out.getvalue()
    assert "verified claims: 20" in text
    assert "rows/s" in text and "ratio export/raw:" in text and "peak memory growth:" in text
