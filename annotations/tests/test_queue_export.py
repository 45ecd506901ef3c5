"""The queue's "export what I see" links export exactly the claims the queue shows."""

import csv
import html
import io
import re

import pytest

from annotations.models import ClaimStatus
from annotations.tests.conftest import make_article
from annotations.tests.exporting import TRICKY_BODY, claim_on, finish

pytestmark = pytest.mark.django_db


@pytest.fixture
def claims(editor, fact_checker):
    article = make_article(by=editor, body=TRICKY_BODY, title="Steuer in Großröhrsdorf")
    verified = finish(claim_on(article, editor, "Die Steuer steigt um 3,5\u00a0Prozent", "Steuer +3,5 %"), fact_checker)
    disputed = finish(
        claim_on(article, editor, "1.250 Einwände", "1250 Einwände"), fact_checker, status=ClaimStatus.DISPUTED
    )
    open_claim = claim_on(article, editor, "im Mai gesperrt", "Sperrung im Mai")
    return {"verified": verified, "disputed": disputed, "open": open_claim}


def _exported_ids(client, queue_url: str, hook: str) -> tuple[set[int], set[int], bytes]:
    page = client.get(queue_url).content.decode()
    shown = {int(pk) for pk in re.findall(r'href="/claims/(\d+)/"', page)}
    href = html.unescape(re.search(rf'href="([^"]+)" {hook}', page).group(1))
    body = b"".join(client.get(href).streaming_content)
    text = body.decode("utf-8-sig")
    delimiter = ";" if "dialect=excel" in href else ","
    rows = list(csv.DictReader(io.StringIO(text), delimiter=delimiter))
    return shown, {int(row["claim_id"]) for row in rows}, body


def test_unfiltered_queue_exports_every_status_it_shows(client, chief_editor, claims):
    client.force_login(chief_editor)
    shown, exported, _ = _exported_ids(client, "/claims/", "data-export-csv")
    assert shown == exported == {claim.pk for claim in claims.values()}


def test_filtered_queue_exports_the_same_selection(client, chief_editor, claims):
    client.force_login(chief_editor)
    shown, exported, _ = _exported_ids(client, "/claims/?status=verified&status=disputed&q=Steuer", "data-export-csv")
    assert shown == exported == {claims["verified"].pk}


def test_excel_link_keeps_the_filters_and_uses_the_german_dialect(client, chief_editor, claims):
    client.force_login(chief_editor)
    shown, exported, body = _exported_ids(client, "/claims/?status=disputed", "data-export-csv-excel")
    assert body.startswith(b"\xef\xbb\xbf")
    assert shown == exported == {claims["disputed"].pk}


def test_export_links_only_for_those_who_may_export(client, fact_checker, claims):
    client.force_login(fact_checker)
    assert "data-export-csv" not in client.get("/claims/").content.decode()
