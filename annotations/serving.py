"""Starting the app under gunicorn, as `make serve` does, for the load run, the export benchmark and tests;
and the accounts and sessions they use.

The server gets the production settings (DEBUG off, gunicorn.conf.py) with two
allowances for a plain-HTTP server on this machine: no redirect to HTTPS and cookies not marked
Secure (there is no TLS proxy in front of it here). Tests that need several app servers on one
database start development_servers instead (DEBUG on), which serve the static files themselves.
"""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    """The URL of the database this process uses (a test database included), for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def account(username: str, group: str, **defaults: Any) -> Any:
    """The user of that name, in that group; created without a usable password (benchmarks, load runs)."""
    user, created = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=group))
    return user


def session_cookie(user: Any) -> str:
    """A Cookie header for a session of this user, as if they had logged in (for benchmarks and tests)."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, process: subprocess.Popen, log: Path | None = None, seconds: float = 60) -> None:
    """Until /healthz answers 200; RuntimeError with the server's last words if it dies or takes too long."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} stopped: {_tail(process, log)}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server on port {port} did not answer within {seconds:.0f} s: {_tail(process, log)}")


def _tail(process: subprocess.Popen, log: Path | None) -> str:
    if log is not None and log.exists():
        return log.read_text(errors="replace")[-3000:]
    if process.stderr is not None and process.poll() is not None:
        return process.stderr.read().decode(errors="replace")[-3000:]
    return ""


def production_env(port: int, **overrides: str) -> dict[str, str]:
    """The environment of `make serve` on 127.0.0.1:port over plain HTTP, against this process's database."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        # This process's key: sessions it makes (session_cookie) are valid there.
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        **overrides,
    }


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    pid: int  # gunicorn's master process

    def worker_pids(self) -> list[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


@contextmanager
def gunicorn(log: Path, **overrides: str) -> Iterator[Server]:
    """gunicorn with gunicorn.conf.py and the production settings; yields the server, stops it afterwards.

    Its output goes to the file `log` (a pipe nobody reads would fill up and stall the workers);
    `overrides` are environment variables (GUNICORN_WORKERS="2", CONN_MAX_AGE="0", ...).
    """
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "newsroom.wsgi"],
            cwd=ROOT,
            env=production_env(port, **overrides),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(port, process, log)
        yield Server(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def development_servers(count: int, log_dir: Path, **overrides: str) -> Iterator[list[Server]]:
    """`count` app servers of one gunicorn worker each with DEBUG on, on this process's database: several
    app servers behind one load balancer, for tests. DEBUG lets them serve the static files from the source
    folders, so nothing is collected outside the test's own folder; each writes its output to `log_dir`."""
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1", "ALLOWED_HOSTS": "127.0.0.1", **overrides}
    servers: list[tuple[Server, subprocess.Popen, Path]] = []
    try:
        for _ in range(count):
            port = free_port()
            log = log_dir / f"server-{port}.log"
            with log.open("ab") as output:  # the process keeps its own copy of the file
                command = [sys.executable, "-m", "gunicorn", "newsroom.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"]
                process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
            servers.append((Server(url=f"http://127.0.0.1:{port}", port=port, pid=process.pid), process, log))
        for server, process, log in servers:
            wait_until_up(server.port, process, log)
        yield [server for server, _process, _log in servers]
    finally:
        for _server, process, _log in servers:
            process.terminate()
        for _server, process, _log in servers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
