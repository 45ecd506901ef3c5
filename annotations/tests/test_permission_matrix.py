"""Who may do what, through the pages: Editor, Fact-checker, Chief editor and an outsider × every action.

A refused action changes nothing in the database and says why, in German.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from annotations.models import Claim, ClaimEvent, ClaimStatus, Evidence, Source
from annotations.tests.conftest import add_evidence, make_source

pytestmark = pytest.mark.django_db

S = ClaimStatus
ROLES = ["editor", "fact_checker", "chief_editor", "outsider"]


@dataclass
class Action:
    name: str
    allowed: set[str]
    # Prepares the claim; returns the URL and the form data to post.
    prepare: Callable[[Claim, dict[str, Any]], tuple[str, dict[str, Any]]]
    # What an allowed action leaves in the database.
    check: Callable[[Claim, dict[str, Any], Any], None]
    refusals: dict[str, str]  # role -> German words of the refusal


def _url(name: str, claim: Claim, *args: Any) -> str:
    return reverse(f"annotations:{name}", args=[claim.pk, *args])


def _to_review(claim: Claim, users: dict[str, Any]) -> None:
    claim.change_status(S.IN_REVIEW, by=users["second_fact_checker"])
    claim.refresh_from_db()


def _with_sources(claim: Claim, users: dict[str, Any]) -> None:
    checker = users["second_fact_checker"]
    add_evidence(claim, checker, "supports", make_source("https://www.example.org/dafuer", title="Dafür"))
    add_evidence(claim, checker, "refutes", make_source("https://www.example.org/dagegen", title="Dagegen"))
    claim.refresh_from_db()


def _status_change(start: str, to: str, comment: str = "") -> Callable:
    def prepare(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        _with_sources(claim, users)
        if start != S.UNVERIFIED:
            _to_review(claim, users)
        if start in (S.VERIFIED, S.DISPUTED, S.UNVERIFIABLE):
            claim.change_status(start, by=users["second_fact_checker"], comment="Abgeschlossen")
            claim.refresh_from_db()
        return _url("claim-change-status", claim), {"status": to, "comment": comment, "version": claim.version}

    return prepare


def _status_is(to: str, kind: str = "status") -> Callable:
    def check(claim: Claim, users: dict[str, Any], actor: Any) -> None:
        assert claim.status == to
        assert claim.events.filter(kind=kind, to_status=to, actor=actor).count() == 1

    return check


def _add_evidence(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    data = {
        "url": "https://www.kleinbach.example.org/haushalt?utm_source=newsletter",
        "title": "Haushaltssatzung 2027",
        "publisher": "Gemeinde Kleinbach",
        "kind": "official",
        "stance": "supports",
        "excerpt": "Gesamtausgaben: 12,4 Mio. €",
        "version": claim.version,
    }
    return _url("claim-add-evidence", claim), data


def _evidence_added(claim: Claim, users: dict[str, Any], actor: Any) -> None:
    evidence = claim.evidence.get()
    assert evidence.source.url == "https://www.kleinbach.example.org/haushalt"
    assert evidence.added_by == actor
    assert claim.events.filter(kind="evidence_added", actor=actor).count() == 1


def _remove_evidence(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    evidence = add_evidence(claim, users["second_fact_checker"])
    claim.refresh_from_db()
    return _url("claim-remove-evidence", claim, evidence.pk), {"version": claim.version}


def _evidence_removed(claim: Claim, users: dict[str, Any], actor: Any) -> None:
    assert not claim.evidence.exists()
    assert claim.events.filter(kind="evidence_removed", actor=actor).count() == 1


def _assign(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return _url("claim-assign", claim), {"assignee": users["second_fact_checker"].pk, "version": claim.version}


def _assigned_to_second(claim: Claim, users: dict[str, Any], actor: Any) -> None:
    assert claim.assignee == users["second_fact_checker"]
    assert claim.events.filter(kind="assigned", actor=actor).count() == 1


def _take(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return _url("claim-take", claim), {"version": claim.version}


def _taken(claim: Claim, users: dict[str, Any], actor: Any) -> None:
    assert claim.assignee == actor
    assert claim.events.filter(kind="assigned", actor=actor).count() == 1


def _bulk(action: str) -> Callable:
    def prepare(claim: Claim, users: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        data = {"action": action, "claims": [claim.pk], "assignee": users["second_fact_checker"].pk}
        return reverse("annotations:claim-list"), data

    return prepare


NO_STATUS = "Sie dürfen den Status von Behauptungen nicht ändern"
FOUR_EYES = "Vier-Augen-Prinzip"
ONLY_CHIEF_REOPENS = "Nur der Chef vom Dienst darf eine abgeschlossene Behauptung wieder öffnen"
ONLY_CHIEF_ASSIGNS = "Nur der Chef vom Dienst darf Behauptungen anderen zuweisen"
NO_TAKING = "Sie dürfen keine Behauptungen zur Prüfung übernehmen"
CHECKERS = {"fact_checker", "chief_editor"}
ALL_ROLES = {"editor", "fact_checker", "chief_editor"}

ACTIONS = [
    Action("add evidence", ALL_ROLES, _add_evidence, _evidence_added, {}),
    Action("remove evidence", ALL_ROLES, _remove_evidence, _evidence_removed, {}),
    Action(
        "start review",
        CHECKERS,
        _status_change(S.UNVERIFIED, S.IN_REVIEW),
        _status_is(S.IN_REVIEW),
        {"editor": NO_STATUS},
    ),
    Action(
        "back to unverified",
        CHECKERS,
        _status_change(S.IN_REVIEW, S.UNVERIFIED),
        _status_is(S.UNVERIFIED),
        {"editor": NO_STATUS},
    ),
    # The claim fixture is the editor's own: for verified and disputed four eyes is the reason.
    Action("verify", CHECKERS, _status_change(S.IN_REVIEW, S.VERIFIED), _status_is(S.VERIFIED), {"editor": FOUR_EYES}),
    Action("dispute", CHECKERS, _status_change(S.IN_REVIEW, S.DISPUTED), _status_is(S.DISPUTED), {"editor": FOUR_EYES}),
    Action(
        "unverifiable",
        CHECKERS,
        _status_change(S.IN_REVIEW, S.UNVERIFIABLE, "Keine Zahlen öffentlich"),
        _status_is(S.UNVERIFIABLE),
        {"editor": NO_STATUS},
    ),
    Action(
        "reopen",
        {"chief_editor"},
        _status_change(S.VERIFIED, S.IN_REVIEW, "Neue Zahlen vom Amt"),
        _status_is(S.IN_REVIEW, kind="reopened"),
        {"editor": NO_STATUS, "fact_checker": ONLY_CHIEF_REOPENS},
    ),
    Action(
        "assign",
        {"chief_editor"},
        _assign,
        _assigned_to_second,
        {"editor": ONLY_CHIEF_ASSIGNS, "fact_checker": ONLY_CHIEF_ASSIGNS},
    ),
    Action("take", CHECKERS, _take, _taken, {"editor": NO_TAKING}),
    Action("bulk take", CHECKERS, _bulk("take"), _taken, {"editor": NO_TAKING}),
    Action("bulk start review", CHECKERS, _bulk("start_review"), _status_is(S.IN_REVIEW), {"editor": NO_STATUS}),
    Action(
        "bulk assign",
        {"chief_editor"},
        _bulk("assign"),
        _assigned_to_second,
        {"editor": ONLY_CHIEF_ASSIGNS, "fact_checker": ONLY_CHIEF_ASSIGNS},
    ),
]


def _database() -> dict[str, Any]:
    return {
        "claims": list(
            Claim.objects.order_by("pk").values_list("pk", "status", "version", "assignee", "verified_by", "updated_at")
        ),
        "evidence": list(Evidence.objects.order_by("pk").values_list("pk", "claim", "source", "stance")),
        "sources": list(Source.objects.order_by("pk").values_list("pk", "url")),
        "events": ClaimEvent.objects.count(),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS, ids=[a.name for a in ACTIONS])
def test_permission_matrix(client, request, claim, second_fact_checker, action: Action, role: str):
    actor = request.getfixturevalue(role)
    users = {"second_fact_checker": second_fact_checker}
    url, data = action.prepare(claim, users)
    before = _database()
    client.force_login(actor)
    response = client.post(url, data, follow=True)
    html = response.content.decode()
    claim.refresh_from_db()
    if role in action.allowed:
        assert response.redirect_chain, html[:2000]
        action.check(claim, users, actor)
    else:
        assert _database() == before
        expected = "Sie haben noch keine Rolle" if role == "outsider" else action.refusals[role]
        assert expected in html
        if not response.redirect_chain:  # bulk actions report on the queue after a redirect
            assert response.status_code == 403


# The pages refuse an outsider before any model method runs; the methods refuse on their own too,
# for every other caller (admin, commands, a page added later).
MODEL_CALLS = {
    "start review": lambda claim, user, other, source: claim.change_status(S.IN_REVIEW, by=user),
    "reopen": lambda claim, user, other, source: claim.reopen(by=user, comment="Bitte nochmal"),
    "take": lambda claim, user, other, source: claim.assign(user, by=user),
    "assign": lambda claim, user, other, source: claim.assign(other, by=user),
    "add evidence": lambda claim, user, other, source: claim.add_evidence(source, stance="supports", by=user),
    "remove evidence": lambda claim, user, other, source: claim.remove_evidence(claim.evidence.get(), by=user),
}


@pytest.mark.parametrize("call", MODEL_CALLS, ids=list(MODEL_CALLS))
def test_model_methods_refuse_an_outsider(claim, outsider, second_fact_checker, call):
    from annotations.models import PermissionRefused

    add_evidence(claim, second_fact_checker, source=make_source("https://www.example.org/vorhanden"))
    if call == "reopen":
        claim.change_status(S.IN_REVIEW, by=second_fact_checker)
        claim.change_status(S.VERIFIED, by=second_fact_checker)
    claim.refresh_from_db()
    unused = make_source("https://www.example.org/neu")
    before = _database()
    with pytest.raises(PermissionRefused):
        MODEL_CALLS[call](claim, outsider, second_fact_checker, unused)
    assert _database() == before
