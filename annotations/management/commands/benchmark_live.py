"""Measure the live desk: what open article pages cost the servers while nothing happens, and how
soon a change shows on another page.

    manage.py benchmark_live [--pages 50] [--seconds 30] [--changes 30] [--watchers 3]

Starts --servers app servers (gunicorn, --workers sync workers each, production settings) on this
database and opens --pages article pages that ask what changed exactly as static/js/live.js does
(the same questions, ETag and pause; each page a thread here, so Chromium's own work does not
count). First nothing happens for --seconds: requests per second, their answers, and the CPU time
of the app servers and of PostgreSQL's backends serving them. Then --changes changes of the
article's claims are made here, at random moments, while the pages keep asking and --watchers
Chromium pages show the article: the delay from each change's commit until a watcher has drawn
it. Leaves the article it made (named "Benchmark live desk …") in the database: the history of
its claims is never deleted. Run it on a benchmark database, not on the newsroom's.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from annotations import serving
from annotations.lib import loadtext
from annotations.models import Article, Claim, ClaimStatus, Source
from annotations.roles import EDITOR, FACT_CHECKER

TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far (Linux /proc); a process gone counts 0."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


@dataclass
class Tally:
    """What the simulated pages asked and got, under one lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    answers: dict[int, int] = field(default_factory=dict)
    seconds: list[float] = field(default_factory=list)
    cards: int = 0

    def add(self, status: int, seconds: float) -> None:
        with self.lock:
            self.answers[status] = self.answers.get(status, 0) + 1
            self.seconds.append(seconds)

    def reset(self) -> None:
        with self.lock:
            self.answers, self.seconds, self.cards = {}, [], 0


class SimulatedPage(threading.Thread):
    """An open article page's live.js, question for question: the ETag of the last answer, a pause
    of NEWSROOM_LIVE_POLL_MS after each answer, the cards of claims whose stamp changed."""

    def __init__(
        self, server: serving.Server, article: Article, cookie: str, tally: Tally, stop: threading.Event
    ) -> None:
        super().__init__(daemon=True)
        self.host = server.url.removeprefix("http://")
        self.live = (
            reverse("annotations:article-live", args=[article.pk])
            + "?"
            + urlencode({"text_version": article.text_version})
        )
        self.cards = reverse("annotations:article-live-claims", args=[article.pk])
        self.cookie, self.tally, self.stop = cookie, tally, stop
        self.known: dict[int, str] | None = None

    def get(self, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        began = time.perf_counter()
        conn = http.client.HTTPConnection(self.host, timeout=30)
        try:
            conn.request("GET", path, headers={"Cookie": self.cookie, "Accept": "application/json", **headers})
            response = conn.getresponse()
            body = response.read()
        finally:
            conn.close()
        self.tally.add(response.status, time.perf_counter() - began)
        return response.status, dict(response.getheaders()), body

    def run(self) -> None:
        pause = settings.NEWSROOM_LIVE_POLL_MS / 1000
        self.stop.wait(random.uniform(0, pause))  # pages were opened at different moments
        etag = ""
        while not self.stop.is_set():
            status, headers, body = self.get(self.live, {"If-None-Match": etag} if etag else {})
            if status == 200:
                state = json.loads(body)
                stamps = {claim["id"]: claim["stamp"] for claim in state["claims"]}
                if self.known is not None:  # the first answer is what the page showed when it loaded
                    wanted = [str(i) for i, stamp in stamps.items() if self.known.get(i) != stamp]
                    wanted += [str(i) for i in self.known if i not in stamps]
                    for start in range(0, len(wanted), 50):
                        self.get(self.cards + "?ids=" + ",".join(wanted[start : start + 50]), {})
                        with self.tally.lock:
                            self.tally.cards += 1
                self.known = stamps
                etag = headers.get("ETag", "")
            self.stop.wait(pause)


class Command(BaseCommand):
    help = "Time the live desk: idle open article pages and the delay of a change to another page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--pages", type=int, default=50, help="open article pages that ask (default 50)")
        parser.add_argument("--seconds", type=float, default=30, help="how long nothing happens (default 30)")
        parser.add_argument("--changes", type=int, default=30, help="changes whose delay is timed (default 30)")
        parser.add_argument("--watchers", type=int, default=3, help="Chromium pages that time them (default 3)")
        parser.add_argument("--servers", type=int, default=2, help="app servers (default 2)")
        parser.add_argument("--workers", type=int, default=2, help="sync workers per app server (default 2)")
        parser.add_argument("--claims", type=int, default=20, help="claims on the article to begin with")
        parser.add_argument("--chromium", default="/usr/bin/chromium")

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Run it on PostgreSQL (DATABASE_URL): two app servers need one database server.")
        if min(options["pages"], options["servers"], options["workers"], options["watchers"]) < 1:
            raise CommandError("--pages, --servers, --workers and --watchers must be at least 1.")
        rng = random.Random(14)
        editor, checker = self._accounts()
        article, spare = self._article(editor, options["claims"], options["changes"], rng)
        call_command("collectstatic", interactive=False, verbosity=0)  # the servers run as `make serve` runs them
        pause = settings.NEWSROOM_LIVE_POLL_MS
        self.stdout.write(
            f"live desk: {options['servers']} app servers × {options['workers']} sync workers (gunicorn), "
            f"PostgreSQL {connection.settings_dict['NAME']}, pages ask every {pause} ms\n"
            f"article {article.pk}: {len(article.body)} code points, {article.claims.count()} claims"
        )
        self._queries_per_question(article, checker)
        with ExitStack() as stack:
            log = Path(stack.enter_context(tempfile.TemporaryDirectory())) / "gunicorn.log"
            servers = [
                stack.enter_context(serving.gunicorn(log, GUNICORN_WORKERS=str(options["workers"])))
                for _ in range(options["servers"])
            ]
            name, value = serving.session_cookie(checker).split("=", 1)
            tally, stop = Tally(), threading.Event()
            pages = [
                SimulatedPage(servers[i % len(servers)], article, f"{name}={value}", tally, stop)
                for i in range(options["pages"])
            ]
            for page in pages:
                page.start()
            try:
                time.sleep(2 * pause / 1000)  # every page has had its first answer
                self._idle(servers, tally, options["pages"], options["seconds"])
                changes = self._change_plan(article, spare, editor, checker, options["changes"])
                self._delays(servers, article, (name, value), changes, tally, options, rng)
            finally:
                stop.set()
                for page in pages:
                    page.join(timeout=35)

    # -- setting up ---------------------------------------------------------------------

    def _accounts(self) -> tuple[Any, Any]:
        editor = serving.account("benchmark-live-editor", EDITOR, first_name="Erika", last_name="Benchmark")
        checker = serving.account("benchmark-live-checker", FACT_CHECKER, first_name="Fritz", last_name="Benchmark")
        return editor, checker

    def _article(self, editor: Any, claims: int, spare: int, rng: random.Random) -> tuple[Article, list[Any]]:
        """A generated article with `claims` claims marked, and `spare` claim sentences left for new claims."""
        generated = loadtext.article(rng, claims + spare)
        # The moment in front keeps the body unique (the same text is one article).
        head = f"Benchmark live desk {timezone.now().isoformat(timespec='seconds')}\n\n"
        article = Article.objects.create(title=head.strip(), body=head + generated.body, created_by=editor)
        spans = [(len(head) + claim.start, len(head) + claim.end) for claim in generated.claims]
        for start, end in spans[:claims]:
            Claim.objects.create_from_selection(
                article=article, start=start, end=end, quote=article.body[start:end], statement="Behauptung", by=editor
            )
        return article, spans[claims:]

    def _queries_per_question(self, article: Article, user: Any) -> None:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("annotations:article-live", args=[article.pk])
        first = client.get(url, {"text_version": article.text_version})
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url, {"text_version": article.text_version}, HTTP_IF_NONE_MATCH=first["ETag"])
        if again.status_code != 304:
            raise CommandError(f"an idle question was answered {again.status_code}, not 304")
        own = [query for query in queries.captured_queries if "annotations_" in query["sql"]]
        self.stdout.write(
            f"an idle question: {len(queries)} queries ({len(own)} of the app's tables, the rest session, "
            "user and permissions)"
        )

    # -- measuring ----------------------------------------------------------------------

    def _postgres_backends(self) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]

    def _idle(self, servers: list[serving.Server], tally: Tally, pages: int, seconds: float) -> None:
        app_pids = [pid for server in servers for pid in (server.pid, *server.worker_pids())]
        backends = self._postgres_backends()
        tally.reset()
        app_before, db_before = _cpu_seconds(app_pids), _cpu_seconds(backends)
        began = time.perf_counter()
        time.sleep(seconds)
        elapsed = time.perf_counter() - began
        app_cpu, db_cpu = _cpu_seconds(app_pids) - app_before, _cpu_seconds(backends) - db_before
        with tally.lock:
            answers, times = dict(tally.answers), sorted(tally.seconds)
        requests = sum(answers.values())
        if not requests:
            raise CommandError("the pages asked nothing: the app servers do not answer")
        self.stdout.write(
            f"\n{pages} idle pages for {elapsed:.0f} s: {requests / elapsed:.1f} requests/s, "
            f"{100 * answers.get(304, 0) / requests:.1f} % answered 304, answers in "
            f"{_ms(_quantile(times, 0.5))} (p50) / {_ms(_quantile(times, 0.95))} (p95)\n"
            f"  app servers: {100 * app_cpu / elapsed:.1f} % of one core "
            f"({1000 * app_cpu / requests:.2f} ms CPU a request)\n"
            f"  PostgreSQL: {100 * db_cpu / elapsed:.1f} % of one core ({len(backends)} connections to this database)\n"
            "  held open between questions: no connection (each question is a short request)\n"
            f"  load average of this machine (shared, {os.cpu_count()} cores): {os.getloadavg()[0]:.1f}"
        )

    def _delays(
        self,
        servers: list[serving.Server],
        article: Article,
        cookie: tuple[str, str],
        changes: list[Any],
        tally: Tally,
        options: dict[str, Any],
        rng: random.Random,
    ) -> None:
        from playwright.sync_api import sync_playwright

        pause = settings.NEWSROOM_LIVE_POLL_MS / 1000
        app_pids = [pid for server in servers for pid in (server.pid, *server.worker_pids())]
        delays: list[float] = []
        with sync_playwright() as playwright, ThreadPoolExecutor(max_workers=1) as desk:
            browser = playwright.chromium.launch(
                executable_path=options["chromium"], args=["--no-sandbox", "--disable-gpu"]
            )
            watchers = []
            for i in range(options["watchers"]):
                server = servers[(i + 1) % len(servers)]
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": server.url}])
                # After the page's own scripts: the moment live.js's news is drawn.
                context.add_init_script(
                    "addEventListener('DOMContentLoaded', () => document.addEventListener('live:claims',"
                    " () => { window.liveDrawnAt = Date.now(); }));"
                )
                page = context.new_page()
                page.goto(server.url + article.get_absolute_url())
                page.wait_for_selector("body[data-annotate-ready]")
                # Its first answer (the state as it loaded) is drawn before any change is timed.
                page.wait_for_function("() => Number(document.body.dataset.liveUpdates || 0) >= 1")
                watchers.append(page)
            tally.reset()
            cpu_before, began = _cpu_seconds(app_pids), time.perf_counter()
            for change in changes:
                time.sleep(rng.uniform(0, pause))  # a change comes at any moment between two questions
                seen = [int(page.evaluate("() => document.body.dataset.liveUpdates || 0")) for page in watchers]
                # Made outside Playwright's event loop, where Django refuses to touch the database.
                desk.submit(change).result()
                committed = time.time()
                for page, before in zip(watchers, seen, strict=True):
                    page.wait_for_function(
                        "(n) => Number(document.body.dataset.liveUpdates || 0) > n", arg=before, timeout=60_000
                    )
                    delays.append(page.evaluate("() => window.liveDrawnAt") / 1000 - committed)
            elapsed = time.perf_counter() - began
            cpu = _cpu_seconds(app_pids) - cpu_before
            browser.close()
            desk.submit(lambda: connection.close()).result()  # the connection of that thread
        delays.sort()
        with tally.lock:
            cards = tally.cards
        self.stdout.write(
            f"\n{len(changes)} changes (new claim, status, source, wording, withdrawal) at random moments while the "
            f"{options['pages']} pages ask, each timed on {len(watchers)} Chromium pages:\n"
            f"  from the commit until another page has drawn it: p50 {_ms(_quantile(delays, 0.5))}, "
            f"p95 {_ms(_quantile(delays, 0.95))}, max {_ms(delays[-1])} ({len(delays)} observations)\n"
            f"  app servers meanwhile: {100 * cpu / elapsed:.1f} % of one core; "
            f"{cards / len(changes):.0f} card requests per change"
        )

    def _change_plan(self, article: Article, spans: list[Any], editor: Any, checker: Any, count: int) -> list[Any]:
        """The changes, in turn: a new claim, a status change, a source, new wording, a withdrawal."""
        spans = list(spans)
        made: list[Claim] = []
        plan = []

        def new_claim(span: tuple[int, int]) -> None:
            quote = article.body[span[0] : span[1]]
            made.append(
                Claim.objects.create_from_selection(
                    article=article, start=span[0], end=span[1], quote=quote, statement=quote[:80], by=editor
                )
            )

        def review() -> None:
            made[-1].change_status(ClaimStatus.IN_REVIEW, by=checker)

        def source() -> None:
            url = f"https://www.example.org/benchmark-live/{made[-1].pk}"
            linked, _ = Source.objects.for_url(url, {"title": "Haushaltsplan"})
            made[-1].add_evidence(linked, stance="supports", by=checker)

        def reword() -> None:
            made[-1].edit(by=editor, statement=made[-1].statement + " (präzisiert)", claimant="Kreistag")

        def withdraw() -> None:
            made[-1].withdraw(by=editor, reason="Benchmark")

        steps = [review, source, reword]
        for i in range(count):
            if i % 5 == 0 or not made:
                span = spans.pop() if spans else None
                if span is None:
                    break
                plan.append(lambda span=span: new_claim(span))
            elif i % 5 == 4:
                plan.append(withdraw)
            else:
                plan.append(steps[i % 5 - 1])
        return plan


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _ms(seconds: float) -> str:
    return f"{1000 * seconds:.0f} ms"
