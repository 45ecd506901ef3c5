"""Charts drawn on the server as SVG: the geometry, in plain numbers. Pure Python: no Django.

The template draws what this computes, so the chart needs no script and no inline style (the
policy forbids both): positions are SVG attributes, colours come from the status classes.
Every bar also carries its numbers as text, so nobody needs to tell the colours apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
LABEL_WIDTH = 150  # the week's name and dates, left of the bars
TOTALS_WIDTH = 130  # the numbers per status, right of the bars
ROW_HEIGHT = 24
BAR_HEIGHT = 15
TOP = 6


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: float
    width: float


@dataclass(frozen=True)
class Row:
    label: str  # "KW 47"
    dates: str  # "17.–23.11."
    total: int
    y: float  # top of the row
    bar_y: float
    text_y: float  # baseline of the row's texts
    segments: list[Segment]
    counts: list[tuple[str, int]]  # per status in the given order, for the text beside the bar


@dataclass(frozen=True)
class StackedBars:
    width: int
    height: int
    bar_height: int
    bar_x: int
    bar_width: int
    totals_x: int
    rows: list[Row]
    largest: int


def stacked_bars(
    rows: Sequence[tuple[str, str, dict[str, int]]], statuses: Sequence[str], *, width: int = WIDTH
) -> StackedBars:
    """Horizontal bars, one per row of (label, dates, counts per status), stacked in the order of
    `statuses` and scaled so the largest total fills the room between the labels and the totals."""
    bar_x = LABEL_WIDTH
    bar_width = width - LABEL_WIDTH - TOTALS_WIDTH - 10
    largest = max((sum(counts.get(status, 0) for status in statuses) for _, _, counts in rows), default=0)
    drawn = []
    for index, (label, dates, counts) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        x = float(bar_x)
        segments = []
        for status in statuses:
            count = counts.get(status, 0)
            if count and largest:
                length = bar_width * count / largest
                segments.append(Segment(status, count, round(x, 2), round(length, 2)))
                x += length
        drawn.append(
            Row(
                label=label,
                dates=dates,
                total=sum(counts.get(status, 0) for status in statuses),
                y=y,
                bar_y=y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                text_y=y + ROW_HEIGHT / 2 + 4,
                segments=segments,
                counts=[(status, counts.get(status, 0)) for status in statuses],
            )
        )
    return StackedBars(
        width=width,
        height=TOP * 2 + len(rows) * ROW_HEIGHT,
        bar_height=BAR_HEIGHT,
        bar_x=bar_x,
        bar_width=bar_width,
        totals_x=bar_x + bar_width + 10,
        rows=drawn,
        largest=largest,
    )
