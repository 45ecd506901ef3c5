"""On PostgreSQL the CSV comes from COPY; it must be byte for byte the file the Python path writes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from annotations import exporting
from annotations.filters import ClaimFilter
from annotations.lib import formats
from annotations.models import Article, Claim, ClaimStatus, Source
from annotations.roles import FACT_CHECKER
from annotations.tests.conftest import make_article, make_user, postgresql_only
from annotations.tests.exporting import claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db


_postgresql_only = postgresql_only("the COPY path")


TEXTS = [
    "=1+1",
    "+49 30 1234",
    "-12 % weniger",
    "@alle bitte prüfen",
    "\tTabulator vorn",
    "\rWagenrücklauf vorn",
    # A quote that starts at a paragraph break, then a number: OWASP lists the line feed too.
    "\n+49 30 1234 anrufen",
    'Zitat: „doppelt“ und "gerade" Anführungszeichen',
    "Zeile eins\nZeile zwei\r\nZeile drei",
    "Semikolon; Komma, beides",
    "\\.",
    "ß, Ä, Ö, Ü und\u00a0NBSP – Gedankenstrich",
    "Tab\tin der Mitte",
]


@pytest.fixture
def varied(editor, fact_checker, chief_editor) -> None:
    odd_checker = make_user("-prüferin", FACT_CHECKER)
    body = "🙂 Vorwort. " + " ".join(f"Satz {i} sagt etwas." for i in range(len(TEXTS)))
    article = make_article(
        by=editor,
        body=body,
        title='=HYPERLINK("http://x.example")',
        source="-dpa",
        url="https://zeitung.example.org/a?x=1;y=2",
        published_on=datetime.date(2022, 3, 1),
        published_precision="month",
    )
    plain = tricky_article(editor, published_on=datetime.date(2021, 1, 1), published_precision="year")
    tricky_article(editor, body="Dritter Text ohne Behauptungen.")
    for i, text in enumerate(TEXTS):
        claim = claim_on(article, editor, f"Satz {i} sagt etwas.", statement=text, claimant=text[::-1])
        if i % 4 == 0:
            continue  # stays unverified, without sources
        checker = odd_checker if i % 3 == 0 else fact_checker
        status = [ClaimStatus.VERIFIED, ClaimStatus.DISPUTED, ClaimStatus.UNVERIFIABLE][i % 3]
        urls = tuple(f"https://quelle.example.org/{i}/{n}?a=1,2" for n in range(1 + i % 3))
        urls = ("=" + urls[0].removeprefix("https://"), *urls[1:]) if i == 5 else urls
        finish(claim, checker, status, urls=urls, comment=TEXTS[-i])  # the verdict's comment: tricky text too
    finish(claim_on(plain, editor, "1.250 Einwände", statement=""), fact_checker)
    # The evidence columns: titles and publishers with the separator, formula characters, quotes, breaks.
    for n, source in enumerate(Source.objects.order_by("id")):
        Source.objects.filter(pk=source.pk).update(
            title=TEXTS[n % len(TEXTS)] + (" | Teil zwei" if n % 2 else ""), publisher=TEXTS[-n % len(TEXTS)][:200]
        )
    context = Source.objects.create(url="https://kontext.example.org/", title="", publisher="Amt|Blatt")
    reopened = Claim.objects.filter(status=ClaimStatus.VERIFIED).order_by("id").first()
    reopened.reopen(by=chief_editor, comment="Neue Zahlen")  # in review again: no verdict, no comment
    reopened.add_evidence(context, stance="context", by=fact_checker)
    # Times in winter and summer, with and without microseconds.
    Claim.objects.filter(pk=Claim.objects.order_by("id")[1].pk).update(
        created_at=datetime.datetime(2026, 7, 1, 22, 30, 0, tzinfo=datetime.UTC)
    )
    Claim.objects.filter(pk=Claim.objects.order_by("id")[2].pk).update(
        created_at=datetime.datetime(2026, 1, 31, 23, 59, 59, 999_999, tzinfo=datetime.UTC),
        verified_at=datetime.datetime(2026, 3, 29, 1, 0, 0, 500, tzinfo=datetime.UTC),
    )
    assert Article.objects.count() == 3


SELECTIONS = [
    {"status": ["verified"]},
    {"status": ["verified", "disputed", "unverifiable", "unverified"]},
    {"status": ["verified", "disputed"], "ordering": ["-created"]},
    {"status": ["unverified", "unverifiable"], "q": "sagt"},
]


@pytest.mark.parametrize("labels", [None, "de"])
@pytest.mark.parametrize("dialect", ["rfc4180", "excel"])
@pytest.mark.parametrize("selection", SELECTIONS)
def test_copy_and_python_paths_write_identical_bytes(varied, dialect, selection, labels):
    claims = ClaimFilter(selection, queryset=Claim.objects.all()).qs
    words = exporting.labels_in(labels) if labels else None
    via_copy = b"".join(exporting.csv_chunks_via_copy(claims, formats.get_dialect(dialect), words))
    via_python = b"".join(exporting.csv_chunks_via_orm(claims, formats.get_dialect(dialect), words))
    assert via_copy.count(b"\r\n") > 1
    assert via_copy == via_python


def test_the_parity_covers_the_evidence_columns(varied):
    """The bytes compared above hold every new column with tricky values, not empty cells only."""
    claims = ClaimFilter(SELECTIONS[1], queryset=Claim.objects.all()).qs
    rows = read_csv(b"".join(exporting.csv_chunks_via_copy(claims, formats.get_dialect("rfc4180"))))
    assert any(" | " in row["source_titles"] and "¦" not in row["sources"] for row in rows)
    assert any(row["source_titles"].startswith("'=") for row in rows)
    assert any("\n" in row["verdict_comment"] for row in rows)
    assert {stance for row in rows for stance in row["source_stances"].split(" | ") if stance} == {
        "supports",
        "refutes",
        "context",
    }
    for row in rows:
        count = int(row["source_count"])
        for column in ("source_titles", "source_publishers", "source_stances"):
            assert len(row[column].split(" | ")) == max(count, 1), (column, row)


def test_the_postgresql_export_uses_copy_and_leaves_the_session_time_zone_alone(varied):
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        before = cursor.fetchone()[0]
    claims = Claim.objects.all()
    sql, params = exporting.export_sql(claims)
    assert b"".join(exporting.csv_chunks(claims, formats.get_dialect("rfc4180"))) == b"".join(
        exporting.csv_chunks_via_copy(claims, formats.get_dialect("rfc4180"))
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        assert cursor.fetchone()[0] == before
    assert "left(c.statement, 1)" in sql  # the neutralisation runs in SQL


def test_a_download_broken_off_leaves_the_connection_usable_and_in_utc(varied):
    chunks = exporting.csv_chunks_via_copy(Claim.objects.all(), formats.get_dialect("rfc4180"))
    next(chunks)
    next(chunks)
    chunks.close()  # what Django does when the client goes away
    assert Claim.objects.count() == len(TEXTS) + 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('TimeZone')")
        assert cursor.fetchone()[0] == "UTC"


def test_copy_neutralises_a_cell_that_starts_with_a_line_feed(varied):
    claims = Claim.objects.filter(statement__startswith="\n")
    rows = read_csv(b"".join(exporting.csv_chunks_via_copy(claims, formats.get_dialect("rfc4180"))))
    assert [row["statement"] for row in rows] == ["'\n+49 30 1234 anrufen"]
