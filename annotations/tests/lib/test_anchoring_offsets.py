"""Browser offsets (UTF-16) and ours (code points) convert both ways; claims cut into segments.

Pure: no database, no Django.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotations.lib.anchoring import (
    Mark,
    Segment,
    codepoint_to_utf16,
    highlight_segments,
    mark_tree,
    splits_grapheme,
    trimmed,
    utf16_to_codepoint,
)

TEXT = "Grüße 🇩🇪 und 👍🏽 „so“\u00a0weiter"


@given(st.text(), st.data())
def test_utf16_and_code_points_round_trip_for_any_text(text, data):
    offset = data.draw(st.integers(min_value=0, max_value=len(text)))
    units = codepoint_to_utf16(text, offset)
    assert units == len(text[:offset].encode("utf-16-le")) // 2
    assert utf16_to_codepoint(text, units) == offset


def test_an_emoji_is_two_units_but_one_code_point():
    flag_start = TEXT.index("🇩🇪")
    assert codepoint_to_utf16(TEXT, flag_start + 1) == flag_start + 2  # one regional indicator
    assert codepoint_to_utf16(TEXT, flag_start + 2) == flag_start + 4
    assert utf16_to_codepoint(TEXT, flag_start + 4) == flag_start + 2


def test_an_offset_inside_a_surrogate_pair_is_refused():
    with pytest.raises(ValueError, match="surrogate"):
        utf16_to_codepoint("a👍b", 2)


def test_offsets_outside_the_text_are_refused():
    with pytest.raises(ValueError):
        utf16_to_codepoint("abc", 4)
    with pytest.raises(ValueError):
        codepoint_to_utf16("abc", 4)


def test_trimming_drops_spaces_and_line_breaks_but_keeps_inner_nbsp():
    body = "  „so“\u00a0weiter \n"
    start, end = trimmed(body, 0, len(body))
    assert body[start:end] == "„so“\u00a0weiter"


def test_overlapping_and_nested_claims_each_cover_their_segments_longest_outside():
    segments = highlight_segments(12, [(7, 2, 8), (3, 5, 10), (9, 5, 6)])
    assert segments == [
        Segment(0, 2, ()),
        Segment(2, 5, (7,)),
        Segment(5, 6, (7, 3, 9)),
        Segment(6, 8, (7, 3)),
        Segment(8, 10, (3,)),
        Segment(10, 12, ()),
    ]


def test_segments_cover_the_whole_body_without_gaps():
    segments = highlight_segments(20, [(1, 0, 20), (2, 3, 4)])
    assert segments[0].start == 0 and segments[-1].end == 20
    assert all(a.end == b.start for a, b in zip(segments, segments[1:], strict=False))


def test_a_claim_beyond_the_body_is_clipped_not_drawn_outside():
    assert highlight_segments(5, [(1, 3, 9), (2, 7, 9)]) == [Segment(0, 3, ()), Segment(3, 5, (1,))]


@pytest.mark.parametrize(
    ("text", "offset", "splits"),
    [
        ("a🇩🇪b", 2, True),  # between the two halves of a flag
        ("a🇩🇪b", 1, False),
        ("a🇩🇪🇫🇷b", 3, False),  # between two flags
        ("a🇩🇪🇫🇷b", 4, True),
        ("👍🏽!", 1, True),  # before the skin tone
        ("👍🏽!", 2, False),
        ("Cafe\u0301 au lait", 4, True),  # e + combining acute
        ("👩\u200d💻 kodiert", 2, True),  # after the zero-width joiner
        ("👩\u200d💻 kodiert", 1, True),  # before it
        ("Grüße", 2, False),
        ("Grüße", 0, False),
    ],
)
def test_cuts_inside_a_grapheme_cluster_are_recognised(text, offset, splits):
    assert splits_grapheme(text, offset) is splits


# A body's length and up to eight claims in it, overlapping as they come.
BODY_AND_SPANS = st.integers(min_value=1, max_value=60).flatmap(
    lambda length: st.tuples(
        st.just(length),
        st.lists(
            st.tuples(st.integers(0, length - 1), st.integers(1, 20)).map(lambda s: (s[0], s[0] + s[1])),
            max_size=8,
        ),
    )
)


@given(BODY_AND_SPANS)
def test_every_claim_covers_exactly_its_own_span_however_claims_overlap(case):
    length, spans = case
    claims = [(claim_id, start, end) for claim_id, (start, end) in enumerate(spans, start=1)]
    segments = highlight_segments(length, claims)
    for claim_id, start, end in claims:
        covered = {i for seg in segments if claim_id in seg.claim_ids for i in range(seg.start, seg.end)}
        assert covered == set(range(start, min(end, length)))


def _runs_with_enclosing_marks(nodes, enclosing=()):
    """The tree's text runs in document order, each with the claims of the marks around it, outermost first."""
    for node in nodes:
        if isinstance(node, tuple):
            yield node, enclosing
        else:
            yield from _runs_with_enclosing_marks(node.children, (*enclosing, node.claim_id))


@given(BODY_AND_SPANS)
def test_the_mark_tree_draws_each_segment_inside_exactly_its_claims_marks(case):
    length, spans = case
    claims = [(claim_id, start, end) for claim_id, (start, end) in enumerate(spans, start=1)]
    tree = mark_tree(length, claims)
    drawn = list(_runs_with_enclosing_marks(tree))
    # The runs are the body, in order, once; around each are the marks of the claims covering it.
    assert drawn == [((s.start, s.end), s.claim_ids) for s in highlight_segments(length, claims)]


def test_a_claim_cut_by_another_is_drawn_as_several_marks_the_first_one_carrying_its_anchor():
    # Claim 1 covers 0-6, claim 2 covers 3-9: claim 2's mark is cut where claim 1 ends.
    tree = mark_tree(10, [(1, 0, 6), (2, 3, 9)])
    assert tree == [
        Mark(1, True, [(0, 3), Mark(2, True, [(3, 6)])]),
        Mark(2, False, [(6, 9)]),
        (9, 10),
    ]
