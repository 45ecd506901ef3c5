"""Every page needs a login; walking the URL resolver covers pages added later."""

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

# Pages an anonymous visitor may reach, by URL name.
PUBLIC = {"login", "logout", "healthz", "favicon", "set_language", "admin:login"}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", prefix + str(pattern.pattern)


def _example_path(route: str) -> str:
    """Turn a route into a path: fill converters and regex groups with plausible values."""
    import re

    path = re.sub(r"<int:[^>]+>", "1", route)
    path = re.sub(r"<(?:str|slug):[^>]+>", "x", path)
    path = re.sub(r"<path:[^>]+>", "x/y", path)
    path = re.sub(r"<[^>]+>", "x", path)
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", path)
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


ROUTES = sorted(set(_walk(get_resolver().url_patterns)))


def test_the_walk_finds_the_pages():
    names = {name for name, _ in ROUTES}
    assert {"annotations:dashboard", "annotations:article-list", "annotations:claim-list", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), [route for route in ROUTES if route[0] not in PUBLIC])
def test_anonymous_visitor_is_sent_to_a_login_page(client, name, route):
    response = client.get(_example_path(route))
    assert response.status_code == 302, f"{name} ({route}) answered {response.status_code}"
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_login_and_health_pages_are_open(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
