"""Measure the import: a zip of generated German articles through `import_articles`.

Prints articles per second and peak memory. The articles are deleted afterwards unless --keep.
"""

from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations.models import Article

# Our own invented words and phrases: umlauts, ß, „quotes“, dashes and non-breaking spaces.
_SUBJECTS = [
    "Der Gemeinderat von Süderbrück",
    "Die Bürgermeisterin",
    "Das Landesamt für Straßenbau",
    "Ein Sprecher der Verkehrsbetriebe",
    "Die Schülervertretung",
    "Der Verband der Obstbäuerinnen",
    "Die Feuerwehr Großenhain",
]
_VERBS = ["beschloss", "kündigte an", "kritisierte", "begrüßte", "prüft", "schätzt", "meldete"]
_OBJECTS = [
    "eine Erhöhung der Gebühren um 4,5\u00a0Prozent",
    "den Bau einer Brücke über die Mühlenau",
    "die Schließung des Freibads – vorerst bis März",
    "Ausgaben von 2,3\u00a0Millionen Euro",
    "„deutlich mehr Busse“ im Berufsverkehr",
    "ein Förderprogramm für Lastenräder",
    "den Rückgang der Übernachtungen um ein Fünftel",
]
_TAILS = [
    "wie es am Dienstag hieß.",
    "teilte die Stadt mit.",
    "sagte sie der Zeitung.",
    "– ein Beschluss fällt im Herbst.",
    "so die Verwaltung.",
]


def german_article(number: int, length: int, rng: random.Random) -> str:
    lines = [f"Titel: Bericht Nr.\u00a0{number} aus Süderbrück", f"Datum: {1 + number % 28:02d}.03.2024", ""]
    paragraph: list[str] = []
    text_length = 0
    while text_length < length:
        sentence = f"{rng.choice(_SUBJECTS)} {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}, {rng.choice(_TAILS)}"
        paragraph.append(sentence)
        text_length += len(sentence) + 1
        if len(paragraph) == 4:
            lines.append(" ".join(paragraph))
            lines.append("")
            paragraph = []
    lines.append(" ".join(paragraph) + f" (Meldung {number})")
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Import a zip of generated German articles with import_articles; print articles/s and peak memory."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, default=1000)
        parser.add_argument("--chars", type=int, default=4000, help="Length of each article.")
        parser.add_argument("--keep", action="store_true", help="Keep the imported articles.")
        parser.add_argument(
            "--tracemalloc", action="store_true", help="Also measure the Python heap's peak (slows the import)."
        )

    def handle(self, *args: Any, articles: int, chars: int, keep: bool, tracemalloc: bool, **options: Any) -> None:
        rng = random.Random(20260328)
        run = time.strftime("%Y%m%d%H%M%S")
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"benchmark-{run}.zip"
            with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
                for number in range(articles):
                    text = german_article(number, chars, rng) + f" [{run}]"
                    archive.writestr(f"meldungen/meldung-{number:05d}.txt", text.encode("utf-8"))
            self.stdout.write(f"zip: {path.stat().st_size / 1e6:.1f} MB, {articles} articles of ~{chars} characters")
            before = Article.objects.count()
            rss_before = _peak_rss_mb()
            if tracemalloc:
                _tracemalloc_start()
            started = time.perf_counter()
            try:
                call_command("import_articles", str(path), "--source", "Benchmark", "--no-progress", stdout=self.stdout)
            except CommandError as error:
                self.stderr.write(f"import reported refusals: {error}")
            elapsed = time.perf_counter() - started
            heap_peak = _tracemalloc_stop() if tracemalloc else None
        imported = Article.objects.count() - before
        self.stdout.write(f"imported {imported} articles in {elapsed:.2f} s: {imported / elapsed:.0f} articles/s")
        self.stdout.write(f"peak RSS of the process: {_peak_rss_mb():.0f} MB (before the import: {rss_before:.0f} MB)")
        if heap_peak is not None:
            self.stdout.write(f"peak Python heap during the import (tracemalloc): {heap_peak / 1e6:.1f} MB")
        if not keep:
            Article.objects.filter(body__endswith=f" [{run}]", source="Benchmark").delete()


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _tracemalloc_start() -> None:
    tracemalloc.start()


def _tracemalloc_stop() -> int:
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak
