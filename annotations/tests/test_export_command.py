"""manage.py export_claims: the queue's filters as options, the same bytes as the download."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from annotations.models import ClaimStatus
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(editor, fact_checker):
    article = tricky_article(editor)
    verified = finish(claim_on(article, editor, "1.250 Einwände", "Einwände", claimant="Opposition"), fact_checker)
    other = finish(claim_on(article, editor, "im Mai gesperrt", "Sperrung", claimant="Kämmerer"), fact_checker)
    disputed = finish(claim_on(article, editor, "Die Straße", "Straße"), fact_checker, ClaimStatus.DISPUTED)
    return {"verified": verified, "other": other, "disputed": disputed}


def test_command_writes_the_same_file_as_the_download(client, chief_editor, claims, tmp_path):
    out = tmp_path / "export.csv"
    call_command("export_claims", "-o", str(out), "--dialect", "excel", "--claimant", "kämm")
    client.force_login(chief_editor)
    downloaded = body_of(client.get(reverse("annotations:claim-export-csv"), {"dialect": "excel", "claimant": "kämm"}))
    assert out.read_bytes() == downloaded
    assert [row["claim_id"] for row in read_csv(downloaded, ";")] == [str(claims["other"].pk)]


def test_command_exports_verified_claims_unless_statuses_are_given(claims, tmp_path):
    out = tmp_path / "export.csv"
    call_command("export_claims", "-o", str(out))
    assert {row["claim_id"] for row in read_csv(out.read_bytes())} == {
        str(claims["verified"].pk),
        str(claims["other"].pk),
    }
    call_command("export_claims", "-o", str(out), "--status", "disputed", "--ordering=-id")
    assert [row["status"] for row in read_csv(out.read_bytes())] == ["disputed"]


def test_command_writes_web_annotations_and_claimreviews(claims, tmp_path):
    out = tmp_path / "export.jsonld"
    call_command("export_claims", "--format", "w3c", "--base-url", "https://faktencheck.example.org", "-o", str(out))
    data = json.loads(out.read_text())
    assert data["total"] == 2
    assert data["first"]["items"][0]["target"]["source"].startswith("https://faktencheck.example.org/articles/")
    call_command("export_claims", "--format", "claimreview", "-o", str(out))
    ratings = sorted(review["reviewRating"]["ratingValue"] for review in json.loads(out.read_text())["@graph"])
    assert ratings == [1, 5, 5]


def test_command_refuses_an_invalid_filter(claims, tmp_path):
    with pytest.raises(CommandError, match="Invalid filter"):
        call_command("export_claims", "-o", str(tmp_path / "x.csv"), "--created-after", "gestern")
