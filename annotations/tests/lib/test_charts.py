"""The weekly chart's geometry: bars scaled to the largest week, stacked in order. No database."""

from __future__ import annotations

import pytest

from annotations.lib import charts

STATUSES = ["verified", "disputed", "unverifiable"]


def test_the_largest_week_fills_the_bar_and_the_others_scale():
    bars = charts.stacked_bars(
        [("KW 1", "1.–7.1.", {"verified": 2, "disputed": 2}), ("KW 2", "8.–14.1.", {"verified": 1})], STATUSES
    )
    first, second = bars.rows
    assert bars.largest == 4
    assert sum(segment.width for segment in first.segments) == pytest.approx(bars.bar_width)
    assert sum(segment.width for segment in second.segments) == pytest.approx(bars.bar_width / 4)
    assert [segment.status for segment in first.segments] == ["verified", "disputed"]
    assert first.segments[1].x == pytest.approx(first.segments[0].x + first.segments[0].width)
    assert first.counts == [("verified", 2), ("disputed", 2), ("unverifiable", 0)]
    assert second.y > first.y and bars.height >= second.y + charts.ROW_HEIGHT


def test_weeks_without_verdicts_draw_no_bars_and_no_division_by_zero():
    bars = charts.stacked_bars([("KW 1", "", {}), ("KW 2", "", {"verified": 0})], STATUSES)
    assert bars.largest == 0 and all(row.segments == [] and row.total == 0 for row in bars.rows)


def test_statuses_not_asked_for_are_left_out():
    bars = charts.stacked_bars([("KW 1", "", {"unverified": 5, "verified": 1})], STATUSES)
    (row,) = bars.rows
    assert row.total == 1 and [segment.status for segment in row.segments] == ["verified"]
