"""Every response carries the one strict Content-Security-Policy: pages, the admin, refusals and errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from annotations.tests.conftest import PASSWORD

EXPECTED = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


def test_ordinary_pages_carry_the_strict_policy(client, superuser, article, claim):
    client.force_login(superuser)
    for url in [
        reverse("annotations:dashboard"),
        reverse("annotations:article-list"),
        reverse("annotations:article-new"),
        article.get_absolute_url(),
        reverse("annotations:article-edit", args=[article.pk]),
        reverse("annotations:claim-list"),
        claim.get_absolute_url(),
        reverse("annotations:source-list"),
        reverse("admin:index"),
        reverse("admin:annotations_claim_changelist"),
        reverse("admin:annotations_article_change", args=[article.pk]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert directives(response) == EXPECTED, url


def test_the_login_page_and_a_failed_claim_form_carry_the_policy(client, editor, article):
    assert directives(client.get(reverse("login"))) == EXPECTED
    client.force_login(editor)
    # The article page shown again with the form's errors: it had its own decorator before.
    response = client.post(reverse("annotations:claim-create", args=[article.pk]), {"statement": "Ohne Auswahl"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Ohne Auswahl" in page.content.decode() and directives(page) == EXPECTED


def test_a_not_found_page_carries_the_policy(client, editor):
    client.force_login(editor)
    response = client.get(reverse("annotations:article-detail", args=[987654]))
    assert response.status_code == 404
    assert "Nicht gefunden" in response.content.decode()
    assert directives(response) == EXPECTED


def test_a_refusal_carries_the_policy(client, outsider, article):
    client.force_login(outsider)
    response = client.get(reverse("annotations:article-edit", args=[article.pk]))
    assert response.status_code == 403
    assert directives(response) == EXPECTED


def test_a_csrf_failure_carries_the_policy_and_explains_itself_without_inline_style(editor, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(reverse("annotations:article-edit", args=[article.pk]), {"title": "Neu"})
    assert response.status_code == 403
    assert directives(response) == EXPECTED
    html = response.content.decode()
    assert "Nichts wurde geändert" in html and "<style" not in html
    article.refresh_from_db()
    assert article.title != "Neu"


def test_a_login_with_a_stale_token_is_refused_under_the_policy(editor):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 403
    assert directives(response) == EXPECTED


# Inline code is what the policy blocks; JSON data blocks are data, not scripts, and are allowed.
INLINE = [
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
    (re.compile(r"<style[\s>]", re.I), "<style> element"),
    (re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I), "inline <script>"),
]


TEMPLATES = Path(settings.BASE_DIR) / "templates"


@pytest.mark.parametrize("name", sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")))
def test_templates_hold_no_inline_code_or_style(name):
    text = (TEMPLATES / name).read_text(encoding="utf-8")
    found = [f"{what}: {match.group(0)!r}" for pattern, what in INLINE for match in pattern.finditer(text)]
    assert found == []
