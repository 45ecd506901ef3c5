"""Bad input to the back office and the pages answers 400 or a form error in German, never 500; the 400
and 500 pages are German and the 500 page renders with the database down; the development server
answers 413, not 500, to an oversized upload."""

from __future__ import annotations

import http.client
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.decorators import login_not_required
from django.test import Client
from django.urls import include, path

from annotations.models import Article, Claim, ClaimStatus
from annotations.tests.conftest import BODY, make_article, make_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def claim(editor):
    return make_claim(make_article(by=editor), editor)


CHANGELISTS = [
    "/admin/annotations/article/",
    "/admin/annotations/claim/",
    "/admin/annotations/source/",
    "/admin/annotations/evidence/",
    "/admin/annotations/claimevent/",
    "/admin/auth/user/",
    "/admin/axes/accessattempt/",
]


@pytest.mark.parametrize("url", CHANGELISTS)
@pytest.mark.parametrize("query", ["q=Haus%00halt", "status__exact=%00", "source__exact=a%00", "kind%00=x"])
def test_a_nul_in_any_list_filter_or_search_is_a_german_400(admin_client_, claim, url, query):
    response = admin_client_.get(f"{url}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Fehlerhafte Anfrage" in html and "Es wurde nichts geändert." in html
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_a_nul_in_the_app_s_filters_and_paths_is_a_400_too(client, editor, claim):
    client.force_login(editor)
    assert client.get("/claims/?claimant=%00").status_code == 400
    assert client.get("/articles/?q=x%00").status_code == 400
    assert client.get("/articles/uploads/%00/").status_code == 400


def test_autocomplete_with_a_nul_is_a_400(admin_client_, claim):
    query = "app_label=annotations&model_name=claim&field_name=article"
    assert admin_client_.get(f"/admin/autocomplete/?term=Haus&{query}").status_code == 200
    assert admin_client_.get(f"/admin/autocomplete/?term=Haus%00&{query}").status_code == 400


@pytest.mark.parametrize("part", ["year", "month", "day"])
def test_a_date_beyond_the_calendar_in_the_date_hierarchy_is_refused_like_any_bad_filter(admin_client_, claim, part):
    values = {"year": "2026", "month": "3", "day": "1"}
    values[part] = str(2**63)
    query = "&".join(f"created_at__{name}={value}" for name, value in values.items())
    for url in ("/admin/annotations/claim/", "/admin/annotations/article/"):
        response = admin_client_.get(f"{url}?{query}")
        # What the admin does with every filter it cannot use: back to the list, marked as an error.
        assert response.status_code == 302
        assert response["Location"].endswith("?e=1")


def test_an_article_whose_text_exists_already_is_a_form_error_in_the_admin(admin_client_, editor):
    twin = make_article(by=editor)
    response = admin_client_.post(
        "/admin/annotations/article/add/", {"title": "Noch einmal", "body": BODY, "language": "de"}
    )
    assert response.status_code == 200
    assert f"Ein Artikel mit genau diesem Text existiert bereits: „{twin.title}“ (Nr. {twin.pk})." in (
        response.content.decode()
    )
    assert Article.objects.count() == 1


@pytest.mark.parametrize("value", ["abc", "-1", str(2**63), "1.5"])
def test_a_non_numeric_or_unknown_user_in_an_admin_form_is_a_form_error(admin_client_, value):
    response = admin_client_.post(
        "/admin/annotations/article/add/",
        {"title": "Neu", "body": "Ein neuer Text.", "language": "de", "created_by": value},
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize("selected", [["abc"], ["\x00"], ["1", "zwei"], [str(2**63)]])
def test_a_tampered_selection_in_an_admin_action_changes_nothing(admin_client_, claim, selected):
    response = admin_client_.post(
        "/admin/annotations/claim/", {"action": "start_review", "_selected_action": selected, "index": "0"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.UNVERIFIED
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages and ("Es wurde nichts geändert" in messages[0] or "Keine Einträge" in messages[0])


def test_an_action_on_real_rows_still_works(admin_client_, claim):
    response = admin_client_.post(
        "/admin/annotations/claim/", {"action": "start_review", "_selected_action": [claim.pk], "index": "0"}
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_a_login_with_a_user_name_of_thousands_of_characters_is_refused_quietly(client):
    response = client.post("/accounts/login/", {"username": "x" * 3000, "password": "falsch"})
    assert response.status_code == 200
    assert "Benutzername und Passwort passen nicht zusammen" in response.content.decode()


# --- The error pages ----------------------------------------------------------------------------


@login_not_required
def _broken_view(request):
    raise RuntimeError("kaputt")


@login_not_required
def _query_view(request):
    Article.objects.count()
    raise AssertionError("the database should have been unreachable")


urlpatterns = [
    path("test/kaputt/", _broken_view),
    path("test/datenbank/", _query_view),
    path("", include("newsroom.urls")),
]


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def test_the_500_page_is_german_and_carries_the_policy(failing_urls):
    response = Client(raise_request_exception=False).get("/test/kaputt/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Bei uns ist etwas schiefgegangen" in html
    assert "möglicherweise nicht gespeichert" in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "<script" not in html and "style=" not in html


def test_the_500_page_renders_with_the_database_down_and_without_a_request(failing_urls, django_db_blocker):
    client = Client(raise_request_exception=False)
    with django_db_blocker.block():
        # Every query now fails, as with the database server gone; the page itself needs none.
        response = client.get("/test/datenbank/")
    assert response.status_code == 500
    assert "Bei uns ist etwas schiefgegangen" in response.content.decode()


def test_the_400_page_is_german(client):
    response = client.get("/articles/?q=%00")
    assert response.status_code == 400
    assert "Fehlerhafte Anfrage" in response.content.decode()
    assert "Zurück zur Übersicht" in response.content.decode()


# --- The development server -----------------------------------------------------------------------


def test_the_development_server_answers_413_to_an_oversized_upload(live_server, settings):
    settings.NEWSROOM_IMPORT_MAX_UPLOAD_BYTES = 1000
    url = urlsplit(live_server.url)
    connection_ = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    body = b"x" * 5000
    connection_.request("POST", "/articles/new/", body=body, headers={"Content-Type": "application/octet-stream"})
    response = connection_.getresponse()
    html = response.read().decode()
    connection_.close()
    assert response.status == 413
    assert "zu groß" in html


def _inline_management(client) -> dict[str, str]:
    """The hidden management fields of the add page's inlines, as a browser would send them."""
    html = client.get("/admin/annotations/article/add/").content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', html))


def test_an_article_added_in_the_admin_is_stored_normalised_like_an_import(admin_client_, editor):
    # Decomposed umlauts, Windows line ends, a NUL-free control character and surrounding blank lines.
    raw = "\r\n\r\nDie Bu\u0308rgerinnen zahlen mehr.\r\nDer Rat \x07tagt.\r\n\r\n"
    response = admin_client_.post(
        "/admin/annotations/article/add/",
        {**_inline_management(admin_client_), "title": "Roh", "body": raw, "language": "de"},
    )
    assert response.status_code == 302
    body = Article.objects.get().body
    assert body == "Die Bürgerinnen zahlen mehr.\nDer Rat tagt."
    # The same text typed differently is the same article.
    again = admin_client_.post(
        "/admin/annotations/article/add/",
        {"title": "Noch einmal", "body": body.replace("\n", "\r\n"), "language": "de"},
    )
    assert again.status_code == 200 and Article.objects.count() == 1


def test_an_article_of_only_blank_lines_is_refused_in_the_admin(admin_client_):
    response = admin_client_.post(
        "/admin/annotations/article/add/", {"title": "Leer", "body": "\u00ad\r\n \r\n", "language": "de"}
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
