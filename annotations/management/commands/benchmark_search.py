"""Time finding things on the database as it is: a search, a similar-claims lookup, a filtered queue page.

    manage.py generate_load_data --articles 100000 --claims-per-article 10
    manage.py benchmark_search --runs 40 --explain

Each request goes through the whole app (middleware, view, template) as a fact-checker; the queries
rotate through words, names, phrases and typos, and through claims' own wordings (paraphrased), so no
single cached answer flatters the figures. Prints p50 and p95 per kind, the queries of one request, and
with --explain the plans (EXPLAIN ANALYZE) of the statements that use the search indexes. Run it on a
benchmark database: it reads only, apart from one user it makes.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim
from annotations.roles import FACT_CHECKER

SEARCHES = [
    "Kleinbach",
    "Bürgermeisterin",
    "Weißgerber",
    "Weisgerber",  # a typo
    "Regierungschef",
    '"deutlich gestiegen"',
    "Kita-Plätze",
    "Radwege oder Grundwasserspiegel",
    "Kreistag -Gewerbesteuer",
    "Straßenbeleuchtung",
    "Rechentrick",
    "Königsbrück Haushalt",
]
QUEUE_FILTERS = [
    {"status": "in_review", "q": "Kleinbach"},
    {"status": "verified", "q": "Weißgerber"},
    {"status": "unverified", "q": "Fahrgäste"},
    {"status": "disputed", "q": "Gewerbesteuer"},
]
# How a reporter rewrites a stored statement: other words around the same facts.
REWRITES = [
    ("Rekordinvestition von ", "Die Stadt investiert "),
    (" Mio. Euro", " Millionen €"),
    ("+", "Anstieg um "),
    ("-", "Rückgang um "),
    (" % ", " Prozent "),
]


class Command(BaseCommand):
    help = "Print p50 and p95 latency of a search, a similar-claims lookup and a filtered queue page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--runs", type=int, default=40, help="Requests per kind.")
        parser.add_argument("--explain", action="store_true", help="Print the plans of the search statements.")
        parser.add_argument("--seed", type=int, default=13)

    def handle(self, *args: Any, runs: int, explain: bool, seed: int, **options: Any) -> None:
        rng = random.Random(seed)
        claims = Claim.objects.count()
        if not claims:
            raise CommandError("No claims: fill the database first (manage.py generate_load_data).")
        user, created = get_user_model().objects.get_or_create(username="benchmark-doku")
        if created:
            user.set_unusable_password()
            user.save()
            user.groups.add(Group.objects.get(name=FACT_CHECKER))
        client = Client(HTTP_HOST="localhost")  # a host ALLOWED_HOSTS accepts, unlike "testserver"
        client.force_login(user)
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        self.stdout.write(
            f"{connection.vendor}: {claims} claims; {runs} requests per kind; load average {load} "
            f"on {os.cpu_count()} cores"
        )
        kinds = {
            # A view that only asks the database "SELECT 1": what any request costs on this machine now.
            "trivial view": [reverse("healthz")],
            "search": [f"{reverse('annotations:search')}?{urlencode({'q': q})}" for q in SEARCHES],
            "similar claims": [self._similar_url(text) for text in self._wordings(rng, runs)],
            "queue, filtered": [f"{reverse('annotations:claim-list')}?{urlencode(f)}" for f in QUEUE_FILTERS],
        }
        for kind, urls in kinds.items():
            self._time(client, kind, urls, runs, explain)

    def _wordings(self, rng: random.Random, count: int) -> list[str]:
        """Statements of random claims, rewritten the way another reporter would put them."""
        highest = Claim.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        picked = []
        while len(picked) < count:
            start = rng.randrange(1, highest + 1)
            statement = Claim.objects.filter(pk__gte=start).order_by("pk").values_list("statement", flat=True).first()
            if statement:
                for old, new in REWRITES:
                    statement = statement.replace(old, new)
                picked.append(statement)
        return picked

    @staticmethod
    def _similar_url(text: str) -> str:
        return f"{reverse('annotations:claim-similar')}?{urlencode({'text': text, 'limit': 5})}"

    def _time(self, client: Client, kind: str, urls: list[str], runs: int, explain: bool) -> None:
        for url in urls:
            # secure=True: with production settings (DEBUG=0) a plain request is redirected to HTTPS.
            client.get(url, secure=True)  # warm up: templates, translations, connection, the pages the queries read
        times, database = [], []
        for run in range(runs):
            url = urls[run % len(urls)]
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(url, secure=True)
                times.append((time.perf_counter() - began) * 1000)
            database.append(sum(float(query["time"]) for query in queries.captured_queries) * 1000)
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code} {response.get('Location')}")
        self.stdout.write(
            f"{kind:16} p50 {_p(times, 50):6.1f} ms  p95 {_p(times, 95):6.1f} ms  max {max(times):6.1f} ms  "
            f"(in the database: p50 {_p(database, 50):6.1f} ms, p95 {_p(database, 95):6.1f} ms; "
            f"{len(queries)} queries in the last request: {url})"
        )
        if explain:
            for query in queries:
                if "search_vector" in query["sql"] or "searchword" in query["sql"]:
                    self._explain(query["sql"])

    def _explain(self, sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        self.stdout.write("    " + sql[:160].replace("\n", " ") + " …")
        for line in plan:
            self.stdout.write("      " + line)


def _p(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]
