"""Withdrawing replaces deleting: a withdrawn claim keeps its history, leaves every list and export
by default, shows with a filter, and a chief editor restores it. Only the admin deletes, and only
a claim nobody worked on."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db.models import ProtectedError
from django.urls import reverse

from annotations.models import AnchorState, Claim, ClaimEvent, ClaimStatus, PermissionRefused, WorkflowError
from annotations.roles import CHIEF_EDITOR, ROLE_PERMISSIONS
from annotations.tests.conftest import add_evidence, make_claim, make_source, refused_page
from annotations.tests.exporting import body_of, claim_on, finish, read_csv, tricky_article

pytestmark = pytest.mark.django_db

S = ClaimStatus


def _withdraw_url(claim: Claim, **query: str) -> str:
    url = reverse("annotations:claim-withdraw", args=[claim.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _with_history(claim: Claim, checker: Any) -> Claim:
    claim.change_status(S.IN_REVIEW, by=checker, comment="Ich schaue es mir an")
    claim.refresh_from_db()
    return claim


# --- deleting erased the history -------------------------------------------------------------


def test_a_plain_delete_of_a_claim_with_history_fails_and_keeps_the_history(claim, fact_checker):
    _with_history(claim, fact_checker)
    with pytest.raises(ProtectedError):
        claim.delete()
    with pytest.raises(ProtectedError):
        Claim.objects.filter(pk=claim.pk).delete()
    assert Claim.objects.filter(pk=claim.pk).exists()
    assert list(claim.events.values_list("kind", flat=True)) == ["created", "status"]


def test_the_history_itself_cannot_be_deleted(claim):
    with pytest.raises(WorkflowError):
        ClaimEvent.objects.filter(claim=claim).delete()
    with pytest.raises(WorkflowError):
        claim.events.get().delete()
    assert claim.events.count() == 1


def test_the_old_delete_address_of_the_app_deletes_nothing_and_leads_to_withdrawing(client, editor, claim):
    client.force_login(editor)
    response = client.post(reverse("annotations:claim-delete", args=[claim.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("annotations:claim-withdraw", args=[claim.pk])
    claim.refresh_from_db()
    assert not claim.is_withdrawn and claim.events.count() == 1


# --- withdrawing through the confirmation page ------------------------------------------------


def test_the_creator_withdraws_an_open_claim_on_a_confirmation_page_with_a_reason(client, editor, claim):
    client.force_login(editor)
    back = claim.article.get_absolute_url()
    page = client.get(_withdraw_url(claim, next=back))
    html = page.content.decode()
    assert page.status_code == 200
    assert "form" in html and "data-withdraw-form" in html and 'name="reason"' in html
    assert "Geschichte bleibt erhalten" in html  # the page says what withdrawing does, in German
    response = client.post(_withdraw_url(claim), {"reason": "Doppelt markiert", "version": claim.version, "next": back})
    assert response.status_code == 302 and response["Location"] == back
    claim.refresh_from_db()
    assert claim.is_withdrawn and claim.withdrawn_by == editor and claim.version == 2
    event = claim.events.get(kind=ClaimEvent.Kind.WITHDRAWN)
    assert (event.comment, event.actor, event.version) == ("Doppelt markiert", editor, 2)
    assert list(claim.events.values_list("kind", flat=True)) == ["created", "withdrawn"]


def test_withdrawing_without_a_reason_is_refused_in_german_and_changes_nothing(client, editor, claim):
    client.force_login(editor)
    response = client.post(_withdraw_url(claim), {"reason": "   ", "version": claim.version})
    assert response.status_code == 400
    assert "Sagen Sie, warum die Behauptung zurückgezogen wird." in response.content.decode()
    claim.refresh_from_db()
    assert not claim.is_withdrawn and claim.version == 1


def test_a_withdrawal_sent_from_an_old_page_is_refused_and_shows_what_changed(client, editor, fact_checker, claim):
    claim.assign(fact_checker, by=fact_checker)
    client.force_login(editor)
    response = client.post(_withdraw_url(claim), {"reason": "Doppelt", "version": 1})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Jemand hat diese Behauptung geändert" in html and "data-conflict-changes" in html
    assert "Doppelt" in html  # the reason typed is kept
    claim.refresh_from_db()
    assert not claim.is_withdrawn


def _finished(claim: Claim, checker: Any) -> Claim:
    add_evidence(claim, checker)
    claim.change_status(S.IN_REVIEW, by=checker)
    claim.change_status(S.VERIFIED, by=checker)
    claim.refresh_from_db()
    return claim


# (who acts, is the claim finished) -> withdrawn, or the German words of the refusal
WHO_MAY_WITHDRAW = [
    ("editor", False, True),  # the creator, an open claim
    ("editor", True, "nur der Chef vom Dienst darf sie zurückziehen"),
    ("fact_checker", False, "Nur wer die Behauptung angelegt hat oder der Chef vom Dienst"),
    ("chief_editor", False, True),
    ("chief_editor", True, True),
    ("outsider", False, "Sie haben noch keine Rolle"),
]


@pytest.mark.parametrize(("role", "finished", "outcome"), WHO_MAY_WITHDRAW)
def test_who_may_withdraw(client, request, claim, second_fact_checker, role, finished, outcome):
    actor = request.getfixturevalue(role)
    if finished:
        _finished(claim, second_fact_checker)
    version = claim.version
    client.force_login(actor)
    page = client.get(_withdraw_url(claim))
    response = client.post(_withdraw_url(claim), {"reason": "Weg damit", "version": version})
    claim.refresh_from_db()
    if outcome is True:
        assert page.status_code == 200 and response.status_code == 302
        assert claim.is_withdrawn and claim.withdrawn_by == actor
    else:
        assert response.status_code == 403 and outcome in response.content.decode()
        assert not claim.is_withdrawn and claim.version == version
        if role != "outsider":  # an outsider is refused before any claim is shown
            assert outcome in page.content.decode() and "data-withdraw-form" not in page.content.decode()


def test_any_editor_withdraws_an_open_claim_whose_words_a_correction_took_away(claim, fact_checker, chief_editor):
    # Fritz did not create the claim: an ordinary claim of somebody else's stays his to leave alone.
    with pytest.raises(PermissionRefused):
        claim.withdraw(by=fact_checker, reason="Nicht meine")
    claim.article.correct(
        claim.article.body.replace(claim.quote, "einer anderen Summe"), by=chief_editor, comment="Zahl berichtigt"
    )
    claim.refresh_from_db()
    assert claim.anchor_state == AnchorState.ORPHANED
    claim.withdraw(by=fact_checker, reason="Die Stelle gibt es nicht mehr.")
    claim.refresh_from_db()
    assert claim.is_withdrawn and claim.withdrawn_by == fact_checker


def test_the_model_refuses_the_same_without_a_page(claim, fact_checker, outsider):
    for user in (fact_checker, outsider):
        with pytest.raises(PermissionRefused):
            claim.withdraw(by=user, reason="Weg")
    claim.refresh_from_db()
    assert not claim.is_withdrawn


def test_the_roles_migration_lets_chief_editors_withdraw_and_restore_and_nobody_delete_claims():
    chief = set(Group.objects.get(name=CHIEF_EDITOR).permissions.values_list("codename", flat=True))
    assert {"withdraw_claim", "restore_claim"} <= chief and "delete_claim" not in chief
    # The migrations and today's table agree for every role.
    for name, codenames in ROLE_PERMISSIONS.items():
        assert set(Group.objects.get(name=name).permissions.values_list("codename", flat=True)) == set(codenames)


# --- a withdrawn claim leaves everything by default ------------------------------------------


@pytest.fixture
def standing_and_withdrawn(editor, fact_checker, chief_editor):
    article = tricky_article(editor)
    standing = finish(claim_on(article, editor, "1.250 Einwände", "Steht"), fact_checker)
    withdrawn = finish(claim_on(article, editor, "im Mai gesperrt", "Zurückgezogen"), fact_checker)
    withdrawn.withdraw(by=chief_editor, reason="Passage gestrichen")
    withdrawn.refresh_from_db()
    return standing, withdrawn


def _claim_data(html: str) -> list[dict[str, Any]]:
    return json.loads(re.search(r'id="claim-data"[^>]*>(.*?)</script>', html, re.S).group(1))


def test_a_withdrawn_claim_leaves_the_article_page(client, chief_editor, standing_and_withdrawn):
    standing, withdrawn = standing_and_withdrawn
    client.force_login(chief_editor)
    html = client.get(standing.article.get_absolute_url()).content.decode()
    assert f'data-claim-id="{standing.pk}"' in html and f'data-claim-id="{withdrawn.pk}"' not in html
    assert [card["id"] for card in _claim_data(html)] == [standing.pk]
    assert "Zurückgezogen" not in html.split('id="claim-data"')[0].split("claim-index")[1]


def test_a_withdrawn_claim_leaves_the_queue_and_the_dashboard_unless_the_filter_asks(
    client, chief_editor, standing_and_withdrawn
):
    standing, withdrawn = standing_and_withdrawn
    client.force_login(chief_editor)
    queue = client.get(reverse("annotations:claim-list")).content.decode()
    assert f'data-claim-row="{standing.pk}"' in queue and f'data-claim-row="{withdrawn.pk}"' not in queue
    counts = client.get(reverse("annotations:dashboard")).context["status_counts"]
    assert dict((status.value, n) for status, n in counts)["verified"] == 1
    also = client.get(reverse("annotations:claim-list"), {"withdrawn": "include"}).content.decode()
    assert f'data-claim-row="{standing.pk}"' in also and f'data-claim-row="{withdrawn.pk}"' in also
    only = client.get(reverse("annotations:claim-list"), {"withdrawn": "only"})
    assert [claim.pk for claim in only.context["claims"]] == [withdrawn.pk]
    assert "data-withdrawn" in only.content.decode()


EXPORTS = [
    "annotations:claim-export-csv",
    "annotations:claim-export-annotations",
    "annotations:claim-export-claimreview",
]


def _exported_ids(url_name: str, data: bytes) -> set[int]:
    if url_name.endswith("csv"):
        return {int(row["claim_id"]) for row in read_csv(data)}
    return {int(n) for n in re.findall(rb"/claims/(\d+)/", data)}


@pytest.mark.parametrize("url_name", EXPORTS)
def test_every_export_leaves_withdrawn_claims_out_unless_asked(client, chief_editor, standing_and_withdrawn, url_name):
    standing, withdrawn = standing_and_withdrawn
    client.force_login(chief_editor)
    default = _exported_ids(url_name, body_of(client.get(reverse(url_name))))
    assert standing.pk in default and withdrawn.pk not in default
    also = _exported_ids(url_name, body_of(client.get(reverse(url_name), {"withdrawn": "include"})))
    assert {standing.pk, withdrawn.pk} <= also


def test_the_queue_links_an_export_of_exactly_what_it_shows_withdrawn_included(
    client, chief_editor, standing_and_withdrawn
):
    client.force_login(chief_editor)
    query = client.get(reverse("annotations:claim-list"), {"withdrawn": "only"}).context["export_query"]
    rows = read_csv(body_of(client.get(reverse("annotations:claim-export-csv") + "?" + query)))
    assert [int(row["claim_id"]) for row in rows] == [standing_and_withdrawn[1].pk]


def test_the_export_command_leaves_withdrawn_claims_out_unless_asked(standing_and_withdrawn, tmp_path):
    standing, withdrawn = standing_and_withdrawn
    out = tmp_path / "claims.csv"
    call_command("export_claims", "-o", str(out))
    assert [int(row["claim_id"]) for row in read_csv(out.read_bytes())] == [standing.pk]
    call_command("export_claims", "-o", str(out), "--withdrawn", "only")
    assert [int(row["claim_id"]) for row in read_csv(out.read_bytes())] == [withdrawn.pk]


def test_the_admin_export_action_leaves_ticked_withdrawn_claims_out_and_says_so(
    client, superuser, standing_and_withdrawn
):
    standing, withdrawn = standing_and_withdrawn
    client.force_login(superuser)
    response = client.post(
        reverse("admin:annotations_claim_changelist"),
        {"action": "export_csv", "_selected_action": [standing.pk, withdrawn.pk]},
    )
    assert [int(row["claim_id"]) for row in read_csv(body_of(response))] == [standing.pk]
    page = client.get(reverse("admin:annotations_claim_changelist"))
    assert "1 zurückgezogene Behauptung wurde beim Export ausgelassen." in page.content.decode()


def test_a_withdrawn_claim_publishes_no_claimreview_on_its_page(client, chief_editor, standing_and_withdrawn):
    standing, withdrawn = standing_and_withdrawn
    client.force_login(chief_editor)
    assert "application/ld+json" in client.get(standing.get_absolute_url()).content.decode()
    assert "application/ld+json" not in client.get(withdrawn.get_absolute_url()).content.decode()


# --- the withdrawn claim's page, and restoring -------------------------------------------------


def test_the_page_of_a_withdrawn_claim_says_so_and_keeps_its_history(client, editor, standing_and_withdrawn):
    _, withdrawn = standing_and_withdrawn
    client.force_login(editor)
    html = client.get(withdrawn.get_absolute_url()).content.decode()
    notice = html.split("data-withdrawn-notice")[1].split("</div>")[0]
    assert "Diese Behauptung ist zurückgezogen." in notice and "Passage gestrichen" in notice
    assert "Clara Chefin" in notice
    assert "data-restore-form" not in html  # an editor cannot restore
    assert "data-status-form" not in html and "data-evidence-form" not in html
    history = html.split("data-history")[1]
    for kind in ("Angelegt", "Quelle hinzugefügt", "Status geändert", "Zurückgezogen"):
        assert kind in history


def test_a_chief_editor_restores_a_withdrawn_claim_with_its_status(client, chief_editor, standing_and_withdrawn):
    _, withdrawn = standing_and_withdrawn
    client.force_login(chief_editor)
    page = client.get(withdrawn.get_absolute_url()).content.decode()
    assert "data-restore-form" in page
    response = client.post(
        reverse("annotations:claim-restore", args=[withdrawn.pk]),
        {"version": withdrawn.version, "comment": "Doch wieder im Text"},
    )
    assert response.status_code == 302
    withdrawn.refresh_from_db()
    assert not withdrawn.is_withdrawn and withdrawn.withdrawn_by is None and withdrawn.status == S.VERIFIED
    assert withdrawn.events.last().kind == ClaimEvent.Kind.RESTORED
    assert withdrawn.events.last().comment == "Doch wieder im Text"
    html = client.get(withdrawn.article.get_absolute_url()).content.decode()
    assert f'data-claim-id="{withdrawn.pk}"' in html


@pytest.mark.parametrize("role", ["editor", "fact_checker"])
def test_only_a_chief_editor_restores(client, request, standing_and_withdrawn, role):
    _, withdrawn = standing_and_withdrawn
    client.force_login(request.getfixturevalue(role))
    response = client.post(reverse("annotations:claim-restore", args=[withdrawn.pk]), {"version": withdrawn.version})
    page = refused_page(client, response, withdrawn)  # Post/Redirect/Get: the reason on the claim page
    assert "Nur der Chef vom Dienst darf eine zurückgezogene Behauptung wiederherstellen" in page
    withdrawn.refresh_from_db()
    assert withdrawn.is_withdrawn


CHANGES = {
    "status": lambda claim, user: claim.change_status(S.IN_REVIEW, by=user, comment="wieder"),
    "reopen": lambda claim, user: claim.reopen(by=user, comment="wieder"),
    "edit": lambda claim, user: claim.edit(by=user, statement="Neue Worte", claimant=""),
    "assign": lambda claim, user: claim.assign(user, by=user),
    "add evidence": lambda claim, user: claim.add_evidence(
        make_source("https://neu.example.org/"), stance="supports", by=user
    ),
    "remove evidence": lambda claim, user: claim.remove_evidence(claim.evidence.get(), by=user),
    "withdraw again": lambda claim, user: claim.withdraw(by=user, reason="nochmal"),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_withdrawn_claim_refuses_every_change_until_restored(claim, chief_editor, fact_checker, change):
    add_evidence(claim, fact_checker)
    if change == "reopen":
        claim.change_status(S.IN_REVIEW, by=fact_checker)
        claim.change_status(S.VERIFIED, by=fact_checker)
    claim.refresh_from_db()
    claim.withdraw(by=chief_editor, reason="Weg")
    claim.refresh_from_db()
    version = claim.version
    with pytest.raises(WorkflowError, match="zurückgezogen|withdrawn"):
        CHANGES[change](claim, chief_editor)
    claim.refresh_from_db()
    assert claim.version == version and claim.is_withdrawn


def test_the_queue_bulk_action_and_the_admin_actions_refuse_a_withdrawn_claim(client, superuser, chief_editor, claim):
    claim.withdraw(by=chief_editor, reason="Weg")
    client.force_login(chief_editor)
    response = client.post(
        reverse("annotations:claim-list"), {"action": "start_review", "claims": [claim.pk]}, follow=True
    )
    assert "zurückgezogen" in response.content.decode()
    client.force_login(superuser)
    for action in ("start_review", "take_claims"):
        response = client.post(
            reverse("admin:annotations_claim_changelist"),
            {"action": action, "_selected_action": [claim.pk]},
            follow=True,
        )
        assert "zurückgezogen" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == S.UNVERIFIED and claim.assignee is None and claim.version == 2


# --- deleting: the admin only, only before any work --------------------------------------------


def test_the_admin_deletes_a_claim_nobody_worked_on(client, superuser, claim):
    client.force_login(superuser)
    response = client.post(reverse("admin:annotations_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_the_admin_cannot_delete_a_claim_with_history(client, superuser, claim, fact_checker):
    _with_history(claim, fact_checker)
    client.force_login(superuser)
    response = client.post(reverse("admin:annotations_claim_delete", args=[claim.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Claim.objects.filter(pk=claim.pk).exists() and claim.events.count() == 2


def test_the_admin_bulk_delete_names_the_claims_that_may_not_go_and_deletes_none(
    client, superuser, editor, fact_checker, claim
):
    fresh = make_claim(claim.article, editor, quote="Bürgermeisterin", statement="Neu")
    _with_history(claim, fact_checker)
    client.force_login(superuser)
    data = {"action": "delete_selected", "_selected_action": [claim.pk, fresh.pk]}
    page = client.post(reverse("admin:annotations_claim_changelist"), data)
    assert "Geschichte über ihre Erstellung hinaus" in page.content.decode()
    client.post(reverse("admin:annotations_claim_changelist"), {**data, "post": "yes"})
    assert Claim.objects.filter(pk__in=[claim.pk, fresh.pk]).count() == 2


def test_a_chief_editor_does_not_delete_claims_any_more(claim, chief_editor):
    with pytest.raises(PermissionRefused):
        claim.discard(by=chief_editor)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_deleting_a_claim_with_sources_is_refused_even_to_an_administrator(claim, superuser, fact_checker):
    add_evidence(claim, fact_checker)
    claim.remove_evidence(claim.evidence.get(), by=fact_checker)
    with pytest.raises(WorkflowError, match="Geschichte|history"):
        claim.discard(by=superuser)
    add_evidence(claim, fact_checker, source=make_source("https://anders.example.org/"))
    with pytest.raises(WorkflowError):
        claim.discard(by=superuser)
    assert Claim.objects.filter(pk=claim.pk).exists()


def test_an_edit_from_an_article_page_opened_before_the_withdrawal_leads_to_the_claims_page(
    client, editor, chief_editor, claim
):
    version = claim.version
    claim.withdraw(by=chief_editor, reason="Doppelt")
    client.force_login(editor)
    response = client.post(
        reverse("annotations:claim-edit", args=[claim.pk]),
        {"statement": "Neue Worte", "claimant": "", "version": version},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == claim.get_absolute_url()
    assert "data-withdrawn-notice" in html and "Jemand hat diese Behauptung geändert" in html
    claim.refresh_from_db()
    assert claim.statement == "12,4 Mio. Ausgaben"
