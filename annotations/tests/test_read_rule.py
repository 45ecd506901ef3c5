"""One read rule for the whole app: a logged-in user without a role reads nothing.

The walk takes every URL pattern from the resolver, so a page, fragment or JSON endpoint added
later is walked without editing this file. Every piece of text in the fixtures carries a marker;
no response to a user without a role may contain one, whatever its status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver

from annotations.models import Article, ArticleRevision, Claim, ClaimEvent, Evidence, Source, SourceChange
from annotations.roles import EDITOR, FACT_CHECKER
from annotations.tests.conftest import make_user

pytestmark = pytest.mark.django_db

MARKER = "zqmarke"  # in every text of the fixtures; no response to a user without a role may hold it
BODY = (
    f"Der Gemeinderat von Kleinbach {MARKER}-text beschloss den Haushalt. "
    f"Die Ausgaben steigen auf {MARKER}-zitat 12 Millionen Euro, sagte die Kämmerin."
)


def _walk(patterns: list[Any], prefix: str = "", namespaces: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespaces, pattern.name or "?")), prefix + str(pattern.pattern)


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


@pytest.fixture
def record(db: None) -> dict[str, Any]:
    """An article with a claim, a withdrawn claim, sources, history, a revision: every text marked."""
    editor = make_user(f"{MARKER}-redaktion", EDITOR, first_name=f"{MARKER}-Erika", last_name=f"{MARKER}-Red")
    checker = make_user(f"{MARKER}-doku", FACT_CHECKER, first_name=f"{MARKER}-Fritz", last_name=f"{MARKER}-Doku")
    article = Article.objects.create(
        title=f"{MARKER}-titel Haushalt Kleinbach",
        body=BODY,
        source=f"{MARKER}-agentur",
        author=f"{MARKER}-autorin",
        created_by=editor,
    )
    ArticleRevision.objects.create(article=article, body=f"{MARKER}-frueher", content_hash="x" * 64, replaced_by=editor)
    quote = f"{MARKER}-zitat 12 Millionen Euro"
    start = BODY.index(quote)
    claim = Claim.objects.create_from_selection(
        article=article,
        start=start,
        end=start + len(quote),
        quote=quote,
        statement=f"{MARKER}-behauptung Kleinbach gibt 12 Mio. aus",
        claimant=f"{MARKER}-kaemmerin",
        note=f"{MARKER}-notiz",
        by=editor,
    )
    source = Source.objects.create(
        url=f"https://www.example.org/{MARKER}-quelle", title=f"{MARKER}-quellentitel", publisher=f"{MARKER}-verlag"
    )
    claim.add_evidence(source, stance="supports", excerpt=f"{MARKER}-auszug", note=f"{MARKER}-beleg", by=checker)
    claim.change_status("in_review", by=checker, comment=f"{MARKER}-kommentar")
    source.change(by=checker, title=f"{MARKER}-quellentitel neu")
    other_quote = "Der Gemeinderat von Kleinbach"
    withdrawn = Claim.objects.create_from_selection(
        article=article,
        start=0,
        end=len(other_quote),
        quote=other_quote,
        statement=f"{MARKER}-zurueckgezogen Kleinbach",
        by=editor,
    )
    withdrawn.withdraw(by=editor, reason=f"{MARKER}-grund")
    return {
        "article": article,
        "claim": claim,
        "withdrawn": withdrawn,
        "source": source,
        "evidence": Evidence.objects.get(claim=claim),
        "event": claim.events.last(),
        "revision": article.revisions.get(),
        "change": SourceChange.objects.filter(source=source).first(),
        "user": editor,
    }


def _object_for(name: str, route: str, record: dict[str, Any]) -> Any:
    """An existing object for a URL parameter: by its name (article_id, claim_id, revision_id, ...),
    or for the admin's object_id by the model in the route; anything else gets the claim."""
    admin_model = re.match(r"admin/(\w+)/(\w+)/", route)
    if name in ("object_id", "pk", "id") and admin_model:
        model = apps.get_model(admin_model.group(1), admin_model.group(2))
        return model.objects.order_by("pk").first()
    key = name.removesuffix("_id").removesuffix("_pk")
    models = list(apps.get_app_config("annotations").get_models())
    # The model of that name, else one whose name contains it (pending -> pendingversion).
    for model in [m for m in models if m._meta.model_name == key] + [m for m in models if key in m._meta.model_name]:
        if key:
            return model.objects.order_by("pk").first()
    return record["claim"]


def _path(route: str, record: dict[str, Any]) -> str:
    def fill(match: re.Match[str]) -> str:
        converter, name = (match.group(1) or "str"), match.group(2)
        if converter == "int" or name.endswith(("_id", "pk")) or name == "object_id":
            target = _object_for(name, route, record)
            return str(target.pk if target is not None else record["claim"].pk)
        if converter == "path":
            return "x/y"
        return "x"

    path = re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", str(record["claim"].pk), path)
    return "/" + path.lstrip("^").rstrip("$").replace("\\", "")


# Query parameters that make list, search and JSON views show what they hold (if they showed anything).
QUERY = {
    "q": "Kleinbach",
    "text": "Kleinbach",
    "withdrawn": "include",
    "claim": "",
    "status": ["unverified", "in_review", "verified", "disputed", "unverifiable"],
}


def _content(response: Any) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8", "replace")


def _state() -> dict[str, Any]:
    return {
        "claims": list(Claim.objects.order_by("pk").values_list("pk", "version", "statement", "withdrawn_at")),
        "events": ClaimEvent.objects.count(),
        "articles": list(Article.objects.order_by("pk").values_list("pk", "title", "content_hash")),
        "sources": list(Source.objects.order_by("pk").values_list("pk", "url", "title")),
        "evidence": Evidence.objects.count(),
        "source_changes": SourceChange.objects.count(),
    }


def _without_role(kind: str) -> Any:
    if kind == "staff":  # may enter the back office, holds no permission
        return make_user("ohne-rolle", is_staff=True)
    if kind == "empty group":  # a group that is not a role
        user = make_user("ohne-rolle")
        user.groups.add(Group.objects.create(name="Praktikum"))
        return user
    return make_user("ohne-rolle")


def test_the_walk_finds_every_kind_of_page():
    names = {name for name, _ in ROUTES}
    assert {
        "annotations:dashboard",
        "annotations:article-detail",
        "annotations:passage-search",
        "annotations:claim-detail",
        "annotations:claim-export-csv",
        "annotations:source-search",
        "admin:index",
    } <= names


@pytest.mark.parametrize("kind", ["plain", "staff", "empty group"])
def test_a_user_without_a_role_reads_nothing_anywhere(client, record, kind):
    user = _without_role(kind)
    before = _state()
    leaks, walked = [], 0
    for name, route in ROUTES:
        path = _path(route, record)
        for method in ("get", "post"):
            client.force_login(user)  # a walk over the logout page logs out: log in again each time
            response = getattr(client, method)(path, QUERY if method == "get" else {"version": 1})
            walked += 1
            if MARKER in _content(response).lower():
                leaks.append(f"{method.upper()} {path} ({name}) answered {response.status_code} with marked data")
    assert walked >= 2 * len(ROUTES)
    assert leaks == []
    assert _state() == before


def test_a_user_without_a_role_gets_a_german_page_saying_to_ask_for_one(client, record):
    client.force_login(_without_role("plain"))
    for url in ("/", record["article"].get_absolute_url(), record["claim"].get_absolute_url(), "/claims/"):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 403
        assert "Sie haben noch keine Rolle" in html and "Bitten Sie einen Administrator" in html
        assert 'class="site-nav"' not in html  # no links into pages they cannot read


def test_json_endpoints_answer_a_user_without_a_role_in_json(client, record):
    client.force_login(_without_role("plain"))
    response = client.get("/sources/search.json", {"q": "quelle"})
    assert response.status_code == 403
    assert "Bitten Sie einen Administrator" in response.json()["error"]


def test_a_user_without_a_role_can_still_log_out_and_switch_language(client, record):
    user = _without_role("plain")
    client.force_login(user)
    assert client.post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 302
    assert client.post("/accounts/logout/").status_code in (200, 302)
    assert "_auth_user_id" not in client.session


def test_every_role_still_reads(client, record, editor, fact_checker, chief_editor):
    for user in (editor, fact_checker, chief_editor):
        client.force_login(user)
        assert MARKER in client.get(record["article"].get_absolute_url()).content.decode()
        assert MARKER in client.get("/").content.decode()


def test_the_querysets_apply_the_same_rule(record, outsider, editor):
    assert not Claim.objects.visible_to(outsider).exists()
    assert not Article.objects.visible_to(outsider).exists()
    assert not Source.objects.visible_to(outsider).exists()
    assert list(Claim.objects.visible_to(editor)) == [record["claim"]]
    assert set(Claim.objects.visible_to(editor, withdrawn=True)) == {record["claim"], record["withdrawn"]}
