"""The verification workflow of DESIGN.md: every from→to pair, each guard, four eyes on and off.

Allowed steps succeed with exactly one history row; everything else is refused and the
database is as it was.
"""

from itertools import product

import pytest

from annotations.models import (
    FINISHED_STATUSES,
    Claim,
    ClaimEvent,
    ClaimStatus,
    Evidence,
    PermissionRefused,
    WorkflowError,
)
from annotations.tests.conftest import add_evidence, make_claim, make_source

pytestmark = pytest.mark.django_db

S = ClaimStatus
ALLOWED = {
    (S.UNVERIFIED, S.IN_REVIEW),
    (S.IN_REVIEW, S.UNVERIFIED),
    (S.IN_REVIEW, S.VERIFIED),
    (S.IN_REVIEW, S.DISPUTED),
    (S.IN_REVIEW, S.UNVERIFIABLE),
    # Reopening, by a chief editor with a comment.
    (S.VERIFIED, S.IN_REVIEW),
    (S.DISPUTED, S.IN_REVIEW),
    (S.UNVERIFIABLE, S.IN_REVIEW),
}
PAIRS = list(product(S.values, S.values))


def _snapshot(claim: Claim) -> tuple:
    row = Claim.objects.values("status", "version", "assignee", "verified_by", "verified_at", "updated_at").get(
        pk=claim.pk
    )
    return row, ClaimEvent.objects.filter(claim=claim).count(), Evidence.objects.filter(claim=claim).count()


def _claim_in(status: str, article, editor, checker) -> Claim:
    """A claim by the editor in the given status, with a supporting and a refuting source."""
    claim = make_claim(article, editor, quote="Schulen")
    add_evidence(claim, checker, "supports", make_source("https://www.example.org/stuetzt", title="Beleg"))
    add_evidence(claim, checker, "refutes", make_source("https://www.example.org/widerlegt", title="Gegenbeleg"))
    if status != S.UNVERIFIED:
        claim.change_status(S.IN_REVIEW, by=checker)
    if status in FINISHED_STATUSES:
        claim.change_status(status, by=checker, comment="Abschluss der Prüfung")
    claim.refresh_from_db()
    assert claim.status == status
    return claim


@pytest.mark.parametrize(("start", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_every_pair_of_the_workflow(article, editor, fact_checker, chief_editor, start, to):
    claim = _claim_in(start, article, editor, fact_checker)
    before = _snapshot(claim)
    events_before = claim.events.count()
    if (start, to) in ALLOWED:
        event = claim.change_status(
            to, by=chief_editor, comment="Begründung der Chefin", expected_version=claim.version
        )
        claim.refresh_from_db()
        assert claim.status == to
        assert claim.version == before[0]["version"] + 1
        assert claim.events.count() == events_before + 1
        assert claim.events.last() == event
        assert (event.from_status, event.to_status, event.actor) == (start, to, chief_editor)
    else:
        with pytest.raises(WorkflowError):
            claim.change_status(to, by=chief_editor, comment="Begründung der Chefin", expected_version=claim.version)
        assert _snapshot(claim) == before


@pytest.mark.parametrize("finished", FINISHED_STATUSES)
def test_reopen_sends_a_finished_claim_back_to_review_and_forgets_the_verdict(
    article, editor, fact_checker, chief_editor, finished
):
    claim = _claim_in(finished, article, editor, fact_checker)
    assert claim.verified_by == fact_checker
    event = claim.reopen(by=chief_editor, comment="Neue Zahlen vom Amt")
    claim.refresh_from_db()
    assert (claim.status, claim.verified_by, claim.verified_at) == (S.IN_REVIEW, None, None)
    assert (event.kind, event.from_status, event.comment) == ("reopened", finished, "Neue Zahlen vom Amt")


@pytest.mark.parametrize("status", [S.UNVERIFIED, S.IN_REVIEW])
def test_reopen_refuses_an_open_claim(article, editor, fact_checker, chief_editor, status):
    claim = _claim_in(status, article, editor, fact_checker)
    before = _snapshot(claim)
    with pytest.raises(WorkflowError, match="Nur eine abgeschlossene"):
        claim.reopen(by=chief_editor, comment="Warum auch immer")
    assert _snapshot(claim) == before


def test_starting_a_review_assigns_the_actor_when_nobody_is_assigned(claim, fact_checker, second_fact_checker):
    claim.change_status(S.IN_REVIEW, by=fact_checker)
    claim.change_status(S.UNVERIFIED, by=fact_checker)
    claim.change_status(S.IN_REVIEW, by=second_fact_checker)
    claim.refresh_from_db()
    assert claim.assignee == fact_checker  # the first one keeps it


# --- guards ---------------------------------------------------------------------------


def _in_review(claim: Claim, checker) -> Claim:
    claim.change_status(S.IN_REVIEW, by=checker)
    claim.refresh_from_db()
    return claim


def test_verified_needs_a_supporting_source(claim, fact_checker):
    _in_review(claim, fact_checker)
    add_evidence(claim, fact_checker, "context", make_source("https://www.example.org/kontext"))
    add_evidence(claim, fact_checker, "refutes", make_source("https://www.example.org/gegen"))
    before = _snapshot(claim)
    with pytest.raises(WorkflowError, match="mindestens einer stützenden Quelle"):
        claim.change_status(S.VERIFIED, by=fact_checker)
    assert _snapshot(claim) == before
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    claim.change_status(S.VERIFIED, by=fact_checker)
    assert Claim.objects.get(pk=claim.pk).status == S.VERIFIED


def test_disputed_needs_a_refuting_source(claim, fact_checker):
    _in_review(claim, fact_checker)
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    before = _snapshot(claim)
    with pytest.raises(WorkflowError, match="mindestens einer widersprechenden Quelle"):
        claim.change_status(S.DISPUTED, by=fact_checker)
    assert _snapshot(claim) == before
    add_evidence(claim, fact_checker, "refutes", make_source("https://www.example.org/gegen"))
    claim.change_status(S.DISPUTED, by=fact_checker)
    assert Claim.objects.get(pk=claim.pk).status == S.DISPUTED


@pytest.mark.parametrize("comment", ["", "   \n "])
def test_unverifiable_needs_a_comment(claim, fact_checker, comment):
    _in_review(claim, fact_checker)
    before = _snapshot(claim)
    with pytest.raises(WorkflowError, match="Kommentar"):
        claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment=comment)
    assert _snapshot(claim) == before
    claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment="Die Gemeinde veröffentlicht keine Zahlen.")
    assert Claim.objects.get(pk=claim.pk).status == S.UNVERIFIABLE


@pytest.mark.parametrize("comment", ["", "  "])
def test_reopening_needs_a_comment(claim, fact_checker, chief_editor, comment):
    _in_review(claim, fact_checker)
    claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment="Keine Daten")
    before = _snapshot(claim)
    for reopen in (
        lambda: claim.reopen(by=chief_editor, comment=comment),
        lambda: claim.change_status(S.IN_REVIEW, by=chief_editor, comment=comment),
    ):
        with pytest.raises(WorkflowError, match="Kommentar"):
            reopen()
        assert _snapshot(claim) == before


def test_only_a_chief_editor_reopens(claim, fact_checker):
    _in_review(claim, fact_checker)
    claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment="Keine Daten")
    before = _snapshot(claim)
    with pytest.raises(PermissionRefused, match="Chef vom Dienst"):
        claim.reopen(by=fact_checker, comment="Ich will nochmal ran")
    assert _snapshot(claim) == before


# --- four eyes ------------------------------------------------------------------------


@pytest.fixture
def own_claim(article, fact_checker, second_fact_checker) -> Claim:
    """A claim the fact-checker created, in review, with a supporting and a refuting source."""
    claim = make_claim(article, fact_checker, quote="Schulen", statement="Schwerpunkt Schulen")
    add_evidence(claim, second_fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    add_evidence(claim, second_fact_checker, "refutes", make_source("https://www.example.org/gegen"))
    return _in_review(claim, fact_checker)


@pytest.mark.parametrize("to", [S.VERIFIED, S.DISPUTED])
def test_four_eyes_creator_cannot_verify_or_dispute_own_claim(settings, own_claim, fact_checker, to):
    settings.NEWSROOM_FOUR_EYES = True
    before = _snapshot(own_claim)
    with pytest.raises(PermissionRefused, match="Vier-Augen-Prinzip"):
        own_claim.change_status(to, by=fact_checker)
    assert _snapshot(own_claim) == before


@pytest.mark.parametrize("to", [S.VERIFIED, S.DISPUTED])
def test_four_eyes_somebody_else_can(settings, own_claim, second_fact_checker, to):
    settings.NEWSROOM_FOUR_EYES = True
    own_claim.change_status(to, by=second_fact_checker)
    assert Claim.objects.get(pk=own_claim.pk).status == to


def test_four_eyes_do_not_stop_the_creator_from_calling_a_claim_unverifiable(settings, own_claim, fact_checker):
    settings.NEWSROOM_FOUR_EYES = True
    own_claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment="Nur eine Prognose.")
    assert Claim.objects.get(pk=own_claim.pk).status == S.UNVERIFIABLE


@pytest.mark.parametrize("to", [S.VERIFIED, S.DISPUTED])
def test_without_four_eyes_the_creator_may_verify_or_dispute(settings, own_claim, fact_checker, to):
    settings.NEWSROOM_FOUR_EYES = False
    own_claim.change_status(to, by=fact_checker)
    own_claim.refresh_from_db()
    assert (own_claim.status, own_claim.verified_by) == (to, fact_checker)
    assert own_claim.events.filter(kind="status", to_status=to).count() == 1


def test_four_eyes_are_on_by_default():
    from django.conf import settings

    assert settings.NEWSROOM_FOUR_EYES is True


def test_unknown_status_is_refused(claim, fact_checker):
    before = _snapshot(claim)
    with pytest.raises(WorkflowError):
        claim.change_status("maybe", by=fact_checker)
    assert _snapshot(claim) == before


def test_stale_version_is_refused_with_the_changes_since(claim, fact_checker, chief_editor):
    seen = claim.version
    claim.change_status(S.IN_REVIEW, by=fact_checker)
    before = _snapshot(claim)
    from annotations.models import VersionConflict

    with pytest.raises(VersionConflict) as caught:
        claim.change_status(S.IN_REVIEW, by=chief_editor, expected_version=seen)
    assert [(e.actor, e.to_status) for e in caught.value.changes] == [(fact_checker, S.IN_REVIEW)]
    assert _snapshot(claim) == before
