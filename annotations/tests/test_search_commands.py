"""The search benchmark and the paraphrase evaluation print their figures and leave the data as it was."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command

from annotations.lib.paraphrases import CASES
from annotations.models import Article, Claim
from annotations.tests.conftest import postgresql_only

_postgresql_only = postgresql_only("the search commands")


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.django_db
def test_benchmark_search_prints_p50_and_p95_per_kind_and_the_plans():
    run("generate_load_data", "--articles", "30", "--claims-per-article", "4", "--seed", "1")
    output = run("benchmark_search", "--runs", "6", "--explain")
    for kind in ("search", "similar claims", "queue, filtered"):
        assert re.search(rf"^{kind} +p50 +\d+\.\d ms  p95 +\d+\.\d ms", output, re.M), output
    assert "EXPLAIN" not in output and "Planning Time" in output


@pytest.mark.django_db
def test_benchmark_search_runs_with_production_settings(settings):
    # DEBUG=0 redirects plain HTTP to HTTPS: the benchmark asks as a browser behind TLS would, as benchmark_pages does.
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["localhost"]
    run("generate_load_data", "--articles", "10", "--claims-per-article", "3", "--seed", "2")
    output = run("benchmark_search", "--runs", "3")
    assert re.search(r"^trivial view +p50", output, re.M), output


@pytest.mark.django_db
def test_generated_data_is_searched_as_typed_data_is_with_the_word_list():
    # The COPY goes past the triggers that collect the words: a typo would find nothing on a load database.
    run("generate_load_data", "--articles", "20", "--claims-per-article", "3", "--seed", "3")
    assert Claim.objects.filter(claimant__contains="Weißgerber").exists()
    assert Claim.objects.search("Weisgerber").filter(claimant__contains="Weißgerber").exists()


@pytest.mark.django_db
def test_evaluate_similar_claims_prints_the_rates_and_rolls_back():
    before = Article.objects.count(), Claim.objects.count()
    output = run("evaluate_similar_claims")
    match = re.search(r"(\d+) paraphrase pairs: true match first (\d+)/\d+ .*top three (\d+)/", output)
    assert match, output
    assert int(match[1]) == len(CASES)
    assert int(match[2]) >= 0.9 * len(CASES) and int(match[3]) >= 0.95 * len(CASES)
    assert (Article.objects.count(), Claim.objects.count()) == before
