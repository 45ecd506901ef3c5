"""A newsroom desk under load: editors, fact-checkers and chief editors working through the browser's forms.

Started by `make load` (`manage.py run_load`), which creates the desk's accounts, starts gunicorn with the
production settings and passes the password in LOAD_PASSWORD. Two phases on the same server:

1. the trivial view (/healthz: middleware and one `SELECT 1`) alone, with as many users as the desk has:
   the ceiling of requests per second that gunicorn, Django and the database round trip allow;
2. the desk: each person logs in through the login form (CSRF token and all) and then works in cycles,
   as fast as the server answers (no think time, so the figures are the server's capacity):
   - editors read the dashboard, the article list and an article, and mark a new claim in it;
   - fact-checkers open the queue of unverified claims, take one into review, link a source that
     supports it and verify it, and look at their own queue;
   - chief editors read the dashboard, the queue and a verified claim, reopen it with a comment and
     export last week's verified claims as CSV.

Every form is read from the page it is on (its action, hidden fields, offered choices), filled in the
way a person would and posted with the page's CSRF token; the page it leads to is read next, as a
browser does. Measured, per action: requests, requests per second, p50 and p99 in milliseconds and
errors. A refusal the workflow gives on purpose (somebody else changed the claim first; it is no longer in
a state for this step) leads back to the page, which shows the reason: counted as "refused", not as an
error. Everything else that is not the expected answer is an error; 5xx are counted apart.
The desk's figures are taken from the moment every desk user has logged in (logging in is measured on
its own: its password hashing is slow on purpose) to the end of the phase.
"""

from __future__ import annotations

import datetime
import html.parser
import itertools
import json
import os
import random
import re
import time
from collections import Counter, defaultdict
from typing import Any

from locust import FastHttpUser, LoadTestShape, constant, events, task

CLAIM_ROW = re.compile(r'data-claim-row="(\d+)"')
ARTICLE_LINK = re.compile(r'href="/articles/(\d+)/"')
# A refused form shown again: the claim page's reason, a form's error list (the article page's claim
# form), the login page's.
REFUSAL = re.compile(r'data-claim-error|class="errorlist[^"]*"[^>]*>\s*<li|class="form-error')
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TRIVIAL = "trivial view (/healthz)"
LOGIN = "log in"
GAP_SECONDS = 1


@events.init_command_line_parser.add_listener
def _options(parser: Any) -> None:
    parser.add_argument("--desk-users", type=int, default=20, help="People at the desk (and trivial-view users).")
    parser.add_argument("--trivial-seconds", type=float, default=15, help="Length of the trivial-view phase.")
    parser.add_argument("--desk-seconds", type=float, default=60, help="Length of the desk phase.")
    parser.add_argument("--summary-file", default="", help="Write the figures to this JSON file too.")


# --- Reading pages ----------------------------------------------------------------------------------


class Page(html.parser.HTMLParser):
    """The forms of a page (attributes, fields with their values, choices) and the article body's text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self.body_parts: list[str] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._body_depth = 0
        self.feed(text)
        self.close()

    @property
    def body(self) -> str:
        return "".join(self.body_parts)

    def form(self, hook: str = "", action: str = "") -> dict[str, Any] | None:
        """The first form with the data- attribute `hook` (data-status-form), or posting to `action`."""
        for form in self.forms:
            if (hook and hook in form["attrs"]) or (action and form["attrs"].get("action") == action):
                return form
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self._body_depth and tag not in VOID_TAGS:
            self._body_depth += 1
        elif "data-article-body" in attributes:
            self._body_depth = 1
        if tag == "form":
            self._form = {"attrs": attributes, "values": {}, "choices": defaultdict(list)}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attributes.get("name"):
            name, kind = attributes["name"], attributes.get("type", "text")
            if kind in ("radio", "checkbox"):
                self._form["choices"][name].append(attributes.get("value", "on"))
                if "checked" in attributes:
                    self._form["values"][name] = attributes.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self._form["values"][name] = attributes.get("value", "")
        elif tag == "select" and attributes.get("name"):
            self._select = attributes["name"]
        elif tag == "option" and self._select:
            value = attributes.get("value", "")
            self._form["choices"][self._select].append(value)
            if "selected" in attributes or self._select not in self._form["values"]:
                self._form["values"][self._select] = value
        elif tag == "textarea" and attributes.get("name"):
            self._textarea = attributes["name"]
            self._form["values"][self._textarea] = ""

    def handle_endtag(self, tag: str) -> None:
        if self._body_depth:
            self._body_depth -= 1
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._body_depth:
            self.body_parts.append(data)
        if self._textarea and self._form is not None:
            self._form["values"][self._textarea] += data


def passage(body: str) -> tuple[int, int, str] | None:
    """A sentence of the body as the browser would send it: code point offsets and the exact words."""
    ends = [match.end() for match in re.finditer(r"[.!?“](?=\s)", body)]
    if len(ends) < 2:
        return None
    index = random.randrange(len(ends) - 1)
    start, end = ends[index], ends[index + 1]
    while start < end and body[start].isspace():
        start += 1
    return (start, end, body[start:end]) if start < end else None


# --- The people --------------------------------------------------------------------------------------


class DeskUser(FastHttpUser):
    """Somebody at the desk: logs in with the login form, then works through the pages like a browser."""

    abstract = True
    wait_time = constant(0)
    role = ""
    _numbers: itertools.count

    def context(self) -> dict[str, Any]:
        return {"phase": "desk"}

    def on_start(self) -> None:
        number = next(type(self)._numbers) % self.environment.parsed_options.desk_users + 1
        self.username = f"desk-{self.role}-{number}"
        page = self.read("/accounts/login/", LOGIN + " (form)")
        form = page.form(action="/accounts/login/") if page else None
        if form is None:
            return
        data = {**form["values"], "username": self.username, "password": os.environ.get("LOAD_PASSWORD", "")}
        if self.send("/accounts/login/", data, LOGIN, "dashboard", expect_refusal=False):
            RECORDER.logged_in(self.environment.parsed_options.desk_users)

    def fetch(self, path: str, name: str) -> str | None:
        """GET a page; None (and an error) unless it answers 200: a redirect to the login page is an error too."""
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{name}: HTTP {response.status_code}")
                return None
            return response.text or ""

    def read(self, path: str, name: str) -> Page | None:
        text = self.fetch(path, name)
        return None if text is None else Page(text)

    def send(
        self, path: str, data: dict[str, Any], name: str, then: str, *, expect_refusal: bool = True
    ) -> Page | None:
        """POST a form like a browser (Origin and Referer), then GET the page it leads to (named `then`), as
        the browser does; that page, or None if the action did not happen.

        Refused forms lead back to their page too (Post/Redirect/Get), which then shows the reason
        (REFUSAL). With expect_refusal, the workflow's own refusals (somebody was quicker, no longer
        in a state for this step) are counted as refused, not as errors.
        """
        headers = {"Origin": self.host, "Referer": self.host + path}
        with self.client.post(
            path, data=data, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"{name}: HTTP {response.status_code}")
                return None
            text = self.fetch(response.headers["Location"], then)
            if text is None:
                response.failure(f"{name}: the page after it did not answer")
                return None
            if not REFUSAL.search(text):
                response.success()
                return Page(text)
            if expect_refusal:
                response.success()
                RECORDER.refused(name)
            else:
                response.failure(f"{name}: refused")
            return None

    def claim_ids(self, path: str, name: str) -> list[str]:
        """The claims a queue page lists."""
        return CLAIM_ROW.findall(self.fetch(path, name) or "")

    def change_status(self, page: Page, status: str, name: str, comment: str = "") -> Page | None:
        """The claim page after the status change, or None if the page offers no such step or it was refused."""
        form = page.form("data-status-form")
        if form is None or status not in form["choices"].get("status", []):
            return None
        data = {**form["values"], "status": status, "comment": comment}
        return self.send(form["attrs"]["action"], data, name, "claim page")


class Editor(DeskUser):
    weight = 2
    role = "editor"
    _numbers = itertools.count()

    @task
    def mark_a_claim(self) -> None:
        self.read("/", "dashboard")
        articles = ARTICLE_LINK.findall(self.fetch(f"/articles/?page={random.randint(1, 20)}", "article list") or "")
        if not articles:
            return
        path = f"/articles/{random.choice(articles)}/"
        page = self.read(path, "article page")
        form = page.form("data-claim-form") if page else None
        found = passage(page.body) if page else None
        if form is None or found is None:
            return
        start, end, quote = found
        data = {
            **form["values"],
            "start": start,
            "end": end,
            "quote": quote,
            "statement": f"Behauptung aus dem Lasttest: {quote[:60]}",
            "claimant": "Lasttest",
        }
        self.send(form["attrs"]["action"], data, "create claim", "article page", expect_refusal=False)


class FactChecker(DeskUser):
    weight = 2
    role = "checker"
    _numbers = itertools.count()

    @task
    def check_a_claim(self) -> None:
        claims = self.claim_ids("/claims/?status=unverified", "queue filtered")
        if not claims:
            claims = self.claim_ids("/claims/", "queue")
        if not claims:
            return
        path = f"/claims/{random.choice(claims)}/"
        page = self.read(path, "claim page")
        page = self.change_status(page, "in_review", "change status") if page else None
        form = page.form("data-evidence-form") if page else None
        if form is None:
            return
        number = random.randrange(50_000)
        data = {
            **form["values"],
            "url": f"https://quellen.example.org/lasttest/{number}",
            "title": f"Statistischer Bericht Nr. {number}",
            "publisher": "Statistisches Landesamt",
            "stance": "supports",
            "excerpt": "Tabelle 4 nennt dieselbe Zahl.",
        }
        page = self.send(form["attrs"]["action"], data, "add evidence", "claim page")
        if page is not None:
            self.change_status(page, "verified", "change status")
        self.claim_ids("/claims/?assignee=me&status=in_review", "queue filtered")


class ChiefEditor(DeskUser):
    weight = 1
    role = "chief"
    _numbers = itertools.count()

    @task
    def review_and_export(self) -> None:
        self.read("/", "dashboard")
        self.claim_ids("/claims/", "queue")
        claims = self.claim_ids("/claims/?status=verified", "queue filtered")
        if claims:
            path = f"/claims/{random.choice(claims)}/"
            page = self.read(path, "claim page")
            if page is not None:
                self.change_status(page, "in_review", "reopen", comment="Zweite Quelle fehlt, bitte prüfen.")
        week_ago = (datetime.date.today() - datetime.timedelta(days=7)).isoformat()
        with self.client.get(
            f"/claims/export.csv?status=verified&created_after={week_ago}", name="export csv", catch_response=True
        ) as response:
            if response.status_code != 200 or not (response.text or "").startswith("claim_id,"):
                response.failure(f"export csv: HTTP {response.status_code}")


class TrivialUser(FastHttpUser):
    wait_time = constant(0)

    def context(self) -> dict[str, Any]:
        return {"phase": "trivial"}

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name=TRIVIAL)


class DeskDay(LoadTestShape):
    """First the trivial view alone, then the desk, each with the same number of users."""

    def tick(self) -> tuple[int, float, list[type]] | None:
        options = self.runner.environment.parsed_options
        users, elapsed = options.desk_users, self.get_run_time()
        if elapsed < options.trivial_seconds:
            RECORDER.enter("trivial")
            return users, users, [TrivialUser]
        if elapsed < options.trivial_seconds + GAP_SECONDS:
            # Locust swaps user classes only when the number of users changes: stop them all first.
            RECORDER.enter("")
            return 0, users, None
        if elapsed < options.trivial_seconds + GAP_SECONDS + options.desk_seconds:
            RECORDER.enter("desk")
            return users, users, [Editor, FactChecker, ChiefEditor]
        RECORDER.enter("")
        return None


# --- Measuring -----------------------------------------------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.phase = ""
        self.started: dict[str, float] = {}  # phase -> when its measuring window opened
        self.ended: dict[str, float] = {}
        self.logins = 0
        self.times: dict[str, list[float]] = defaultdict(list)
        self.outcomes: dict[str, Counter[str]] = defaultdict(Counter)

    def enter(self, phase: str) -> None:
        if phase == self.phase:
            return
        now = time.time()
        if self.phase:
            self.ended[self.phase] = now
        self.phase = phase
        if phase == "trivial":
            self.started[phase] = now

    def logged_in(self, users: int) -> None:
        self.logins += 1
        if self.logins == users:
            self.started["desk"] = time.time()

    def refused(self, name: str) -> None:
        self.outcomes[name]["refused"] += 1

    def request(self, name: str, response_time: float, status: int, failed: bool, phase: str, at: float) -> None:
        outcome = self.outcomes[name]
        outcome["errors"] += failed
        outcome["server_errors"] += status >= 500 or status == 0
        window_open = phase in self.started and at >= self.started[phase]
        if name.startswith(LOGIN) or (window_open and at < self.ended.get(phase, float("inf"))):
            self.times[name].append(response_time)
            outcome["measured"] += 1

    def summary(self) -> dict[str, Any]:
        now = time.time()
        seconds = {
            phase: max(0.001, self.ended.get(phase, now) - start) if start else 0
            for phase, start in self.started.items()
        }
        actions = {}
        for name in sorted(self.outcomes, key=lambda n: (n == TRIVIAL, n)):
            times, outcome = sorted(self.times[name]), self.outcomes[name]
            phase = "trivial" if name == TRIVIAL else "desk"
            actions[name] = {
                "requests": outcome["measured"],
                "rps": 0 if name.startswith(LOGIN) or not seconds.get(phase) else outcome["measured"] / seconds[phase],
                "p50_ms": _percentile(times, 50),
                "p99_ms": _percentile(times, 99),
                "refused": outcome["refused"],
                "errors": outcome["errors"],
                "server_errors": outcome["server_errors"],
            }
        desk = sum(a["requests"] for n, a in actions.items() if n != TRIVIAL and not n.startswith(LOGIN))
        desk_rps = desk / seconds["desk"] if seconds.get("desk") else 0
        trivial_rps = actions.get(TRIVIAL, {}).get("rps", 0)
        return {
            "seconds": seconds,
            "actions": actions,
            "desk_rps": desk_rps,
            "trivial_rps": trivial_rps,
            "ratio": desk_rps / trivial_rps if trivial_rps else 0,
            "errors": sum(a["errors"] for a in actions.values()),
            "server_errors": sum(a["server_errors"] for a in actions.values()),
            "desk_logged_in": "desk" in self.started,
        }


def _percentile(times: list[float], percent: float) -> float:
    """Nearest rank: the smallest time that at least `percent` % of the requests did not exceed."""
    if not times:
        return 0.0
    rank = max(1, -(-len(times) * percent // 100))
    return times[int(rank) - 1]


RECORDER = Recorder()


@events.request.add_listener
def _record(name: str, response_time: float, response: Any, exception: Any, context: dict[str, Any], **kw: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    at = kw.get("start_time") or time.time()
    RECORDER.request(name, response_time, status, exception is not None, context.get("phase", ""), at)


@events.quitting.add_listener
def _report(environment: Any, **kw: Any) -> None:
    summary = RECORDER.summary()
    summary["users"] = environment.parsed_options.desk_users
    print(format_summary(summary), flush=True)
    if environment.parsed_options.summary_file:
        with open(environment.parsed_options.summary_file, "w", encoding="utf-8") as file:
            json.dump(summary, file, indent=2)


def format_summary(summary: dict[str, Any]) -> str:
    head = ["requests", "req/s", "p50 ms", "p99 ms", "refused", "errors", "5xx"]
    lines = ["", f"{'action':<26} " + " ".join(f"{name:>8}" for name in head)]
    for name, a in summary["actions"].items():
        lines.append(
            f"{name:<26} {a['requests']:>8} {a['rps']:>8.1f} {a['p50_ms']:>8.0f} {a['p99_ms']:>8.0f} "
            f"{a['refused']:>8} {a['errors']:>8} {a['server_errors']:>8}"
        )
    seconds = summary["seconds"]
    lines += [
        "",
        f"{summary['users']} users. Trivial view alone: {summary['trivial_rps']:.1f} req/s over "
        f"{seconds.get('trivial', 0):.0f} s. Desk: {summary['desk_rps']:.1f} req/s over {seconds.get('desk', 0):.0f} s "
        "(after every desk user had logged in).",
        f"Desk throughput / trivial view's: {summary['ratio']:.2f}. "
        f"Errors: {summary['errors']}, of them server errors (5xx or no answer): {summary['server_errors']}.",
    ]
    return "\n".join(lines)
