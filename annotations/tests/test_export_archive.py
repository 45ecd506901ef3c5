"""The export an archive can use: each claim's sources (titles, publishers, stances) and its verdict's
comment in columns after the contract's 18, German labels on request, and readers of the old columns
unharmed. A person in a browser who may not export gets a page; a program gets plain text."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations.lib import formats
from annotations.models import Source
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db

URL = reverse("annotations:claim-export-csv")
OLD_COLUMNS = (
    "claim_id,status,statement,quote,claimant,article_id,article_title,article_source,article_published,"
    "article_url,start,end,sources,source_count,created_by,created_at,verified_by,verified_at"
).split(",")


@pytest.fixture
def disputed(editor, fact_checker, chief_editor):
    article = tricky_article(editor)
    claim = finish(
        claim_on(article, editor, "1.250 Einwände", "1.250 Einwände gezählt"),
        fact_checker,
        "disputed",
        urls=("https://rat.example.org/protokoll", "https://zeitung.example.org/einwaende"),
        comment="Laut Protokoll 1.205 Einwände;\nnicht 1.250.",
    )
    Source.objects.filter(url="https://rat.example.org/protokoll").update(
        title="Protokoll | Sitzung vom 3. März", publisher="Stadt Großröhrsdorf"
    )
    Source.objects.filter(url="https://zeitung.example.org/einwaende").update(title="Einwände", publisher="")
    return claim


def test_the_csv_names_each_claim_s_sources_and_the_verdict_s_comment(client, chief_editor, disputed):
    client.force_login(chief_editor)
    (row,) = read_csv(body_of(client.get(URL + "?status=disputed")))
    assert list(row)[:18] == OLD_COLUMNS
    assert list(row)[18:] == ["source_titles", "source_publishers", "source_stances", "verdict_comment"]
    assert row["sources"] == "https://rat.example.org/protokoll | https://zeitung.example.org/einwaende"
    assert row["source_titles"] == "Protokoll ¦ Sitzung vom 3. März | Einwände"
    assert row["source_publishers"] == "Stadt Großröhrsdorf | "
    assert row["source_stances"] == "refutes | refutes"
    assert row["verdict_comment"] == "Laut Protokoll 1.205 Einwände;\nnicht 1.250."
    assert row["status"] == "disputed"


def test_a_reader_of_the_old_eighteen_columns_reads_the_same_values(client, chief_editor, disputed):
    """By name (a DictReader) and by position (a reader that takes the first 18 cells) alike."""
    client.force_login(chief_editor)
    data = body_of(client.get(URL + "?status=disputed&dialect=excel")).decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(data, newline=""), delimiter=";"))
    assert header[:18] == OLD_COLUMNS
    by_position = dict(zip(OLD_COLUMNS, rows[0][:18], strict=True))
    by_name = {
        name: value for name, value in next(csv.DictReader(io.StringIO(data, newline=""), delimiter=";")).items()
    }
    assert {name: by_name[name] for name in OLD_COLUMNS} == by_position
    assert by_position["claim_id"] == str(disputed.pk) and by_position["source_count"] == "2"
    assert by_position["verified_by"] == "fritz"


def test_german_labels_on_request_name_the_columns_statuses_and_stances_in_german(client, chief_editor, disputed):
    client.force_login(chief_editor)
    data = body_of(client.get(URL + "?status=disputed&labels=de", HTTP_ACCEPT_LANGUAGE="en"))
    (row,) = read_csv(data)
    assert list(row)[:3] == ["Behauptung-ID", "Status", "Behauptung"]
    assert list(row)[-4:] == ["Quellentitel", "Herausgeber der Quellen", "Haltung der Quellen", "Kommentar zum Urteil"]
    assert row["Status"] == "Widerlegt"
    assert row["Haltung der Quellen"] == "widerspricht | widerspricht"
    assert row["Behauptung-ID"] == str(disputed.pk)


def test_german_labels_are_german_whatever_the_interface_language(client, chief_editor, disputed, settings):
    client.force_login(chief_editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    (row,) = read_csv(body_of(client.get(URL + "?status=disputed&labels=de")))
    assert row["Status"] == "Widerlegt"


def test_unknown_labels_are_refused_and_nothing_is_exported(client, chief_editor, disputed):
    client.force_login(chief_editor)
    response = client.get(URL + "?labels=klingonisch")
    assert response.status_code == 400
    assert "labels=de" in response.content.decode() and "1.250" not in response.content.decode()


def test_an_open_claim_has_no_verdict_comment_and_a_reopened_one_loses_it(client, chief_editor, disputed, editor):
    disputed.reopen(by=chief_editor, comment="Neue Zahlen")
    client.force_login(chief_editor)
    (row,) = read_csv(body_of(client.get(URL + "?status=in_review")))
    assert row["verdict_comment"] == "" and row["source_stances"] == "refutes | refutes"


def test_the_export_command_writes_german_labels_too(client, chief_editor, disputed, tmp_path):
    client.force_login(chief_editor)
    download = body_of(client.get(URL + "?status=disputed&labels=de"))
    call_command("export_claims", "--status", "disputed", "--labels", "de", "-o", str(tmp_path / "de.csv"))
    assert (tmp_path / "de.csv").read_bytes() == download


def test_the_contract_columns_come_first_and_in_their_order():
    assert formats.COLUMNS[:18] == tuple(OLD_COLUMNS)
    assert len(formats.COLUMNS) == 22


# --- Refusals: a page for a person, text for a program ----------------------------------


def test_an_editor_in_a_browser_gets_a_page_in_the_app_s_layout(client, editor, disputed):
    client.force_login(editor)
    response = client.get(URL, HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.status_code == 403
    html = response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert 'class="site-header"' in html and "data-export-refused" in html
    assert "Sie dürfen keine Behauptungen exportieren" in html and "Zurück zu den Behauptungen" in html
    assert "1.250" not in html


def test_a_program_asking_for_the_csv_gets_the_refusal_as_plain_text(client, editor, disputed):
    client.force_login(editor)
    for accept in ("text/csv", "*/*", ""):
        response = client.get(URL, HTTP_ACCEPT=accept)
        assert response.status_code == 403
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert response.content.decode().startswith("Sie dürfen keine Behauptungen exportieren")


def test_a_bad_filter_in_a_browser_is_explained_on_a_page(client, chief_editor, disputed):
    client.force_login(chief_editor)
    response = client.get(URL + "?created_after=gestern", HTTP_ACCEPT="text/html")
    assert response.status_code == 400 and "data-export-refused" in response.content.decode()
