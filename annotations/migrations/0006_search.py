"""German full-text search on PostgreSQL: stored search vectors with GIN indexes, and a word list for pg_trgm.

The vectors are generated columns the database keeps current on every insert and update, bulk loads
included; they are not model fields, so Django never loads them with an article or a claim (searching
reads them in the database; `annotations.searching` names them). The word list holds every word of the
titles, bodies, statements and claimants once; its trigram index finds the words a misspelt or inflected
query word means ("Stoltenbreg" → "stoltenberg"). Triggers fill it, a statement at a time, so a bulk
insert costs one pass. SQLite (`make run` without a server) gets none of this: the search falls back to
plain matching there, and this migration does nothing.
"""

from django.db import migrations

# to_tsvector reads at most this many characters of a body: positions beyond 16,383 are not told
# apart anyway, and a tsvector may not exceed 1 MB, which a multi-megabyte body could.
SEARCH_CHARS = 250_000

FORWARD = f"""
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE annotations_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, left(coalesce(body, ''), {SEARCH_CHARS})), 'B')
) STORED;
CREATE INDEX annotations_article_search ON annotations_article USING gin (search_vector);

ALTER TABLE annotations_claim ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('german'::regconfig, coalesce(statement, '')), 'A')
    || setweight(to_tsvector('german'::regconfig, coalesce(quote, '')), 'B')
    || setweight(to_tsvector('german'::regconfig, coalesce(claimant, '')), 'C')
) STORED;
CREATE INDEX annotations_claim_search ON annotations_claim USING gin (search_vector);

CREATE TABLE annotations_searchword (word text PRIMARY KEY);
CREATE INDEX annotations_searchword_trgm ON annotations_searchword USING gin (word gin_trgm_ops);

-- Words in sorted order: two transactions adding the same new words take their locks in one order
-- and cannot deadlock. Words never leave the list: a stale word only widens a query to nothing.
CREATE FUNCTION annotations_article_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO annotations_searchword (word)
    SELECT DISTINCT word FROM new_rows,
        unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
            coalesce(new_rows.title, '') || ' ' || left(coalesce(new_rows.body, ''), {SEARCH_CHARS})))) AS word
    WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE FUNCTION annotations_claim_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO annotations_searchword (word)
    SELECT DISTINCT word FROM new_rows,
        unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
            coalesce(new_rows.statement, '') || ' ' || coalesce(new_rows.claimant, '')))) AS word
    WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
    ORDER BY word
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER annotations_article_words_insert AFTER INSERT ON annotations_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotations_article_words();
CREATE TRIGGER annotations_article_words_update AFTER UPDATE ON annotations_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotations_article_words();
CREATE TRIGGER annotations_claim_words_insert AFTER INSERT ON annotations_claim
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotations_claim_words();
CREATE TRIGGER annotations_claim_words_update AFTER UPDATE ON annotations_claim
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION annotations_claim_words();

-- The words of what is already there.
INSERT INTO annotations_searchword (word)
SELECT DISTINCT word FROM annotations_article AS new_rows,
    unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
        coalesce(new_rows.title, '') || ' ' || left(coalesce(new_rows.body, ''), {SEARCH_CHARS})))) AS word
WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
UNION
SELECT DISTINCT word FROM annotations_claim AS new_rows,
    unnest(tsvector_to_array(to_tsvector('simple'::regconfig,
        coalesce(new_rows.statement, '') || ' ' || coalesce(new_rows.claimant, '')))) AS word
WHERE length(word) BETWEEN 4 AND 40 AND word !~ '[0-9]'
ON CONFLICT DO NOTHING;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS annotations_claim_words_update ON annotations_claim;
DROP TRIGGER IF EXISTS annotations_claim_words_insert ON annotations_claim;
DROP TRIGGER IF EXISTS annotations_article_words_update ON annotations_article;
DROP TRIGGER IF EXISTS annotations_article_words_insert ON annotations_article;
DROP FUNCTION IF EXISTS annotations_claim_words();
DROP FUNCTION IF EXISTS annotations_article_words();
DROP TABLE IF EXISTS annotations_searchword;
ALTER TABLE annotations_claim DROP COLUMN IF EXISTS search_vector;
ALTER TABLE annotations_article DROP COLUMN IF EXISTS search_vector;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("annotations", "0005_corrections")]

    operations = [migrations.RunPython(forward, backward)]
