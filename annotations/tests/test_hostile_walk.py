"""The hostile walk: every URL of the app and the admin, as every role, with hostile values in every
query parameter and form field the walk can find, by GET and by POST. No answer may be a server error.

Nothing here is a list of pages: the routes come from the URL resolver (the admin's from its registered
models), the parameter names from each page's rendered forms and links, the FilterSets and the admin's
filters, plus the names every page may be sent (`next`, `page`, `q`, `o`, `_selected_action`, ...).
A page added later is walked without anyone touching this file: a parameter the walk does not know is
filled with a row of the model its name names.

Each request runs in a savepoint that is rolled back afterwards, so every request sees the same data
and a failed query cannot spoil the next; the client's cookies are put back too (logging out, the
language switch).
"""

from __future__ import annotations

import datetime
import html.parser
import logging
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl

import django_filters
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls.converters import IntConverter

from annotations import filters
from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source
from annotations.tests.urlwalk import Route, routes

pytestmark = pytest.mark.django_db

BIG = str(2**63)  # one past the largest bigint
HUGE = str(2**64 + 1)

# Tried in each query parameter of a page alone, one value each (taking turns over the roles). Not NUL:
# a NUL anywhere in the query is refused before any page reads it (tried once per page below).
SINGLE = [BIG, "2026-02-30", "abc", "-1"]
# Tried in every parameter and field at once (the last: another site's address for `next`, and too long
# for any field, with letters beyond ASCII).
ALL_AT_ONCE = ["\x00", HUGE, "2026-02-30", "//evil.example/Grüße 🙂 " + "x" * 3000]


def walks_fully(role: str, route: Route) -> bool:
    """Every value, and each query parameter alone: the superuser in the admin, a chief editor in the app
    (who may do the most there); the other roles take turns over the values."""
    return role == ("superuser" if route.name.startswith("admin:") else "chief_editor")


# Every page may be sent these, whether or not its forms show them.
GENERIC_NAMES = [
    "next",
    "page",
    "p",
    "q",
    "o",
    "e",
    "ordering",
    "status",
    "version",
    "dialect",
    "limit",
    "text",
    "action",
    "index",
    "select_across",
    "_selected_action",
    "_changelist_filters",
    "_popup",
    "_to_field",
    "term",
    "app_label",
    "model_name",
    "field_name",
    "language",
    "username",
    "password",
    "id",
    "pk",
    "claim",
    "claims",
    "assignee",
    "created_by",
    "post",
]

ROLES = ["anonymous", "outsider", "editor", "fact_checker", "chief_editor", "superuser"]


class _Names(html.parser.HTMLParser):
    """A page's own query parameters (its links "?status__exact=..." and GET forms) and its POST form fields."""

    def __init__(self) -> None:
        super().__init__()
        self.query: set[str] = set()
        self.form: set[str] = set()
        self.method = "get"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self.method = (values.get("method") or "get").lower()
        elif tag in ("input", "select", "textarea", "button") and values.get("name"):
            (self.form if self.method == "post" else self.query).add(values["name"] or "")
        elif tag == "a" and (values.get("href") or "").startswith("?"):
            self.query.update(key for key, _ in parse_qsl((values["href"] or "")[1:], keep_blank_values=True))


def names_on(response: Any) -> _Names:
    parser = _Names()
    if response.status_code == 200 and "html" in response.get("Content-Type", ""):
        parser.feed(response.content.decode("utf-8", errors="replace"))
    parser.query.discard("csrfmiddlewaretoken")
    parser.form.discard("csrfmiddlewaretoken")
    return parser


def filterset_names() -> set[str]:
    """Every FilterSet's query names, the parts of range widgets included (created_after, ...)."""
    names: set[str] = set()
    for value in vars(filters).values():
        if (
            isinstance(value, type)
            and issubclass(value, django_filters.FilterSet)
            and value.__module__ == filters.__name__
        ):
            for name, form_field in value().form.fields.items():
                suffixes = getattr(form_field.widget, "suffixes", None)
                names.update(f"{name}_{suffix}" if suffix else name for suffix in suffixes) if suffixes else names.add(
                    name
                )
    return names


def admin_names(model_admin: admin.ModelAdmin) -> set[str]:
    """Query names of a changelist's filters and date hierarchy, with the lookups the admin accepts."""
    names: set[str] = set()
    for list_filter in model_admin.list_filter:
        if isinstance(list_filter, str):
            names.update(
                f"{list_filter}{lookup}" for lookup in ("", "__exact", "__gte", "__lt", "__isnull", "__id__exact")
            )
        elif isinstance(list_filter, type) and getattr(list_filter, "parameter_name", None):
            names.add(list_filter.parameter_name)
    if model_admin.date_hierarchy:
        names.update(f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day"))
    return names


@pytest.fixture
def world(editor, fact_checker, second_fact_checker, chief_editor, outsider, superuser) -> dict[str, Any]:
    """A little of everything, so every page has something to show and every id something to find."""
    article = make_article(by=editor, url="https://zeitung.example.org/haushalt", source="dpa")
    open_claim = make_claim(article, editor, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="12,4 Mio.")
    finished = make_claim(article, editor, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    evidence = add_evidence(finished, fact_checker, source=make_source("https://www.example.org/plan"))
    finished.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    finished.change_status(ClaimStatus.VERIFIED, by=fact_checker, comment="Geprüft.")
    open_claim.assign(fact_checker, by=chief_editor)
    now = datetime.datetime.now(tz=datetime.UTC)
    AccessAttempt.objects.create(
        username="otto", ip_address="203.0.113.7", user_agent="x", attempt_time=now, failures_since_start=2
    )
    AccessLog.objects.create(username="erika", ip_address="203.0.113.8", user_agent="x", attempt_time=now)
    AccessFailureLog.objects.create(username="otto", ip_address="203.0.113.7", user_agent="x", attempt_time=now)
    users = {
        "editor": editor,
        "fact_checker": fact_checker,
        "chief_editor": chief_editor,
        "outsider": outsider,
        "superuser": superuser,
    }
    return {"article": article, "claim": open_claim, "finished": finished, "evidence": evidence, "users": users}


def path_values(route: Route, world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The values of a route's parameters: real ones first, then ids beyond any table and hostile text."""
    by_name: dict[str, list[Any]] = {
        "article_id": [world["article"].pk, BIG],
        "claim_id": [world["claim"].pk, world["finished"].pk, BIG],
        "evidence_id": [world["evidence"].pk, HUGE],
        "token": ["0123abc", "\x00"],
        "content_type_id": [ContentType.objects.get_for_model(world["article"]).pk, BIG],
        "app_label": sorted({model._meta.app_label for model in admin.site._registry}),
        "url": ["nichts/da/", "\x00/"],  # the admin's catch-all
        "id": [],  # the admin's user password page: filled as object_id below
    }
    parameters = route.parameters
    for name in {"object_id", "id"} & set(parameters):
        model = admin_model(route)
        first = model._default_manager.order_by("pk").first() if model else world["article"]
        by_name[name] = [first.pk if first else 1, "abc"]
    for name in parameters:
        if name not in by_name:
            by_name[name] = guessed_values(route, name)
    if not parameters:
        yield {}
        return
    # Every value of each parameter once, the others at their first (real) value.
    for name in parameters:
        for value in by_name[name]:
            yield {other: (value if other == name else by_name[other][0]) for other in parameters}


def guessed_values(route: Route, name: str) -> list[Any]:
    """Values for a parameter a later page brought: a row of the model its name names ("pending_id":
    PendingVersion), else 1; then an id beyond any table. Text parameters get text and a NUL."""
    converter = route.converters.get(name)
    if converter is not None and not isinstance(converter, IntConverter):
        return ["x", "\x00"]
    stem = name.removesuffix("_id").replace("_", "")
    model = next((model for model in apps.get_models() if model._meta.model_name.startswith(stem)), None)
    row = model._default_manager.order_by("pk").first() if model else None
    return [row.pk if row else 1, BIG]


def admin_model(route: Route) -> Any:
    for model in admin.site._registry:
        if route.name.startswith(f"admin:{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def changelist_names(route: Route) -> set[str]:
    """The filter names of an admin changelist; nothing for any other route."""
    model = admin_model(route)
    return admin_names(admin.site._registry[model]) if model and route.name.endswith("_changelist") else set()


def names_for(route: Route) -> set[str]:
    return set(GENERIC_NAMES) | filterset_names() | changelist_names(route)


class Walker:
    def __init__(self, world: dict[str, Any]) -> None:
        self.world = world
        self.failures: list[str] = []
        self.requests = 0

    def client_for(self, role: str) -> Client:
        client = Client(raise_request_exception=False)
        if role != "anonymous":
            client.force_login(self.world["users"][role])
        return client

    def send(self, client: Client, method: str, path: str, data: dict[str, Any], role: str, what: str) -> Any:
        """One request in a savepoint rolled back afterwards; a 5xx is written down."""
        cookies = client.cookies
        client.cookies = type(cookies)(cookies)
        savepoint = transaction.savepoint()
        self.requests += 1
        try:
            response = getattr(client, method)(path, data, REMOTE_ADDR="198.51.100.1")
        except Exception as error:  # the client itself gave up: as bad as a 500
            self.failures.append(f"{method.upper()} {path!r} as {role} with {what}: {type(error).__name__}: {error}")
            return None
        finally:
            transaction.savepoint_rollback(savepoint)
            client.cookies = cookies
        if response.status_code >= 500:
            exc = getattr(response, "exc_info", None)
            reason = f"{exc[0].__name__}: {str(exc[1])[:160]}" if exc else response.status_code
            self.failures.append(f"{method.upper()} {path!r} as {role} with {what}: {response.status_code} {reason}")
        return response

    def walk(self, role: str, walked: list[Route]) -> None:
        client = self.client_for(role)
        others = [other for other in ROLES if other != "superuser"]
        for number, route in enumerate(walked):
            # The admin turns away everybody but staff in one place: the other roles take turns there.
            if route.name.startswith("admin:") and role != "superuser" and others[number % len(others)] != role:
                continue
            self.walk_route(client, role, route)

    def walk_route(self, client: Client, role: str, route: Route) -> None:
        for index, values in enumerate(path_values(route, self.world)):
            path = route.path(**values)
            if index > 0:
                if role == "superuser":  # ids beyond any table, hostile text in the path: the path alone
                    self.send(client, "get", path, {}, role, "nothing")
                continue
            first = self.send(client, "get", path, {}, role, "nothing")
            if first is not None:
                self.hostile_parameters(client, role, route, path, first)

    def hostile_parameters(self, client: Client, role: str, route: Route, path: str, first: Any) -> None:
        found = names_on(first)
        names = sorted(names_for(route) | found.query | found.form)
        full = walks_fully(role, route)
        if first.status_code in (302, 403, 404) and role != "superuser":
            # Turned away before the page reads anything: it needs only to turn this away too.
            self.send(client, "post", path, dict.fromkeys(names, "\x00"), role, "'\\x00' everywhere")
            return
        turn = ROLES.index(role)
        for method, shown in (("get", found.query), ("post", found.form)):
            if full and shown:
                values = ALL_AT_ONCE
            elif full:  # what the page does not show it may still read: the worst value for the method
                values = [HUGE] if method == "get" else ["\x00"]
            else:
                values = [ALL_AT_ONCE[turn % len(ALL_AT_ONCE)]]
            for value in values:
                self.send(client, method, path, dict.fromkeys(names, value), role, f"{value[:20]!r} everywhere")
        if not full:
            return
        # Each of the page's own query parameters alone, so no other bad value can hide what it does.
        for position, name in enumerate(sorted(found.query)):
            value = SINGLE[(position + turn) % len(SINGLE)]
            self.send(client, "get", path, {name: value}, role, f"{name}={value[:20]!r}")


@pytest.fixture
def quiet_request_log() -> Iterator[None]:
    """The walk writes down each server error itself; the request log's tracebacks would bury the list."""
    logger = logging.getLogger("django.request")
    logger.disabled = True
    # django-axes writes a warning for every failed login; the walk sends many.
    axes_logger = logging.getLogger("axes")
    level = axes_logger.level
    axes_logger.setLevel(logging.ERROR)
    yield
    logger.disabled = False
    axes_logger.setLevel(level)


def test_no_url_answers_a_server_error_to_hostile_input(world, quiet_request_log):
    walker = Walker(world)
    walked = routes()
    assert {route.name for route in walked} >= {"annotations:claim-detail", "admin:annotations_claim_changelist"}
    for route in walked:  # every route's parameters can be filled before anything is sent
        list(path_values(route, world))
    for role in ROLES:
        started, before = time.monotonic(), walker.requests
        walker.walk(role, walked)
        seconds = time.monotonic() - started
        print(f"{role}: {len(walked)} routes, {walker.requests - before} requests in {seconds:.1f} s")
    assert not walker.failures, f"{len(walker.failures)} server errors:\n" + "\n".join(walker.failures)


def test_the_walk_knows_every_registered_admin_model():
    names = {route.name for route in routes()}
    for model in admin.site._registry:
        assert f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" in names
    assert get_user_model() in admin.site._registry
