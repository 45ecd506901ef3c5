"""Two people change the same claim at the same moment: one wins, the other is told, nothing is lost.

Real transactions on separate database connections in two threads, released together by a
barrier; the row lock and the version check must let exactly one through.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from annotations.models import Claim, ClaimStatus, VersionConflict, WorkflowError
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_transactions(transactional_db: None) -> None:
    """Named here so the suite's role fixture sees a flushed database and recreates the groups."""


def _run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run each job in its own thread (its own connection), all starting at once; return results or errors."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return results


@pytest.fixture
def claim_in_review(editor, fact_checker, second_fact_checker) -> Claim:
    claim = make_claim(make_article(by=editor), editor, quote="Schulen")
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    add_evidence(claim, fact_checker, "refutes", make_source("https://www.example.org/dagegen"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.refresh_from_db()
    return claim


def test_two_concurrent_status_changes_one_wins(claim_in_review, fact_checker, second_fact_checker):
    version = claim_in_review.version
    events_before = claim_in_review.events.count()

    def change(user: Any, to: str) -> Any:
        claim = Claim.objects.get(pk=claim_in_review.pk)
        return claim.change_status(to, by=user, comment="Gleichzeitig", expected_version=version)

    results = _run_together(
        lambda: change(fact_checker, ClaimStatus.VERIFIED),
        lambda: change(second_fact_checker, ClaimStatus.DISPUTED),
    )
    conflicts = [r for r in results if isinstance(r, VersionConflict)]
    wins = [r for r in results if not isinstance(r, Exception)]
    assert len(wins) == 1 and len(conflicts) == 1, results
    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert claim.status == wins[0].to_status
    assert claim.version == version + 1
    assert claim.events.count() == events_before + 1
    # The loser is told what happened meanwhile, and by whom.
    assert [(e.actor_id, e.to_status) for e in conflicts[0].changes] == [(wins[0].actor_id, wins[0].to_status)]


def test_without_a_version_the_lock_still_lets_only_one_start_the_review(editor, fact_checker, second_fact_checker):
    claim = make_claim(make_article(by=editor), editor, quote="Schulen")

    def start(user: Any) -> Any:
        return Claim.objects.get(pk=claim.pk).change_status(ClaimStatus.IN_REVIEW, by=user)

    results = _run_together(lambda: start(fact_checker), lambda: start(second_fact_checker))
    assert sum(isinstance(r, WorkflowError) for r in results) == 1, results
    assert claim.events.filter(kind="status").count() == 1
    claim.refresh_from_db()
    assert claim.assignee_id == claim.events.get(kind="status").actor_id


def test_two_concurrent_status_forms_over_http_one_wins(claim_in_review, fact_checker, second_fact_checker):
    url = reverse("annotations:claim-change-status", args=[claim_in_review.pk])
    version = claim_in_review.version
    events_before = claim_in_review.events.count()

    def post(user: Any, to: str) -> Any:
        client = Client()
        client.force_login(user)
        response = client.post(url, {"status": to, "comment": "Gleichzeitig", "version": version})
        # Both end on the claim page (Post/Redirect/Get): the loser finds the conflict there.
        assert response.status_code == 302, response.status_code
        return client.get(response["Location"]).content.decode()

    pages = _run_together(
        lambda: post(fact_checker, ClaimStatus.VERIFIED),
        lambda: post(second_fact_checker, ClaimStatus.DISPUTED),
    )
    assert all(isinstance(page, str) for page in pages), pages
    [html] = [page for page in pages if "data-claim-error" in page]
    assert "Jemand hat diese Behauptung geändert" in html
    assert "Gleichzeitig" in html  # the loser's comment is still in the form
    claim = Claim.objects.get(pk=claim_in_review.pk)
    assert claim.status in (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED)
    assert claim.events.count() == events_before + 1
