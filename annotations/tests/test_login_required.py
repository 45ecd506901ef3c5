"""Every page needs a login; walking the URL resolver covers pages added later."""

import pytest

from annotations.tests.urlwalk import routes

# Pages an anonymous visitor may reach, by URL name.
PUBLIC = {"login", "logout", "healthz", "favicon", "set_language", "admin:login"}

ROUTES = sorted({(route.name, route.path(**dict.fromkeys(route.parameters, "1"))) for route in routes()})


def test_the_walk_finds_the_pages():
    names = {name for name, _ in ROUTES}
    assert {"annotations:dashboard", "annotations:article-list", "annotations:claim-list", "admin:index"} <= names


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), [route for route in ROUTES if route[0] not in PUBLIC])
def test_anonymous_visitor_is_sent_to_a_login_page(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, f"{name} ({path}) answered {response.status_code}"
    assert "/login/" in response["Location"]


@pytest.mark.django_db
def test_login_and_health_pages_are_open(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
