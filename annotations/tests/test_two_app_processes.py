"""No lost update with several app processes on one database: two gunicorn servers, two fact-checkers
sending the same stale-free form at the same moment, one to each server. One wins, the other gets
the conflict, and the history has exactly one new row."""

import http.client
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from annotations import serving
from annotations.models import ClaimStatus
from annotations.tests.conftest import add_evidence, make_article, make_claim, make_source

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _real_transactions(transactional_db: None) -> None:
    """Named here so the suite's role fixture sees a flushed database and recreates the groups."""


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[list[int]]:
    with serving.development_servers(2, tmp_path, CONN_MAX_AGE="0") as servers:
        yield [server.port for server in servers]


def _form_post(port: int, user: Any, path: str, fields: dict[str, Any]) -> Any:
    """Load the page like a browser (cookie and CSRF token), then return a function that posts the form."""
    cookie = serving.session_cookie(user)
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
