"""The edit between two versions of a text, computed once. Pure Python: no Django.

`Edit.between(old, new)` finds the stretches of text both versions share (`Block`s, in code
points) and maps positions of the old text into the new one, as ProseMirror maps positions
through the steps of a transaction: a position inside shared text moves by the length of
what was inserted or deleted before it; a position inside changed text has no certain image.

How the edit is found, cheapest first, each step only on what the step before left unmatched:
1. the common beginning and end of the two texts (one correction in a long article costs
   almost nothing);
2. lines (paragraphs), with difflib; a paragraph deleted in one place and inserted unchanged
   in another is a move, and its text keeps its identity;
3. words, white space and punctuation inside changed paragraphs;
4. characters inside short changed runs of words (a typo, a digit, a quotation mark);
5. a semantic clean-up, as in diff-match-patch: a shared run shorter than the changes on both
   sides of it ("die", a space) is a coincidence of a rewrite, not text that survived it.

`compare_words(old, new)` marks the changed words of two versions for people to read.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

# Sizes past which a finer step is not worth its cost: the coarser result stands.
MAX_TOKENS_PER_GROUP = 6000  # words, spaces and punctuation of one changed run of paragraphs
MAX_CHARS_REFINED = 64  # a changed run of words compared character by character
NO_COINCIDENCE = 32  # a shared run this long survived the edit, whatever surrounds it
MIN_MOVED_LINE = 24  # a moved paragraph shorter than this could be a coincidence ("Berlin (dpa) -")
MAX_MOVE_CANDIDATES = 400  # changed paragraphs on each side considered for moves

# For anchoring: a word or a mark with the space after it (half as many tokens, fewer repeats).
_TOKEN = re.compile(r"\w+\s*|[^\w\s]\s*|\s+")
# For people: white space apart, so a full stop before a new paragraph is not shown as changed.
_WORDS_APART = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Block:
    """old[old : old + size] == new[new : new + size]."""

    old: int
    new: int
    size: int

    @property
    def old_end(self) -> int:
        return self.old + self.size

    @property
    def new_end(self) -> int:
        return self.new + self.size


class Edit:
    """What changed between two texts: the shared blocks, in order, and the moved ones.

    `ordered` blocks rise in both texts; `moved` blocks (paragraphs moved elsewhere) do not,
    so a position only maps through them when it lies inside one.
    """

    def __init__(self, old_length: int, new_length: int, ordered: list[Block], moved: list[Block]) -> None:
        self.old_length = old_length
        self.new_length = new_length
        self.ordered = ordered
        self.moved = moved
        self._all_by_old = sorted([*ordered, *moved], key=lambda b: b.old)
        self._old_starts = [b.old for b in self._all_by_old]
        self._all_by_new = sorted([*ordered, *moved], key=lambda b: b.new)
        self._new_starts = [b.new for b in self._all_by_new]
        self._ordered_old_starts = [b.old for b in ordered]

    @classmethod
    def between(cls, old: str, new: str, *, refine: bool = True) -> Edit:
        """The edit from old to new; `refine=False` stops at whole words (for display)."""
        if old == new:
            return cls(len(old), len(new), [Block(0, 0, len(old))] if old else [], [])
        ordered, moved = _blocks(old, new, refine=refine)
        return cls(len(old), len(new), ordered, moved)

    def block_containing(self, start: int, end: int) -> Block | None:
        """The shared block holding all of old[start:end], if one does."""
        index = bisect.bisect_right(self._old_starts, start) - 1
        if index >= 0:
            block = self._all_by_old[index]
            if block.old <= start and end <= block.old_end:
                return block
        return None

    def map_start(self, position: int) -> int | None:
        """Where text starting at `position` of the old text starts in the new one; None if unsure.

        Inside shared text the answer is certain; so it is where shared text ends and a change
        begins (the quote starts with the change). Strictly inside changed text nobody knows.
        """
        index = bisect.bisect_right(self._old_starts, position) - 1
        if index >= 0:
            block = self._all_by_old[index]
            if block.old <= position < block.old_end:
                return block.new + position - block.old
        return self._at_ordered_boundary(position, ending=False)

    def map_end(self, position: int) -> int | None:
        """Where text ending at `position` of the old text ends in the new one; None if unsure."""
        index = bisect.bisect_left(self._old_starts, position) - 1
        if index >= 0:
            block = self._all_by_old[index]
            if block.old < position <= block.old_end:
                return block.new + position - block.old
        return self._at_ordered_boundary(position, ending=True)

    def _at_ordered_boundary(self, position: int, *, ending: bool) -> int | None:
        # A change sits right at `position`: its image starts where the shared block before it
        # ends (for a start) or ends where the shared block after it starts (for an end).
        index = bisect.bisect_left(self._ordered_old_starts, position)
        if ending and index < len(self.ordered) and self.ordered[index].old == position:
            return self.ordered[index].new
        if not ending and index > 0 and self.ordered[index - 1].old_end == position:
            return self.ordered[index - 1].new_end
        # The texts' own ends are fixed points too.
        if not ending and position == 0:
            return 0
        if ending and position == self.old_length:
            return self.new_length
        return None

    def map_window(self, start: int, end: int) -> tuple[int, int]:
        """The stretch of new text that old[start:end] became, with what was inserted at its edges."""
        index = bisect.bisect_right(self._ordered_old_starts, start) - 1
        low = 0
        if index >= 0:
            block = self.ordered[index]
            if block.old < start < block.old_end:
                low = block.new + start - block.old
            elif block.old == start:
                low = self.ordered[index - 1].new_end if index > 0 else 0
            else:
                low = block.new_end
        index = bisect.bisect_left(self._ordered_old_starts, end)
        high = self.new_length
        if index > 0 and self.ordered[index - 1].old < end < self.ordered[index - 1].old_end:
            block = self.ordered[index - 1]
            high = block.new + end - block.old
        elif index < len(self.ordered):
            high = self.ordered[index].new
        return low, max(low, high)

    def estimate(self, position: int) -> int:
        """Where `position` would be in the new text, in proportion between the certain points
        around it: a guess for where to look when nothing nearby survived the edit."""
        index = bisect.bisect_right(self._ordered_old_starts, position) - 1
        before_old, before_new = 0, 0
        if index >= 0:
            block = self.ordered[index]
            if position < block.old_end:
                return block.new + position - block.old
            before_old, before_new = block.old_end, block.new_end
        after_old, after_new = self.old_length, self.new_length
        if index + 1 < len(self.ordered):
            after_old, after_new = self.ordered[index + 1].old, self.ordered[index + 1].new
        if after_old <= before_old:
            return before_new
        return before_new + (after_new - before_new) * (position - before_old) // (after_old - before_old)

    def shared_in_new(self, start: int, end: int) -> Iterator[tuple[int, int, int]]:
        """The shared parts of new[start:end]: (new start, new end, old start of that part)."""
        index = max(0, bisect.bisect_right(self._new_starts, start) - 1)
        for block in self._all_by_new[index:]:
            if block.new >= end:
                break
            low, high = max(start, block.new), min(end, block.new_end)
            if low < high:
                yield low, high, block.old + low - block.new


# --- Finding the blocks --------------------------------------------------------------------


def _common_prefix(a: str, b: str) -> int:
    """Length of the common beginning, by halving: each comparison runs in C."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle :] == b[len(b) - middle :]:
            low = middle
        else:
            high = middle - 1
    return low


def _inside_word(text: str, position: int) -> bool:
    return 0 < position < len(text) and text[position - 1].isalnum() and text[position].isalnum()


def _snapped(old: str, new: str, prefix: int, suffix: int) -> tuple[int, int]:
    """The common beginning and end cut back to whole lines when what lies between has several
    lines (so a moved paragraph is seen whole), else to whole words (so words are compared whole)."""
    if "\n" in old[prefix : len(old) - suffix] or "\n" in new[prefix : len(new) - suffix]:
        prefix = old.rfind("\n", 0, prefix) + 1
        if suffix < len(old) and old[len(old) - suffix - 1] != "\n":
            line_break = old.find("\n", len(old) - suffix)
            suffix = 0 if line_break == -1 else len(old) - line_break - 1
        return prefix, suffix
    while prefix and (_inside_word(old, prefix) or _inside_word(new, prefix)):
        prefix -= 1
    while suffix and (_inside_word(old, len(old) - suffix) or _inside_word(new, len(new) - suffix)):
        suffix -= 1
    return prefix, suffix


def _lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Paragraphs: each line with the blank lines after it, so empty lines never match by chance."""
    spans = []
    position = start
    while position < end:
        stop = text.find("\n", position, end)
        stop = end if stop == -1 else stop + 1
        while stop < end and text[stop] == "\n":
            stop += 1
        spans.append((position, stop))
        position = stop
    return spans


def _tokens(text: str, spans: list[tuple[int, int]], pattern: re.Pattern[str] = _TOKEN) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for start, end in spans for m in pattern.finditer(text, start, end)]


def _blocks(old: str, new: str, *, refine: bool) -> tuple[list[Block], list[Block]]:
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, min(len(old), len(new)) - prefix)
    old_changed, new_changed = len(old) - suffix - prefix, len(new) - suffix - prefix
    ends = [Block(0, 0, prefix), Block(len(old) - suffix, len(new) - suffix, suffix)]
    if refine and (not old_changed or not new_changed):
        return _merged(ends), []  # one insertion or one deletion: that is the whole edit
    if refine and old_changed <= MAX_CHARS_REFINED and new_changed <= MAX_CHARS_REFINED:
        # One short change: compare it character by character, nothing more.
        middle = _refined(old, new, (prefix, len(old) - suffix), (prefix, len(new) - suffix))
        bounds = (prefix, len(old) - suffix, prefix, len(new) - suffix)
        return _merged([ends[0], *_without_coincidences(middle, *bounds), ends[1]]), []
    prefix, suffix = _snapped(old, new, prefix, suffix)
    ordered: list[Block] = [Block(0, 0, prefix)] if prefix else []
    moved: list[Block] = []
    old_lines = _lines(old, prefix, len(old) - suffix)
    new_lines = _lines(new, prefix, len(new) - suffix)
    matcher = SequenceMatcher(None, [old[a:b] for a, b in old_lines], [new[a:b] for a, b in new_lines])
    opcodes = matcher.get_opcodes()
    moves = _moved_lines(old, new, old_lines, new_lines, opcodes)
    taken_old = {i for i, _j in moves}
    taken_new = {j for _i, j in moves}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            start_old, start_new = old_lines[i1][0], new_lines[j1][0]
            ordered.append(Block(start_old, start_new, old_lines[i2 - 1][1] - start_old))
            continue
        group_old = [old_lines[i] for i in range(i1, i2) if i not in taken_old]
        group_new = [new_lines[j] for j in range(j1, j2) if j not in taken_new]
        if len(group_old) == len(group_new) > 1:
            # As many paragraphs changed as replaced them (quotation marks changed throughout, a
            # typo in each): compare them pair by pair, which is cheaper and never pairs wrongly far.
            for pair_old, pair_new in zip(group_old, group_new, strict=True):
                ordered.extend(_group_blocks(old, new, [pair_old], [pair_new], refine=refine))
        elif group_old and group_new:
            ordered.extend(_group_blocks(old, new, group_old, group_new, refine=refine))
    for i, j in moves:
        (a, b), (c, d) = old_lines[i], new_lines[j]
        moved.append(Block(a, c, min(b - a, d - c)))  # one of them may lack the final line break
    if suffix:
        ordered.append(Block(len(old) - suffix, len(new) - suffix, suffix))
    return _merged(sorted(ordered, key=lambda b: b.old)), moved


def _moved_lines(
    old: str, new: str, old_lines: list[tuple[int, int]], new_lines: list[tuple[int, int]], opcodes: list
) -> list[tuple[int, int]]:
    """Paragraphs deleted in one place and inserted, word for word, in another: (old, new) line pairs."""
    gone: dict[str, list[int]] = {}
    came: dict[str, list[int]] = {}
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        for i in range(i1, i2):
            gone.setdefault(old[slice(*old_lines[i])].rstrip("\n"), []).append(i)
        for j in range(j1, j2):
            came.setdefault(new[slice(*new_lines[j])].rstrip("\n"), []).append(j)
        if len(gone) > MAX_MOVE_CANDIDATES or len(came) > MAX_MOVE_CANDIDATES:
            return []
    pairs = []
    for text, olds in gone.items():
        news = came.get(text, [])
        # Only a paragraph that occurs once on each side: with two copies nobody knows which went where.
        if len(olds) == 1 and len(news) == 1 and len(text.strip()) >= MIN_MOVED_LINE:
            pairs.append((olds[0], news[0]))
    return pairs


def _group_blocks(
    old: str, new: str, old_lines: list[tuple[int, int]], new_lines: list[tuple[int, int]], *, refine: bool
) -> list[Block]:
    """Shared blocks of changed paragraphs, word by word, then character by character."""
    pattern = _TOKEN if refine else _WORDS_APART
    old_tokens, new_tokens = _tokens(old, old_lines, pattern), _tokens(new, new_lines, pattern)
    if len(old_tokens) > MAX_TOKENS_PER_GROUP or len(new_tokens) > MAX_TOKENS_PER_GROUP:
        return []
    small = len(old_tokens) < 2000 and len(new_tokens) < 2000
    matcher = SequenceMatcher(
        None, [old[a:b] for a, b in old_tokens], [new[a:b] for a, b in new_tokens], autojunk=not small
    )
    blocks: list[Block] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.extend(
                Block(old_tokens[i][0], new_tokens[j][0], old_tokens[i][1] - old_tokens[i][0])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            )
        elif tag == "replace" and refine and _contiguous(old_tokens[i1:i2]) and _contiguous(new_tokens[j1:j2]):
            # (Not across lines that were moved away from between these words.)
            old_span, new_span = (old_tokens[i1][0], old_tokens[i2 - 1][1]), (new_tokens[j1][0], new_tokens[j2 - 1][1])
            blocks.extend(_refined(old, new, old_span, new_span))
    blocks = _merged(blocks)
    bounds = (old_lines[0][0], old_lines[-1][1], new_lines[0][0], new_lines[-1][1])
    return _without_coincidences(blocks, *bounds)


def _refined(old: str, new: str, old_span: tuple[int, int], new_span: tuple[int, int]) -> list[Block]:
    """Shared characters of a short changed run: "Bundeskanzlerim" → "Bundeskanzlerin"."""
    (old_start, old_end), (new_start, new_end) = old_span, new_span
    if old_end - old_start > MAX_CHARS_REFINED or new_end - new_start > MAX_CHARS_REFINED:
        return []
    matcher = SequenceMatcher(None, old[old_start:old_end], new[new_start:new_end], autojunk=False)
    return [Block(old_start + a, new_start + b, size) for a, b, size in matcher.get_matching_blocks() if size]


def _contiguous(tokens: list[tuple[int, int]]) -> bool:
    return all(a[1] == b[0] for a, b in zip(tokens, tokens[1:], strict=False))


def _merged(blocks: list[Block]) -> list[Block]:
    """Adjacent blocks that continue each other in both texts become one."""
    merged: list[Block] = []
    for block in blocks:
        if not block.size:
            continue
        if merged and merged[-1].old_end == block.old and merged[-1].new_end == block.new:
            last = merged.pop()
            block = Block(last.old, last.new, last.size + block.size)
        merged.append(block)
    return merged


def _without_coincidences(
    blocks: list[Block], old_start: int, old_end: int, new_start: int, new_end: int
) -> list[Block]:
    """Drop shared runs no longer than the changes on both sides of them (diff-match-patch's
    semantic clean-up): what survives is text that really survived the edit."""

    def removable(kept: list[Block], index: int, following: tuple[int, int]) -> bool:
        block = kept[index]
        before_old, before_new = (kept[index - 1].old_end, kept[index - 1].new_end) if index else (old_start, new_start)
        after_old, after_new = following
        before = max(block.old - before_old, block.new - before_new)
        after = max(after_old - block.old_end, after_new - block.new_end)
        return block.size < NO_COINCIDENCE and 0 < before and 0 < after and block.size <= min(before, after)

    kept: list[Block] = []
    for block in blocks:
        kept.append(block)
        while len(kept) >= 2 and removable(kept, len(kept) - 2, (kept[-1].old, kept[-1].new)):
            del kept[-2]
    while kept and removable(kept, len(kept) - 1, (old_end, new_end)):
        kept.pop()
        # The run before the removed one now faces a longer change after it.
        while len(kept) >= 2 and removable(kept, len(kept) - 2, (kept[-1].old, kept[-1].new)):
            del kept[-2]
    return kept


# --- Words for people ----------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A stretch of one version, changed or not, for a side-by-side comparison."""

    text: str
    changed: bool


def compare_words(old: str, new: str) -> tuple[list[Piece], list[Piece]]:
    """Both versions cut into unchanged and changed pieces, whole words at a time.

    Moved paragraphs show as removed on one side and added on the other: that is what a
    reader comparing two columns sees.
    """
    edit = Edit.between(old, new, refine=False)
    return (
        _pieces(old, [(b.old, b.old_end) for b in edit.ordered]),
        _pieces(new, [(b.new, b.new_end) for b in edit.ordered]),
    )


def _pieces(text: str, shared: list[tuple[int, int]]) -> list[Piece]:
    pieces: list[Piece] = []
    position = 0
    for start, end in shared:
        # Whole words only: a word that is partly shared has still changed.
        start = _word_start_after(text, start)
        end = _word_end_before(text, end)
        if start >= end:
            continue
        if position < start:
            pieces.append(Piece(text[position:start], True))
        pieces.append(Piece(text[start:end], False))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:], True))
    return _joined(_spaces_unchanged(pieces))


def _spaces_unchanged(pieces: list[Piece]) -> list[Piece]:
    """White space at the end of a change is not the change: "4 " → "4" and " "."""
    result: list[Piece] = []
    for piece in pieces:
        core = piece.text.rstrip()
        if piece.changed and core and core != piece.text:
            result.extend([Piece(core, True), Piece(piece.text[len(core) :], False)])
        else:
            result.append(piece)
    return result


def _word_start_after(text: str, position: int) -> int:
    while _inside_word(text, position):
        position += 1
    return position


def _word_end_before(text: str, position: int) -> int:
    while _inside_word(text, position):
        position -= 1
    return position


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Neighbours of the same kind become one; white space alone between two changes joins them."""
    joined: list[Piece] = []
    for index, piece in enumerate(pieces):
        between = 0 < index < len(pieces) - 1 and pieces[index - 1].changed and pieces[index + 1].changed
        if between and not piece.text.strip():
            piece = Piece(piece.text, True)
        if joined and joined[-1].changed == piece.changed:
            piece = Piece(joined.pop().text + piece.text, piece.changed)
        joined.append(piece)
    return joined


def word_counts(pieces: list[Piece]) -> Counter[bool]:
    """How many words are changed and unchanged on one side."""
    counts: Counter[bool] = Counter()
    for piece in pieces:
        counts[piece.changed] += len(re.findall(r"\w+", piece.text))
    return counts
