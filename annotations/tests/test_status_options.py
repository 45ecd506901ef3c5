"""One rule for status changes: what the status forms offer is exactly what change_status accepts,
and the reason beside the list is the words of the refusal (Claim.status_options, check_status_change)."""

import itertools
from typing import Any

import pytest
from django.db import transaction

from annotations.models import Claim, ClaimStatus, WorkflowError
from annotations.tests.conftest import add_evidence, make_claim, make_source

pytestmark = pytest.mark.django_db

S = ClaimStatus


class _Undo(Exception):
    pass


def _outcome(claim: Claim, value: str, user: Any, comment: str) -> str:
    """What change_status answers, with nothing kept: "" for success, else the refusal's words."""
    try:
        with transaction.atomic():
            Claim.objects.get(pk=claim.pk).change_status(value, by=user, comment=comment)
            raise _Undo
    except _Undo:
        return ""
    except WorkflowError as error:
        return str(error)


def _claim_in(status: str, article: Any, creator: Any, checker: Any, stances: tuple[str, ...]) -> Claim:
    claim = make_claim(article, creator, quote="Ausgaben von 12,4\u00a0Millionen Euro", statement="12,4 Mio.")
    for number, stance in enumerate(stances):
        add_evidence(claim, checker, stance, make_source(f"https://www.example.org/quelle-{number}"))
    if status != S.UNVERIFIED:
        claim.change_status(S.IN_REVIEW, by=checker)
    if status in (S.VERIFIED, S.DISPUTED, S.UNVERIFIABLE):
        claim.change_status(status, by=checker, comment="Abgeschlossen")
    return Claim.objects.get(pk=claim.pk)


SITUATIONS = [
    (status, stances)
    for status, stances in itertools.product(
        [S.UNVERIFIED, S.IN_REVIEW, S.VERIFIED, S.DISPUTED, S.UNVERIFIABLE],
        [(), ("context",), ("supports",), ("refutes",), ("supports", "refutes")],
    )
    if not (status == S.VERIFIED and "supports" not in stances)
    and not (status == S.DISPUTED and "refutes" not in stances)
]


@pytest.mark.parametrize("creator", ["editor", "fact_checker"])
@pytest.mark.parametrize("status,stances", SITUATIONS)
def test_the_offer_is_exactly_what_change_status_accepts(
    request, article, second_fact_checker, status, stances, creator
):
    author = request.getfixturevalue(creator)
    claim = _claim_in(status, article, author, second_fact_checker, stances)
    chief = request.getfixturevalue("chief_editor")
    for user in (request.getfixturevalue("editor"), request.getfixturevalue("fact_checker"), chief):
        options = claim.status_options(user)
        for option in options:
            comment = "Begründung" if option.needs_comment else ""
            assert _outcome(claim, option.value, user, comment) == option.reason, (user, option)
            if option.needs_comment:
                assert _outcome(claim, option.value, user, "")  # without the comment it is refused
        offered = {option.value for option in options}
        for value in set(S.values) - offered:
            # What is not listed at all cannot succeed either, whatever the comment.
            assert _outcome(claim, value, user, "Begründung"), (user, value)


def test_four_eyes_is_the_reason_for_the_creator_and_off_when_the_setting_is_off(settings, article, fact_checker):
    own = make_claim(article, fact_checker, quote="vor allem in Schulen", statement="Schwerpunkt Schulen")
    add_evidence(own, fact_checker, "supports")
    own.change_status(S.IN_REVIEW, by=fact_checker)
    own = Claim.objects.get(pk=own.pk)
    [verified] = [option for option in own.status_options(fact_checker) if option.value == S.VERIFIED]
    assert verified.reason.startswith("Vier-Augen-Prinzip")
    settings.NEWSROOM_FOUR_EYES = False
    [verified] = [option for option in own.status_options(fact_checker) if option.value == S.VERIFIED]
    assert verified.available


def test_nobody_without_the_permission_is_offered_anything(claim, editor, outsider, fact_checker):
    assert claim.status_options(editor) == [] and claim.status_options(outsider) == []
    claim.change_status(S.IN_REVIEW, by=fact_checker)
    claim.change_status(S.UNVERIFIABLE, by=fact_checker, comment="Keine Zahlen")
    claim = Claim.objects.get(pk=claim.pk)
    assert claim.status_options(fact_checker) == []  # only a chief editor reopens


def test_the_article_page_asks_nothing_more_per_claim_for_the_offer(
    client, django_assert_max_num_queries, article, editor, fact_checker
):
    for number in range(3):
        claim = make_claim(article, editor, quote="Kleinbach" if number == 0 else "Haushalt", statement=f"B{number}")
        add_evidence(claim, fact_checker, "supports", make_source(f"https://www.example.org/q{number}"))
        claim.change_status(S.IN_REVIEW, by=fact_checker)
    client.force_login(fact_checker)
    client.get(article.get_absolute_url())
    with django_assert_max_num_queries(12) as few:
        client.get(article.get_absolute_url())
    make_claim(article, editor, quote="Montag", statement="Noch eine")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(article.get_absolute_url())
