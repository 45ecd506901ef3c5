"""A form loaded before somebody else acted: nothing is overwritten, the input is kept, and the
page says what changed meanwhile and by whom. Every refusal ends on the claim's page (Post/Redirect/Get),
so reloading it sends nothing again."""

import re

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, Evidence, Source
from annotations.tests.conftest import add_evidence, make_source, refused_page

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
    html = refused_page(client, response, in_review)
    assert "Jemand hat diese Behauptung geändert" in html
    changes = re.search(r"data-conflict-changes>.*?</ol>", html, re.S).group(0)
    assert "Frida Prüferin" in changes and "Nicht überprüfbar" in changes and "Zahlen sind geheim." in changes
    claim = Claim.objects.get(pk=in_review.pk)
    assert claim.status == ClaimStatus.UNVERIFIABLE and claim.verified_by == second_fact_checker
    assert claim.events.filter(to_status=ClaimStatus.VERIFIED).count() == 0
    # Finished meanwhile: only a chief editor may reopen, so there is no form to send it with; the comment
    # typed stays on the page to copy.
    assert "data-status-form" not in html
    kept = re.search(r"<textarea[^>]*data-kept-comment>(.*?)</textarea>", html, re.S).group(1)
    assert kept == "Laut Satzung korrekt – 12,4 Mio."
    # Reloading the page shows it again without the refusal; nothing is sent twice.
    again = client.get(in_review.get_absolute_url()).content.decode()
    assert "data-claim-error" not in again and "Laut Satzung korrekt" not in again


def test_resubmitting_after_the_conflict_applies_to_the_current_state(
    client, in_review, fact_checker, second_fact_checker, chief_editor
):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIABLE, by=second_fact_checker, comment="Zahlen sind geheim.")
    client.force_login(chief_editor)
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    html = refused_page(
        client, client.post(url, {"status": "in_review", "comment": "Nochmal prüfen", "version": seen}), in_review
    )
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
    html = refused_page(client, response, in_review)
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
    assert "Quelle entfernt" in refused_page(client, client.post(url, {"version": seen}), in_review)
    assert in_review.events.filter(kind="evidence_removed").count() == 1


def test_stale_assign_form_overwrites_nothing(client, claim, fact_checker, second_fact_checker, chief_editor):
    seen = claim.version
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(chief_editor)
    url = reverse("annotations:claim-assign", args=[claim.pk])
    response = client.post(url, {"assignee": second_fact_checker.pk, "version": seen})
    assert "Jemand hat diese Behauptung geändert" in refused_page(client, response, claim)
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_stale_take_overwrites_nothing(client, claim, fact_checker, second_fact_checker):
    seen = claim.version
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(second_fact_checker)
    response = client.post(reverse("annotations:claim-take", args=[claim.pk]), {"version": seen})
    assert "Fritz Prüfer" in refused_page(client, response, claim)
    assert Claim.objects.get(pk=claim.pk).assignee == fact_checker


def test_status_form_without_a_version_is_refused(client, in_review, fact_checker, second_fact_checker):
    client.force_login(second_fact_checker)
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    response = client.post(url, {"status": "verified", "comment": ""})
    assert "Bitte korrigieren Sie die markierten Felder." in refused_page(client, response, in_review)
    assert Claim.objects.get(pk=in_review.pk).status == ClaimStatus.IN_REVIEW


def test_evidence_typed_for_a_claim_finished_meanwhile_is_kept(client, in_review, fact_checker, second_fact_checker):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIABLE, by=second_fact_checker, comment="Zahlen sind geheim.")
    client.force_login(fact_checker)
    data = {"url": "https://www.example.org/neu", "title": "Späte Quelle", "kind": "other", "stance": "context"}
    response = client.post(reverse("annotations:claim-add-evidence", args=[in_review.pk]), {**data, "version": seen})
    html = refused_page(client, response, in_review)
    assert "Späte Quelle" in html and "https://www.example.org/neu" in html
    assert in_review.evidence.count() == 1


def test_after_a_refusal_the_form_still_returns_to_the_page_that_sent_it(client, in_review, fact_checker):
    seen = in_review.version
    in_review.change_status(ClaimStatus.UNVERIFIED, by=fact_checker)
    client.force_login(fact_checker)
    back = in_review.article.get_absolute_url()
    url = reverse("annotations:claim-change-status", args=[in_review.pk])
    html = refused_page(client, client.post(url, {"status": "verified", "version": seen, "next": back}), in_review)
    form = re.search(r"<form[^>]*data-status-form.*?</form>", html, re.S).group(0)
    assert f'name="next" value="{back}"' in form
