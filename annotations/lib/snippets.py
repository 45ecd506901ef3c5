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


def context_before(prefix: str) -> str:
    """The words before a quote, without the word cut in half at the start of the stored context.

    `prefix` is the text right before the quote, cut at a fixed number of characters; unless it
    starts at a word boundary, its first (partial) word is dropped.
    """
    if not prefix or prefix[0].isspace():
        return prefix
    boundary = re.search(r"\s", prefix)
    return prefix[boundary.start() :] if boundary else ""


def context_after(suffix: str) -> str:
    """The words after a quote, without the word cut in half at the end of the stored context."""
    if not suffix or suffix[-1].isspace():
        return suffix
    boundary = max(suffix.rfind(" "), suffix.rfind("\n"), suffix.rfind("\t"), suffix.rfind("\u00a0"))
    return suffix[: boundary + 1] if boundary >= 0 else ""


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
