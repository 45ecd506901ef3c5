"""The foundation: settings from the environment, health check, demo data, languages."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from annotations.models import Article, Claim, ClaimEvent, ClaimStatus, Evidence, Source

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def _snapshot() -> dict:
    return {
        "articles": sorted(Article.objects.values_list("title", "content_hash", "published_precision")),
        "claims": sorted(Claim.objects.values_list("statement", "start", "end", "status", "version")),
        "sources": sorted(Source.objects.values_list("url", "title")),
        "evidence": Evidence.objects.count(),
        "events": ClaimEvent.objects.count(),
    }


@pytest.mark.django_db
def test_load_demo_twice_gives_the_same_data(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))
    first = _snapshot()
    call_command("load_demo", stdout=open(os.devnull, "w"))
    assert _snapshot() == first
    statuses = {status for *_, status, _ in first["claims"]}
    assert statuses == set(ClaimStatus.values)


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo")


def test_make_run_steps_work_on_sqlite(tmp_path):
    """`make run` without DATABASE_URL: migrate and load_demo on a fresh SQLite file."""
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}", "DEBUG": "1"}
    _manage("migrate", "--noinput", env=env)
    out = _manage("load_demo", env=env).stdout
    assert "redaktion" in out and "cvd" in out
    again = _manage("load_demo", env=env).stdout
    assert "0 new article(s)" in again


def test_without_database_url_the_default_is_a_sqlite_file_in_the_project():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["DEBUG"] = "1"
    code = "from django.conf import settings; d=settings.DATABASES['default']; print(d['ENGINE'], d['NAME'])"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    ).stdout
    assert "sqlite3" in out and str(ROOT / "db.sqlite3") in out


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = _manage("check", env={"DEBUG": "0", "SECRET_KEY": ""}, check=False)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    code = "import django; django.setup();from django.test import Client; print(Client().get('/healthz').status_code)"
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/nothing",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.strip() == "503", out.stderr[-2000:]


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


@pytest.mark.django_db
def test_login_page_speaks_german_first(client):
    html = client.get("/accounts/login/").content.decode()
    assert "Anmelden" in html
    assert 'lang="de"' in html


@pytest.mark.django_db
def test_language_switcher_offers_english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"}, follow=True)
    html = response.content.decode()
    assert 'lang="en"' in html
    assert "Log in" in html


@pytest.mark.django_db
def test_demo_users_can_log_in_and_see_the_overview(client, settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=open(os.devnull, "w"))
    from annotations.demo import DEMO_PASSWORD

    response = client.post("/accounts/login/", {"username": "redaktion", "password": DEMO_PASSWORD}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Übersicht" in html
    assert "Stadtrat von Weidenau" in html
