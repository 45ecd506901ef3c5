"""Time the article page: the server's rendering, and Chromium until every highlight is drawn.

    manage.py benchmark_article_page --length 20000 --claims 300

Creates one article of about --length code points with --claims claims, a third of them
overlapping another, measures, prints the figures and deletes what it made (unless --keep).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.handlers.wsgi import WSGIHandler
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from annotations.lib import anchoring
from annotations.models import Article, Claim
from annotations.roles import EDITOR

SENTENCES = [
    "Der Kreistag hat am Dienstag über den Haushalt für das kommende Jahr beraten.",
    "Nach Angaben der Verwaltung steigen die Ausgaben für Schulen um 8,5\u00a0Prozent.",
    "„Wir müssen jetzt investieren“, sagte die Landrätin vor Beginn der Sitzung.",
    "Die Opposition hält die Pläne für überzogen – sie fordert eine Prüfung durch den Rechnungshof.",
    "Seit 2019 hat sich die Zahl der Pendlerinnen und Pendler nahezu verdoppelt.",
    "Im Frühjahr sollen die Arbeiten an der Umgehungsstraße beginnen; fertig wäre sie 2028.",
    "Der Verkehrsverbund rechnet mit 12\u00a0000 zusätzlichen Fahrgästen pro Tag.",
    "Über die Finanzierung der Brücke entscheidet der Bund, nicht das Land.",
]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 -- the base class's name
        pass


def _body(length: int, rng: random.Random) -> str:
    paragraphs: list[str] = []
    size = 0
    while size < length:
        paragraph = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:length].rstrip() + "."


def _spans(body: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Two thirds side by side, one third starting inside one of those and reaching past it."""
    plain = count - count // 3
    step = len(body) // plain
    spans = []
    for n in range(plain):
        start = n * step + rng.randint(0, step // 4)
        spans.append(anchoring.trimmed(body, start, min(len(body), start + rng.randint(15, step // 2))))
    for n in range(count // 3):
        start, end = spans[n * 2 % plain]
        middle = (start + end) // 2
        spans.append(anchoring.trimmed(body, middle, min(len(body), end + rng.randint(10, 40))))
    return spans


class Command(BaseCommand):
    help = "Time the article page with many claims: server rendering and drawing in Chromium."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--length", type=int, default=20_000, help="Code points in the article body.")
        parser.add_argument("--claims", type=int, default=300)
        parser.add_argument("--runs", type=int, default=10)
        parser.add_argument("--chromium", default="/usr/bin/chromium")
        parser.add_argument("--no-browser", action="store_true", help="Only time the server.")
        parser.add_argument("--keep", action="store_true", help="Keep the article and its claims.")

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(4)
        user, _created = get_user_model().objects.get_or_create(username="benchmark-editor")
        user.groups.add(Group.objects.get(name=EDITOR))
        body = _body(options["length"], rng) + f" ({time.time_ns()})"  # unique content hash per run
        article = Article.objects.create(title="Benchmark: Kreistag berät Haushalt", body=body, created_by=user)
        spans = [span for span in _spans(body, options["claims"], rng) if span[0] < span[1]]
        Claim.objects.bulk_create(
            Claim(
                article=article,
                **span.as_fields(),
                statement=f"Behauptung {n}: {span.quote[:40]}",
                created_by=user,
            )
            for n, span in enumerate(anchoring.span_at(body, s, e) for s, e in spans)
        )
        try:
            self.stdout.write(f"article {article.pk}: {len(body)} code points, {len(spans)} claims")
            self._time_server(article, user, options["runs"])
            if not options["no_browser"]:
                self._time_browser(article, user, options["runs"], options["chromium"])
        finally:
            if not options["keep"]:
                # The claims were bulk-inserted without history, so they may go (history never may).
                Claim.objects.filter(article=article).delete()
                article.delete()

    def _time_server(self, article: Article, user: Any, runs: int) -> None:
        client = Client(HTTP_HOST="localhost")  # a host ALLOWED_HOSTS accepts, unlike "testserver"
        client.force_login(user)
        client.get(article.get_absolute_url())  # warm up: templates, translations, connection
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(article.get_absolute_url())
                times.append((time.perf_counter() - began) * 1000)
            if response.status_code != 200:
                raise CommandError(f"the article page answered {response.status_code}")
        self.stdout.write(
            f"server: median {statistics.median(times):.1f} ms, min {min(times):.1f} ms, "
            f"max {max(times):.1f} ms over {runs} requests; {len(queries)} queries; {len(response.content)} bytes"
        )

    def _time_browser(self, article: Article, user: Any, runs: int, chromium: str) -> None:
        from playwright.sync_api import sync_playwright

        server = ThreadedWSGIServer(("127.0.0.1", 0), _QuietHandler)
        server.set_app(StaticFilesHandler(WSGIHandler()))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        client = Client()
        client.force_login(user)
        cookie = client.cookies["sessionid"]
        figures: dict[str, list[float]] = {"response": [], "dom": [], "ready": [], "marks": []}
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": base}])
                page = context.new_page()
                for _ in range(runs + 1):
                    page.goto(base + article.get_absolute_url())
                    page.wait_for_selector("body[data-annotate-ready]")
                    timing = page.evaluate(
                        """() => {
                          const nav = performance.getEntriesByType('navigation')[0];
                          const ready = performance.getEntriesByName('annotate-ready')[0];
                          return {response: nav.responseEnd, dom: nav.domContentLoadedEventEnd,
                                  ready: ready.startTime, marks: Number(document.body.dataset.annotateReady)};
                        }"""
                    )
                    for name, value in timing.items():
                        figures[name].append(value)
                browser.close()
        finally:
            server.shutdown()
        for values in figures.values():
            del values[0]  # the first load fills the browser's cache
        median = {name: statistics.median(values) for name, values in figures.items()}
        self.stdout.write(
            f"chromium (from navigation start, median of {runs}): response received {median['response']:.0f} ms, "
            f"DOM ready {median['dom']:.0f} ms, all {median['marks']:.0f} highlights drawn and wired "
            f"{median['ready']:.0f} ms (max {max(figures['ready']):.0f} ms)"
        )
