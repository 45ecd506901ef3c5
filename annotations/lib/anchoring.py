"""Text positions in article bodies. Pure Python: no Django.

Offsets count Unicode code points (Python str indices), start inclusive, end
exclusive, as the W3C Web Annotation model's TextPositionSelector does.
A claim keeps its quote with a prefix and suffix of up to CONTEXT_LENGTH code
points, so it can be found again if the body changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from annotations.lib import textdiff

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


@dataclass
class Mark:
    """One highlight element: a claim's mark around runs of the body and the marks nested inside it.

    A claim is drawn as several marks where other claims cut across it; `first` is its first mark,
    the one that carries the claim's anchor in the page.
    """

    claim_id: int
    first: bool
    children: list[Mark | tuple[int, int]] = field(default_factory=list)


def mark_tree(length: int, spans: list[tuple[int, int, int]]) -> list[Mark | tuple[int, int]]:
    """The body's highlights as a tree: (start, end) runs of text and the marks around them.

    The one place that decides how overlapping claims nest (the page's HTML and the live page's
    script both draw this tree): marks nest in the stable order of highlight_segments, and a mark
    stays open across segments for as long as its claim and every mark around it do.
    """
    root: list[Mark | tuple[int, int]] = []
    open_marks: list[Mark] = []
    seen: set[int] = set()
    for segment in highlight_segments(length, spans):
        ids = segment.claim_ids
        common = 0
        while common < min(len(open_marks), len(ids)) and open_marks[common].claim_id == ids[common]:
            common += 1
        del open_marks[common:]
        for claim_id in ids[common:]:
            mark = Mark(claim_id, claim_id not in seen)
            seen.add(claim_id)
            (open_marks[-1].children if open_marks else root).append(mark)
            open_marks.append(mark)
        (open_marks[-1].children if open_marks else root).append((segment.start, segment.end))
    return root


# --- Re-anchoring claims after a correction -------------------------------------------
# The edit between the two bodies is computed once (textdiff.Edit); each claim's ends are
# mapped through it. Only where the edit touched a quote is anything searched, and then only
# in the new text near the quote's old place that is not the image of other old words: a
# second "Robin" that was in the article before is never taken for the corrected first one.


@dataclass(frozen=True)
class Anchor:
    """Where a claim's words are in the new text, and whether a person has to look at them."""

    start: int
    end: int
    needs_review: bool


class Reason:
    """Why a claim ended up where it did; the history shows these in words."""

    UNCHANGED = "unchanged"  # same words, same offsets
    SHIFTED = "shifted"  # same words, moved by text inserted or deleted elsewhere
    FOUND = "found"  # same words, their old place was rewritten, found once nearby
    UNSURE_PLACE = "unsure_place"  # same words, but the text around them changed: flagged
    FORMATTING = "formatting"  # spacing, quotation marks, dashes, soft hyphens: flagged
    WORDING = "wording"  # a typo or a small change of words: flagged
    DELETED = "deleted"  # the words are gone
    NUMBER = "number"  # a number changed
    DATE = "date"  # a date, month or weekday changed
    NEGATION = "negation"  # "nicht", "kein", "nie" ... came or went
    NAME = "name"  # a capitalised word was replaced by a different word
    REWRITTEN = "rewritten"  # too many words changed
    AMBIGUOUS = "ambiguous"  # more than one place fits equally well
    INVALID = "invalid"  # the claim's offsets do not hold its quote in the old text

    FLAGGED = frozenset({UNSURE_PLACE, FORMATTING, WORDING})


@dataclass(frozen=True)
class Outcome:
    anchor: Anchor | None
    reason: str


def reanchor(old_text: str, new_text: str, claims: list[dict]) -> list[Anchor | None]:
    """Where each claim's words are after old_text was corrected to new_text.

    `claims` are dicts with "id", "start", "end", "quote", "prefix", "suffix" as stored:
    code point offsets into old_text, start inclusive, end exclusive, quote == old_text[start:end],
    prefix and suffix the up to 32 code points around it. Offsets that do not hold the quote are
    replaced by the one place where prefix + quote + suffix occurs in old_text, if there is exactly
    one; otherwise the claim is orphaned. The result has one entry per claim, in the same order:

    - an `Anchor(start, end, needs_review=False)`: the quoted words are unchanged and their
      place is certain (the text around them survived the edit); `new_text[start:end] == quote`;
    - an `Anchor(..., needs_review=True)`: moved to the changed passage, for a person to check:
      a typo, spacing, quotation marks, dashes or a soft hyphen changed inside the quote, or a
      few words; or the words are unchanged but the text on both sides of them was rewritten;
    - `None` (orphaned): the words are gone; or their key content changed (a number, a date, a
      month or weekday, a negation such as "nicht", "kein", "nie", or a capitalised word —
      a name, in German indistinguishable from a noun — replaced by another word); or more
      than one place fits equally well; or the claim's offsets do not hold its quote.

    A result never points at text that differs from the old quote unless needs_review is set,
    and never at other words that merely read the same (the second "Robin" of an article
    whose first "Robin" was corrected to "Elisa"). Positions are mapped through the edit
    between the texts, computed once for all claims; only claims the edit touched are searched
    for, and only near their old place.
    """
    return [outcome.anchor for outcome in locate(old_text, new_text, claims)]


def locate(old_text: str, new_text: str, claims: list[dict]) -> list[Outcome]:
    """`reanchor` with the reason for each result (for the history)."""
    edit = textdiff.Edit.between(old_text, new_text)
    return [_locate(old_text, new_text, edit, claim) for claim in claims]


CONTEXT_NEEDED = 8  # shared characters beside a quote that make its place certain
SEARCH_MARGIN = 300  # how far from its old place a touched quote is looked for
MAX_SEARCH_WIDTH = 3000
MAX_HITS = 20
MAX_END_CANDIDATES = 40


def _locate(old: str, new: str, edit: textdiff.Edit, claim: dict) -> Outcome:
    try:
        start, end, quote = int(claim["start"]), int(claim["end"]), str(claim["quote"])
    except (KeyError, TypeError, ValueError):
        return Outcome(None, Reason.INVALID)
    if not (0 <= start < end <= len(old)) or old[start:end] != quote:
        # Offsets that do not hold the quote (counted in UTF-16, or stale): the quote with its stored
        # context, found exactly once in the old text, is the claim (a W3C TextQuoteSelector); else nothing.
        found = _quote_in_context(old, quote, str(claim.get("prefix") or ""), str(claim.get("suffix") or ""))
        if found is None:
            return Outcome(None, Reason.INVALID)
        start, end = found
    new_start, new_end = edit.map_start(start), edit.map_end(end)
    if new_start is not None and new_end is not None and new_start < new_end:
        return _judge_mapped(old, new, edit, start, end, new_start, new_end)
    # Both ends certain but nothing between them: the words were deleted where they were.
    deleted = new_start is not None and new_end is not None
    return _search(old, new, edit, start, end, new_start, new_end, exact_only=deleted)


def _quote_in_context(old: str, quote: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    if not quote:
        return None
    context = prefix + quote + suffix
    at = old.find(context)
    if at == -1 or old.find(context, at + 1) != -1:
        return None
    return at + len(prefix), at + len(prefix) + len(quote)


def _judge_mapped(
    old: str, new: str, edit: textdiff.Edit, start: int, end: int, new_start: int, new_end: int
) -> Outcome:
    quote = old[start:end]
    text = new[new_start:new_end]
    if text == quote:
        block = edit.block_containing(start, end)
        if block is not None and _certain_place(old, new, block, start, end):
            reason = Reason.UNCHANGED if (new_start, new_end) == (start, end) else Reason.SHIFTED
            return Outcome(Anchor(new_start, new_end, False), reason)
        return Outcome(Anchor(new_start, new_end, True), Reason.UNSURE_PLACE)
    if len(text) > 2 * len(quote) + 200:
        return Outcome(None, Reason.REWRITTEN)
    verdict = judge_change(quote, text)
    if verdict in Reason.FLAGGED:
        return _flagged(new, new_start, new_end, verdict)
    return Outcome(None, verdict)


def _certain_place(old: str, new: str, block: textdiff.Block, start: int, end: int) -> bool:
    """The shared run holding the quote reaches far enough beyond it to be no coincidence."""
    at_beginning = block.old == 0 and block.new == 0
    at_end = block.old_end == len(old) and block.new_end == len(new)
    return (
        block.size >= textdiff.NO_COINCIDENCE
        or start - block.old >= CONTEXT_NEEDED
        or block.old_end - end >= CONTEXT_NEEDED
        or at_beginning
        or at_end
    )


def _flagged(new: str, start: int, end: int, reason: str) -> Outcome:
    """A changed passage for review, without white space at its ends or half a character."""
    start, end = trimmed(new, start, end)
    while 0 < start < end and splits_grapheme(new, start):
        start -= 1
    while start < end < len(new) and splits_grapheme(new, end):
        end += 1
    if start >= end:
        return Outcome(None, Reason.DELETED)
    return Outcome(Anchor(start, end, True), reason)


def _search(
    old: str,
    new: str,
    edit: textdiff.Edit,
    start: int,
    end: int,
    new_start: int | None,
    new_end: int | None,
    *,
    exact_only: bool,
) -> Outcome:
    """Look for the quote near its old place, in new text that is not the image of other old words."""
    quote = old[start:end]
    width = min(MAX_SEARCH_WIDTH, max(SEARCH_MARGIN, 2 * len(quote)))
    low, high = edit.map_window(max(0, start - width), min(len(old), end + width))
    if high - low > 2 * width + len(quote):
        # No certain point nearby (a long rewrite): look where the quote would be in proportion.
        estimate = edit.estimate(start)
        low, high = max(low, estimate - width), min(high, estimate + width + len(quote))
    prefix, suffix = old[max(0, start - CONTEXT_LENGTH) : start], old[end : end + CONTEXT_LENGTH]

    def own_words(hit: tuple[int, int]) -> bool:
        return _not_other_words(new, edit, *hit, start, end)

    hits = [hit for hit in _find_all(new, quote, low, high) if own_words(hit)]
    if hits:
        return _choose(new, hits, prefix, suffix, exact=True)
    if exact_only:
        return Outcome(None, Reason.DELETED)
    hits = [hit for hit in _find_plain(new, quote, low, high) if own_words(hit)]
    if hits:
        return _choose(new, hits, prefix, suffix, exact=False)
    if new_start is not None or new_end is not None:
        return _search_other_end(new, quote, (low, high), new_start, new_end, own_words)
    return Outcome(None, Reason.DELETED)


def _not_other_words(new: str, edit: textdiff.Edit, low: int, high: int, start: int, end: int) -> bool:
    """Whether new[low:high] is new text or the quote's own surviving words, not the image of
    other old words; a shared space or punctuation mark at its edge does not count."""
    foreign = []
    for a, b, old_at in edit.shared_in_new(low, high):
        own_from, own_to = max(old_at, start), min(old_at + b - a, end)
        if own_from >= own_to:
            foreign.append(new[a:b])
        else:
            foreign.append(new[a : a + own_from - old_at] + new[a + own_to - old_at : b])
    outside = "".join(foreign)
    return len(outside) <= 2 and not any(char.isalnum() for char in outside)


def _find_all(text: str, quote: str, low: int, high: int) -> list[tuple[int, int]]:
    hits: list[tuple[int, int]] = []
    at = text.find(quote, low, high)
    while at != -1 and len(hits) < MAX_HITS:
        hits.append((at, at + len(quote)))
        at = text.find(quote, at + 1, high)
    return hits


def _context_score(new: str, start: int, end: int, prefix: str, suffix: str) -> tuple[int, int]:
    """How many characters before and after the place agree with the quote's old context."""
    before = new[max(0, start - len(prefix)) : start]
    after = new[end : end + len(suffix)]
    left = 0
    while left < min(len(before), len(prefix)) and before[-1 - left] == prefix[-1 - left]:
        left += 1
    right = 0
    while right < min(len(after), len(suffix)) and after[right] == suffix[right]:
        right += 1
    return left, right


def _context_agrees(new: str, start: int, end: int, prefix: str, suffix: str) -> bool:
    left, right = _context_score(new, start, end, prefix, suffix)
    left_ok = left >= min(CONTEXT_NEEDED, len(prefix)) if prefix else start == 0
    right_ok = right >= min(CONTEXT_NEEDED, len(suffix)) if suffix else end == len(new)
    return left_ok or right_ok


def _choose(new: str, hits: list[tuple[int, int]], prefix: str, suffix: str, *, exact: bool) -> Outcome:
    """One place: take it. Several: the one whose context agrees clearly best, flagged; else none."""
    reason = Reason.FOUND if exact else Reason.FORMATTING
    if len(hits) == 1:
        hit_start, hit_end = hits[0]
        if not exact:
            return _flagged(new, hit_start, hit_end, reason)
        # A long quote found once is its own proof; a short one ("Robin") needs its old neighbours.
        certain = hit_end - hit_start >= textdiff.NO_COINCIDENCE or _context_agrees(
            new, hit_start, hit_end, prefix, suffix
        )
        return Outcome(Anchor(hit_start, hit_end, not certain), reason if certain else Reason.UNSURE_PLACE)
    scored = sorted(((sum(_context_score(new, a, b, prefix, suffix)), a, b) for a, b in hits), reverse=True)
    if scored[0][0] - scored[1][0] < CONTEXT_NEEDED:
        return Outcome(None, Reason.AMBIGUOUS)
    return _flagged(new, scored[0][1], scored[0][2], Reason.UNSURE_PLACE if exact else reason)


def _find_plain(text: str, quote: str, low: int, high: int) -> list[tuple[int, int]]:
    """Places where the quote differs only in spacing, quotation marks, dashes or soft hyphens."""
    pattern = _plain_pattern(quote)
    if pattern is None:
        return []
    window = text[low:high]
    kept: list[int] | None = None
    if _INVISIBLE_CHAR.search(window):
        # Soft hyphens and the like are read past: search without them, report positions with them.
        kept = [index for index, char in enumerate(window) if char not in _INVISIBLE]
        window = "".join(window[index] for index in kept)
    hits = []
    for match in pattern.finditer(window):
        start, end = match.span()
        if kept is not None:
            start, end = kept[start], kept[end - 1] + 1
        hits.append((low + start, low + end))
        if len(hits) >= MAX_HITS:
            break
    return hits


def _plain_pattern(quote: str) -> re.Pattern[str] | None:
    """A regular expression for the quote's `_plain` form in any of its spellings (without invisibles)."""
    plain = _plain(quote)
    if not plain:
        return None
    classes = {
        " ": r"\s+",
        '"': "[" + re.escape("".join(k for k, v in _MARKS.items() if v == '"')) + '"]',
        "'": "[" + re.escape("".join(k for k, v in _MARKS.items() if v == "'")) + "']",
        "-": "[" + re.escape("".join(k for k, v in _MARKS.items() if v == "-")) + "-]",
        "\x00": r"(?:\.\.\.|…)",
    }
    return re.compile("".join(classes.get(char, re.escape(char)) for char in plain.replace("...", "\x00")))


def _search_other_end(
    new: str,
    quote: str,
    window: tuple[int, int],
    new_start: int | None,
    new_end: int | None,
    own_words: Callable[[tuple[int, int]], bool],
) -> Outcome:
    """One end is certain: try the other at word ends nearby and keep the one clear best fit."""
    # A typo or a few words changed keep the length within bounds; nothing else is flagged anyway.
    shortest, longest = max(1, len(quote) * 3 // 4 - 8), len(quote) * 5 // 4 + 8
    if new_start is not None:
        ends = range(new_start + shortest, min(window[1], new_start + longest) + 1)
        spans = [(new_start, p) for p in ends if _token_end(new, p)][:MAX_END_CANDIDATES]
    else:
        assert new_end is not None
        starts = range(max(window[0], new_end - longest), new_end - shortest + 1)
        spans = [(p, new_end) for p in starts if _token_start(new, p)][-MAX_END_CANDIDATES:]
    best: list[tuple[float, int, int, str]] = []
    plain_quote = _plain(quote)
    for a, b in spans:
        verdict = judge_change(quote, new[a:b])
        if verdict in Reason.FLAGGED and own_words((a, b)):
            ratio = SequenceMatcher(None, plain_quote, _plain(new[a:b]), autojunk=False).ratio()
            best.append((ratio, a, b, verdict))
    if not best:
        return Outcome(None, Reason.REWRITTEN)
    best.sort(reverse=True)
    if len(best) > 1 and best[0][0] - best[1][0] < 0.02:
        return Outcome(None, Reason.AMBIGUOUS)
    _ratio, a, b, verdict = best[0]
    return _flagged(new, a, b, verdict)


def _token_end(text: str, position: int) -> bool:
    return position == len(text) or not (text[position - 1].isalnum() and text[position].isalnum())


def _token_start(text: str, position: int) -> bool:
    return position == 0 or not (text[position - 1].isalnum() and text[position].isalnum())


# --- Judging a change inside a quote ---------------------------------------------------

_MARKS = {
    **dict.fromkeys("„“”«»‟″〝〞＂", '"'),
    **dict.fromkeys("‚‘’‹›‛′`´", "'"),
    **dict.fromkeys("‐‑‒–—―−", "-"),
}
_SAME_MARKS = str.maketrans({**_MARKS, "…": "..."})
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u2060\ufeff")
_INVISIBLE_CHAR = re.compile("[" + "".join(sorted(_INVISIBLE)) + "]")


def _plain(text: str) -> str:
    """The text as read aloud: no soft hyphens, one kind of quotation mark and dash, single spaces."""
    text = "".join(char for char in text if char not in _INVISIBLE).translate(_SAME_MARKS)
    return " ".join(text.split())


_NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
_NEGATIONS = frozenset(
    "nicht nichts kein keine keiner keinen keinem keines keins nie niemals niemand niemanden niemandem "
    "nirgends nirgendwo keineswegs keinesfalls weder ohne nein not no never none nobody nothing neither nor "
    "without".split()
)
_DATE_WORDS = frozenset(
    "januar jänner februar feber märz april mai juni juli august september oktober november dezember "
    "jan feb mär mrz apr jun jul aug sep sept okt nov dez montag dienstag mittwoch donnerstag freitag "
    "samstag sonnabend sonntag montags dienstags mittwochs donnerstags freitags samstags sonntags heute "
    "gestern morgen vorgestern übermorgen vormittag nachmittag abend vorjahr vormonat vorwoche january "
    "february march may june july october december monday tuesday wednesday thursday friday saturday "
    "sunday today yesterday tomorrow".split()
)
_UNITS = "(?:ein|zwei|drei|vier|fünf|sechs|sieben|acht|neun)"
_BELOW_HUNDRED = (
    rf"(?:(?:drei|vier|fünf|sech|sieb|acht|neun)zehn|zehn|elf|zwölf|eins|{_UNITS}"
    rf"|(?:{_UNITS}und)?(?:zwanzig|dreißig|vierzig|fünfzig|sechzig|siebzig|achtzig|neunzig))"
)
_BELOW_THOUSAND = rf"(?:{_UNITS}?hundert(?:{_BELOW_HUNDRED})?|{_BELOW_HUNDRED})"
_NUMBER_WORD = re.compile(
    rf"(?:(?:{_BELOW_THOUSAND})?tausend(?:{_BELOW_THOUSAND})?|{_BELOW_THOUSAND})(?:s?te[nrms]?|e[nrms]?|s)?"
    r"|(?:erst|dritt|siebt)e[nrms]?|(?:million|milliard|billion)(?:e|en|n)?|dutzend[e]?|hälfte|halb(?:e[nrms]?)?"
    r"|drittel|viertel|doppelt(?:e[nrms]?)?|\w+fach(?:e[nrms]?)?|null|zero|one|two|three|four|five|six|seven"
    r"|eight|nine|ten|hundred|thousand|million|billion|first|second|third|half|dozen"
)
_WORD = re.compile(r"\w+")


def _is_key_word(word: str) -> str | None:
    folded = word.casefold()
    if folded == "ein" or folded.startswith("ein") and folded[3:] in ("", "e", "en", "er", "em", "es"):
        return None  # the article "ein", not the number
    if _NUMBER_WORD.fullmatch(folded) or any(char.isdigit() for char in folded):
        return Reason.NUMBER
    if folded in _DATE_WORDS:
        return Reason.DATE
    return None


def _typo(a: str, b: str) -> bool:
    """A slip of the keyboard or a spelling variant: one or two edits apart, or ß/ss, ä/ae."""
    a, b = a.casefold(), b.casefold()
    if a == b:
        return True
    spelled = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue"})
    if a.translate(spelled) == b.translate(spelled):
        return True
    limit = 1 if max(len(a), len(b)) <= 5 else 2
    return abs(len(a) - len(b)) <= limit and _edit_distance(a, b, limit) <= limit


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a swap of two letters is one edit), stopping past limit."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _negated(a: str, b: str) -> bool:
    a, b = a.casefold(), b.casefold()
    return a in ("un" + b, "nicht" + b) or b in ("un" + a, "nicht" + a)


def judge_change(old_quote: str, new_quote: str) -> str:
    """How the words of a quote changed: a Reason; FORMATTING and WORDING are small enough to flag."""
    if old_quote == new_quote:
        return Reason.UNCHANGED
    old_plain, new_plain = _plain(old_quote), _plain(new_quote)
    if old_plain == new_plain:
        return Reason.FORMATTING
    if not new_plain:
        return Reason.DELETED
    if _NUMBER.findall(old_plain) != _NUMBER.findall(new_plain):
        return Reason.NUMBER
    old_words, new_words = _WORD.findall(old_plain), _WORD.findall(new_plain)
    negations = [Counter(w.casefold() for w in words if w.casefold() in _NEGATIONS) for words in (old_words, new_words)]
    if negations[0] != negations[1]:
        return Reason.NEGATION
    matcher = SequenceMatcher(
        None, [w.casefold() for w in old_words], [w.casefold() for w in new_words], autojunk=False
    )
    changed_words = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = old_words[i1:i2], new_words[j1:j2]
        for word in (*before, *after):
            if key := _is_key_word(word):
                return key
        if tag == "replace" and len(before) == len(after) and any(map(_negated, before, after)):
            return Reason.NEGATION  # "wahrscheinlich" → "unwahrscheinlich" is no typo
        if tag == "replace" and _typo("".join(before), "".join(after)):
            continue  # "Haushalts plan" → "Haushaltsplan", "Merkl" → "Merkel"
        if tag == "replace" and len(before) == len(after):
            for a, b in zip(before, after, strict=True):
                if _typo(a, b):
                    continue
                if a[:1].isupper() or b[:1].isupper():
                    return Reason.NAME
                changed_words += 1
            continue
        if tag == "replace" and any(w[:1].isupper() for w in (*before, *after)):
            return Reason.NAME
        changed_words += max(len(before), len(after))
    if changed_words > max(1, len(old_words) // 4):
        return Reason.REWRITTEN
    return Reason.WORDING
