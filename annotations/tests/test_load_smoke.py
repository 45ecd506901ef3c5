"""A short run of the load scenario (`make load`) against gunicorn on the test database: every action of
the desk runs through the real login and forms, the server answers no 5xx, and the work shows in the data."""

from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse

from annotations import serving
from annotations.models import Claim, ClaimEvent, ClaimStatus, Evidence

pytestmark = pytest.mark.django_db(transaction=True)

ACTIONS = {
    "log in",
    "log in (form)",
    "dashboard",
    "article list",
    "article page",
    "create claim",
    "queue",
    "queue filtered",
    "claim page",
    "change status",
    "add evidence",
    "reopen",
    "export csv",
    "trivial view (/healthz)",
}


@pytest.fixture(autouse=True)
def _real_transactions(transactional_db: None) -> None:
    """Named here so the suite's role fixture sees a flushed database and recreates the groups."""


def test_a_short_load_run_does_every_action_without_server_errors(tmp_path):
    call_command(
        "generate_load_data", "--articles", "30", "--claims-per-article", "6", "--seed", "3", stdout=io.StringIO()
    )
    claims_before = set(Claim.objects.values_list("id", flat=True))
    summary_file, log = tmp_path / "summary.json", tmp_path / "load.log"
    command = [sys.executable, "manage.py", "run_load", "--users", "5", "--trivial-seconds", "3"]
    command += ["--desk-seconds", "20", "--summary-file", str(summary_file), "--log", str(log)]
    env = {**os.environ, "DATABASE_URL": serving.database_url(), "GUNICORN_WORKERS": "3"}
    finished = subprocess.run(command, cwd=serving.ROOT, env=env, capture_output=True, timeout=300, check=False)
    output = (finished.stdout + finished.stderr).decode(errors="replace")
    assert finished.returncode == 0, output[-5000:]
    summary = json.loads(summary_file.read_text())
    assert summary["server_errors"] == 0 and summary["errors"] == 0, output[-5000:]
    assert summary["desk_logged_in"]
    ran = {name for name, action in summary["actions"].items() if action["requests"] + action["refused"] > 0}
    assert ran >= ACTIONS, f"actions that never ran: {ACTIONS - ran}"
    assert summary["trivial_rps"] > 0 and summary["desk_rps"] > 0
    assert "Desk throughput / trivial view's" in output
    # The forms did what they say: new claims from the editors, sources and verdicts from the
    # fact-checkers, reopenings from the chief editors, each with its history.
    new_claims = Claim.objects.exclude(id__in=claims_before)
    assert new_claims.filter(created_by__username__startswith="desk-editor-").exists()
    assert Evidence.objects.filter(added_by__username__startswith="desk-checker-").exists()
    checked = ClaimEvent.objects.filter(actor__username__startswith="desk-checker-", kind=ClaimEvent.Kind.STATUS)
    assert checked.filter(to_status=ClaimStatus.VERIFIED).exists()
    assert ClaimEvent.objects.filter(actor__username__startswith="desk-chief-", kind=ClaimEvent.Kind.REOPENED).exists()


def _refusal_pattern() -> re.Pattern[str]:
    """The load scenario's sign of a refused form, read from its file: importing locust here would patch
    the test process with gevent."""
    tree = ast.parse((serving.ROOT / "loadtest" / "locustfile.py").read_text())
    (call,) = [node.value for node in tree.body if isinstance(node, ast.Assign) and node.targets[0].id == "REFUSAL"]
    return re.compile(ast.literal_eval(call.args[0]))


def test_the_load_scenario_tells_a_refused_form_from_a_done_one(client, editor, fact_checker, claim):
    # Refusals lead back to the page (Post/Redirect/Get): the scenario must see them there, or it would
    # count a refused action as done.
    refusal = _refusal_pattern()
    client.force_login(editor)
    article = claim.article
    done = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {"start": 0, "end": 3, "quote": article.body[:3], "statement": "Neu"},
    )
    assert not refusal.search(client.get(done["Location"]).content.decode())
    refused = client.post(
        reverse("annotations:claim-create", args=[article.pk]),
        {"start": 0, "end": 3, "quote": "xyz", "statement": "Neu"},
    )
    assert refusal.search(client.get(refused["Location"]).content.decode())
    client.force_login(fact_checker)
    stale = client.post(
        reverse("annotations:claim-change-status", args=[claim.pk]),
        {"status": "in_review", "version": claim.version - 1},
    )
    assert refusal.search(client.get(stale["Location"]).content.decode())
    assert not refusal.search(client.get(claim.get_absolute_url()).content.decode())
