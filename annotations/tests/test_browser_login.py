"""An editor logs in through Chromium and lands on the overview, in German."""

import pytest

from annotations.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_editor_logs_in_and_sees_the_overview(page, live_server, editor, claim):
    log_in(page, live_server, editor)
    assert page.locator("h1").inner_text() == "Übersicht"
    assert page.locator(".count-card.status-unverified .count").inner_text() == "1"


def test_wrong_password_gives_a_german_message(page, live_server, editor):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", editor.username)
    page.fill("input[name=password]", "falsch")
    page.click("form button[type=submit].primary")
    assert "Benutzername und Passwort passen nicht zusammen" in page.locator("[role=alert]").inner_text()
