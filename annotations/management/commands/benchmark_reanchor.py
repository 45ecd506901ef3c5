"""Time re-anchoring after a correction, and tally the corrections corpus.

    manage.py benchmark_reanchor [--length 50000] [--claims 500] [--repeat 5] [--seed 7]

Generates an article of about --length code points with --claims claims, corrects it the way an
agency's second version does (typos, numbers, a negation, quotation marks, a paragraph
inserted, one deleted, one moved to the end), and times `anchoring.reanchor` on it; then the
same with every paragraph touched, and with every other word changed (the bound on the work
a hostile correction causes). Then runs
the corpus of hand-written corrections and counts how its claims ended up. Needs no database.
"""

from __future__ import annotations

import random
import re
import statistics
import time
from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from annotations.lib import anchoring, corrections_corpus, loadtext


def corrected(rng: random.Random, body: str) -> str:
    """The second version: a dozen corrections of the kinds newsrooms make, all over the text."""
    paragraphs = body.split("\n\n")
    middle = len(paragraphs) // 2
    moved = paragraphs.pop(middle)
    del paragraphs[middle + 3]
    paragraphs.insert(2, "Aktualisierung: Die Stadtverwaltung hat die Zahlen am Abend noch einmal bestätigt.")
    paragraphs.append(moved)
    for _ in range(6):  # typos corrected (or made)
        index = rng.randrange(len(paragraphs))
        words = paragraphs[index].split(" ")
        position = rng.randrange(len(words))
        if len(words[position]) > 4:
            word = words[position]
            words[position] = word[:2] + word[3] + word[2] + word[4:]
        paragraphs[index] = " ".join(words)
    for _ in range(3):  # numbers corrected
        index = rng.randrange(len(paragraphs))
        paragraphs[index] = paragraphs[index].replace("Prozent", "Prozentpunkte", 1).replace(",5", ",7", 1)
    index = rng.randrange(len(paragraphs))
    paragraphs[index] = paragraphs[index].replace(" sei ", " sei nicht ", 1)
    index = rng.randrange(len(paragraphs))
    paragraphs[index] = paragraphs[index].replace("„", '"').replace("“", '"')
    return "\n\n".join(paragraphs)


class Command(BaseCommand):
    help = "Time re-anchoring claims after a correction and tally the corrections corpus."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--length", type=int, default=50_000, help="Code points of the article.")
        parser.add_argument("--claims", type=int, default=500)
        parser.add_argument("--repeat", type=int, default=5, help="Timed runs; the median is reported.")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        old, claims = self._article(rng, options["length"], options["claims"])
        self._measure(old, corrected(rng, old), claims, options["repeat"], "an agency's second version")
        everywhere = "\n\n".join(
            paragraph.replace("„", '"').replace("“", '"').replace(" die ", " die  ") for paragraph in old.split("\n\n")
        )
        self._measure(old, everywhere, claims, options["repeat"], "every paragraph touched")
        words = old.split(" ")
        mangled = " ".join(word[::-1] if index % 2 == 0 else word for index, word in enumerate(words))
        self._measure(old, mangled, claims, options["repeat"], "worst case, every other word changed")
        self._corpus()

    def _measure(self, old: str, new: str, claims: list[dict], repeat: int, label: str) -> None:
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            results = anchoring.locate(old, new, claims)
            timings.append(time.perf_counter() - started)
        kinds = Counter(
            "orphaned" if r.anchor is None else ("flagged" if r.anchor.needs_review else "moved") for r in results
        )
        wrong_words = sum(
            1
            for claim, r in zip(claims, results, strict=True)
            if r.anchor and not r.anchor.needs_review and new[r.anchor.start : r.anchor.end] != claim["quote"]
        )
        self.stdout.write(
            f"{label}: re-anchoring {len(claims)} claims in an article of {len(old):,} code points "
            f"corrected to {len(new):,}: median {statistics.median(timings) * 1000:.1f} ms, "
            f"best {min(timings) * 1000:.1f} ms over {len(timings)} runs"
        )
        self.stdout.write(
            f"  outcome: {kinds['moved']} moved, {kinds['flagged']} flagged for review, {kinds['orphaned']} orphaned; "
            f"{wrong_words} placed on changed words without review (must be 0)"
        )

    def _article(self, rng: random.Random, length: int, count: int) -> tuple[str, list[dict]]:
        body = loadtext.article(rng, max(1, length // 60)).body
        while len(body) < length:
            body += "\n\n" + loadtext.article(rng, 30).body
        body = body[: max(length, body.rfind("\n\n", 0, length))]
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+", body)]
        claims = []
        for index in sorted(rng.sample(range(len(words) - 8), count)):
            start, end = words[index][0], words[index + rng.randint(1, 7)][1]
            claims.append(
                {
                    "id": len(claims),
                    "start": start,
                    "end": end,
                    "quote": body[start:end],
                    "prefix": body[max(0, start - anchoring.CONTEXT_LENGTH) : start],
                    "suffix": body[end : end + anchoring.CONTEXT_LENGTH],
                }
            )
        return body, claims

    def _corpus(self) -> None:
        results = {
            case.name: anchoring.reanchor(case.old, case.new, case.claim_dicts()) for case in corrections_corpus.CASES
        }
        counts = corrections_corpus.tally(results)
        total = sum(counts.values())
        self.stdout.write(
            f"corpus: {len(corrections_corpus.CASES)} corrections, {total} claims: "
            f"{counts['moved']} moved correctly, {counts['flagged']} flagged for review, "
            f"{counts['orphaned']} orphaned as expected, {counts['cautious']} more cautious than expected, "
            f"{counts['misplaced']} misplaced"
        )
