"""Finding the passage of an article from a claim's wording ("Stelle finden"). Pure Python: no Django.

Exact wording first, fuzzy only as fallback (as the Hypothesis client anchors). The fuzzy search
knows a little German: case, ß/ss, umlauts, inflection endings (zweite/zweiten), compound parts
(Gipfel/Gipfeltreffen), and it ignores word order. A proposal lies within one sentence (or clause)
and is widened to the natural end of its phrase: the article before a noun ("die zweiten"), a
genitive after it ("Einmarsch Russlands") and one prepositional phrase ("in die Ukraine").

The work per search is bounded, whatever the body and the wording: the wording is cut to
MAX_WORDING_CHARS and MAX_QUERY_TERMS distinct words, the fuzzy search reads at most
MAX_FUZZY_WORDS words of the body (exact wording is found in all of it), scores at most
MAX_CANDIDATES sentences in full, and stops at an optional deadline. A search cut short says so.
"""

from __future__ import annotations

import heapq
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

# A claim's wording is a sentence at most; a longer "wording" is somebody pasting an article.
MAX_WORDING_CHARS = 300
# Distinct words looked for; words of meaning come first, stop words fill up what is left.
MAX_QUERY_TERMS = 12
# Words of the body the fuzzy search reads: about 270 KB of German text, far beyond any article.
MAX_FUZZY_WORDS = 40_000
# A "sentence" without full stops (a list, a table pasted as text) is cut into pieces this long.
MAX_SENTENCE_WORDS = 80
# Sentences scored word by word, chosen by the best score they could reach.
MAX_CANDIDATES = 25
# A proposal spans at most this many words before it is widened to its phrase.
MAX_SPAN_WORDS = 30

_WORD = re.compile(r"\w+")
_SUFFIXES = ("ern", "em", "en", "er", "es", "e", "s", "n")
_STOP_WORDS = frozenset(
    "der die das dem den des ein eine einer einem einen eines und oder in im an am auf aus bei mit nach "
    "von vom zu zum zur für fur über uber unter vor seit um als wie ist sind war hat haben sich es sie er "
    "nicht auch noch so dass daß".split()
)
_STOP_WEIGHT = 0.3
_ARTICLES = frozenset(
    "der die das dem den des ein eine einer einem einen eines dieser diese dieses diesem diesen "
    "kein keine keiner keinem keinen keines sein seine seiner seinem seinen ihr ihre ihrer ihrem ihren".split()
)
_PREPOSITIONS = frozenset(
    "in im ins an am ans auf aufs aus bei beim mit nach von vom zu zum zur für über unter vor seit um gegen "
    "ohne durch bis hinter neben zwischen wegen trotz während laut gegenüber innerhalb außerhalb".split()
)
_CONJUNCTIONS = frozenset({"und", "oder", "bzw", "sowie"})
# The text between two words of one phrase: spaces, a hyphen ("Nato-Staaten", "Staats- und"),
# an apostrophe. Anything else (comma, dash, quote, bracket, line break) ends the phrase.
_PHRASE_GAP = re.compile(r"[ \t\u00a0\u202f\u2009\u00ad'’-]*")
_ORDINAL_GAP = re.compile(r"\.[ \u00a0\u202f]")  # "24. Februar"


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    quote: str
    score: float


@dataclass(frozen=True)
class PassageSearch:
    """The proposals, best first; `complete` is False when a bound cut the fuzzy search short."""

    passages: list[Passage] = field(default_factory=list)
    complete: bool = True


# --- words ----------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Term:
    stem: str
    weight: float


def query_terms(wording: str) -> list[_Term]:
    """The distinct words looked for, at most MAX_QUERY_TERMS, words of meaning first."""
    seen: dict[str, float] = {}
    for match in _WORD.finditer(wording[:MAX_WORDING_CHARS]):
        term = stem(match.group())
        weight = _STOP_WEIGHT if _fold(match.group()) in _STOP_WORDS else 1.0
        seen[term] = max(weight, seen.get(term, 0.0))
    terms = [_Term(term, weight) for term, weight in seen.items()]
    terms.sort(key=lambda term: term.weight == _STOP_WEIGHT)  # stable: wording order within each kind
    return terms[:MAX_QUERY_TERMS]


# --- sentences ------------------------------------------------------------------------------

# Characters that may end a sentence or clause; the few hits are then looked at one by one
# (one plain character class keeps the scan fast on long texts).
_BOUNDARY_CHARACTER = re.compile(r"[\n;:.!?…]")
_CLOSING = re.compile(r"[.!?…]*[\"“”»«)\]]*")
_ABBREVIATIONS = frozenset(
    "bzw ca dr evtl ggf hr fr inkl jh jr mio mrd nr prof sog str tel usw vgl zzgl abs art bspw max min "
    "mind st std dt engl franz ehem gegr geb gest".split()
)
_MONTHS = frozenset("januar jänner februar märz april mai juni juli august september oktober november dezember".split())
_NEXT_WORD = re.compile(r"[\s\"“„»«(]*(\w+)")
_LAST_WORD = re.compile(r"(\w+)$")


def _ends_sentence(text: str, mark_start: int, mark_end: int) -> bool:
    """Whether a full stop is a sentence end, not an abbreviation ("z. B.", "Dr.") or an ordinal ("24. März")."""
    if text[mark_start] != "." or mark_end - mark_start > 1 or mark_end >= len(text) or text[mark_end] == "\n":
        return True
    before = _LAST_WORD.search(text, max(0, mark_start - 24), mark_start)
    after = _NEXT_WORD.match(text, mark_end, mark_end + 40)
    if after is None:
        return True
    following = after.group(1)
    if following[0].islower():
        return False  # "ca. zehn", "3. und 4. März": a sentence starts with a capital
    if before is None:
        return True
    word = before.group(1)
    if len(word) == 1 and word.isalpha():
        return False  # an initial or "z. B."
    if word.casefold() in _ABBREVIATIONS:
        return False
    return not (word.isdigit() and following.casefold() in _MONTHS)


def _boundary_end(text: str, index: int, end: int) -> int | None:
    """Where the sentence or clause mark at text[index] ends, or None if it ends nothing there."""
    char = text[index]
    if char == "\n":
        while index < end and text[index] == "\n":
            index += 1
        return index
    if char == ";":
        return index + 1
    if char == ":":
        return None if index > 0 and text[index - 1].isdigit() else index + 1  # "9:30 Uhr"
    mark_end = _CLOSING.match(text, index + 1, end).end()
    if mark_end < end and not text[mark_end].isspace():
        return None  # "3.8", "z.B.", "?“,"
    if char == "." and mark_end == index + 1 and not _ends_sentence(text, index, mark_end):
        return None
    return mark_end


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The sentences of text[start:end] as (start, end), without their closing marks.

    Clauses after a semicolon or a colon and each line count as sentences of their own: a
    proposal never runs across them.
    """
    end = len(text) if end is None else end
    position = start
    skip_to = start
    for match in _BOUNDARY_CHARACTER.finditer(text, start, end):
        if match.start() < skip_to:
            continue  # inside a run of marks already taken ("?!", "\n\n")
        mark_end = _boundary_end(text, match.start(), end)
        if mark_end is None:
            continue
        if match.start() > position:
            yield position, match.start()
        position = skip_to = mark_end
    if end > position:
        yield position, end


# --- the search -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    text: str
    matches: tuple[tuple[int, float], ...]  # (term index, weighted similarity) of the terms it matches
    joined: bool  # the next word belongs to the same phrase: only spaces or a hyphen between
    hyphen: bool  # ... and the gap holds a hyphen: "Nato-Staaten", "Staats- und"


class _Matcher:
    """Which terms a word of the body matches, decided once per distinct word."""

    def __init__(self, terms: list[_Term]) -> None:
        self.terms = terms
        self.cache: dict[str, tuple[tuple[int, float], ...]] = {}

    def __call__(self, word: str) -> tuple[tuple[int, float], ...]:
        found = self.cache.get(word)
        if found is None:
            word_stem = stem(word)
            found = tuple(
                (index, similarity * term.weight)
                for index, term in enumerate(self.terms)
                if (similarity := _similarity(term.stem, word_stem))
            )
            self.cache[word] = found
        return found


@dataclass
class _Scan:
    """The pieces worth scoring in full, and whether every word of the body was read."""

    candidates: list[tuple[float, int, int, int]] = field(default_factory=list)  # heap: (reachable, -start, start, end)
    complete: bool = True

    def offer(self, reachable: float, start: int, end: int) -> None:
        entry = (reachable, -start, start, end)
        if len(self.candidates) < MAX_CANDIDATES:
            heapq.heappush(self.candidates, entry)
        elif entry > self.candidates[0]:
            heapq.heapreplace(self.candidates, entry)


def _scan(body: str, matcher: _Matcher, deadline: float | None) -> _Scan:
    """Read sentence by sentence, in pieces of at most MAX_SENTENCE_WORDS words, within the bounds."""
    scan = _Scan()
    terms = matcher.terms
    total = sum(term.weight for term in terms)
    budget = MAX_FUZZY_WORDS
    for start, end in sentence_spans(body, 0, _end_of_word(body, MAX_FUZZY_WORDS + 1)):
        if deadline is not None and time.monotonic() > deadline:
            scan.complete = False
            return scan
        best = [0.0] * len(terms)
        piece_start, count = start, 0
        for match in _WORD.finditer(body, start, end):
            if budget == 0:
                scan.complete = False
                _offer(scan, best, terms, total, piece_start, match.start())
                return scan
            if count == MAX_SENTENCE_WORDS:
                _offer(scan, best, terms, total, piece_start, match.start())
                best = [0.0] * len(terms)
                piece_start, count = match.start(), 0
            for index, weight in matcher(match.group()):
                if weight > best[index]:
                    best[index] = weight
            count += 1
            budget -= 1
        _offer(scan, best, terms, total, piece_start, end)
    return scan


def _end_of_word(body: str, count: int) -> int:
    """Where the count-th word of body ends (the end of body if it has fewer): the sentence scan stops there."""
    for number, match in enumerate(_WORD.finditer(body), start=1):
        if number == count:
            return match.end()
    return len(body)


def _offer(scan: _Scan, best: list[float], terms: list[_Term], total: float, start: int, end: int) -> None:
    """Offer a piece by the best score it could reach: every term at its best match anywhere in it."""
    if any(best[index] for index, term in enumerate(terms) if term.weight == 1.0):  # stop words alone prove nothing
        scan.offer(sum(best) / total, start, end)


def _words(body: str, start: int, end: int, matcher: _Matcher) -> list[_Word]:
    found = list(_WORD.finditer(body, start, end))
    words = []
    for index, match in enumerate(found):
        joined = hyphen = False
        if index + 1 < len(found):
            gap = body[match.end() : found[index + 1].start()]
            joined = bool(_PHRASE_GAP.fullmatch(gap)) or (match.group().isdigit() and bool(_ORDINAL_GAP.fullmatch(gap)))
            hyphen = joined and "-" in gap
        words.append(_Word(match.start(), match.end(), match.group(), matcher(match.group()), joined, hyphen))
    return words


@dataclass(frozen=True)
class _Span:
    score: float
    coverage: float  # share of the words of meaning found
    matched: int  # how many distinct words of meaning were found
    first: int
    last: int

    def weak(self, content_terms: int) -> bool:
        """A fragment: less than half of the words of meaning, or one word where the wording has several."""
        return self.coverage < MIN_COVERAGE or self.matched < min(2, content_terms)


def _best_span(words: list[_Word], terms: list[_Term]) -> _Span | None:
    """The best-scoring stretch of a piece that starts and ends at a word of meaning."""
    total = sum(term.weight for term in terms)
    content = [index for index, term in enumerate(terms) if term.weight == 1.0]
    meaningful = [any(terms[index].weight == 1.0 for index, _w in word.matches) for word in words]
    best: _Span | None = None
    for first in range(len(words)):
        if not meaningful[first]:
            continue
        found: dict[int, float] = {}
        for last in range(first, min(len(words), first + MAX_SPAN_WORDS)):
            for index, weight in words[last].matches:
                found[index] = max(weight, found.get(index, 0.0))
            if not meaningful[last]:
                continue
            spread = last - first + 1
            score = sum(found.values()) / total - 0.005 * max(0, spread - 2 * len(terms))
            if best is None or score > best.score:
                coverage = sum(found.get(index, 0.0) for index in content) / len(content)
                matched = sum(1 for index in content if index in found)
                best = _Span(score, coverage, matched, first, last)
    if best is None:
        return None
    # Matched stop words just before the start belong to it: "seit dem Einmarsch"; and one a few
    # words after the end, in the same clause: the particle of a verb ("stimmte … zu").
    first, last = best.first, best.last
    while first > 0 and words[first - 1].joined and words[first - 1].matches:
        if any(terms[index].weight == 1.0 for index, _w in words[first - 1].matches):
            break
        first -= 1
    found = {index for word in words[first : last + 1] for index, _w in word.matches}
    for after in range(last + 1, min(len(words), last + 5)):
        if not words[after - 1].joined:
            break
        if any(index not in found for index, _w in words[after].matches):
            last = after
            break
    return _Span(best.score, best.coverage, best.matched, first, last)


# --- phrases --------------------------------------------------------------------------------


def _is_noun(word: _Word) -> bool:
    return word.text[0].isupper() or word.text.isdigit()


def _lower(word: _Word) -> str:
    return word.text.casefold()


def _noun_end(words: list[_Word], index: int) -> int:
    """The last word of a noun starting at index: compounds and "Staats- und Regierungschefs" stay whole."""
    while words[index].hyphen:
        following = words[index + 1]
        if _is_noun(following):
            index += 1  # "Nato-Staaten"
        elif _lower(following) in _CONJUNCTIONS and following.joined and _is_noun(words[index + 2]):
            index += 2  # "Staats- und Regierungschefs"
        else:
            break
    return index


def _noun_phrase(words: list[_Word], index: int, *, article: bool) -> int | None:
    """The end of "[article] [adjectives or numbers] Noun" starting at index, or None."""
    if article and _lower(words[index]) in _ARTICLES:
        if not words[index].joined:
            return None
        index += 1
    for _ in range(3):
        if _is_noun(words[index]):
            return _noun_end(words, index)
        if _lower(words[index]) in _STOP_WORDS or not words[index].joined:
            return None
        index += 1  # an adjective: "die zweiten", "nächste Woche"
    return None


def _widen_left(words: list[_Word], first: int) -> int:
    """Take in the article and preposition the phrase starts with: "seit dem Einmarsch", "die zweiten",
    and the first half of a pair: "der Staats- und Regierungschefs"."""
    if first > 1 and _lower(words[first - 1]) in _CONJUNCTIONS and words[first - 1].joined and words[first - 2].hyphen:
        first -= 2
    if first > 0 and words[first - 1].joined and _lower(words[first - 1]) in _ARTICLES:
        first -= 1
    if first > 0 and words[first - 1].joined and _lower(words[first - 1]) in _PREPOSITIONS:
        if _lower(words[first]) in _ARTICLES or _is_noun(words[first]):
            first -= 1
    return first


def _widen_right(words: list[_Word], last: int) -> int:
    """Carry the phrase to its natural end: the noun an article or adjective leads to, then a genitive
    ("Einmarsch Russlands", "der Staats- und Regierungschefs") and one prepositional phrase ("in die Ukraine")."""
    if not _is_noun(words[last]):
        if not words[last].joined:
            return last
        end = _noun_phrase(words, last + 1, article=_lower(words[last]) in _PREPOSITIONS)
        if end is None:
            return last
        last = end
    else:
        last = _noun_end(words, last)
    if words[last].joined:
        following = words[last + 1]
        if _lower(following) in ("des", "der") or (_is_noun(following) and not following.text.isdigit()):
            end = _noun_phrase(words, last + 1, article=True)
            if end is not None:
                last = end
    if words[last].joined and _lower(words[last + 1]) in _PREPOSITIONS and words[last + 1].joined:
        end = _noun_phrase(words, last + 2, article=True)
        if end is not None:
            last = end
    return last


# --- putting it together --------------------------------------------------------------------

MIN_COVERAGE = 0.5  # at least half of the words of meaning, or the proposal is a fragment
MIN_SHARE_OF_BEST = 0.6  # proposals weaker than this beside the best one are noise


def _exact(body: str, wording: str, limit: int) -> list[Passage]:
    pattern = re.escape(wording).replace(r"\ ", r"\s+")
    found = []
    for match in re.finditer(pattern, body, re.IGNORECASE):
        found.append(Passage(match.start(), match.end(), match.group(), 1.0))
        if len(found) == limit:
            break
    return found


def search_passages(body: str, wording: str, limit: int = 5, deadline: float | None = None) -> PassageSearch:
    """The passages of body that best match wording, best first, each a whole phrase within a sentence.

    `deadline` is a time.monotonic() value: the fuzzy search stops there and says it is incomplete.
    """
    wording = " ".join(wording[:MAX_WORDING_CHARS].split())
    if not wording:
        return PassageSearch()
    exact = _exact(body, wording, limit)
    if exact:
        return PassageSearch(exact)
    terms = query_terms(wording)
    if not any(term.weight == 1.0 for term in terms):
        return PassageSearch()
    matcher = _Matcher(terms)
    scan = _scan(body, matcher, deadline)
    content_terms = sum(1 for term in terms if term.weight == 1.0)
    spans = []
    for _reachable, _order, start, end in scan.candidates:
        words = _words(body, start, end, matcher)
        span = _best_span(words, terms)
        if span is not None and not span.weak(content_terms):
            spans.append((span, words))
    return PassageSearch(_proposals(body, spans, limit), scan.complete)


def _proposals(body: str, spans: list[tuple[_Span, list[_Word]]], limit: int) -> list[Passage]:
    if not spans:
        return []
    spans.sort(key=lambda found: (-found[0].score, found[1][found[0].first].start))
    best = spans[0][0].score
    passages = []
    for span, words in spans[:limit]:
        if span.score < MIN_SHARE_OF_BEST * best:
            break
        first, last = _widen_left(words, span.first), _widen_right(words, span.last)
        start, end = words[first].start, words[last].end
        passages.append(Passage(start, end, body[start:end], round(min(span.score, 0.99), 3)))
    return passages


def find_passages(body: str, wording: str, limit: int = 5) -> list[Passage]:
    """The passages of body that best match wording, best first (see search_passages)."""
    return search_passages(body, wording, limit).passages
