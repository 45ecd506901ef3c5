"""The database side of finding things: full-text search and "already checked?".

The language lives in the pure modules (`annotations.lib.searchsyntax` reads the search box,
`annotations.lib.german` compares claims); this module turns them into queries. The QuerySet methods
`Article.objects.search()`, `Claim.objects.search()` and `Claim.objects.similar_to()` call it, so the search
page, the queue's and the article list's text filters and the similar-claims lookup search one way.

On PostgreSQL: the stored vectors of migration 0006 with their GIN indexes, the `german` configuration,
`ts_rank` (a title weighs ten times the body), `ts_headline`, and the pg_trgm word list for words the
vectors do not hold as typed (inflections, compounds, typos). On SQLite, for the demo: every word must
occur in one of the fields, a title hit ranks first.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import BooleanField, Case, Expression, F, FloatField, Func, Q, QuerySet, Value, When

from annotations.lib import german, searchsyntax

# Bounded work per request, chosen on purpose.
EXPANSIONS_PER_WORD = 4  # words of the word list a query word may stand for (typos, inflections, compounds)
EXPANSION_SIMILARITY = 0.45  # trigram similarity a word of the list needs to stand in for a query word
SEARCH_CAP = 1000  # matches a ranked search ranks and counts: the newest ones, when a common word matches more
SNIPPET_CHARS = 20_000  # characters of a body the headline reads: the snippet comes from the first matches
SIMILAR_TEXT = 1000  # characters of a text compared with the claims
SIMILAR_CANDIDATES = 50  # claims the database proposes, per stage, for comparing in Python
# Claims each way of matching proposes (see _pg_candidates), whatever the words. 400 read twice the rows for
# the same results: evaluate_similar_claims at a million claims, true match first 29/36 at 400, 30/36 at 200.
SIMILAR_BRANCH_CAP = 200
SIMILAR_AND_CONCEPTS = 6  # the rarest concepts of a text that the candidates must hold all or all but one of
SIMILAR_CONCEPTS = 16  # words (with their alternatives) of a text that are looked for
SIMILAR_ROW_BUDGET = 20_000  # estimated rows the selective words of a text may match together
SIMILAR_ALTERNATIVE_BUDGET = 100_000  # estimated rows of a compound part or spelling worth looking for
SIMILAR_MIN_SCORE = 0.15  # below this a claim is not worth an editor's look
MAX_SIMILAR = 20
TITLE_WEIGHTS = [0.0, 0.05, 0.1, 1.0]  # ts_rank weights of D, C, B, A: title (A) over body (B)

START, STOP = "\ue000", "\ue001"  # private-use marks around the headline's hits; never in the output


def is_postgres(queryset: QuerySet[Any]) -> bool:
    return connections[queryset.db].vendor == "postgresql"


# --- The stored vector and its operators ------------------------------------------------


class StoredVector(Expression):
    """The search_vector column that migration 0006 adds to a table (it is not a model field)."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None) -> None:
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> StoredVector:
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map: dict[str, str]) -> StoredVector:
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        return f"{compiler.quote_name_unless_alias(self.alias)}.search_vector", []


class Matches(Func):
    template = "%(expressions)s"
    arg_joiner = " @@ "
    output_field = BooleanField()


class TsQuery(Func):
    """A tsquery from lexemes already stemmed by the database (see `_Phrases.text`)."""

    template = "%(expressions)s::tsquery"
    output_field = SearchVectorField()


# --- Search ----------------------------------------------------------------------------


_EXPANSIONS_SQL = """
    SELECT q.word, e.word FROM unnest(%s::text[], %s::text[]) AS q(word, pattern)
    CROSS JOIN LATERAL (
        SELECT s.word FROM annotations_searchword s
        WHERE s.word <> q.word AND (
            (s.word % q.word AND similarity(s.word, q.word) >= %s) OR (length(q.word) >= 6 AND s.word LIKE q.pattern)
        )
        ORDER BY s.word <-> q.word, s.word LIMIT %s
    ) AS e
"""


# The words of the rows already stored, as migration 0006 adds them and its triggers add every new row's.
_WORDS_OF_STORED_ROWS = """
    INSERT INTO annotations_searchword (word)
    SELECT DISTINCT word FROM annotations_article AS a,
        unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
            coalesce(a.title, '') || ' ' || left(coalesce(a.body, ''), 250000)))) AS word
    WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
    UNION
    SELECT DISTINCT word FROM annotations_claim AS c,
        unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
            coalesce(c.statement, '') || ' ' || coalesce(c.claimant, '')))) AS word
    WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
    ON CONFLICT DO NOTHING
"""


def fill_word_list(using: str = "default") -> None:
    """Put the words of every stored article and claim in the word list (PostgreSQL): after a bulk load
    that went past the triggers that keep it (generate_load_data), as ClaimTally.recount does for the tally."""
    if connections[using].vendor != "postgresql":
        return
    with connections[using].cursor() as cursor:
        cursor.execute(_WORDS_OF_STORED_ROWS)


def _like_pattern(word: str) -> str:
    return "%" + re.sub(r"([\\%_])", r"\\\1", word) + "%"


def _expansion_words(queryset: QuerySet[Any], query: searchsyntax.Query) -> dict[str, str]:
    """For each query word (lower case as the list has it, ß kept), the words of the list it may mean,
    joined with " or " for websearch_to_tsquery. Asked before the search, so that its tsquery is a constant
    whose selectivity the planner reads from its statistics (and picks the GIN index or the primary key)."""
    words = sorted({t.text.lower() for t in query.terms if not t.negated and not t.phrase and _expandable(t.text)})
    if not words:
        return {}
    found: dict[str, list[str]] = {}
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            _EXPANSIONS_SQL.replace("%", "%%").replace("%%s", "%s"),
            [words, [_like_pattern(w) for w in words], EXPANSION_SIMILARITY, EXPANSIONS_PER_WORD],
        )
        for word, expansion in cursor.fetchall():
            found.setdefault(word, []).append(expansion)
    return {word: " or ".join(expansions) for word, expansions in found.items()}


def _pg_query(query: searchsyntax.Query, expansions: dict[str, str]) -> tuple[Any, Any]:
    """(the tsquery that selects, the tsquery that ranks: the words as typed, without the expansions)."""
    selecting = ranking = None
    for group in query.groups:
        group_select = group_rank = None
        for term in group:
            kind = "phrase" if term.phrase else "plain"
            exact = SearchQuery(term.text, search_type=kind, config="german")
            wide = exact
            if not term.phrase and not term.negated:
                variant = searchsyntax.spelling_variant(term.text)
                if variant:
                    wide = wide | SearchQuery(variant, search_type="plain", config="german")
                if term.text.lower() in expansions:
                    words = expansions[term.text.lower()]
                    wide = wide | SearchQuery(words, search_type="websearch", config="german")
            if term.negated:
                exact, wide = ~exact, ~exact
            group_select = wide if group_select is None else group_select | wide
            group_rank = exact if group_rank is None else group_rank | exact
        selecting = group_select if selecting is None else selecting & group_select
        if group_rank is not None and not group[0].negated:
            ranking = group_rank if ranking is None else ranking | group_rank
    return selecting, ranking if ranking is not None else selecting


def _expandable(word: str) -> bool:
    return len(word) >= 4 and " " not in word and not any(char.isdigit() for char in word)


def _fallback_word(word: str) -> str:
    """A word without its inflection ending, for substring matching: "Regierungschefs" → "Regierungschef"."""
    for ending in ("en", "er", "es", "e", "s", "n"):
        if len(word) - len(ending) >= 5 and word.casefold().endswith(ending):
            return word[: -len(ending)]
    return word


def _fallback_filter(query: searchsyntax.Query, fields: list[str]) -> Q:
    condition = Q()
    for group in query.groups:
        group_condition = Q()
        for term in group:
            words = [_fallback_word(w) for w in term.words] if not term.phrase else [term.text]
            term_condition = Q()
            for word in words:
                term_condition &= _any_field(fields, word)
            group_condition = ~term_condition if term.negated else group_condition | term_condition
        condition &= group_condition
    return condition


def _any_field(fields: list[str], word: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


@dataclass(frozen=True)
class Prepared:
    """A search box text parsed, with the word list's expansions asked once (PostgreSQL): a page that
    searches articles and claims and marks their hits passes this instead of the text, and asks once."""

    text: str
    query: searchsyntax.Query
    expansions: dict[str, str]


def prepare(text: str | Prepared, queryset: QuerySet[Any]) -> Prepared:
    if isinstance(text, Prepared):
        return text
    query = searchsyntax.parse(text)
    expansions = _expansion_words(queryset, query) if query and is_postgres(queryset) else {}
    return Prepared(text, query, expansions)


def search(
    queryset: QuerySet[Any], text: str | Prepared, *, title: str, fields: list[str], ranked: bool = False
) -> QuerySet[Any]:
    """The rows matching the search box text; ranked: the best of the newest SEARCH_CAP, with `search_rank`.

    A ranked search ranks the newest matches only: filter the queryset before searching, not after.
    Words as typed rank twice what the word list added for them, so "Bürgermeisterin" puts
    "Bürgermeisterin" above "Bürgermeisterinnen" and both above nothing.
    """
    prepared = prepare(text, queryset)
    query = prepared.query
    if not query:
        return queryset.none().annotate(search_rank=Value(0.0)) if ranked else queryset.none()
    if not is_postgres(queryset):
        queryset = queryset.filter(_fallback_filter(query, fields))
        if ranked:
            title_hit = When(_fallback_filter(query, [title]), then=Value(1.0))
            queryset = queryset.annotate(search_rank=Case(title_hit, default=Value(0.1), output_field=FloatField()))
        return queryset
    selecting, ranking = _pg_query(query, prepared.expansions)
    if not ranked:
        return queryset.filter(Matches(StoredVector(), selecting))
    # Ranking reads every match's vector: rank the newest SEARCH_CAP. For a rare word the planner reads
    # the GIN index; for a word in every tenth row it walks the primary key back and stops early.
    newest = queryset.filter(Matches(StoredVector(), selecting)).order_by("-pk").values("pk")[:SEARCH_CAP]
    return queryset.filter(pk__in=newest).annotate(
        search_rank=SearchRank(StoredVector(), ranking, weights=TITLE_WEIGHTS) * 2
        + SearchRank(StoredVector(), selecting, weights=TITLE_WEIGHTS)
    )


def with_headline(queryset: QuerySet[Any], text: str | Prepared, field: str) -> QuerySet[Any]:
    """The rows with `search_headline`: the field's passages around the hits (PostgreSQL; else unchanged).

    For a page of results only: ts_headline reads the text (its first SNIPPET_CHARS characters).
    """
    if not is_postgres(queryset):
        return queryset
    prepared = prepare(text, queryset)
    if not prepared.query:
        return queryset
    selecting = _pg_query(prepared.query, prepared.expansions)[0]
    return queryset.annotate(
        search_headline=SearchHeadline(
            Func(F(field), Value(SNIPPET_CHARS), function="left"),
            selecting,
            config="german",
            start_sel=START,
            stop_sel=STOP,
            max_words=30,
            min_words=12,
            max_fragments=2,
            fragment_delimiter=" … ",
        )
    )


def headline_pieces(headline: str) -> list[searchsyntax.Piece]:
    """The database's headline as pieces of text, the hits marked; stray marks in a body are dropped."""
    pieces: list[searchsyntax.Piece] = []
    marked = False
    current: list[str] = []
    for char in headline:
        if char in (START, STOP):
            opening = char == START
            if opening != marked:
                if current:
                    pieces.append(searchsyntax.Piece("".join(current), marked))
                current, marked = [], opening
            continue
        current.append(char)
    if current:
        pieces.append(searchsyntax.Piece("".join(current), marked))
    return pieces


def snippet(row: Any, field: str, prepared: Prepared) -> list[searchsyntax.Piece]:
    """The snippet of a result: the database's headline, or on SQLite the fallback's from the field."""
    headline = getattr(row, "search_headline", None)
    if headline is not None:
        return headline_pieces(headline)
    return searchsyntax.highlight(getattr(row, field), prepared.query.positive_words)


# --- Already checked? -------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarClaim:
    claim: Any
    score: float
    differences: tuple[german.Difference, ...]
    article_title: str = ""


_STATS_SECONDS = 600
_stats_cache: dict[str, tuple[float, float, dict[str, float]]] = {}


def _lexeme_frequencies(queryset: QuerySet[Any]) -> tuple[float, dict[str, float]]:
    """(rows, {lexeme: share of rows}) of the claims' vectors from the planner's statistics, kept ten minutes.

    ANALYZE (and autovacuum) keeps the most common lexemes of a tsvector column; a lexeme not among them
    is rarer than all of them. This is what lets a text of common words skip them when finding candidates.
    """
    cached = _stats_cache.get(queryset.db)
    if cached and time.monotonic() - cached[0] < _STATS_SECONDS:
        return cached[1], cached[2]
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            """
            SELECT c.reltuples, s.most_common_elems::text::text[], s.most_common_elem_freqs
            FROM pg_class c LEFT JOIN pg_stats s
              ON s.tablename = c.relname AND s.attname = 'search_vector' AND s.schemaname = current_schema()
            WHERE c.relname = 'annotations_claim' AND c.relnamespace = current_schema()::regnamespace
            """
        )
        row = cursor.fetchone()
    rows, lexemes, frequencies = (row or (0, None, None))[:3]
    table = dict(zip(lexemes or [], frequencies or [], strict=False))
    _stats_cache[queryset.db] = (time.monotonic(), max(float(rows or 0), 0.0), table)
    return max(float(rows or 0), 0.0), table


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


Phrase = tuple[str, ...]  # lexemes in a row: one word's stems ("71,7" is '71' then '7'; "Kita-Plätze" three)


def _concept_phrases(queryset: QuerySet[Any], concepts: list[tuple[str, ...]]) -> list[tuple[list[Phrase], bool]]:
    """The database's own stems of each concept's words (the vectors hold its stems, not Snowball's newest),
    the word as written first, then its alternatives (compound parts, abbreviations written out); and
    whether it is a noun or a number (capitalised or a digit), which carry a claim more than its verbs."""
    words, owners = [], []
    for index, concept in enumerate(concepts[:SIMILAR_CONCEPTS]):
        for word in concept:
            words.append(word[:60])
            owners.append(index)
    if not words:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            """
            SELECT c.owner, c.n, l.lexeme FROM unnest(%s::text[], %s::int[]) WITH ORDINALITY AS c(word, owner, n),
                unnest(to_tsvector('german'::regconfig, c.word)) AS l
            ORDER BY c.n, l.positions[1]
            """,
            [words, owners],
        )
        phrases: dict[tuple[int, int], list[str]] = {}
        for owner, number, lexeme in cursor.fetchall():
            phrases.setdefault((owner, number), []).append(lexeme)
    found: list[list[Phrase]] = [[] for _ in concepts[:SIMILAR_CONCEPTS]]
    for (owner, _number), lexemes in sorted(phrases.items()):
        if tuple(lexemes) not in found[owner]:
            found[owner].append(tuple(lexemes))
    strong = [concept[0][:1].isupper() or concept[0][:1].isdigit() for concept in concepts[:SIMILAR_CONCEPTS]]
    return [(concept, noun) for concept, noun in zip(found, strong, strict=True) if concept]


def _estimate(phrase: Phrase, rows: float, table: dict[str, float], prefix: bool = False) -> float:
    """Estimated claims holding the phrase (its rarest lexeme's), or with prefix any word beginning with it."""
    if not table:
        return 0.0
    floor = min(table.values()) / 2
    shares = [sum(f for word, f in table.items() if word == x or (prefix and word.startswith(x))) for x in phrase]
    return rows * max(min(shares), floor)


class _Phrases:
    """The tsquery text of a text's concepts, and what each is estimated to cost."""

    def __init__(self, concepts: list[list[Phrase]], rows: float, table: dict[str, float]) -> None:
        self.rows, self.table = rows, table
        # A concept's common alternatives (the "amt" of "Bürgeramt") would make the index read long
        # lists for little: the word as written stays, of its alternatives only the rare ones.
        self.concepts = [
            {phrases[0], *(p for p in phrases[1:] if _estimate(p, rows, table) <= SIMILAR_ALTERNATIVE_BUDGET)}
            for phrases in concepts
        ]

    def prefixed(self, phrase: Phrase) -> bool:
        # A lone long stem matches as a prefix ("radweg" finds "radwegebau") unless the words it
        # begins are common: the index would read all of their lists, whatever the rest requires.
        return (
            len(phrase) == 1
            and len(phrase[0]) >= 5
            and _estimate(phrase, self.rows, self.table, prefix=True) <= SIMILAR_ROW_BUDGET
        )

    def estimate(self, index: int) -> float:
        return sum(_estimate(p, self.rows, self.table, self.prefixed(p)) for p in self.concepts[index])

    def text(self, *indexes: int) -> str:
        parts = []
        for index in indexes:
            for phrase in sorted(self.concepts[index]):
                if len(phrase) > 1:
                    parts.append("(" + " <-> ".join(_quote_lexeme(lexeme) for lexeme in phrase) + ")")
                else:
                    parts.append(_quote_lexeme(phrase[0]) + (":*" if self.prefixed(phrase) else ""))
        return " | ".join(parts)


def _pg_candidates(queryset: QuerySet[Any], concepts: list[tuple[str, ...]]) -> Iterator[list[Any]]:
    """Claims that share most of the text's words, ranked by how many of them they hold.

    One statement unites branches, each capped at SIMILAR_BRANCH_CAP rows: the claims holding all of the
    SIMILAR_AND_CONCEPTS rarest concepts, those holding all but one of them (a paraphrase drops or
    changes a word), and those holding any rare concept (by the planner's lexeme statistics, up to
    SIMILAR_ROW_BUDGET estimated rows). A branch that requires every concept is cheap: the index reads
    the rarest concept's list and checks the others. The union is ranked, the best SIMILAR_CANDIDATES
    compared in Python.
    """
    found = _concept_phrases(queryset, concepts)
    if not found:
        return
    phrases = _Phrases([concept for concept, _noun in found], *_lexeme_frequencies(queryset))
    estimated = sorted((phrases.estimate(i), i) for i in range(len(found)))
    texts = ["(" + phrases.text(i) + ")" for _e, i in estimated]
    # The branches require the nouns and numbers first, the rarer the better; verbs vary in a paraphrase.
    rarest = [text for (_e, i), text in sorted(zip(estimated, texts, strict=True), key=lambda x: not found[x[0][1]][1])]
    rarest = rarest[:SIMILAR_AND_CONCEPTS]
    branches = [" & ".join(rarest)]
    if len(rarest) >= 2:
        branches += [" & ".join(rarest[:k] + rarest[k + 1 :]) for k in range(len(rarest))]
    selective, total = [], 0.0
    for (estimate, _i), text in zip(estimated, texts, strict=True):
        if estimate > SIMILAR_ROW_BUDGET or total + estimate > SIMILAR_ROW_BUDGET:
            break
        selective.append(text)
        total += estimate
    if selective and len(rarest) > 1:
        branches.append(" | ".join(selective))
    # Each branch takes the newest claims it matches: taken in no order, which ones came depended on where
    # PostgreSQL's scan of a large table began, and "Schon geprüft?" showed another list on every reload.
    parts = [
        queryset.filter(Matches(StoredVector(), TsQuery(Value(branch))))
        .order_by("-pk")
        .values("pk")[:SIMILAR_BRANCH_CAP]
        for branch in dict.fromkeys(branches)
    ]
    # One statement: the union as a subquery of the ranking, not its ids sent back and forth.
    ids = parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]
    ranking = TsQuery(Value(phrases.text(*range(len(found)))))
    ranked = queryset.filter(pk__in=ids).annotate(similar_rank=SearchRank(StoredVector(), ranking))
    yield list(ranked.order_by("-similar_rank", "-pk")[:SIMILAR_CANDIDATES])


def _fallback_candidates(queryset: QuerySet[Any], concepts: list[tuple[str, ...]]) -> Iterator[list[Any]]:
    """SQLite: the newest claims containing one of the longest words (the demo's few hundred claims)."""
    words = sorted({_fallback_word(w) for c in concepts for w in c if len(w) >= 4}, key=len, reverse=True)[:6]
    condition = Q()
    for word in words:
        condition |= Q(statement__icontains=word) | Q(quote__icontains=word)
    if words:
        yield list(queryset.filter(condition).order_by("-pk")[:SIMILAR_CANDIDATES])


def similar_claims(
    queryset: QuerySet[Any],
    text: str,
    *,
    limit: int = 5,
    exclude_article: int | None = None,
    exclude_claim: int | None = None,
) -> list[SimilarClaim]:
    """The claims that say what text says, best first; a claim with another number, year or place ranks below."""
    text = searchsyntax.clean(text, SIMILAR_TEXT)
    limit = max(0, min(limit, MAX_SIMILAR))
    wanted = german.profile(text)
    if not limit or not wanted.terms and not wanted.facts:
        return []
    if exclude_article is not None:
        queryset = queryset.exclude(article_id=exclude_article)
    if exclude_claim is not None:
        queryset = queryset.exclude(pk=exclude_claim)
    queryset = queryset.select_related(None).only("pk", "statement", "quote", "status", "article_id")
    finder = _pg_candidates if is_postgres(queryset) else _fallback_candidates
    matches: dict[int, SimilarClaim] = {}
    for candidates in finder(queryset, wanted.concepts):
        for claim in candidates:
            match = german.best_match(wanted, [claim.statement, claim.quote])
            if match.score >= SIMILAR_MIN_SCORE:
                matches[claim.pk] = SimilarClaim(claim, match.score, match.differences)
        if len(matches) >= limit:
            break  # enough: a later stage is not needed
    found = list(matches.values())
    found.sort(key=lambda item: (-item.score, -item.claim.pk))
    found = found[:limit]
    # The titles for what is shown only: joining the article for every candidate would read them all.
    article = queryset.model._meta.get_field("article").related_model
    titles = dict(article.objects.filter(pk__in={item.claim.article_id for item in found}).values_list("pk", "title"))
    return [dataclasses.replace(item, article_title=titles.get(item.claim.article_id, "")) for item in found]
