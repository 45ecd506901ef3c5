"""New versions arriving: an upload or paste matching an article (same URL, or same source and
title) is offered as that article's new version; the import command applies it with a flag;
exports keep to the current text afterwards."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from annotations.models import AnchorState, Article, ArticleRevision, Claim, ClaimStatus, PendingVersion
from annotations.tests.conftest import make_article
from annotations.tests.exporting import body_of, claim_on, finish, read_csv
from annotations.tests.test_export_w3c import CHECKER, require_checker

pytestmark = pytest.mark.django_db

FIRST = (
    "Titel: Brand in Scheune\nQuelle: dpa\nURL: https://presse.example.org/brand-scheune\n\n"
    "Die Feuerwehr löschte am Sonntag einen Brand in einer Scheune in Oberau. "
    "Verletzt wurde niemand. Der Schaden liegt bei etwa 80.000 Euro."
)
SECOND = (
    "Titel: Brand in Scheune\nQuelle: dpa\n\n"
    "2. Fassung: Die Polizei ermittelt.\n\n"
    "Die Feuerwehr löschte am Sonntag einen Brand in einer Scheune in Oberau. "
    "Verletzt wurde niemand. Der Schaden liegt bei etwa 120.000 Euro."
)


def upload(client, name: str, text: str):
    data = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")
    return client.post(reverse("annotations:article-new"), {"files": [data]}, follow=True)


@pytest.fixture
def first(client, editor):
    client.force_login(editor)
    upload(client, "brand.txt", FIRST)
    return Article.objects.get()


def test_a_text_with_the_same_source_and_title_is_offered_as_a_new_version(client, editor, first):
    claim = claim_on(first, editor, "Verletzt wurde niemand")
    response = upload(client, "brand-2.txt", SECOND)
    html = response.content.decode()
    assert Article.objects.count() == 1  # not silently a second article
    assert 'data-result="new_version"' in html and "data-accept-version" in html
    pending = PendingVersion.objects.get()
    assert pending.article == first and pending.original_filename == "brand-2.txt"
    response = client.post(reverse("annotations:pending-version-accept", args=[pending.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("annotations:article-revisions", args=[first.pk])
    first.refresh_from_db()
    assert first.text_version == 2 and first.body.startswith("2. Fassung")
    assert ArticleRevision.objects.get().comment.endswith("brand-2.txt.")
    claim.refresh_from_db()
    assert first.body[claim.start : claim.end] == "Verletzt wurde niemand"
    assert claim.anchor_state == AnchorState.MOVED
    assert not PendingVersion.objects.exists()


def test_a_text_with_the_same_url_is_offered_too(client, editor, first):
    text = "URL: https://presse.example.org/brand-scheune\n\nGanz neu geschrieben: Scheunenbrand in Oberau."
    upload(client, "neu.txt", text)
    assert PendingVersion.objects.get().article == first


def test_the_editor_may_import_it_as_an_article_of_its_own_instead(client, editor, first):
    upload(client, "brand-2.txt", SECOND)
    pending = PendingVersion.objects.get()
    response = client.post(reverse("annotations:pending-version-separate", args=[pending.pk]), follow=True)
    assert response.status_code == 200
    assert Article.objects.count() == 2
    first.refresh_from_db()
    assert first.text_version == 1


def test_the_same_text_again_is_a_duplicate_not_a_version(client, editor, first):
    response = upload(client, "brand-kopie.txt", FIRST)
    assert 'data-result="duplicate"' in response.content.decode()
    assert not PendingVersion.objects.exists()


def test_a_pasted_text_with_the_same_source_and_title_is_offered(client, editor, first):
    body = SECOND.split("\n\n", 1)[1]
    response = client.post(
        reverse("annotations:article-new"), {"title": "Brand in Scheune", "text": body, "source": "dpa"}, follow=True
    )
    assert 'data-result="new_version"' in response.content.decode()


def test_accepting_twice_or_without_permission_changes_nothing(client, editor, outsider, first):
    upload(client, "brand-2.txt", SECOND)
    pending = PendingVersion.objects.get()
    url = reverse("annotations:pending-version-accept", args=[pending.pk])
    client.force_login(outsider)
    assert client.post(url).status_code == 403
    client.force_login(editor)
    client.post(url)
    assert client.post(url).status_code == 404
    assert Article.objects.get().text_version == 2


def test_the_import_command_applies_new_versions_with_its_flag(tmp_path, editor, first):
    claim = claim_on(first, editor, "Der Schaden liegt bei etwa 80.000 Euro")
    (tmp_path / "brand-2.txt").write_text(SECOND, encoding="utf-8")
    out = io.StringIO()
    call_command("import_articles", str(tmp_path), "--no-progress", "--new-versions", "--user", "erika", stdout=out)
    assert (
        "New versions of existing articles: 1" in out.getvalue()
        or "Neue Fassungen bestehender Artikel: 1" in out.getvalue()
    )
    assert Article.objects.count() == 1
    first.refresh_from_db()
    assert first.text_version == 2
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED  # the amount changed


def test_the_import_command_without_the_flag_imports_separately(tmp_path, editor, first):
    (tmp_path / "brand-2.txt").write_text(SECOND, encoding="utf-8")
    call_command("import_articles", str(tmp_path), "--no-progress", stdout=io.StringIO())
    assert Article.objects.count() == 2
    assert not PendingVersion.objects.exists()


def test_the_flag_needs_a_user_to_record_the_correction(tmp_path):
    (tmp_path / "a.txt").write_text("Ein Text.", encoding="utf-8")
    with pytest.raises(CommandError, match="--user"):
        call_command("import_articles", str(tmp_path), "--no-progress", "--new-versions", stdout=io.StringIO())


# --- Exports use the current offsets ---------------------------------------------------------

BODY = "Der Landkreis zählt 4.210 Ehrenamtliche – „mehr als je zuvor“.\nSo weit die Zahlen."


@pytest.fixture
def corrected(editor, fact_checker):
    article = make_article(by=editor, body=BODY, title="Ehrenamt")
    moved = finish(claim_on(article, editor, "4.210 Ehrenamtliche", "4210 Ehrenamtliche"), fact_checker)
    orphaned = claim_on(article, editor, "So weit die Zahlen", "Zahlen")
    article.correct("🙂 Vorab: Neue Zahlen.\n\n" + BODY.replace("So weit die Zahlen.", "Mehr folgt."), by=editor)
    moved.refresh_from_db()
    orphaned.refresh_from_db()
    assert moved.status == ClaimStatus.VERIFIED and moved.anchor_state == AnchorState.MOVED
    assert orphaned.anchor_state == AnchorState.ORPHANED
    return article, moved, orphaned


def test_the_csv_export_has_the_current_offsets_and_none_for_an_orphan(client, chief_editor, corrected):
    article, moved, orphaned = corrected
    client.force_login(chief_editor)
    rows = read_csv(body_of(client.get(reverse("annotations:claim-export-csv") + "?status=verified&status=unverified")))
    by_id = {int(row["claim_id"]): row for row in rows}
    assert (int(by_id[moved.pk]["start"]), int(by_id[moved.pk]["end"])) == (moved.start, moved.end)
    assert article.body[moved.start : moved.end] == "4.210 Ehrenamtliche"
    assert (by_id[orphaned.pk]["start"], by_id[orphaned.pk]["end"]) == ("", "")


def test_the_w3c_export_of_a_moved_claim_passes_the_w3c_suite(client, chief_editor, corrected, tmp_path):
    article, moved, _orphaned = corrected
    client.force_login(chief_editor)
    data = json.loads(body_of(client.get(reverse("annotations:claim-export-annotations") + "?status=verified")))
    (annotation,) = data["first"]["items"]
    quote, position = annotation["target"]["selector"]
    assert article.body[position["start"] : position["end"]] == quote["exact"] == "4.210 Ehrenamtliche"
    assert position["start"] == article.body.index("4.210")
    require_checker()
    path = tmp_path / "moved.jsonld"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = subprocess.run([sys.executable, str(CHECKER), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "annotations checked: 1, failing musts: 0" in result.stdout


def test_the_w3c_export_leaves_out_a_claim_without_a_place(client, chief_editor, corrected):
    *_, orphaned = corrected
    client.force_login(chief_editor)
    data = json.loads(body_of(client.get(reverse("annotations:claim-export-annotations") + "?status=unverified")))
    assert data["total"] == 0
    assert Claim.objects.filter(pk=orphaned.pk).exists()
