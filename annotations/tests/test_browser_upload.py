"""An editor uploads several files through the form in Chromium and reads the results page."""

from __future__ import annotations

import io

import docx
import pytest

from annotations.models import Article
from annotations.tests.conftest import log_in, make_claim

pytestmark = pytest.mark.browser

HARBOUR = "Der Hafen von Stralsund meldet „mehr Kreuzfahrtschiffe“ – 84\u00a0Anläufe im Jahr."
GREETING = "„Grüße aus Güstrow“ – die Stadt feiert ihr Barlach-Jubiläum."


def test_editor_uploads_several_files_and_reads_the_results(page, live_server, editor, tmp_path):
    (tmp_path / "hafen.txt").write_text(f" date 2022-03 {HARBOUR}", encoding="utf-8")
    (tmp_path / "gruss.txt").write_bytes(GREETING.encode("cp1252"))
    word = docx.Document()
    word.add_paragraph("Quelle: NDR")
    word.add_paragraph("Die Ostseeküste erwartet einen Rekordsommer. Hotels sind fast ausgebucht.")
    buffer = io.BytesIO()
    word.save(buffer)
    (tmp_path / "kueste.docx").write_bytes(buffer.getvalue())
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 \x00\x01")

    log_in(page, live_server, editor)
    page.click("nav >> text=Neuer Artikel")
    page.wait_for_url(f"{live_server.url}/articles/new/")
    form = page.locator("form[data-upload-form]")
    form.locator("input[name=files]").set_input_files(
        [str(tmp_path / name) for name in ("hafen.txt", "gruss.txt", "kueste.docx", "scan.pdf")]
    )
    page.screenshot(path=tmp_path / "wt3-upload-form.png", full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/articles/uploads/**")

    assert page.locator("h1").inner_text() == "Ergebnis des Uploads"
    rows = page.locator("table.upload-results tbody tr")
    assert rows.count() == 4
    assert [rows.nth(i).get_attribute("data-result") for i in range(4)] == [
        "imported",
        "imported",
        "imported",
        "refused",
    ]
    assert "Der Dateityp „.pdf“ wird nicht unterstützt." in rows.nth(3).inner_text()
    assert "3 Artikel importiert" in page.locator("[data-upload-summary]").inner_text()
    page.screenshot(path=tmp_path / "wt3-upload-results.png", full_page=True)

    harbour = Article.objects.get(original_filename="hafen.txt")
    assert harbour.body == HARBOUR and harbour.published_iso == "2022-03"
    assert Article.objects.get(original_filename="gruss.txt").body == GREETING
    assert Article.objects.get(original_filename="kueste.docx").source == "NDR"

    # The link leads to the article; the list shows the month-precise date in German.
    rows.nth(0).locator("a").click()
    page.wait_for_url(f"{live_server.url}/articles/{harbour.pk}/")
    make_claim(harbour, editor, quote="84\u00a0Anläufe im Jahr", statement="84 Anläufe")
    page.goto(f"{live_server.url}/articles/")
    row = page.locator(f"tr[data-article-id='{harbour.pk}']")
    assert row.locator("time").inner_text() == "März 2022"
    assert row.locator("[data-status=unverified]").inner_text().strip() == "1"
    page.screenshot(path=tmp_path / "wt3-article-list.png", full_page=True)


def test_uploading_the_same_file_again_points_to_the_existing_article(page, live_server, editor, tmp_path):
    (tmp_path / "hafen.txt").write_text(HARBOUR, encoding="utf-8")
    log_in(page, live_server, editor)
    for _ in range(2):
        page.goto(f"{live_server.url}/articles/new/")
        page.set_input_files("form[data-upload-form] input[name=files]", str(tmp_path / "hafen.txt"))
        page.click("form[data-upload-form] button[type=submit]")
        page.wait_for_url(f"{live_server.url}/articles/uploads/**")
    row = page.locator("table.upload-results tbody tr")
    assert row.get_attribute("data-result") == "duplicate"
    article = Article.objects.get()
    assert row.locator("a").get_attribute("href") == f"/articles/{article.pk}/"
