"""People export exactly what they see: the export selects with the queue's FilterSet."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.urls import reverse

from annotations.filters import ClaimFilter
from annotations.models import Claim, ClaimStatus
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(editor, fact_checker, second_fact_checker, chief_editor) -> None:
    article = tricky_article(editor)
    other = tricky_article(editor, body="Zweiter Artikel: Die Steuer sinkt. Der Kämmerer widerspricht.")
    finish(claim_on(article, editor, "1.250 Einwände", "Einwände gezählt", claimant="Opposition"), fact_checker)
    finish(claim_on(article, editor, "im Mai gesperrt", "Sperrung im Mai", claimant="Kämmerer"), second_fact_checker)
    finish(claim_on(other, editor, "Die Steuer sinkt", "Steuer sinkt", claimant="Kämmerer"), fact_checker)
    finish(claim_on(other, editor, "Der Kämmerer", "Kämmerer widerspricht"), fact_checker, ClaimStatus.DISPUTED)
    reviewing = claim_on(article, editor, "Die Straße", "Straße betroffen")
    reviewing.change_status(ClaimStatus.IN_REVIEW, by=chief_editor)
    claim_on(article, chief_editor, "Übrigens", "Nebensache")


QUERIES = [
    "",
    "status=verified&status=disputed",
    "status=verified&q=steuer",
    "claimant=K%C3%A4mmerer",
    "status=verified&has_evidence=true",
    "status=unverified&has_evidence=false",
    "status=in_review&assignee=me",
    "status=verified&assignee=anyone&ordering=-created",
    "status=unverified&created_by=clara",
    "status=verified&ordering=status&ordering=-id",
    "status=verified&created_after=2000-01-01&changed_before=2999-12-31",
]


@pytest.mark.parametrize("query", QUERIES)
def test_export_gives_the_claims_the_queue_filter_selects_in_the_same_order(client, chief_editor, queue, query):
    client.force_login(chief_editor)
    exported = [
        int(row["claim_id"])
        for row in read_csv(body_of(client.get(reverse("annotations:claim-export-csv") + "?" + query)))
    ]

    data = QueryDict(query, mutable=True)
    if not data.getlist("status"):
        data.setlist("status", [ClaimStatus.VERIFIED])
    request = RequestFactory().get("/claims/")
    request.user = chief_editor
    selected = ClaimFilter(data, queryset=Claim.objects.all(), request=request).qs
    assert exported == list(selected.values_list("id", flat=True))
    assert exported, "each query selects something, so the comparison says something"
