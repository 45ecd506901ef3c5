"""Cutting text for display: titles in lists, quotes in rows, the words around a quote. Pure Python: no Django.

Everything that shows part of a text cuts it here, so no page shows half a word ("…w im
vergangenen Herbst") or doubles quotation marks the text already has („„…““).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"
_SPACES = re.compile(r"[ \t\n\u00a0]+")
# Punctuation that should not end a shortened text: it promised more.
DANGLING = " ,;:–—-/(„“\"'«»‚‘"

# Opening and closing quotation marks that enclose a whole quote, as German, English and
# French typography write them (and the plain typewriter marks).
_QUOTE_PAIRS = {
    "„": ("“", "”"),
    "“": ("”", "“"),
    "”": ("”",),
    "»": ("«",),
    "«": ("»",),
    "‚": ("‘", "’"),
    '"': ('"',),
    "'": ("'",),
}


def shorten(text: str, max_length: int) -> str:
    """At most max_length characters, white space collapsed, cut after a whole word with an ellipsis.

    A single word longer than max_length is cut inside (there is no boundary to cut at).
    """
    text = _SPACES.sub(" ", text).strip(" ")
    if len(text) <= max_length:
        return text
    if max_length <= 1:
        return ELLIPSIS[:max_length]
    cut = text[: max_length - 1]
    if text[max_length - 1] != " " and " " in cut:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(DANGLING) + ELLIPSIS


def context_before(prefix: str, *, complete: bool, max_length: int | None = None) -> str:
    """The words before a quote for display: whole words after an ellipsis, or all of them.

    `prefix` is the stored text right before the quote; `complete` says it reaches back to the start
    of the article (it was not cut). Cut to `max_length` characters if given. A cut context loses
    the word it cut in half and starts with "…".
    """
    start = 0
    if max_length is not None and len(prefix) > max_length:
        start, complete = len(prefix) - max_length, False
    if complete:
        return prefix
    if start and prefix[start - 1].isspace():
        rest = prefix[start:]
    else:
        boundary = re.search(r"\s", prefix[start:])
        rest = prefix[start + boundary.start() :] if boundary else ""
    return ELLIPSIS + rest.lstrip()


def context_after(suffix: str, *, complete: bool, max_length: int | None = None) -> str:
    """The words after a quote for display: whole words before an ellipsis, or all of them."""
    end = len(suffix)
    if max_length is not None and len(suffix) > max_length:
        end, complete = max_length, False
    if complete:
        return suffix
    if end < len(suffix) and suffix[end].isspace():
        rest = suffix[:end]
    else:
        boundaries = [match.start() for match in re.finditer(r"\s", suffix[:end])]
        rest = suffix[: boundaries[-1]] if boundaries else ""
    return rest.rstrip() + ELLIPSIS


def is_quoted(text: str) -> bool:
    """Whether the text is already enclosed in a pair of quotation marks."""
    text = text.strip()
    if len(text) < 2:
        return False
    closing = _QUOTE_PAIRS.get(text[0])
    return closing is not None and text[-1] in closing and not _opens_inside(text)


def _opens_inside(text: str) -> bool:
    """„A“ und „B“ starts and ends with quotation marks, but they are two quotes, not one enclosed."""
    opening = text[0]
    closing = _QUOTE_PAIRS[opening]
    depth = 0
    for index, char in enumerate(text):
        if char == opening and (index == 0 or char not in closing):
            depth += 1
        elif char in closing:
            depth -= 1
            if depth == 0 and index < len(text) - 1:
                return True
    return False


def quoted(text: str, opening: str = "„", closing: str = "“") -> str:
    """The text in German quotation marks, unless it already carries its own."""
    if is_quoted(text):
        return text.strip()
    return f"{opening}{text}{closing}"


def unquoted(text: str) -> str:
    """The text without the pair of quotation marks that encloses it, if it has one: for messages
    that put their own marks around a quote ("Place confirmed: „%(quote)s“")."""
    return text.strip()[1:-1] if is_quoted(text) else text


def quote_snippet(text: str, max_length: int) -> str:
    """A quote shortened at a whole word, in quotation marks (its own dropped, so a cut keeps both ends)."""
    return quoted(shorten(unquoted(text), max_length - 2))
