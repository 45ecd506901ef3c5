"""Where a form sends the editor afterwards (`next`): a path on this site, or the default page.

A `next` that is not a path used to answer 500 *after* the action was saved; now every action
checks it in one helper and falls back to its own page.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.models import ClaimEvent, ClaimStatus
from annotations.tests.conftest import PASSWORD, add_evidence, make_source

pytestmark = pytest.mark.django_db

HOSTILE_NEXT = [
    "danke",
    "-1",
    "\x00",
    "/claims/\x00",
    "/claims/\n/x",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "https://evil.example/claims/",
    "http://testserver/claims/",  # our own host, but not written as a path
    "javascript:alert(1)",
    " /claims/",
    "/" + "a" * 5000,
    "annotations:claim-list",
]


def _expect(response, default: str) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"] == default


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_take_with_a_bad_next_is_saved_and_goes_to_the_claim(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    response = client.post(
        reverse("annotations:claim-take", args=[claim.pk]), {"version": claim.version, "next": value}
    )
    _expect(response, claim.get_absolute_url())
    claim.refresh_from_db()
    assert claim.assignee == fact_checker


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_status_change_with_a_bad_next_is_saved_and_goes_to_the_claim(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    url = reverse("annotations:claim-change-status", args=[claim.pk])
    response = client.post(url, {"status": "in_review", "version": claim.version, "comment": "", "next": value})
    _expect(response, claim.get_absolute_url())
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.IN_REVIEW


@pytest.mark.parametrize("value", HOSTILE_NEXT)
def test_bulk_action_with_a_bad_next_is_saved_and_goes_to_the_queue(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    response = client.post(reverse("annotations:claim-list"), {"action": "take", "claims": [claim.pk], "next": value})
    _expect(response, reverse("annotations:claim-list"))
    claim.refresh_from_db()
    assert claim.assignee == fact_checker


@pytest.mark.parametrize("value", ["danke", "\x00", "//evil.example/"])
def test_evidence_assign_and_removal_with_a_bad_next_go_to_the_claim(client, fact_checker, chief_editor, claim, value):
    client.force_login(fact_checker)
    url = reverse("annotations:claim-add-evidence", args=[claim.pk])
    data = {"url": "https://www.example.org/haushalt", "stance": "supports", "kind": "other", "version": claim.version}
    _expect(client.post(url, {**data, "next": value}), claim.get_absolute_url())
    claim.refresh_from_db()
    evidence = claim.evidence.get()
    url = reverse("annotations:claim-remove-evidence", args=[claim.pk, evidence.pk])
    _expect(client.post(url, {"version": claim.version, "next": value}), claim.get_absolute_url())
    claim.refresh_from_db()
    assert not claim.evidence.exists()
    client.force_login(chief_editor)
    url = reverse("annotations:claim-assign", args=[claim.pk])
    _expect(
        client.post(url, {"assignee": fact_checker.pk, "version": claim.version, "next": value}),
        claim.get_absolute_url(),
    )
    assert ClaimEvent.objects.filter(claim=claim, kind="assigned").exists()


@pytest.mark.parametrize("value", ["/claims/?status=in_review&page=2", "/articles/7/#claim-3", "/"])
def test_a_path_on_this_site_is_followed(client, fact_checker, claim, value):
    client.force_login(fact_checker)
    add_evidence(claim, fact_checker, source=make_source())
    response = client.post(
        reverse("annotations:claim-take", args=[claim.pk]), {"version": claim.version, "next": value}
    )
    _expect(response, value)


@pytest.mark.parametrize("value", ["danke", "-1", "\x00", "//evil.example/", "https://evil.example/"])
def test_login_with_a_bad_next_goes_to_the_dashboard(client, editor, value):
    response = client.post(
        reverse("login") + "?next=x", {"username": editor.username, "password": PASSWORD, "next": value}
    )
    _expect(response, reverse("annotations:dashboard"))


@pytest.mark.parametrize("value", ["danke", "-1", "\x00", "//evil.example/"])
def test_language_switch_with_a_bad_next_goes_home(client, editor, value):
    client.force_login(editor)
    response = client.post(reverse("set_language"), {"language": "en", "next": value})
    _expect(response, "/")


@pytest.mark.parametrize("value", ["danke", "\x00", "//evil.example/"])
def test_logout_with_a_bad_next_goes_to_the_login_page(client, editor, value):
    client.force_login(editor)
    _expect(client.post(reverse("logout"), {"next": value}), reverse("login"))
