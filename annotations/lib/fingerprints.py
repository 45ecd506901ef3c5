"""Near duplicates: the same text with a few words changed. Pure Python: no Django.

A text is compared by its shingles, the runs of SHINGLE_WORDS words it contains; two texts are near
duplicates when most of their shingles are shared (Jaccard similarity, `similarity`). Comparing a new
text with every stored one would grow with the archive, so each text also gets BANDS keys
(`keys`) from a MinHash signature: texts that share most shingles share at least one key with high
probability, texts that share few almost never. The database finds the candidates by key (an index
lookup), and only those few are compared shingle by shingle.

The signature uses one hash per shingle ("one permutation hashing": the hash picks a bucket and its
rest is the value kept as the bucket's minimum), with empty buckets filled from their neighbours so
short texts get full signatures too. Work is linear in the words, bounded by MAX_WORDS.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

SHINGLE_WORDS = 3
BANDS = 16
ROWS = 4  # signature values per band
BUCKETS = BANDS * ROWS
# A text's first this many words are compared: enough to tell a new version from another article,
# and a bound on the work for the largest text the import accepts.
MAX_WORDS = 20_000
# Shared shingles (Jaccard) from which a text counts as a near duplicate. One word changed in a
# sentence of fourteen words leaves 0.6 (three of its twelve shingles change); two reports on the
# same subject in other words share a tenth or less. A near duplicate is offered, never merged,
# so a false alarm costs the editor one click and a miss costs a second copy: the bar is low.
NEAR_DUPLICATE = 0.5

_WORD = re.compile(r"\w+")
_MASK = (1 << 64) - 1
# For an empty bucket: the next filled bucket's value, moved by this much per step, so that two texts'
# empty buckets agree exactly when their neighbours do (densification by rotation).
_STEP = 0x9E3779B97F4A7C15


def words(text: str, limit: int = MAX_WORDS) -> list[str]:
    """The text's first `limit` words, case-folded, soft hyphens and accents as typed (NFC)."""
    text = unicodedata.normalize("NFC", text.replace("\u00ad", ""))
    found: list[str] = []
    for match in _WORD.finditer(text):
        found.append(match.group().casefold())
        if len(found) >= limit:
            break
    return found


def _hash(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big")


def shingles(text: str) -> set[int]:
    """The hashes of the text's runs of SHINGLE_WORDS words (a shorter text: all its words as one)."""
    tokens = words(text)
    if not tokens:
        return set()
    if len(tokens) < SHINGLE_WORDS:
        return {_hash(" ".join(tokens))}
    return {_hash(" ".join(tokens[i : i + SHINGLE_WORDS])) for i in range(len(tokens) - SHINGLE_WORDS + 1)}


def signature(hashes: set[int]) -> list[int]:
    """BUCKETS values: per bucket, the smallest hash that falls into it (empty: filled from the next one)."""
    if not hashes:
        return []
    minimum: list[int | None] = [None] * BUCKETS
    for value in hashes:
        bucket, rest = value % BUCKETS, value // BUCKETS
        current = minimum[bucket]
        if current is None or rest < current:
            minimum[bucket] = rest
    filled: list[int] = []
    for bucket in range(BUCKETS):
        for step in range(BUCKETS):
            found = minimum[(bucket + step) % BUCKETS]
            if found is not None:
                filled.append((found + step * _STEP) & _MASK)
                break
    return filled


def keys(text: str) -> list[int]:
    """BANDS keys of the text, signed 64-bit (a database's bigint); none for a text without words."""
    values = signature(shingles(text))
    if not values:
        return []
    found = []
    for band in range(BANDS):
        rows = values[band * ROWS : (band + 1) * ROWS]
        data = band.to_bytes(1, "big") + b"".join(value.to_bytes(8, "big") for value in rows)
        found.append(int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big", signed=True))
    return found


def similarity(first: set[int], second: set[int]) -> float:
    """The share of shingles the two texts have in common (Jaccard): 1.0 the same, 0.0 nothing shared."""
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)
