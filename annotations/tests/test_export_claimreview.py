"""schema.org ClaimReview: embedded on the claim page and as a bulk download, for verified and disputed claims."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from annotations.models import ClaimStatus
from annotations.tests.exporting import body_of, claim_on, finish, tricky_article

pytestmark = pytest.mark.django_db

SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@pytest.fixture
def reviewed(editor, fact_checker):
    article = tricky_article(
        editor,
        url="https://zeitung.example.org/steuer",
        published_on=datetime.date(2026, 3, 1),
        published_precision="month",
    )
    verified = finish(
        claim_on(
            article, editor, "1.250 Einwände", "</script><script>alert('x')</script> & 1.250", claimant="Opposition"
        ),
        fact_checker,
    )
    disputed = finish(
        claim_on(article, editor, "im Mai gesperrt", "Sperrung im Mai"), fact_checker, ClaimStatus.DISPUTED
    )
    unverifiable = finish(claim_on(article, editor, "Die Straße", "Straße"), fact_checker, ClaimStatus.UNVERIFIABLE)
    open_claim = claim_on(article, editor, "Übrigens", "Nebensache")
    return {"verified": verified, "disputed": disputed, "unverifiable": unverifiable, "open": open_claim}


def test_bulk_download_holds_a_claimreview_for_each_verified_and_disputed_claim(client, chief_editor, reviewed):
    client.force_login(chief_editor)
    response = client.get(reverse("annotations:claim-export-claimreview"))
    assert response.status_code == 200
    data = json.loads(body_of(response))
    assert data["@context"] == "https://schema.org"
    by_url = {review["url"]: review for review in data["@graph"]}
    verified, disputed = reviewed["verified"], reviewed["disputed"]
    assert set(by_url) == {f"http://testserver/claims/{verified.pk}/", f"http://testserver/claims/{disputed.pk}/"}

    review = by_url[f"http://testserver/claims/{verified.pk}/"]
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == verified.statement
    assert review["author"] == {"@type": "Organization", **settings.NEWSROOM_ORGANISATION}
    assert review["datePublished"] == timezone.localtime(verified.verified_at).date().isoformat()
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 5,
        "worstRating": 1,
        "bestRating": 5,
        "alternateName": "Bestätigt",
    }
    assert review["itemReviewed"] == {
        "@type": "Claim",
        "author": {"@type": "Person", "name": "Opposition"},
        "appearance": {
            "@type": "CreativeWork",
            "url": "https://zeitung.example.org/steuer",
            "headline": "Steuer; Streit, „Zahlen“",
            "datePublished": "2026-03",
        },
    }
    rating = by_url[f"http://testserver/claims/{disputed.pk}/"]["reviewRating"]
    assert (rating["ratingValue"], rating["alternateName"]) == (1, "Widerlegt")


def test_rating_names_stay_german_for_an_english_interface(client, chief_editor, reviewed):
    client.force_login(chief_editor)
    response = client.get(reverse("annotations:claim-export-claimreview"), HTTP_ACCEPT_LANGUAGE="en")
    names = {review["reviewRating"]["alternateName"] for review in json.loads(body_of(response))["@graph"]}
    assert names == {"Bestätigt", "Widerlegt"}


def test_claim_page_embeds_its_claimreview_safely(client, fact_checker, reviewed):
    client.force_login(fact_checker)
    html = client.get(reviewed["verified"].get_absolute_url()).content.decode()
    (embedded,) = SCRIPT.findall(html)
    assert "<" not in embedded and "&" not in embedded  # nothing can end the script early
    review = json.loads(embedded)
    assert review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == reviewed["verified"].statement
    assert review["reviewRating"]["ratingValue"] == 5


@pytest.mark.parametrize("status", ["unverifiable", "open"])
def test_claims_without_a_conclusion_have_no_claimreview(client, fact_checker, reviewed, status):
    client.force_login(fact_checker)
    html = client.get(reviewed[status].get_absolute_url()).content.decode()
    assert "application/ld+json" not in html
