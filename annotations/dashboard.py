"""The overview (/): what waits for each role, and the newsroom's figures beside it.

Each role sees two lists of its own and, like everybody, the claims a correction left to look at.
The lists of one page never share a claim: each is defined apart from the others (open or finished,
mine or nobody's), and the claims a correction flagged are listed only in their own block. Every list
links to the queue with the filters that select exactly its claims.

- Editor (marks claims, cannot check them): their own open claims, to know what is pending, and the
  verdicts on their own claims, newest first: "Widerlegt" means the article needs a correction. The
  newsroom's oldest open claims are no task of theirs, and were their own open claims again.
- Fact-checker: the open claims assigned to them (work started first), and the oldest open claims that
  nobody has taken, to take the next one.
- Chief editor: the claims finished today (the second look, reopening, the export), the finished claims
  colleagues asked to reopen (oldest request first), and the oldest open claims with who works on them,
  to assign what nobody has.

Withdrawn claims count nowhere (Claim.objects.visible_to leaves them out). Work is bounded: one query
per list (BLOCK_ROWS + 1 rows, so no count of a million claims), one for the chart.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, pgettext

from annotations.lib import charts
from annotations.models import FINISHED_STATUSES, OPEN_STATUSES, AnchorState, Claim, ClaimStatus, FinishedTally

BLOCK_ROWS = 8
CHART_WEEKS = 12

EDITOR, FACT_CHECKER, CHIEF_EDITOR = "editor", "fact_checker", "chief_editor"


def role_of(user: Any) -> str:
    """The role the overview is made for, by what the user may do."""
    if user.has_perm("annotations.assign_claim"):
        return CHIEF_EDITOR
    if user.has_perm("annotations.change_claim_status"):
        return FACT_CHECKER
    return EDITOR


@dataclass
class Block:
    key: str
    title: str
    why: str
    empty: str
    claims: list[Claim]
    more: bool  # more claims than shown: the queue link lists them all
    queue_url: str
    date: str  # which date each row shows: "created", "checked", "changed" or "requested"
    show_assignee: bool = False
    export_query: str = ""  # the same claims for the export links (a chief editor's)


def _queue(**filters: Any) -> str:
    """The queue's address with these filters (lists become repeated keys)."""
    query = QueryDict(mutable=True)
    for key, value in filters.items():
        query.setlist(key, value if isinstance(value, list | tuple) else [value])
    return query.urlencode()


IN_PLACE = [AnchorState.EXACT, AnchorState.MOVED]
OPEN = list(OPEN_STATUSES)
FINISHED = list(FINISHED_STATUSES)


def _take(claims: Any) -> tuple[list[Claim], bool]:
    rows = list(claims[: BLOCK_ROWS + 1])
    return rows[:BLOCK_ROWS], len(rows) > BLOCK_ROWS


def _block(key: str, claims: Any, query: str, **fields: Any) -> Block:
    rows, more = _take(claims)
    return Block(key=key, claims=rows, more=more, queue_url=reverse("annotations:claim-list") + "?" + query, **fields)


def blocks_for(user: Any, *, now: datetime.datetime | None = None) -> list[Block]:
    """The lists of the overview for this user, in the order shown."""
    now = now or timezone.now()
    visible = Claim.objects.visible_to(user).with_related()
    # Flagged claims are listed once, in their own block: the role's lists leave them out.
    placed = visible.in_place()
    role = role_of(user)
    blocks: list[Block]
    if role == CHIEF_EDITOR:
        today = timezone.localtime(now).date()
        start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
        # A claim somebody asked to reopen is listed with the requests only: no list repeats a claim.
        finished_today = _queue(
            status=FINISHED,
            checked_after=today.isoformat(),
            anchor_state=IN_PLACE,
            reopen_requested="false",
            ordering="-checked",
        )
        blocks = [
            _block(
                "finished_today",
                placed.finished_since(start).filter(reopen_requested_at__isnull=True).order_by("-verified_at", "-id"),
                finished_today,
                title=gettext("Finished today"),
                why=gettext("Today’s verdicts: take a second look, reopen where needed, export them."),
                empty=gettext("No claim was finished today."),
                date="checked",
                export_query=finished_today,
            ),
            _block(
                "reopen_requests",
                placed.reopen_requested().select_related("reopen_requested_by").order_by("reopen_requested_at", "id"),
                _queue(reopen_requested="true", ordering="requested"),
                title=gettext("Reopening asked for"),
                why=gettext("Colleagues ask you to reopen these verdicts: reopen them or say why they stand."),
                empty=gettext("Nobody asks for a claim to be reopened."),
                date="requested",
            ),
            _block(
                "oldest_open",
                placed.oldest_open_first(),
                _queue(status=OPEN, anchor_state=IN_PLACE, ordering="created"),
                title=gettext("Oldest open claims"),
                why=gettext("What has waited longest, with who works on it: assign what nobody has taken."),
                empty=gettext("No open claims."),
                date="created",
                show_assignee=True,
            ),
        ]
    elif role == FACT_CHECKER:
        blocks = [
            _block(
                "my_queue",
                # "in_review" sorts before "unverified": work already started comes first.
                placed.open().assigned_to(user).order_by("status", "created_at", "id"),
                _queue(assignee="me", status=OPEN, anchor_state=IN_PLACE, ordering="status"),
                title=gettext("My queue"),
                why=gettext("Open claims assigned to you, those in review first."),
                empty=gettext("Nothing assigned to you."),
                date="created",
            ),
            _block(
                "unassigned",
                placed.oldest_open_first().unassigned(),
                _queue(assignee="nobody", status=OPEN, anchor_state=IN_PLACE, ordering="created"),
                title=gettext("Oldest open claims nobody has taken"),
                why=gettext("Take the next one from here."),
                empty=gettext("Every open claim has somebody working on it."),
                date="created",
            ),
        ]
    else:
        mine = placed.filter(created_by=user)
        blocks = [
            _block(
                "my_open",
                mine.open().order_by("created_at", "id"),
                _queue(created_by=user.get_username(), status=OPEN, anchor_state=IN_PLACE, ordering="created"),
                title=gettext("My open claims"),
                why=gettext("Claims you marked that nobody has finished checking yet."),
                empty=gettext("None of your claims is open."),
                date="created",
                show_assignee=True,
            ),
            _block(
                "my_verdicts",
                mine.finished().order_by("-verified_at", "-id"),
                _queue(created_by=user.get_username(), status=FINISHED, anchor_state=IN_PLACE, ordering="-checked"),
                title=gettext("Verdicts on my claims"),
                why=gettext("Newest first. “Disputed” means the article needs a correction."),
                empty=gettext("None of your claims is finished yet."),
                date="checked",
            ),
        ]
    blocks.append(
        _block(
            "after_corrections",
            visible.flagged().order_by("-updated_at", "-id"),
            _queue(anchor_state=[AnchorState.NEEDS_REVIEW, AnchorState.ORPHANED], ordering="-changed"),
            title=gettext("To review after corrections"),
            why=gettext(
                "A correction changed these claims’ words or took their place: confirm, re-attach or withdraw."
            ),
            empty=gettext("No correction left anything to review."),
            date="changed",
            show_assignee=True,
        )
    )
    return blocks


# --- The weekly chart ------------------------------------------------------------------


@dataclass
class WeekChart:
    bars: charts.StackedBars
    statuses: list[tuple[str, str]]  # (value, label) in the order stacked
    total: int
    first: datetime.date
    last: datetime.date
    rows: list[dict[str, Any]] = field(default_factory=list)  # the same figures as a table


def _week_dates(monday: datetime.date, sunday: datetime.date) -> str:
    """17.–23.11. (or 28.09.–04.10. across a month's end)."""
    if monday.month == sunday.month:
        return f"{monday:%d}.–{sunday:%d.%m.}"
    return f"{monday:%d.%m.}–{sunday:%d.%m.}"


def week_chart(user: Any, *, today: datetime.date | None = None, weeks: int = CHART_WEEKS) -> WeekChart:
    """Claims finished per week over the last `weeks` weeks, by verdict, as bars and as a table."""
    today = today or timezone.localdate()
    # From the tally the database keeps by hour: not the 80,000 claims finished in twelve weeks at a million.
    per_week = FinishedTally.objects.per_week_for(user, weeks, today)
    statuses = [(value, str(ClaimStatus(value).label)) for value in FINISHED_STATUSES]
    rows = []
    for monday, counts in per_week:
        sunday = monday + datetime.timedelta(days=6)
        rows.append(
            (
                pgettext("calendar week", "Week %(number)s") % {"number": monday.isocalendar().week},
                _week_dates(monday, sunday),
                counts,
            )
        )
    bars = charts.stacked_bars(rows, [value for value, _ in statuses])
    table = [
        {
            "label": label,
            "dates": dates,
            "counts": [counts[value] for value, _ in statuses],
            "total": sum(counts.values()),
        }
        for label, dates, counts in rows
    ]
    return WeekChart(
        bars=bars,
        statuses=statuses,
        total=sum(row["total"] for row in table),
        first=per_week[0][0],
        last=per_week[-1][0] + datetime.timedelta(days=6),
        rows=table,
    )
