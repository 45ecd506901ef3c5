"""/claims/export.csv: the verified claims by default, streamed, in the contract's format."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.lib import formats
from annotations.models import Article, Claim, ClaimStatus
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db

URL = reverse("annotations:claim-export-csv")


@pytest.fixture
def tricky_claims(editor, fact_checker) -> dict[str, Claim]:
    article = tricky_article(editor, source="dpa", url="https://zeitung.example.org/steuer")
    verified = claim_on(
        article,
        editor,
        "Die Steuer steigt um 3,5\u00a0Prozent; das ist nötig.",
        statement='=SUMME(A1:A9) – "Steuer" steigt\num 3,5 %',
        claimant="Kämmerer, Großröhrsdorf",
    )
    finish(verified, fact_checker, urls=("https://a.example.org/1", "https://b.example.org/2"))
    disputed = finish(claim_on(article, editor, "1.250 Einwände"), fact_checker, ClaimStatus.DISPUTED)
    open_claim = claim_on(article, editor, "im Mai gesperrt")
    return {"verified": verified, "disputed": disputed, "open": open_claim}


def test_export_holds_the_verified_claims_with_the_contract_columns(client, chief_editor, tricky_claims):
    client.force_login(chief_editor)
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv; charset=utf-8")
    assert "attachment" in response["Content-Disposition"]
    data = body_of(response)
    assert data.startswith(",".join(formats.COLUMNS).encode() + b"\r\n")
    rows = read_csv(data)
    verified = tricky_claims["verified"]
    assert [row["claim_id"] for row in rows] == [str(verified.pk)]
    row = rows[0]
    assert row["status"] == "verified"
    assert row["statement"] == "'" + verified.statement
    assert row["quote"] == verified.quote
    assert row["claimant"] == "Kämmerer, Großröhrsdorf"
    assert row["article_title"] == "Steuer; Streit, „Zahlen“"
    assert row["article_source"] == "dpa"
    assert row["article_url"] == "https://zeitung.example.org/steuer"
    assert (row["start"], row["end"]) == (str(verified.start), str(verified.end))
    assert row["sources"] == "https://a.example.org/1 | https://b.example.org/2"
    assert row["source_count"] == "2"
    assert row["created_by"] == "erika"
    assert row["verified_by"] == "fritz"
    assert row["created_at"] == formats.iso_time(verified.created_at, formats.ZoneInfo("Europe/Berlin"))
    assert row["verified_at"][-6:] in {"+01:00", "+02:00"}


def test_a_status_in_the_query_string_replaces_the_verified_default(client, chief_editor, tricky_claims):
    client.force_login(chief_editor)
    rows = read_csv(body_of(client.get(URL, {"status": ["disputed", "unverified"]})))
    assert {row["claim_id"] for row in rows} == {str(tricky_claims["disputed"].pk), str(tricky_claims["open"].pk)}


def test_published_date_keeps_its_precision_in_the_export(client, chief_editor, editor, fact_checker):
    import datetime

    article = tricky_article(editor, published_on=datetime.date(2022, 3, 1), published_precision="month")
    finish(claim_on(article, editor, "1.250 Einwände"), fact_checker)
    client.force_login(chief_editor)
    assert read_csv(body_of(client.get(URL)))[0]["article_published"] == "2022-03"


def test_excel_dialect_gives_a_bom_and_semicolons(client, chief_editor, tricky_claims):
    client.force_login(chief_editor)
    data = body_of(client.get(URL, {"dialect": "excel"}))
    assert data.startswith(b"\xef\xbb\xbfclaim_id;status;statement;")
    rows = read_csv(data, delimiter=";")
    assert rows[0]["claimant"] == "Kämmerer, Großröhrsdorf"


def test_unknown_dialect_is_refused_in_german(client, chief_editor, tricky_claims):
    client.force_login(chief_editor)
    response = client.get(URL, {"dialect": "lotus"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Unbekanntes CSV-Format" in response.content.decode()


def test_an_invalid_filter_is_refused_with_a_message(client, chief_editor, tricky_claims):
    client.force_login(chief_editor)
    response = client.get(URL, {"status": "erfunden"}, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Filter" in response.content.decode()


def test_the_header_leaves_before_any_query_and_the_rows_follow_in_several_chunks(
    client, chief_editor, editor, fact_checker, django_assert_num_queries
):
    article = tricky_article(editor)
    template = finish(claim_on(article, editor, "1.250 Einwände"), fact_checker)
    # Volume for several 64 KiB chunks, inserted directly: the workflow is tested elsewhere.
    long_statement = "Die Straße wird im Mai gesperrt – ausführlich begründet. " * 12
    Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                start=template.start,
                end=template.end,
                quote=template.quote,
                statement=f"{i}: {long_statement}",
                status=ClaimStatus.VERIFIED,
                created_by=editor,
                verified_by=fact_checker,
                verified_at=template.verified_at,
            )
            for i in range(400)
        ]
    )
    client.force_login(chief_editor)
    response = client.get(URL)
    chunks = iter(response.streaming_content)
    with django_assert_num_queries(0):
        first = next(chunks)
    assert first == ",".join(formats.COLUMNS).encode() + b"\r\n"
    rest = list(chunks)
    assert len(rest) >= 3
    assert len(read_csv(first + b"".join(rest))) == 401


def test_article_count_is_unchanged_by_an_export(client, chief_editor, tricky_claims):
    before = (Article.objects.count(), Claim.objects.count())
    client.force_login(chief_editor)
    body_of(client.get(URL))
    assert (Article.objects.count(), Claim.objects.count()) == before
