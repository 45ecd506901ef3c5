"""/claims/export.jsonld: a W3C Web Annotation collection that passes the W3C suite's MUST assertions."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from annotations.models import ClaimStatus
from annotations.tests.conftest import make_article
from annotations.tests.exporting import body_of, claim_on, finish

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
CHECKER = Path(
    os.environ.get("W3C_ANNOTATION_CHECKER", REPO.parent / "shared/w3c-annotation-tests/check_annotation.py")
)

# Code points, not UTF-16 units: the emoji before the quote counts as one.
BODY = "🙂 Kurz vorab: Der Landkreis zählt 4.210 Ehrenamtliche – „mehr als je zuvor“.\nSo weit die Zahlen."


@pytest.fixture
def claims(editor, fact_checker):
    article = make_article(by=editor, body=BODY, title="Ehrenamt im Landkreis")
    verified = finish(
        claim_on(article, editor, "4.210 Ehrenamtliche", "4210 Ehrenamtliche <b>im</b> Kreis"), fact_checker
    )
    disputed = finish(claim_on(article, editor, "„mehr als je zuvor“", "Rekord"), fact_checker, ClaimStatus.DISPUTED)
    return article, verified, disputed


def _export(client, chief_editor, query: str = "") -> dict:
    client.force_login(chief_editor)
    response = client.get(reverse("annotations:claim-export-annotations") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    return json.loads(body_of(response))


def test_collection_has_one_page_of_assessing_annotations_with_quote_and_position(client, chief_editor, claims):
    article, verified, _ = claims
    data = _export(client, chief_editor)
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert data["type"] == "AnnotationCollection"
    assert data["total"] == 1
    page = data["first"]
    assert page["type"] == "AnnotationPage"
    (annotation,) = page["items"]
    assert annotation["type"] == "Annotation"
    assert annotation["motivation"] == "assessing"
    assert annotation["id"] == f"http://testserver/claims/{verified.pk}/"
    assert annotation["body"][0] == {
        "type": "TextualBody",
        "value": "4210 Ehrenamtliche <b>im</b> Kreis",
        "format": "text/plain",
        "language": "de",
        "purpose": "describing",
    }
    target = annotation["target"]
    assert target["source"] == f"http://testserver/articles/{article.pk}/"
    quote, position = target["selector"]
    assert quote["type"] == "TextQuoteSelector"
    assert quote["exact"] == "4.210 Ehrenamtliche"
    assert quote["prefix"] + quote["exact"] + quote["suffix"] in BODY
    assert position == {"type": "TextPositionSelector", "start": verified.start, "end": verified.end}
    assert BODY[position["start"] : position["end"]] == quote["exact"]
    assert position["start"] == 34  # the emoji is one code point


def require_checker() -> None:
    """The W3C suite lives next to the repository (../shared). Missing, the checks fail in CI (.ci/run sets
    CI=1) and are skipped, saying so, in a checkout elsewhere."""
    if CHECKER.exists():
        return
    message = f"W3C checker not found at {CHECKER} (expected ../shared/w3c-annotation-tests next to the repository)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def test_export_passes_the_w3c_must_assertions(client, chief_editor, claims, tmp_path):
    require_checker()
    data = _export(client, chief_editor, "?status=verified&status=disputed")
    assert data["total"] == 2
    path = tmp_path / "claims.jsonld"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "annotations checked: 2, failing musts: 0" in result.stdout


def test_the_checker_catches_a_broken_selector(client, chief_editor, claims, tmp_path):
    """The check above can fail: the same export with a negative start does not pass."""
    require_checker()
    data = _export(client, chief_editor)
    data["first"]["items"][0]["target"]["selector"][1]["start"] = -1
    path = tmp_path / "broken.jsonld"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
