"""Text positions in article bodies. Pure Python: no Django.

Offsets count Unicode code points (Python str indices), start inclusive, end
exclusive, as the W3C Web Annotation model's TextPositionSelector does.
A claim keeps its quote with a prefix and suffix of up to CONTEXT_LENGTH code
points, so it can be found again if the body changes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

CONTEXT_LENGTH = 32


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    quote: str
    prefix: str
    suffix: str

    def as_fields(self) -> dict[str, int | str]:
        """The claim fields that anchor a span: position and quote with its context."""
        return {"start": self.start, "end": self.end, "quote": self.quote, "prefix": self.prefix, "suffix": self.suffix}


class QuoteMismatch(ValueError):
    """The quote sent with a selection is not the text at its offsets."""


def span_at(body: str, start: int, end: int) -> Span:
    """The span body[start:end] with its context; ValueError for impossible offsets."""
    if not (0 <= start < end <= len(body)):
        raise ValueError(f"offsets {start}-{end} outside a body of {len(body)} characters")
    return Span(
        start=start,
        end=end,
        quote=body[start:end],
        prefix=body[max(0, start - CONTEXT_LENGTH) : start],
        suffix=body[end : end + CONTEXT_LENGTH],
    )


def checked_span(body: str, start: int, end: int, quote: str) -> Span:
    """The span at the offsets, provided the quote matches the body there exactly."""
    span = span_at(body, start, end)
    if span.quote != quote:
        raise QuoteMismatch(f"quote does not match the body at {start}-{end}")
    return span


# --- Browser offsets ----------------------------------------------------------------
# The browser counts UTF-16 code units, we count code points: every character outside the
# Basic Multilingual Plane (most emoji, flags are two of them) is two units but one point.


def utf16_to_codepoint(text: str, offset: int) -> int:
    """The code point offset for a UTF-16 offset into text; ValueError inside a surrogate pair."""
    if offset < 0:
        raise ValueError("negative offset")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"UTF-16 offset {offset} splits a surrogate pair")
    if units == offset:
        return len(text)
    raise ValueError(f"UTF-16 offset {offset} beyond a text of {units} units")


def codepoint_to_utf16(text: str, offset: int) -> int:
    """The UTF-16 offset for a code point offset into text."""
    if not 0 <= offset <= len(text):
        raise ValueError(f"offset {offset} outside a text of {len(text)} characters")
    return offset + sum(1 for char in text[:offset] if ord(char) > 0xFFFF)


def trimmed(body: str, start: int, end: int) -> tuple[int, int]:
    """The span without white space at either end (a selection often catches a space)."""
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


_ZWJ = "\u200d"


def _extends(char: str) -> bool:
    """Whether char belongs to the grapheme cluster before it (combining marks, emoji modifiers ...)."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char == _ZWJ
        or 0xFE00 <= code <= 0xFE0F  # variation selectors: text or emoji style
        or 0xE0100 <= code <= 0xE01EF
        or 0x1F3FB <= code <= 0x1F3FF  # skin tones
        or 0xE0020 <= code <= 0xE007F  # tags, as in the flag of England
    )


def _regional_indicator(char: str) -> bool:
    return 0x1F1E6 <= ord(char) <= 0x1F1FF


def splits_grapheme(text: str, offset: int) -> bool:
    """Whether a cut at offset would split a user-perceived character (a flag, 👍🏽, e + accent).

    The page never sends such offsets (it uses Intl.Segmenter); this is the server's check of
    the common cases, not a full implementation of Unicode's segmentation rules.
    """
    if not 0 < offset < len(text):
        return False
    if _extends(text[offset]) or text[offset - 1] == _ZWJ:
        return True
    if _regional_indicator(text[offset]) and _regional_indicator(text[offset - 1]):
        run = 0
        while offset - run - 1 >= 0 and _regional_indicator(text[offset - run - 1]):
            run += 1
        return run % 2 == 1  # flags pair up from the start of the run
    return False


# --- Drawing overlapping claims -----------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A stretch of the body covered by the same claims, outermost (longest) claim first."""

    start: int
    end: int
    claim_ids: tuple[int, ...]


def highlight_segments(length: int, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut a body of `length` code points into segments at every claim boundary.

    `spans` are (claim_id, start, end). Overlapping and nested claims each keep their own
    marks: a segment lists every claim that covers it, in the same order everywhere
    (start, longer first, id), so nesting in the page is stable from one segment to the next.
    """
    clipped = [(cid, max(0, s), min(length, e)) for cid, s, e in spans if s < length and e > s]
    order = {cid: rank for rank, (cid, _s, _e) in enumerate(sorted(clipped, key=lambda c: (c[1], -c[2], c[0])))}
    cuts = sorted({0, length, *(s for _c, s, _e in clipped), *(e for _c, _s, e in clipped)})
    starting: dict[int, list[int]] = {}
    ending: dict[int, list[int]] = {}
    for cid, s, e in clipped:
        starting.setdefault(s, []).append(cid)
        ending.setdefault(e, []).append(cid)
    active: set[int] = set()
    segments: list[Segment] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        active.difference_update(ending.get(left, ()))
        active.update(starting.get(left, ()))
        segments.append(Segment(left, right, tuple(sorted(active, key=order.__getitem__))))
    return segments


# --- Finding a passage from the claim's wording -------------------------------------
# Exact match first, fuzzy only as fallback (as the Hypothesis client anchors). The fuzzy
# search knows a little German: case, ß/ss, umlauts, inflection endings (zweite/zweiten),
# compound parts (Gipfel/Gipfeltreffen), and it ignores word order inside a window.

_WORD = re.compile(r"\w+")
_SUFFIXES = ("ern", "em", "en", "er", "es", "e", "s", "n")
_STOP_WORDS = frozenset(
    "der die das dem den des ein eine einer einem einen eines und oder in im an am auf aus bei mit nach "
    "von vom zu zum zur für fur über uber unter vor seit um als wie ist sind war hat haben sich es sie er "
    "nicht auch noch so dass daß".split()
)
_STOP_WEIGHT = 0.3


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    quote: str
    score: float


def _fold(word: str) -> str:
    word = word.casefold().replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return word.replace("ß", "ss")


def stem(word: str) -> str:
    """A light German stem: folded case and umlauts, one inflection ending removed."""
    word = _fold(word)
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _similarity(query: str, word: str) -> float:
    if query == word:
        return 1.0
    if len(query) >= 4 and len(word) >= 4 and (word.startswith(query) or query.startswith(word)):
        return 0.8
    if len(query) >= 4 and query in word:
        return 0.6  # part of a compound: "einmarsch" in "truppeneinmarsch"
    if len(word) >= 5 and word in query:
        return 0.5  # the text has a part of the query's compound
    return 0.0


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), stem(m.group())) for m in _WORD.finditer(text)]


def find_passages(body: str, wording: str, limit: int = 5) -> list[Passage]:
    """The passages of body that best match wording, best first, trimmed to whole words."""
    wording = " ".join(wording.split())
    if not wording:
        return []
    exact = [m for m in re.finditer(re.escape(wording), body, re.IGNORECASE)][:limit]
    if exact:
        return [Passage(m.start(), m.end(), m.group(), 1.0) for m in exact]
    query = _tokens(wording)
    weights = [_STOP_WEIGHT if _fold(q) in _STOP_WORDS else 1.0 for _s, _e, q in query]
    total = sum(weights)
    words = _tokens(body)
    # For every word of the body, how well it matches each query word (only the matches).
    matches: list[tuple[int, int, float]] = []  # (word index, query index, weighted similarity)
    for index, (_s, _e, word) in enumerate(words):
        for qi, (_qs, _qe, q) in enumerate(query):
            similarity = _similarity(q, word)
            if similarity:
                matches.append((index, qi, similarity * weights[qi]))
    window = max(12, 3 * len(query))
    candidates: list[tuple[float, int, int]] = []
    for first, (anchor, anchor_query, _weight) in enumerate(matches):
        if weights[anchor_query] == _STOP_WEIGHT:
            continue  # windows start at a word that carries meaning; stop words alone prove nothing
        best: dict[int, tuple[float, int]] = {}
        for index, qi, weight in matches[first:]:
            if index >= anchor + window:
                break
            if weight > best.get(qi, (0.0, 0))[0]:
                best[qi] = (weight, index)
        # Stop words just before the anchor belong to the passage too ("seit dem Einmarsch").
        for index, qi, weight in reversed(matches[:first]):
            if index < anchor - 3:
                break
            if weights[qi] == _STOP_WEIGHT and qi not in best:
                best[qi] = (weight, index)
        score = sum(weight for weight, _i in best.values()) / total
        positions = [index for _w, index in best.values()]
        spread = max(positions) - min(positions) + 1
        score -= 0.005 * max(0, spread - len(query))
        candidates.append((score, min(positions), max(positions)))
    candidates.sort(key=lambda c: (-c[0], c[1]))
    passages: list[Passage] = []
    for score, first_word, last_word in candidates:
        if score < 0.35 or len(passages) >= limit:
            break
        start, end = words[first_word][0], words[last_word][1]
        if any(start < p.end and p.start < end for p in passages):
            continue
        passages.append(Passage(start, end, body[start:end], round(score, 3)))
    return passages
