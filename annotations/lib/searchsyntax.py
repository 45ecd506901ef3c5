"""The search box's syntax, as web search engines have it, in German and English. Pure Python.

    Radweg Ausbau          both words
    "zweite Gipfel"        the exact phrase
    Kleinbach oder Weidenau, Kleinbach or Weidenau
                           either word ("oder" as well as "or": German editors write German)
    -Bahn                  without the word

As PostgreSQL's `websearch_to_tsquery`: words are ANDed, "or" binds the terms on both sides of it, and a
leading minus excludes. The parse is bounded (MAX_QUERY characters, MAX_TERMS terms), so a pasted article
costs no more than a short query. `highlight` marks the words of a query in a text for the SQLite fallback.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from annotations.lib import snippets

MAX_QUERY = 200  # characters of a query that are read
MAX_TERMS = 8  # terms of a query that are used
OR_WORDS = frozenset({"or", "oder"})

_TOKEN = re.compile(r'(?P<minus>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_WORD_CHARS = re.compile(r"[^\W_]+(?:[-\u2010\u2011'’][^\W_]+)*")


@dataclass(frozen=True)
class Term:
    text: str
    phrase: bool = False
    negated: bool = False

    @property
    def words(self) -> list[str]:
        return _WORD_CHARS.findall(self.text)


@dataclass(frozen=True)
class Query:
    """Groups that must all match; a group matches when one of its terms does. Negated terms stand alone."""

    groups: tuple[tuple[Term, ...], ...] = ()

    def __bool__(self) -> bool:
        return any(not term.negated for group in self.groups for term in group)

    @property
    def terms(self) -> list[Term]:
        return [term for group in self.groups for term in group]

    @property
    def positive_words(self) -> list[str]:
        """The words a result contains: for highlighting and the fallback search."""
        return [word for term in self.terms if not term.negated for word in term.words]


def clean(text: str, limit: int = MAX_QUERY) -> str:
    """The text without control characters (NUL included), NFC, typographic quotes plain, at most limit long."""
    text = unicodedata.normalize("NFC", text[: limit * 2])
    text = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in text)
    return text.replace("„", '"').replace("“", '"').replace("”", '"')[:limit].strip()


def parse(text: str) -> Query:
    groups: list[list[Term]] = []
    pending_or = False
    count = 0
    for match in _TOKEN.finditer(clean(text)):
        if count >= MAX_TERMS:
            break
        negated = bool(match.group("minus"))
        phrase = match.group("phrase")
        raw = phrase if phrase is not None else match.group("word")
        if phrase is None and not negated and raw.casefold() in OR_WORDS:
            pending_or = bool(groups)
            continue
        words = _WORD_CHARS.findall(raw)
        if not words:
            continue
        term = Term(" ".join(words), phrase=phrase is not None and len(words) > 1, negated=negated)
        count += 1
        if pending_or and not negated and groups and not groups[-1][0].negated:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    return Query(tuple(tuple(group) for group in groups))


_DIGRAPHS = (("ae", "ä"), ("oe", "ö"), ("ue", "ü"), ("Ae", "Ä"), ("Oe", "Ö"), ("Ue", "Ü"))


def spelling_variant(word: str) -> str | None:
    """The word with umlauts for a keyboard without them ("groessere" → "grössere"), if it has any digraph."""
    variant = word
    for digraph, umlaut in _DIGRAPHS:
        variant = variant.replace(digraph, umlaut)
    return variant if variant != word else None


@dataclass(frozen=True)
class Piece:
    text: str
    marked: bool


def highlight(text: str, words: list[str], *, width: int = 220) -> list[Piece]:
    """A window of text around the first of the words, cut at word boundaries, the words' beginnings marked.

    The fallback of the database's headline: a word matches where a text word begins with it, so
    "Radweg" marks "Radwege" too. Case and umlauts must agree; the SQLite search compares the same way.
    """
    needles = sorted({word.casefold() for word in words if word}, key=len, reverse=True)
    if not needles:
        return [Piece(snippets.shorten(text, width), False)]
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in needles) + r")\w*", re.IGNORECASE)
    first = pattern.search(text)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (first.start() if first else start) else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    window = text[start:end]
    pieces: list[Piece] = [Piece("… ", False)] if start else []
    last = 0
    for found in pattern.finditer(window):
        if found.start() > last:
            pieces.append(Piece(window[last : found.start()], False))
        pieces.append(Piece(found.group(), True))
        last = found.end()
    pieces.append(Piece(window[last:], False))
    if end < len(text):
        pieces.append(Piece(" …", False))
    return [piece for piece in pieces if piece.text]
