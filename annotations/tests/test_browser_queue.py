"""In Chromium: a fact-checker selects all claims in the queue and starts their review; the page
reports each claim, including the ones the workflow refused."""

import pytest

from annotations.models import Claim, ClaimStatus
from annotations.tests.conftest import log_in, make_claim

pytestmark = pytest.mark.browser


def test_select_all_and_start_review(page, live_server, editor, fact_checker, article, tmp_path):
    first = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="Rekordhaushalt")
    second = make_claim(article, editor, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    second.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    log_in(page, live_server, fact_checker)
    page.goto(f"{live_server.url}/claims/")
    form = page.locator("form[data-bulk-form]")
    assert not form.locator("select[name=assignee]").count() or form.locator("select[name=assignee]").is_hidden()
    form.locator("[data-select-all]").check()
    assert form.locator("input[name=claims]:checked").count() == 2
    form.locator("select[name=action]").select_option("start_review")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    messages = page.locator(".messages").inner_text()
    assert f"Erledigt für: #{first.pk}" in messages
    assert f"#{second.pk} „Schwerpunkt Schulen“" in messages
    page.screenshot(path=tmp_path / "wt5-queue-bulk.png", full_page=True)
    assert Claim.objects.get(pk=first.pk).status == ClaimStatus.IN_REVIEW
    assert Claim.objects.get(pk=first.pk).assignee == fact_checker
