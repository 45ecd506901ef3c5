"""No lost update with several app processes on one database: two gunicorn servers, two fact-checkers
sending the same stale-free form at the same moment, one to each server. One wins, the other gets
the conflict, and the history has exactly one new row."""

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _real_transactions(transactional_db: None) -> None:
    """Named here so the suite's role fixture sees a flushed database and recreates the groups."""


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode()[-3000:])
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on {port} did not start")


@pytest.fixture
def two_servers() -> Iterator[list[int]]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",
    }
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_until_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=10)


def _session_cookie(user: Any) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _form_post(port: int, user: Any, path: str, fields: dict[str, Any]) -> Any:
    """Load the page like a browser (cookie and CSRF token), then return a function that posts the form."""
    cookie = _session_cookie(user)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    html = response.read().decode()
    assert response.status == 200, html[:500]
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def post() -> tuple[int, str]:
        body = urlencode({**fields, "csrfmiddlewaretoken": token})
        headers = {
            "Cookie": f"{cookie}; csrftoken={csrf_cookie}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", f"{path}status/", body=body, headers=headers)
        answer = conn.getresponse()
        answer.read()
        if answer.status != 302:
            return answer.status, ""
        # Post/Redirect/Get: the claim page, where a refusal shows what changed meanwhile.
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", answer.getheader("Location"), headers={"Cookie": cookie})
        page = conn.getresponse()
        return page.status, page.read().decode()

    return post


def test_two_servers_one_database_one_winner(two_servers, editor, fact_checker, second_fact_checker):
    claim = make_claim(make_article(by=editor), editor, quote="Schulen")
    add_evidence(claim, fact_checker, "supports", make_source("https://www.example.org/dafuer"))
    add_evidence(claim, fact_checker, "refutes", make_source("https://www.example.org/dagegen"))
    claim.change_status(ClaimStatus.IN_REVIEW, by=fact_checker)
    claim.refresh_from_db()
    events_before = claim.events.count()
    path = f"/claims/{claim.pk}/"
    version = claim.version
    posts = [
        _form_post(two_servers[0], fact_checker, path, {"status": "verified", "comment": "", "version": version}),
        _form_post(
            two_servers[1], second_fact_checker, path, {"status": "disputed", "comment": "", "version": version}
        ),
    ]
    barrier = threading.Barrier(2)
    results: list[Any] = [None, None]

    def run(index: int) -> None:
        barrier.wait(timeout=10)
        results[index] = posts[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [status for status, _ in results] == [200, 200], [(s, b[:300]) for s, b in results]
    [loser] = [body for _status, body in results if "data-claim-error" in body]
    assert "Jemand hat diese Behauptung geändert" in loser
    claim.refresh_from_db()
    assert claim.status in (ClaimStatus.VERIFIED, ClaimStatus.DISPUTED)
    assert claim.version == version + 1
    assert claim.events.count() == events_before + 1
