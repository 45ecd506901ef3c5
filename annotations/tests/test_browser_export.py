"""In the browser: a chief editor ticks claims in the back office and downloads them as CSV for Excel."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from annotations.tests.conftest import log_in
from annotations.tests.exporting import claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_chief_editor_downloads_the_ticked_claims_from_the_admin(
    page, live_server, chief_editor, editor, fact_checker, tmp_path
):
    article = tricky_article(editor)
    verified = finish(claim_on(article, editor, "1.250 Einwände", "=1.250 Einwände gezählt"), fact_checker)
    claim_on(article, editor, "im Mai gesperrt", "Sperrung im Mai")
    chief_editor.is_staff = True
    chief_editor.save()
    log_in(page, live_server, chief_editor)
    page.goto(live_server.url + reverse("admin:annotations_claim_changelist"))
    page.check(f"input[name=_selected_action][value='{verified.pk}']")
    page.select_option("select[name=action]", "export_csv")
    assert "Ausgewählte Behauptungen als CSV exportieren" in page.inner_text("select[name=action]")
    page.screenshot(path=tmp_path / "wt6-admin-export.png")
    with page.expect_download() as download_info:
        page.click("button[name=index]")
    download = download_info.value
    assert download.suggested_filename.startswith("behauptungen-") and download.suggested_filename.endswith(".csv")
    rows = read_csv(Path(download.path()).read_bytes())
    assert [(row["claim_id"], row["statement"]) for row in rows] == [(str(verified.pk), "'=1.250 Einwände gezählt")]
