"""Accounts resist guessing: lock-out after a few wrong passwords, Argon2 hashes, sessions of a working day."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from annotations.roles import EDITOR
from annotations.tests.conftest import PASSWORD, make_user
from newsroom import settings as project_settings

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def log_in(client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail(client, username: str, times: int, address: str = "203.0.113.7") -> None:
    for _ in range(times):
        response = log_in(client, username, "falsch-geraten", address)
        assert response.status_code in (200, 429)


@pytest.fixture
def limit(settings) -> int:
    assert settings.AXES_FAILURE_LIMIT == project_settings.AXES_FAILURE_LIMIT
    return settings.AXES_FAILURE_LIMIT


def test_the_defaults_are_a_few_failures_and_a_quarter_of_an_hour(settings):
    assert 3 <= settings.AXES_FAILURE_LIMIT <= 10
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_after_the_limit_the_right_password_is_refused_with_the_time_to_try_again(client, editor, limit):
    fail(client, editor.username, limit - 1)
    assert log_in(client, editor.username, "falsch-geraten").status_code == 429
    response = log_in(client, editor.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    html = response.content.decode()
    until = timezone.localtime(AccessAttempt.objects.get(username=editor.username).attempt_time) + datetime.timedelta(
        minutes=15
    )
    assert "Anmeldung gesperrt" in html
    assert f"Versuchen Sie es um {until:%H:%M} Uhr wieder (in 15 Minuten)" in html
    # The page is ordinary: no inline code, the policy still holds.
    assert "Content-Security-Policy" in response.headers
    assert "<script>" not in html and "style=" not in html


def test_failures_below_the_limit_do_not_lock_and_a_success_clears_them(client, editor, limit):
    fail(client, editor.username, limit - 1)
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    client.logout()
    fail(client, editor.username, limit - 1)
    assert log_in(client, editor.username, PASSWORD).status_code == 302


def test_the_lock_ends_after_the_cool_off(client, editor, limit):
    fail(client, editor.username, limit)
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    # Attempts while locked are not counted, so the time on the page stays true.
    attempt = AccessAttempt.objects.get(username=editor.username)
    assert attempt.failures_since_start == limit
    # A quarter of an hour passes: the failures now lie before the cool-off.
    attempt.attempt_time -= datetime.timedelta(minutes=15, seconds=1)
    attempt.save()
    response = log_in(client, editor.username, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_a_short_cool_off_from_the_environment_setting_also_ends(client, editor, settings, limit):
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=1)
    fail(client, editor.username, limit)
    attempt = AccessAttempt.objects.get(username=editor.username)
    attempt.attempt_time -= datetime.timedelta(seconds=2)
    attempt.save()
    assert log_in(client, editor.username, PASSWORD).status_code == 302


def test_a_lock_for_one_user_name_does_not_lock_another(client, editor, fact_checker, limit):
    fail(client, editor.username, limit)
    assert log_in(client, editor.username, PASSWORD).status_code == 429
    assert log_in(client, fact_checker.username, PASSWORD).status_code == 302


def test_a_lock_at_one_address_does_not_lock_the_same_user_elsewhere(client, editor, limit):
    fail(client, editor.username, limit, address="203.0.113.7")
    assert log_in(client, editor.username, PASSWORD, address="203.0.113.7").status_code == 429
    assert log_in(client, editor.username, PASSWORD, address="198.51.100.20").status_code == 302


def test_the_admin_login_is_locked_as_well(client, superuser, limit):
    for _ in range(limit):
        client.post("/admin/login/", {"username": "root", "password": "falsch"}, REMOTE_ADDR="203.0.113.9")
    response = client.post("/admin/login/", {"username": "root", "password": PASSWORD}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admins_see_the_lock_out_and_can_lift_it(client, editor, superuser, limit):
    fail(client, editor.username, limit)
    client.force_login(superuser)
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert editor.username in listing.content.decode()
    attempt = AccessAttempt.objects.get(username=editor.username)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert log_in(client, editor.username, PASSWORD).status_code == 302


# --- Password hashes -----------------------------------------------------------------------


@pytest.fixture
def _fast_password_hashing(settings) -> None:
    """These tests need the production hashers, not the fast MD5 the rest of the suite uses."""
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def test_argon2_comes_first():
    assert project_settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_new_users_get_an_argon2_hash():
    user = make_user("neu", EDITOR)
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


def test_a_pbkdf2_hash_is_upgraded_to_argon2_when_its_owner_logs_in(client):
    user = make_user("alt", EDITOR)
    get_user_model().objects.filter(pk=user.pk).update(password=make_password(PASSWORD, hasher="pbkdf2_sha256"))
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert log_in(client, "alt", PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


# --- Sessions --------------------------------------------------------------------------------


def test_a_session_lasts_a_working_day(client, editor, settings):
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
    before = timezone.now()
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    session = Session.objects.get(session_key=client.session.session_key)
    assert before + datetime.timedelta(hours=10) <= session.expire_date <= timezone.now() + datetime.timedelta(hours=10)
    assert client.get("/").status_code == 200


def test_an_expired_session_asks_for_the_login_again(client, editor):
    assert log_in(client, editor.username, PASSWORD).status_code == 302
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get("/claims/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
