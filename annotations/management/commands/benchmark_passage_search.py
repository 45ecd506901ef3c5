"""Time "Stelle finden" (GET /articles/<id>/passages/?q=) on the largest article an import allows.

    manage.py benchmark_passage_search [--size BYTES] [--timeout 60]

Creates articles of ordinary news text and of hostile text (one word over and over, no full
stop), sends the wordings that cost the most (500 characters of the text's own words, one word
repeated, many words that all match the same text), prints each case's server time and the worst,
and deletes what it made. A case slower than --timeout is stopped and shown as such.
"""

from __future__ import annotations

import os
import random
import signal
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.test import Client
from django.urls import reverse

from annotations.lib import loadtext
from annotations.models import Article
from annotations.roles import EDITOR


class _TooSlow(BaseException):  # not an Exception: the request handler lets it through to us
    """Raised by the timer in the middle of a request that runs too long."""


def _news(size: int, rng: random.Random) -> str:
    """Ordinary German news text of about `size` UTF-8 bytes."""
    parts: list[str] = []
    total = 0
    while total < size:
        part = loadtext.article(rng, 30).body
        parts.append(part)
        total += len(part.encode("utf-8")) + 2
    return "\n\n".join(parts).encode("utf-8")[:size].decode("utf-8", "ignore")


def _repeated(word: str, size: int) -> str:
    """One word over and over, without a full stop: a single sentence as long as the limit allows."""
    return (word * (size // len(word.encode("utf-8")) + 1)).encode("utf-8")[:size].decode("utf-8", "ignore").strip()


@dataclass(frozen=True)
class Case:
    body: str
    name: str
    wording: str


class Command(BaseCommand):
    help = "Time the passage search on the largest allowed article with the costliest wordings; print the worst case."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size",
            type=int,
            default=settings.NEWSROOM_IMPORT_MAX_FILE_BYTES,
            help="Bytes of the large articles (default: the import's file size limit).",
        )
        parser.add_argument("--timeout", type=float, default=60.0, help="Seconds after which a case is stopped.")

    def handle(self, *args: Any, size: int, timeout: float, **options: Any) -> None:
        rng = random.Random(9)
        user, _created = get_user_model().objects.get_or_create(username="benchmark-editor")
        user.groups.add(Group.objects.get(name=EDITOR))
        stamp = f" {time.time_ns()}"  # a unique content hash per run
        bodies = {
            "news 100 KB": _news(100_000, rng) + stamp,
            f"news {size // 1000} KB": _news(size, rng) + stamp,
            f"one word {size // 1000} KB": _repeated("Gipfeltreffen ", size) + stamp,
            "one word 100 KB": _repeated("Gipfeltreffen ", 100_000) + stamp,
        }
        articles = {
            name: Article.objects.create(title=f"Benchmark: {name}", body=body, created_by=user)
            for name, body in bodies.items()
        }
        words = [w.strip(".,;:„“–") for w in bodies["news 100 KB"].split() if len(w) > 3]
        wordings = {
            "500 chars of the text's words": " ".join(rng.sample(words, 120))[:500],
            "one word, repeated to 500 chars": ("Gipfeltreffen Gipfel " * 30)[:500],
            "50 words that match one word": " ".join(
                f"Gipfel{suffix}" for suffix in ["", "treffen", "s", "n", "treff", "treffens", "e"] * 8
            )[:500],
            "a claim's wording": "zweite Gipfel seit dem Einmarsch",
        }
        cases = [Case(body, name, wording) for body in articles for name, wording in wordings.items()]
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        try:
            self._warm_up(client, articles)
            worst: tuple[float, Case] | None = None
            for case in cases:
                seconds, answer = self._time(client, articles[case.body], case.wording, timeout)
                self.stdout.write(f"{case.body:>18} · {case.name:<32} {answer}")
                if worst is None or seconds > worst[0]:
                    worst = (seconds, case)
            load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
            self.stdout.write(f"load average while measuring (1, 5, 15 min): {load}")
            if worst is not None:
                shown = f"> {timeout:.0f} s (stopped)" if worst[0] == float("inf") else f"{worst[0] * 1000:.0f} ms"
                self.stdout.write(f"worst case: {shown} — {worst[1].body}, {worst[1].name}")
        finally:
            Article.objects.filter(pk__in=[article.pk for article in articles.values()]).delete()

    def _warm_up(self, client: Client, articles: dict[str, Article]) -> None:
        article = next(iter(articles.values()))
        client.get(reverse("annotations:passage-search", args=[article.pk]), {"q": "Haushalt"})

    def _time(self, client: Client, article: Article, wording: str, timeout: float) -> tuple[float, str]:
        """(seconds, what to print); infinity when the request was stopped at the timeout."""

        def stop(signum: int, frame: Any) -> None:
            raise _TooSlow

        url = reverse("annotations:passage-search", args=[article.pk])
        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
        began, cpu = time.perf_counter(), time.process_time()
        try:
            response = client.get(url, {"q": wording})
        except _TooSlow:
            return float("inf"), f"> {timeout:.0f} s (stopped)"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        seconds = time.perf_counter() - began
        # CPU time of this process: what the request costs, whatever else the machine is busy with.
        cpu = time.process_time() - cpu
        if response.status_code != 200:
            raise CommandError(f"the passage search answered {response.status_code}")
        data = response.json()
        searched = "" if data.get("complete", True) else ", search cut short"
        proposals = len(data["passages"])
        return seconds, f"{seconds * 1000:8.0f} ms ({cpu * 1000:4.0f} ms CPU), {proposals} proposals{searched}"
