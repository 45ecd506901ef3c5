"""German first whatever the browser says; the header's switch changes the language and remembers it per
person, across logins and computers. Logging out says so."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from annotations.models import UserPreferences
from annotations.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}


def test_an_english_browser_gets_the_german_login_page(client):
    response = client.get("/accounts/login/", **ENGLISH_BROWSER)
    html = response.content.decode()
    assert 'lang="de"' in html and "Anmelden" in html
    assert response["Content-Language"] == "de"
    assert "Accept-Language" not in response.get("Vary", "")


def test_an_english_browser_gets_german_pages_and_german_dates(client, editor, claim):
    client.force_login(editor)
    html = client.get(reverse("annotations:claim-list"), **ENGLISH_BROWSER).content.decode()
    assert 'lang="de"' in html and "Behauptungen" in html
    assert claim.created_at.astimezone().strftime("%d.%m.%Y") in html


def test_the_switch_changes_the_language_and_remembers_it_for_the_person(client, editor):
    client.force_login(editor)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"}, follow=True)
    assert 'lang="en"' in response.content.decode() and "Overview" in response.content.decode()
    assert UserPreferences.objects.language_of(editor) == "en"
    client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert UserPreferences.objects.language_of(editor) == "de"


def test_the_choice_is_back_at_the_next_login_on_another_computer(editor, fact_checker):
    first = Client()
    first.post("/accounts/login/", {"username": editor.username, "password": PASSWORD})
    first.post(reverse("set_language"), {"language": "en", "next": "/"})
    first.post(reverse("logout"))
    # Another computer: no cookie, a German browser this time. The person's choice wins.
    second = Client()
    second.post("/accounts/login/", {"username": editor.username, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="de")
    html = second.get("/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert 'lang="en"' in html and "Overview" in html
    # Somebody who never switched keeps German, whatever the browser says.
    third = Client()
    third.post("/accounts/login/", {"username": fact_checker.username, "password": PASSWORD}, **ENGLISH_BROWSER)
    assert 'lang="de"' in third.get("/", **ENGLISH_BROWSER).content.decode()


def test_the_switch_works_before_logging_in_without_storing_anything(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"}, follow=True)
    assert 'lang="en"' in response.content.decode() and "Log in" in response.content.decode()
    assert not UserPreferences.objects.exists()


def test_an_unknown_language_changes_nothing(client, editor):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    client.post(reverse("set_language"), {"language": "", "next": "/"})
    assert not UserPreferences.objects.exists()
    client.cookies["django_language"] = "klingonisch"
    assert 'lang="de"' in client.get("/").content.decode()


def test_the_switch_does_not_send_anybody_elsewhere(client, editor):
    client.force_login(editor)
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example.org/"})
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_logging_out_shows_a_confirmation_on_the_login_page(client, editor):
    client.force_login(editor)
    response = client.post(reverse("logout"), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Sie sind abgemeldet." in html and "message-success" in html
    # Only once: the next page shows it no more.
    assert "Sie sind abgemeldet." not in client.get(reverse("login")).content.decode()


def test_logging_out_in_english_confirms_in_english(client, editor):
    client.force_login(editor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.post(reverse("logout"), follow=True).content.decode()
    assert "You are logged out." in html
