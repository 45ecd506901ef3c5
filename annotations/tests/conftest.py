"""Named users, factories and the browser for the whole suite."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import connection

from annotations.models import Article, Claim, Evidence, Source
from annotations.roles import CHIEF_EDITOR, EDITOR, FACT_CHECKER, apply_roles

# Playwright's sync API runs an event loop in the test thread; the ORM calls the
# tests make there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "test-passwort-123"


def postgresql_only(what: str) -> Any:
    """An autouse fixture for a test file whose subject needs PostgreSQL: skipped on SQLite, failed in CI.

    In a test file: `_postgresql_only = postgresql_only("the COPY path")`.
    """

    @pytest.fixture(autouse=True)
    def _postgresql_only() -> None:
        if connection.vendor != "postgresql":
            if os.environ.get("CI"):
                pytest.fail(f"CI runs on PostgreSQL: {what} must be tested there")
            pytest.skip(f"{what} needs PostgreSQL (set DATABASE_URL); CI runs it")

    return _postgresql_only


@pytest.fixture(autouse=True)
def _roles(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush the groups the data migration made; put them back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        if not Group.objects.exists():
            apply_roles(Group, Permission)


def make_user(username: str, group: str | None = None, **fields: Any) -> Any:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **fields)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def editor(db: None) -> Any:
    return make_user("erika", EDITOR, first_name="Erika", last_name="Redakteurin")


@pytest.fixture
def fact_checker(db: None) -> Any:
    return make_user("fritz", FACT_CHECKER, first_name="Fritz", last_name="Prüfer")


@pytest.fixture
def second_fact_checker(db: None) -> Any:
    return make_user("frida", FACT_CHECKER, first_name="Frida", last_name="Prüferin")


@pytest.fixture
def chief_editor(db: None) -> Any:
    return make_user("clara", CHIEF_EDITOR, first_name="Clara", last_name="Chefin")


@pytest.fixture
def outsider(db: None) -> Any:
    return make_user("otto", first_name="Otto", last_name="Außenstehend")


@pytest.fixture
def superuser(db: None) -> Any:
    return get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)


BODY = (
    "Der Gemeinderat von Kleinbach hat am Montag den Haushalt für 2027 beschlossen. "
    "Er sieht Ausgaben von 12,4\u00a0Millionen Euro vor – so viel wie nie zuvor.\n\n"
    "Bürgermeisterin Anja Weißgerber sagte: „Wir investieren vor allem in Schulen.“"
)


def make_article(by: Any = None, body: str = BODY, **fields: Any) -> Article:
    fields.setdefault("title", body.split(".")[0][:80])
    return Article.objects.create(body=body, created_by=by, **fields)


def make_claim(article: Article, by: Any, quote: str | None = None, statement: str = "Eine Behauptung") -> Claim:
    quote = quote or article.body.split(" ", 6)[-1].split(".")[0]
    start = article.body.index(quote)
    return Claim.objects.create_from_selection(
        article=article, start=start, end=start + len(quote), quote=quote, statement=statement, by=by
    )


def make_source(url: str = "https://www.example.org/haushalt-2027", **fields: Any) -> Source:
    fields.setdefault("title", "Haushaltsplan 2027")
    return Source.objects.create(url=url, **fields)


def add_evidence(claim: Claim, by: Any, stance: str = "supports", source: Source | None = None) -> Evidence:
    return claim.add_evidence(source or make_source(), stance=stance, by=by)


def refused_page(client: Any, response: Any, claim: Claim) -> str:
    """A refused claim form ends on the claim's page (Post/Redirect/Get): that page, as the editor sees it."""
    assert response.status_code == 302, response.status_code
    assert response["Location"] == claim.get_absolute_url()
    return client.get(response["Location"]).content.decode()


def refused_article_page(client: Any, response: Any, article: Article) -> str:
    """A refused form of the article page (a new claim, a card's wording) ends on the article's page
    (Post/Redirect/Get): that page, as the editor sees it, with the input and the reason."""
    assert response.status_code == 302, response.status_code
    assert response["Location"].split("?")[0].split("#")[0] == article.get_absolute_url(), response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return page.content.decode()


@pytest.fixture
def article(editor: Any) -> Article:
    return make_article(by=editor)


@pytest.fixture
def claim(article: Article, editor: Any) -> Claim:
    return make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="12,4 Mio. Ausgaben")


def admin_inline_data(prefix: str, rows: Any, parent_field: str, parent: Any) -> dict[str, Any]:
    """The POST fields a read-only inline of an admin change form sends: its management form and row ids."""
    rows = list(rows)
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": len(rows),
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for n, row in enumerate(rows):
        data[f"{prefix}-{n}-id"] = row.pk
        data[f"{prefix}-{n}-{parent_field}"] = parent.pk
    return data


# --- Browser ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (CI does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def log_in(page: Any, live_server: Any, user: Any) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url(f"{live_server.url}/")


# --- issue 5: speed ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Every test makes several users; the production hasher is slow on purpose, tests need not be."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
