"""A form loaded before somebody else acted: nothing is overwritten, the input is kept, and the
page says what changed meanwhile and by whom."""

import re

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Evidence, Source
from annotations.tests.conftest import add_evidence, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(claim, fact_checker):
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/dafuer", title="Dafür"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.refresh_from_db()
    return claim


def _form_version(html: str, hook: str) -> int:
    form = re.search(rf"<form[^>]*{hook}.*?</form>", html, re.S).group(0)
    return int(re.search(r'name="version" value="(\d+)"', form).group(1))


def test_stale_status_form_is_refused_and_shows_who_changed_what(
    client, in_review, fact_checker, second_fact_checker, chief_editor
):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIABLE, by=second_fact_checker, comment="Zahlen sind geheim.")
    client.force_login(fact_checker)
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    response = client.post(url, {"status": "verified", "comment": "Laut Satzung korrekt – 12,4 Mio.", "version": seen})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Jemand hat diese Behauptung geändert" in html
    changes = re.search(r"data-conflict-changes>.*?</ol>", html, re.S).group(0)
    assert "Frida Prüferin" in changes and "Nicht überprüfbar" in changes and "Zahlen sind geheim." in changes
    assert "Laut Satzung korrekt – 12,4 Mio." in html  # the comment typed is still there
    claim = Claim.objects.get(pk=in_review.pk)
    assert claim.status == ClaimStatus.UNVERIFIABLE and claim.verified_by == second_fact_checker
    assert claim.events.filter(to_status=ClaimStatus.VERIFIED).count() == 0
    # The re-rendered form carries the current version: submitting again is a deliberate choice.
    assert _form_version(html, "data-status-form") == claim.version


def test_resubmitting_after_the_conflict_applies_to_the_current_state(
    client, in_review, fact_checker, second_fact_checker, chief_editor
):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIABLE, by=second_fact_checker, comment="Zahlen sind geheim.")
    client.force_login(chief_editor)
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    html = client.post(url, {"status": "in_review", "comment": "Nochmal prüfen", "version": seen}).content.decode()
    response = client.post(
        url, {"status": "in_review", "comment": "Nochmal prüfen", "version": _form_version(html, "data-status-form")}
    )
    assert response.status_code == 302
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_stale_evidence_form_keeps_everything_typed(client, in_review, fact_checker, second_fact_checker):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIED, by=second_fact_checker)
    client.force_login(fact_checker)
    data = {
        "url": "https://www.example.org/gegenbeleg",
        "title": "Gegenbeleg mit Ümläuten",
        "publisher": "Statistisches Amt",
        "kind": "dataset",
        "stance": "refutes",
        "excerpt": "Tatsächlich 11,9 Mio. €",
        "note": "",
        "version": seen,
    }
    response = client.post(reverse("annotations:claim-add-evidence", args=[in_review.pk]), data)
    assert response.status_code == 409
    html = response.content.decode()
    for typed in ("https://www.example.org/gegenbeleg", "Gegenbeleg mit Ümläuten", "Statistisches Amt", "11,9 Mio."):
        assert typed in html
    assert 'value="refutes" checked' in html
    assert Evidence.objects.filter(claim=in_review).count() == 1
    assert not Source.objects.filter(url="https://www.example.org/gegenbeleg").exists()  # no orphan source


def test_stale_remove_of_evidence_somebody_removed_already_shows_the_change(client, in_review, editor, fact_checker):
    evidence = in_review.evidence.get()
    seen = in_review.version
    in_review.remove_evidence(evidence, by=fact_checker)
    client.force_login(editor)
    url = reverse("annotations:claim-remove-evidence", args=[in_review.pk, evidence.pk])
    response = client.post(url, {"version": seen})
    assert response.status_code == 409
    assert "Quelle entfernt" in response.content.decode()
    assert in_review.events.filter(kind="evidence_removed").count() == 1


def test_stale_assign_form_overwrites_nothing(client, claim, fact_checker, second_fact_checker, chief_editor):
    seen = claim.version
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(chief_editor)
    url = reverse("annotations:claim-assign", args=[claim.pk])
    response = client.post(url, {"assignee": second_fact_checker.pk, "version": seen})
    assert response.status_code == 409
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_stale_take_overwrites_nothing(client, claim, fact_checker, second_fact_checker):
    seen = claim.version
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(second_fact_checker)
    response = client.post(reverse("annotations:claim-take", args=[claim.pk]), {"version": seen})
    assert response.status_code == 409
    assert "Fritz Prüfer" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_status_form_without_a_version_is_refused(client, in_review, fact_checker, second_fact_checker):
    client.force_login(second_fact_checker)
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    response = client.post(url, {"status": "verified", "comment": ""})
    assert response.status_code == 400
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_evidence_typed_for_a_claim_finished_meanwhile_is_kept(client, in_review, fact_checker, second_fact_checker):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIABLE, by=second_fact_checker, comment="Zahlen sind geheim.")
    client.force_login(fact_checker)
    data = {"url": "https://www.example.org/neu", "title": "Späte Quelle", "kind": "other", "stance": "context"}
    response = client.post(reverse("annotations:claim-add-evidence", args=[in_review.pk]), {**data, "version": seen})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Späte Quelle" in html and "https://www.example.org/neu" in html
    assert in_review.evidence.count() == 1


def test_after_a_refusal_the_form_still_returns_to_the_page_that_sent_it(client, in_review, fact_checker):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIED, by=fact_checker)
    client.force_login(fact_checker)
    back = in_review.article.get_absolute_url()
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    html = client.post(url, {"status": "verified", "version": seen, "next": back}).content.decode()
    form = re.search(r"<form[^>]*data-status-form.*?</form>", html, re.S).group(0)
    assert f'name="next" value="{back}"' in form
