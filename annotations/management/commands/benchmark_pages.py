"""Time the pages a desk opens all day, at the volume in the database, and count their queries.

    manage.py benchmark_pages [--runs 30] [-v 2]

Pages: the dashboard, the queue (first page and a filtered page), an article with 20 claims and a
claim page, each requested --runs times (after one warm-up request) through Django's test client as a
fact-checker of the generated desk, so the time is the server's alone: middleware, views, queries and
templates, no network. Prints the median and the 95th percentile per page, the median CPU time of this
process (the wall time less the database's part and less waiting for a core on a busy machine), the
number of queries, and the machine's load average; with -v 2 also each page's slowest queries.
Goal (issue 10): under 50 ms median at 1,000,000 claims.

Production figures need production settings: DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=localhost (with DEBUG
on, templates render in debug mode and every query is kept in memory).
"""

from __future__ import annotations

import os
import statistics
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations import serving
from annotations.models import Claim, ClaimStatus
from annotations.roles import FACT_CHECKER

GOAL_MS = 50


class Command(BaseCommand):
    help = "Median and p95 server time and query counts of the dashboard, the queue, an article and a claim page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=30)

    def handle(self, *args: Any, runs: int, verbosity: int, **options: Any) -> None:
        claims = Claim.objects.count()
        if not claims:
            raise CommandError("No claims: fill the database with generate_load_data first.")
        user = _fact_checker()
        client = Client(HTTP_HOST="localhost")  # a host ALLOWED_HOSTS accepts, unlike "testserver"
        client.force_login(user)
        pages = _pages()
        self.stdout.write(
            f"{connection.vendor}, {claims:,} claims; as {user.get_username()}; median and p95 of {runs} requests"
            + ("; DEBUG is on, see --help" if settings.DEBUG else "")
        )
        for label, url in pages:
            times, cpu, queries, size = _time(client, url, runs)
            median, p95 = statistics.median(times), _p95(times)
            mark = "ok" if median < GOAL_MS else f"over {GOAL_MS} ms"
            self.stdout.write(
                f"{label:<34} median {median:6.1f} ms  p95 {p95:6.1f} ms  (CPU {statistics.median(cpu):5.1f} ms)  "
                f"{len(queries):3} queries  {size / 1024:4.0f} KiB  {mark}   {url}"
            )
            if verbosity >= 2:
                for query in sorted(queries, key=lambda q: -float(q["time"]))[:3]:
                    self.stdout.write(f"    {1000 * float(query['time']):7.1f} ms  {query['sql'][:300]}")
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(f"load average afterwards: {load} (1, 5, 15 min) on {os.cpu_count()} cores")


def _fact_checker() -> Any:
    """The fact-checker with the most claims in review (the fullest "my queue"), or a new one."""
    busiest = (
        Claim.objects.current()
        .filter(status=ClaimStatus.IN_REVIEW, assignee__groups__name=FACT_CHECKER)
        .order_by()
        .values("assignee")
        .annotate(n=Count("*"))
        .order_by("-n", "assignee")
        .first()
    )
    if busiest:
        return get_user_model().objects.get(pk=busiest["assignee"])
    return serving.account("benchmark-doku", FACT_CHECKER)


def _pages() -> list[tuple[str, str]]:
    queue = reverse("annotations:claim-list")
    pages = [
        ("dashboard", reverse("annotations:dashboard")),
        ("queue, first page", queue),
        ("queue, filtered (new and free)", f"{queue}?status=unverified&assignee=nobody"),
        ("queue, filtered (verified, page 3)", f"{queue}?status=verified&ordering=-changed&page=3"),
    ]
    # The article with 20 claims, or as close to it as the data allow.
    article = (
        Claim.objects.order_by().values("article_id").annotate(n=Count("id")).filter(n__lte=20).order_by("-n").first()
    )
    if article:
        label = f"article page with {article['n']} claims"
        pages.append((label, reverse("annotations:article-detail", args=[article["article_id"]])))
    claim = (
        Claim.objects.filter(status=ClaimStatus.VERIFIED)
        .annotate(n=Count("evidence"))
        .filter(n__gte=2)
        .order_by()
        .values_list("id", flat=True)[:1]
    )
    if claim:
        pages.append(("claim page (verified, 2+ sources)", reverse("annotations:claim-detail", args=[claim[0]])))
    return pages


def _time(client: Client, url: str, runs: int) -> tuple[list[float], list[float], list[dict[str, Any]], int]:
    # secure=True: with production settings a plain request is redirected to HTTPS.
    response = client.get(url, secure=True)  # warm up: templates, translations, the connection, the database's cache
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")
    times, cpu = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            began, began_cpu = time.perf_counter(), time.process_time()
            response = client.get(url, secure=True)
            times.append((time.perf_counter() - began) * 1000)
            cpu.append((time.process_time() - began_cpu) * 1000)
    return times, cpu, queries.captured_queries, len(response.content)


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
