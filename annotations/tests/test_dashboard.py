"""The overview: its figures against the database for each role, lists that never repeat a claim,
what waits for a chief editor, the weekly chart, and a bounded number of queries."""

from __future__ import annotations

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from annotations import dashboard
from annotations.models import FINISHED_STATUSES, AnchorState, Claim, ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db

URL = reverse("annotations:dashboard")
WORDS = ["Rathaus", "Brücke", "Schule", "Bahnhof", "Hafen", "Markt", "Kirche", "Museum", "Stadion", "Bad", "Park"]


def _set_times(claim: Claim, **times: datetime.datetime) -> None:
    Claim.objects.filter(pk=claim.pk).update(**times)


@pytest.fixture
def desk(editor, fact_checker, second_fact_checker, chief_editor):
    """Claims in every state: open and finished, assigned or not, by two editors, flagged, withdrawn,
    finished this week and weeks ago."""
    body = " ".join(f"Das {word} kostet {i + 1} Millionen Euro." for i, word in enumerate(WORDS))
    article = make_article(by=editor, body=body, title="Haushalt")
    claims = {}
    for i, word in enumerate(WORDS):
        creator = chief_editor if i % 4 == 3 else editor
        claims[word] = make_claim(article, creator, quote=f"{word} kostet {i + 1}", statement=f"{word}: {i + 1} Mio.")
    now = timezone.now()
    # In review, assigned to the first fact-checker (taking it assigns it).
    claims["Rathaus"].change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claims["Brücke"].assign(fact_checker, by=chief_editor)
    claims["Schule"].assign(second_fact_checker, by=chief_editor)
    # Finished: today, last week and five weeks ago; one of each verdict.
    for word, status, stance, days in [
        ("Bahnhof", ClaimStatus.VERIFIED, "supports", 0),
        ("Hafen", ClaimStatus.DISPUTED, "refutes", 7),
        ("Markt", ClaimStatus.UNVERIFIABLE, "context", 35),
        ("Kirche", ClaimStatus.VERIFIED, "supports", 0),
    ]:
        claim = claims[word]
        add_evidence(claim, fact_checker, stance=stance, source=make_source(url=f"https://example.org/{word}"))
        checker = second_fact_checker if claim.created_by == fact_checker else fact_checker
        claim.change_status(ClaimStatus.IN_REVIEW, by=checker)
        claim.change_status(status, by=checker, comment="Begründet.")
        if days:
            _set_times(claim, verified_at=now - datetime.timedelta(days=days))
    # Flagged by a correction, and withdrawn: the withdrawn one must count nowhere.
    Claim.objects.filter(pk=claims["Museum"].pk).update(anchor_state=AnchorState.NEEDS_REVIEW)
    Claim.objects.filter(pk=claims["Stadion"].pk).update(anchor_state=AnchorState.ORPHANED)
    claims["Park"].change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claims["Park"].change_status(ClaimStatus.UNVERIFIABLE, by=fact_checker, comment="Keine Daten.")
    claims["Park"].withdraw(by=chief_editor, reason="doppelt")
    return claims


def _blocks(response) -> dict[str, list[int]]:
    return {block.key: [claim.pk for claim in block.claims] for block in response.context["blocks"]}


def _rows_in_html(html: str) -> Counter[int]:
    return Counter(int(pk) for pk in re.findall(r'<li data-claim-row="(\d+)">', html))


@pytest.mark.parametrize("role", ["editor", "fact_checker", "chief_editor"])
def test_the_counts_by_status_are_the_standing_claims_in_the_database(client, request, desk, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    response = client.get(URL)
    shown = {status.value: count for status, count in response.context["status_counts"]}
    expected = Counter(Claim.objects.filter(withdrawn_at__isnull=True).values_list("status", flat=True))
    assert shown == {status: expected.get(status, 0) for status in ClaimStatus.values}
    assert sum(shown.values()) == len(WORDS) - 1  # the withdrawn claim counts nowhere
    html = response.content.decode()
    for status, count in shown.items():
        assert re.search(rf'data-status="{status}">\s*<span class="count" data-count>{count}</span>', html)


def test_an_editor_sees_their_open_claims_and_the_verdicts_on_them_and_nothing_twice(client, editor, desk):
    client.force_login(editor)
    response = client.get(URL)
    blocks = _blocks(response)
    assert list(blocks) == ["my_open", "my_verdicts", "after_corrections"]
    mine = Claim.objects.filter(created_by=editor, withdrawn_at__isnull=True, anchor_state__in=["exact", "moved"])
    assert blocks["my_open"] == list(
        mine.filter(status__in=["unverified", "in_review"]).order_by("created_at", "id").values_list("pk", flat=True)
    )
    assert blocks["my_verdicts"] == list(
        mine.filter(status__in=FINISHED_STATUSES).order_by("-verified_at", "-id").values_list("pk", flat=True)
    )
    assert set(blocks["after_corrections"]) == {desk["Museum"].pk, desk["Stadion"].pk}
    rows = _rows_in_html(response.content.decode())
    assert rows and max(rows.values()) == 1  # no claim listed twice on the page
    assert desk["Park"].pk not in rows and desk["Bahnhof"].pk not in rows  # withdrawn; another's claim


def test_a_fact_checker_sees_their_queue_and_the_claims_nobody_has_taken(client, fact_checker, desk):
    client.force_login(fact_checker)
    response = client.get(URL)
    blocks = _blocks(response)
    assert list(blocks) == ["my_queue", "unassigned", "after_corrections"]
    assert blocks["my_queue"] == [desk["Rathaus"].pk, desk["Brücke"].pk]  # in review first
    unassigned = Claim.objects.filter(
        withdrawn_at__isnull=True, assignee__isnull=True, status__in=["unverified", "in_review"]
    ).exclude(anchor_state__in=["needs_review", "orphaned"])
    assert blocks["unassigned"] == list(unassigned.order_by("created_at", "id").values_list("pk", flat=True)[:8])
    assert desk["Schule"].pk not in blocks["unassigned"]  # somebody else works on it
    assert max(_rows_in_html(response.content.decode()).values()) == 1


def test_a_chief_editor_sees_what_was_finished_today_and_the_oldest_open_claims(client, chief_editor, desk):
    client.force_login(chief_editor)
    response = client.get(URL)
    blocks = _blocks(response)
    assert list(blocks) == ["finished_today", "reopen_requests", "oldest_open", "after_corrections"]
    assert blocks["reopen_requests"] == []  # test_reopen_requests fills it
    assert set(blocks["finished_today"]) == {desk["Bahnhof"].pk, desk["Kirche"].pk}
    open_claims = Claim.objects.filter(withdrawn_at__isnull=True, status__in=["unverified", "in_review"]).exclude(
        anchor_state__in=["needs_review", "orphaned"]
    )
    assert blocks["oldest_open"] == list(open_claims.order_by("created_at", "id").values_list("pk", flat=True)[:8])
    html = response.content.decode()
    assert "Heute abgeschlossen" in html and "data-export-today" in html
    assert max(_rows_in_html(html).values()) == 1


def test_the_chief_editor_s_export_link_exports_exactly_the_claims_finished_today(client, chief_editor, desk):
    client.force_login(chief_editor)
    html = client.get(URL).content.decode()
    link = re.search(r'href="([^"]+)" data-export-today', html).group(1).replace("&amp;", "&")
    rows = client.get(link).getvalue().decode().splitlines()[1:]
    assert sorted(int(row.split(",")[0]) for row in rows) == sorted([desk["Bahnhof"].pk, desk["Kirche"].pk])


def test_each_list_links_to_the_queue_showing_the_same_claims(client, fact_checker, chief_editor, editor, desk):
    for user in (editor, fact_checker, chief_editor):
        client.force_login(user)
        for block in client.get(URL).context["blocks"]:
            if not block.claims:
                continue
            queue = client.get(block.queue_url).content.decode()
            listed = [int(pk) for pk in re.findall(r'data-claim-row="(\d+)"', queue)]
            assert listed[: len(block.claims)] == [claim.pk for claim in block.claims], (user, block.key)


def test_an_editor_without_claims_sees_empty_lists_with_their_reason(client, editor):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    assert "Keine Ihrer Behauptungen ist offen." in html
    assert "Noch keine Ihrer Behauptungen ist abgeschlossen." in html
    assert "Keine Korrektur hat etwas zu prüfen hinterlassen." in html
    assert "data-queue-link" not in html  # nothing to list in the queue either


def test_rows_name_their_date_with_a_label(client, chief_editor, desk):
    client.force_login(chief_editor)
    html = client.get(URL).content.decode()
    today = html.split('data-block="finished_today"')[1].split("</section>")[0]
    assert re.search(r"Abgeschlossen <time datetime=", today)
    assert 'von <span class="person">Fritz Prüfer</span>' in today
    oldest = html.split('data-block="oldest_open"')[1].split("</section>")[0]
    assert re.search(r"Angelegt <time datetime=", oldest) and "Zugewiesen an: niemand" in oldest


def test_the_weekly_chart_counts_the_claims_finished_in_each_of_the_last_twelve_weeks(client, editor, desk):
    client.force_login(editor)
    response = client.get(URL)
    chart = response.context["chart"]
    assert len(chart.rows) == 12
    verdicts = [
        (timezone.localtime(claim.verified_at).date(), claim.status)
        for claim in Claim.objects.filter(withdrawn_at__isnull=True, status__in=FINISHED_STATUSES)
    ]
    weeks = Claim.objects.current().finished_per_week(12, timezone.localdate())
    for (monday, _), row in zip(weeks, chart.rows, strict=True):
        week = Counter(status for day, status in verdicts if monday <= day <= monday + datetime.timedelta(days=6))
        assert row["counts"] == [week[status] for status in FINISHED_STATUSES]
        assert row["label"] == f"KW {monday.isocalendar().week}"
    assert [row["total"] for row in chart.rows][-1] == 2 and sum(row["total"] for row in chart.rows[-2:]) == 3
    assert chart.total == 4  # the withdrawn verdict does not count


def test_the_chart_is_svg_in_the_page_with_numbers_as_text_and_no_inline_style(client, editor, desk):
    client.force_login(editor)
    html = client.get(URL).content.decode()
    svg = re.search(r"<svg class=\"chart\".*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<desc" in svg
    assert "style=" not in svg and "<script" not in svg
    assert svg.count('<g class="chart-row"') == 12
    assert re.search(r'<rect class="chart-bar status-verified" x="[\d.]+" y="[\d.]+" width="[\d.]+"', svg)
    assert "✓ 2" in svg and "✗ 1" in svg  # the figures as text: readable without the colours
    assert ",5" not in re.sub(r">[^<]*<", "><", svg)  # no German decimal commas in the attributes


def test_a_week_starts_on_monday_in_the_newsroom_s_time_zone(client, editor, fact_checker, claim):
    add_evidence(claim, fact_checker)
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.change_status(ClaimStatus.VERIFIED, by=fact_checker)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    # Sunday 23:30 UTC is already Monday 00:30 (or 01:30) in Berlin: this week, not the one before.
    sunday_night = datetime.datetime.combine(monday - datetime.timedelta(days=1), datetime.time(23, 30), datetime.UTC)
    _set_times(claim, verified_at=sunday_night)
    (week, counts), *_ = reversed(Claim.objects.current().finished_per_week(12, today))
    assert week == monday and counts["verified"] == 1


def test_the_overview_asks_the_same_number_of_queries_however_many_claims(client, chief_editor, editor, desk):
    def queries() -> int:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as context:
            assert client.get(URL).status_code == 200
        return len(context)

    for user in (chief_editor, editor):
        client.force_login(user)
        few = queries()
        body = " ".join(f"Satz {i} von {user.username} endet hier." for i in range(60))
        article = make_article(by=editor, body=body, title="Viele")
        for i in range(30):
            make_claim(article, editor, quote=f"Satz {i} von", statement=f"Noch eine {i}")
        assert queries() == few <= 14


def test_dashboard_blocks_know_each_role():
    class Someone:
        def __init__(self, *perms: str) -> None:
            self.perms = set(perms)

        def has_perm(self, perm: str) -> bool:
            return perm in self.perms

    assert dashboard.role_of(Someone()) == dashboard.EDITOR
    assert dashboard.role_of(Someone("annotations.change_claim_status")) == dashboard.FACT_CHECKER
    assert dashboard.role_of(Someone("annotations.change_claim_status", "annotations.assign_claim")) == (
        dashboard.CHIEF_EDITOR
    )
