"""Put a desk of editors, fact-checkers and chief editors on the app under gunicorn, and print the figures.

    manage.py run_load --users 20 --trivial-seconds 15 --desk-seconds 60

Runs the locust scenario in loadtest/locustfile.py headless against a gunicorn started here with the
production settings and gunicorn.conf.py, on this database. The desk's accounts (desk-editor-N,
desk-checker-N, desk-chief-N) get a new random password for each run, so none is known afterwards.
Exits with an error when a request failed or the server answered 5xx.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotations import serving
from annotations.models import Article, Claim
from annotations.roles import CHIEF_EDITOR, EDITOR, FACT_CHECKER

LOCUSTFILE = serving.ROOT / "loadtest" / "locustfile.py"
ROLES = {"editor": EDITOR, "checker": FACT_CHECKER, "chief": CHIEF_EDITOR}


class Command(BaseCommand):
    help = "Load test: the trivial view, then a desk of editors, fact-checkers and chief editors, against gunicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--users", type=int, default=20, help="Simultaneous users in each phase.")
        parser.add_argument("--trivial-seconds", type=float, default=15)
        parser.add_argument("--desk-seconds", type=float, default=60)
        parser.add_argument("--summary-file", default="", help="Also write the figures as JSON to this file.")
        parser.add_argument("--log", default="", help="gunicorn's and locust's output (default: a temporary file).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Article.objects.exists() or not Claim.objects.exists():
            raise CommandError("No articles or claims to work on: run generate_load_data first.")
        users = options["users"]
        password = secrets.token_urlsafe(24)
        _desk_accounts(users, password)
        with tempfile.TemporaryDirectory(prefix="newsroom-load-") as folder:
            log = Path(options["log"] or Path(folder) / "load.log")
            summary_file = Path(options["summary_file"] or Path(folder) / "summary.json")
            self.stdout.write(f"gunicorn and locust write to {log}")
            with serving.gunicorn(log) as server:
                command = [
                    *[sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", server.url],
                    *["--desk-users", str(users), "--summary-file", str(summary_file)],
                    *["--trivial-seconds", str(options["trivial_seconds"])],
                    *["--desk-seconds", str(options["desk_seconds"])],
                    *["--only-summary", "--loglevel", "WARNING", "--logfile", str(log)],
                ]
                timeout = options["trivial_seconds"] + options["desk_seconds"] + 120
                finished = subprocess.run(
                    command,
                    env={**os.environ, "LOAD_PASSWORD": password},
                    stdout=subprocess.PIPE,
                    stderr=subprocess.STDOUT,
                    timeout=timeout,
                    check=False,
                )
            output = finished.stdout.decode(errors="replace")
            if not summary_file.exists():
                raise CommandError(f"locust wrote no figures (exit status {finished.returncode}):\n{output[-3000:]}")
            summary = json.loads(summary_file.read_text())
            self.stdout.write(_figures(output))
            problems = [f"{summary['errors']} failed requests"] if summary["errors"] else []
            problems += [f"{summary['server_errors']} server errors"] if summary["server_errors"] else []
            problems += [] if summary["desk_logged_in"] else ["not every desk user could log in"]
            if problems:
                self.stderr.write(log.read_text(errors="replace")[-5000:])
                raise CommandError(", ".join(problems) + " (the end of the log is above)")


def _figures(output: str) -> str:
    """Our table from locust's output, without locust's own (which mixes the two phases)."""
    start, end = output.find("\naction "), output.find("\nType ")
    if start < 0:
        return output
    return output[start : end if end > start else len(output)].strip("\n")


def _desk_accounts(per_role: int, password: str) -> None:
    """desk-<role>-1 … desk-<role>-N in their groups, all with this run's password (hashed once)."""
    hashed = make_password(password)
    for role, group in ROLES.items():
        for number in range(1, per_role + 1):
            serving.account(f"desk-{role}-{number}", group, first_name="Last", last_name=f"{group} {number}")
        get_user_model().objects.filter(username__startswith=f"desk-{role}-").update(password=hashed, is_active=True)
