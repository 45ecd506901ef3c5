"""The tally of claims per status that the database keeps (dashboard and queue read it instead of counting
a million claims) agrees with counting the claims, whatever path changed them."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from annotations.models import Claim, ClaimStatus, ClaimTally, FinishedTally
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db


def _agrees() -> None:
    assert ClaimTally.objects.counts_by_status() == Claim.objects.current().counts_by_status()
    withdrawn = sum(ClaimTally.objects.filter(withdrawn=True).values_list("delta", flat=True))
    assert withdrawn == Claim.objects.withdrawn().count()


def test_the_tally_follows_every_kind_of_change(editor, fact_checker, chief_editor):
    article = make_article(by=editor)
    claims = [make_claim(article, editor, quote=quote) for quote in ("Gemeinderat", "Haushalt", "Schulen")]
    _agrees()
    first, second, third = claims
    first.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    add_evidence(first, fact_checker)
    first.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    first.reopen(by=chief_editor, comment="Zahl prüfen")
    _agrees()
    second.withdraw(by=editor, reason="Doppelt markiert")
    _agrees()
    second.restore(by=chief_editor)
    third.withdraw(by=editor, reason="Versehen")
    _agrees()
    # Paths that skip the model methods: a queryset update, a bulk insert, a delete.
    Claim.objects.filter(pk=second.pk).update(status=ClaimStatus.UNVERIFIABLE)
    Claim.objects.bulk_create(
        [
            Claim(article=article, start=0, end=3, quote="Der", statement="Bulk", created_by=editor, status=status)
            for status in (ClaimStatus.DISPUTED, ClaimStatus.DISPUTED, ClaimStatus.VERIFIED)
        ]
    )
    _agrees()
    Claim.objects.filter(statement="Bulk", status=ClaimStatus.DISPUTED).delete()
    _agrees()
    assert ClaimTally.objects.counts_by_status()[ClaimStatus.VERIFIED] == 1


def test_folding_the_rows_keeps_their_sums(editor, fact_checker, monkeypatch):
    article = make_article(by=editor)
    for quote in ("Gemeinderat", "Haushalt", "Schulen", "Montag"):
        claim = make_claim(article, editor, quote=quote)
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
        claim.change_status(ClaimStatus.UNVERIFIED, by=fact_checker)
    rows = ClaimTally.objects.count()
    monkeypatch.setattr(type(ClaimTally.objects.all()), "FOLD_ABOVE", rows - 1)
    before = ClaimTally.objects.counts_by_status()  # reads the sums, then folds
    assert ClaimTally.objects.count() < rows
    assert ClaimTally.objects.counts_by_status() == before == Claim.objects.current().counts_by_status()
    _agrees()


def test_recount_starts_again_from_the_claims(editor):
    article = make_article(by=editor)
    make_claim(article, editor, quote="Haushalt")
    ClaimTally.objects.create(status=ClaimStatus.VERIFIED, withdrawn=False, delta=41)  # a tally gone wrong
    ClaimTally.objects.recount()
    _agrees()


def test_generated_load_data_is_counted(editor):
    call_command("generate_load_data", "--articles", "12", "--claims-per-article", "5", stdout=io.StringIO())
    _agrees()


def test_the_dashboard_and_the_queue_show_the_tally(client, editor, fact_checker):
    article = make_article(by=editor)
    make_claim(article, editor, quote="Haushalt").change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    make_claim(article, editor, quote="Schulen")
    make_claim(article, editor, quote="Montag").withdraw(by=editor, reason="Versehen")
    client.force_login(fact_checker)
    for url in (reverse("annotations:dashboard"), reverse("annotations:claim-list")):
        boxes = dict((status.value, count) for status, count, *_ in client.get(url).context["status_counts"])
        assert boxes == {**dict.fromkeys(ClaimStatus.values, 0), "in_review": 1, "unverified": 1}
    page = client.get(reverse("annotations:claim-list")).context["page"]
    assert page.paginator.count == 2 and len(page.object_list) == 2


def _weeks_agree(user) -> None:
    today = timezone.localdate()
    counted = Claim.objects.current().finished_per_week(12, today)
    assert FinishedTally.objects.per_week_for(user, 12, today) == counted


def test_the_tally_of_finished_claims_follows_every_kind_of_change(editor, fact_checker, chief_editor):
    article = make_article(by=editor)
    claims = [make_claim(article, editor, quote=quote) for quote in ("Gemeinderat", "Haushalt", "Schulen")]
    first, second, third = claims
    source = make_source()
    for claim in claims:
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
        add_evidence(claim, fact_checker, source=source)
        claim.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    _weeks_agree(editor)
    assert (
        sum(
            counts["verified"] for _week, counts in FinishedTally.objects.per_week_for(editor, 12, timezone.localdate())
        )
        == 3
    )
    first.reopen(by=chief_editor, comment="Zahl prüfen")
    second.withdraw(by=chief_editor, reason="Doppelt markiert")
    _weeks_agree(editor)
    second.restore(by=chief_editor)
    _weeks_agree(editor)
    # Paths that skip the model methods: the time of a verdict moved back a week, a status set directly,
    # a bulk insert, a delete.
    week_ago = timezone.now() - datetime.timedelta(days=7)
    Claim.objects.filter(pk=third.pk).update(verified_at=week_ago)
    Claim.objects.filter(pk=second.pk).update(status=ClaimStatus.DISPUTED)
    Claim.objects.bulk_create(
        [
            Claim(
                article=article,
                start=0,
                end=3,
                quote="Der",
                statement="Bulk",
                created_by=editor,
                status=status,
                verified_at=when,
            )
            for status, when in ((ClaimStatus.UNVERIFIABLE, week_ago), (ClaimStatus.VERIFIED, None))
        ]
    )
    _weeks_agree(editor)
    Claim.objects.filter(statement="Bulk").delete()
    _weeks_agree(editor)
    # Nobody without a role reads the figures.
    assert all(
        not any(counts.values()) for _w, counts in FinishedTally.objects.per_week_for(None, 12, timezone.localdate())
    )


def test_folding_and_recounting_the_finished_claims_keep_their_sums(editor, fact_checker, monkeypatch):
    article = make_article(by=editor)
    for quote in ("Gemeinderat", "Haushalt", "Schulen", "Montag"):
        claim = make_claim(article, editor, quote=quote)
        claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
        claim.change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Quelle")
    rows = FinishedTally.objects.count()
    assert rows >= 4
    monkeypatch.setattr(type(FinishedTally.objects.all()), "FOLD_ABOVE", rows - 1)
    _weeks_agree(editor)  # reads the sums, then folds
    assert FinishedTally.objects.count() < rows
    _weeks_agree(editor)
    FinishedTally.objects.recount()
    _weeks_agree(editor)
    # The chart reads the tally, not the claims.
    FinishedTally.objects.all().delete()
    assert all(
        not any(counts.values()) for _w, counts in FinishedTally.objects.per_week_for(editor, 12, timezone.localdate())
    )


def test_weeks_that_do_not_begin_on_a_whole_hour_are_counted_from_the_claims(editor, fact_checker, settings):
    settings.TIME_ZONE = "Asia/Kolkata"  # UTC+5:30: Monday 00:00 is 18:30 UTC, inside an hour of the tally
    article = make_article(by=editor)
    claim = make_claim(article, editor, quote="Haushalt")
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Quelle")
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    # 18:40 UTC on Sunday is 00:10 on Monday in Kolkata: this week, although its tally hour began the week before.
    sunday = datetime.datetime.combine(monday - datetime.timedelta(days=1), datetime.time(18, 40), datetime.UTC)
    Claim.objects.filter(pk=claim.pk).update(verified_at=sunday)
    (week, counts), *_ = reversed(FinishedTally.objects.per_week_for(editor, 12, today))
    assert week == monday and counts["unverifiable"] == 1
