"""A source that backs a verdict keeps a record of every change (who, when, old and new value), shown
with each claim it backs; its address cannot change under a verdict, in the admin or anywhere else."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse

from annotations.models import (
    Claim,
    ClaimStatus,
    Evidence,
    PermissionRefused,
    Source,
    SourceChange,
    WorkflowError,
)
from annotations.tests.conftest import add_evidence, admin_inline_data, make_claim, make_source

pytestmark = pytest.mark.django_db

S = ClaimStatus
URL = "https://www.kleinbach.example.org/haushalt-2027"


@pytest.fixture
def source() -> Source:
    return make_source(URL, title="Haushaltsplan 2027", publisher="Gemeinde Kleinbach")


@pytest.fixture
def verified(claim: Claim, fact_checker: Any, source: Source) -> Claim:
    add_evidence(claim, fact_checker, source=source)
    claim.change_status(S.IN_REVIEW, by=fact_checker)
    claim.change_status(S.VERIFIED, by=fact_checker)
    claim.refresh_from_db()
    return claim


@pytest.fixture
def still_open(claim: Claim, editor: Any, fact_checker: Any, source: Source) -> Claim:
    other = make_claim(claim.article, editor, quote="Bürgermeisterin", statement="Zweite Behauptung")
    add_evidence(other, fact_checker, source=source)
    return other


def _admin_post(client: Any, source: Source, **changes: Any) -> Any:
    data = {
        "url": source.url,
        "title": source.title,
        "publisher": source.publisher,
        "kind": source.kind,
        "published_on": source.published_on or "",
        "archived_url": source.archived_url,
        "notes": source.notes,
        **admin_inline_data("changes", source.changes.order_by("created_at", "id"), "source", source),
        **changes,
    }
    return client.post(reverse("admin:annotations_source_change", args=[source.pk]), data)


def test_a_title_changed_in_the_admin_is_recorded_and_shown_on_every_claim_it_backs(
    client, superuser, editor, verified, still_open, source
):
    client.force_login(superuser)
    response = _admin_post(client, source, title="Haushaltsplan 2027 (Entwurf)", kind="official")
    assert response.status_code == 302, response.content.decode()[:3000]
    source.refresh_from_db()
    assert source.title == "Haushaltsplan 2027 (Entwurf)"
    records = {(r.field, r.old_value, r.new_value, r.actor) for r in SourceChange.objects.filter(source=source)}
    assert records == {
        ("title", "Haushaltsplan 2027", "Haushaltsplan 2027 (Entwurf)", superuser),
        ("kind", "other", "official", superuser),
    }
    client.force_login(editor)
    for claim in (verified, still_open):
        html = client.get(claim.get_absolute_url()).content.decode()
        history = html.split("data-history")[1]
        assert (
            "Quelle geändert" in history and "Titel: „Haushaltsplan 2027“ → „Haushaltsplan 2027 (Entwurf)“" in history
        )
        assert "Art: „Sonstiges“ → „Amtlich“" in history
        assert "data-source-changed" in html
    page = client.get(verified.article.get_absolute_url()).content.decode()
    cards = json.loads(re.search(r'id="claim-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    for card in cards:
        changes = [entry["edits"] for entry in card["history"] if entry["kind"] == "source_changed"]
        assert changes == [
            ["Titel: „Haushaltsplan 2027“ → „Haushaltsplan 2027 (Entwurf)“"],
            ["Art: „Sonstiges“ → „Amtlich“"],
        ]
        assert card["history"][-1]["kind"] == "source_changed"  # after the claim's own events


def test_the_address_of_a_source_under_a_verdict_is_refused_in_the_admin_in_german(client, superuser, verified, source):
    client.force_login(superuser)
    response = _admin_post(client, source, url="https://www.kleinbach.example.org/anderes-dokument")
    assert response.status_code == 200
    assert "Die Adresse dieser Quelle kann nicht geändert werden" in response.content.decode()
    source.refresh_from_db()
    assert source.url == URL and not source.changes.exists()


def test_the_same_address_written_differently_is_no_change(client, superuser, verified, source):
    client.force_login(superuser)
    response = _admin_post(client, source, url=URL.replace("https://www.", "https://WWW.") + "?utm_source=x")
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.url == URL and not source.changes.exists()


def test_the_address_of_a_source_backing_only_open_claims_may_change_and_is_recorded(
    client, superuser, still_open, source
):
    client.force_login(superuser)
    response = _admin_post(client, source, url="https://www.kleinbach.example.org/haushalt-2027-neu")
    assert response.status_code == 302
    change = source.changes.get()
    assert (change.field, change.old_value, change.new_value) == ("url", URL, change.new_value)
    assert change.new_value == "https://www.kleinbach.example.org/haushalt-2027-neu"


def test_the_model_refuses_a_new_address_under_a_verdict_whoever_asks(superuser, chief_editor, verified, source):
    for user in (superuser, chief_editor):
        with pytest.raises(WorkflowError, match="nicht geändert werden|cannot be changed"):
            source.change(by=user, url="https://www.example.org/woanders")
    source.refresh_from_db()
    assert source.url == URL and not source.changes.exists()


def test_a_withdrawn_verdict_still_holds_the_address(chief_editor, verified, source):
    verified.withdraw(by=chief_editor, reason="Doppelt")
    with pytest.raises(WorkflowError):
        source.change(by=chief_editor, url="https://www.example.org/woanders")


def test_changing_a_source_needs_the_permission(outsider, source):
    with pytest.raises(PermissionRefused):
        source.change(by=outsider, title="Von außen")
    source.refresh_from_db()
    assert source.title == "Haushaltsplan 2027" and not source.changes.exists()


def test_nothing_is_recorded_when_nothing_changes(editor, source):
    assert source.change(by=editor, title=source.title, publisher=source.publisher) == []
    assert not source.changes.exists()


def test_the_record_is_append_only(editor, source):
    source.change(by=editor, title="Neu")
    record = source.changes.get()
    for attempt in (
        lambda: SourceChange.objects.filter(pk=record.pk).update(new_value="anders"),
        lambda: SourceChange.objects.filter(pk=record.pk).delete(),
        record.delete,
        record.save,
    ):
        with pytest.raises(WorkflowError):
            attempt()
    assert source.changes.get().new_value == "Neu"


def test_a_claim_shows_only_what_changed_after_the_source_was_linked_to_it(editor, fact_checker, claim, source):
    (before,) = source.change(by=editor, title="Vorher geändert")
    evidence = add_evidence(claim, fact_checker, source=source)
    Evidence.objects.filter(pk=evidence.pk).update(added_at=before.created_at + timedelta(microseconds=1))
    source.change(by=editor, title="Nachher geändert")
    assert [change.new_value for change in SourceChange.objects.for_claim(claim)] == ["Nachher geändert"]
    (card_changes,) = [
        [
            change.new_value
            for change in SourceChange.objects.for_claims_of(claim.article)
            if change.claim_id == claim.pk
        ]
    ]
    assert card_changes == ["Nachher geändert"]


def test_the_evidence_of_a_verdict_cannot_be_edited_in_the_admin(client, superuser, verified):
    evidence = verified.evidence.get()
    client.force_login(superuser)
    url = reverse("admin:annotations_evidence_change", args=[evidence.pk])
    response = client.post(url, {"excerpt": "Nachträglich erfunden", "note": ""})
    evidence.refresh_from_db()
    assert evidence.excerpt == "" and response.status_code == 403
    assert client.get(url).status_code == 200  # still readable
