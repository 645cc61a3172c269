"""Brute force on the admin login: a username or an address is locked out after
LOGIN_FAILURE_LIMIT wrong passwords, even for the right password, until the cool-off ends.
Every request here is a real POST to the login form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def attempt(username: str, password: str, *, address: str = "203.0.113.7", **headers) -> int:
    """One login from a fresh browser at `address`; the status code of the answer."""
    response = Client(REMOTE_ADDR=address, **headers).post(
        "/admin/login/?next=/admin/", {"username": username, "password": password}
    )
    if response.status_code == 302:
        assert response["Location"] == "/admin/"
    return response.status_code


def test_right_password_logs_in(editor):
    assert attempt("eddie", PASSWORD) == 302


def test_wrong_password_shows_the_form_again(editor):
    assert attempt("eddie", "not the password") == 200


def test_username_locked_after_five_failures_from_different_addresses(editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    with time_machine.travel(START, tick=False) as clock:
        for n in range(4):
            assert attempt("eddie", "guess", address=f"198.51.100.{n}") == 200
        assert attempt("eddie", "guess", address="198.51.100.4") == 429

        # Locked: the right password from yet another address is refused too.
        assert attempt("eddie", PASSWORD, address="192.0.2.99") == 429
        # Another user is not affected.
        UserFactory(username="rita", role="Reporter")
        assert attempt("rita", PASSWORD, address="192.0.2.99") == 302

        clock.shift(timedelta(minutes=14))
        assert attempt("eddie", PASSWORD, address="192.0.2.99") == 429
        clock.shift(timedelta(minutes=2))  # past the 15-minute cool-off
        assert attempt("eddie", PASSWORD, address="192.0.2.99") == 302


def test_address_locked_after_failures_spread_over_many_users(editor):
    with time_machine.travel(START, tick=False) as clock:
        for n in range(4):
            assert attempt(f"user{n}", "guess", address="203.0.113.50") == 200
        assert attempt("user4", "guess", address="203.0.113.50") == 429

        # Every username from that address is refused, the right password included...
        assert attempt("eddie", PASSWORD, address="203.0.113.50") == 429
        # ...while the same user from another address logs in.
        assert attempt("eddie", PASSWORD, address="203.0.113.51") == 302

        clock.shift(timedelta(minutes=16))
        assert attempt("eddie", PASSWORD, address="203.0.113.50") == 302


def test_behind_a_proxy_the_forwarded_client_is_counted(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(5):
        attempt(f"user{n}", "guess", address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50")

    # The proxy's own address is not locked: another client through it logs in.
    assert attempt("eddie", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.51") == 302
    assert attempt("eddie", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50") == 429
    # A client cannot escape by writing its own X-Forwarded-For: the proxy appends the real one.
    forged = "192.0.2.1, 203.0.113.50"
    assert attempt("eddie", PASSWORD, address=proxy, HTTP_X_FORWARDED_FOR=forged) == 429


def test_a_successful_login_clears_the_users_count(editor):
    for n in range(4):
        assert attempt("eddie", "guess", address=f"198.51.100.{n}") == 200
    assert attempt("eddie", PASSWORD, address="198.51.100.9") == 302

    for n in range(4):
        assert attempt("eddie", "guess", address=f"198.51.100.{10 + n}") == 200
    assert attempt("eddie", PASSWORD, address="198.51.100.9") == 302


def test_limits_come_from_the_environment(tmp_path):
    from tests.test_settings import SETUP, clean_env, run

    code = SETUP + (
        "; from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.TRUSTED_PROXY_COUNT, "
        "s.REST_FRAMEWORK['NUM_PROXIES'])"
    )
    env = clean_env(
        tmp_path, LOGIN_FAILURE_LIMIT="8", LOGIN_COOLOFF_MINUTES="30", TRUSTED_PROXY_COUNT="1"
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["8", "0:30:00", "1", "1"]


def _entries(action: str):
    from articles.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action).order_by("at"))


def test_logins_failures_lockouts_and_logouts_reach_the_audit_trail(editor, settings):
    assert attempt("eddie", "not the password", address="198.51.100.4") == 200
    assert attempt("eddie", PASSWORD, address="198.51.100.4") == 302
    client = Client(REMOTE_ADDR="198.51.100.5")
    client.force_login(editor)
    client.post("/admin/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt("mallory", "guess", address="198.51.100.9")

    failed = _entries("login-failed")
    assert failed[0].subject == "username:eddie" and failed[0].note == "from 198.51.100.4"
    assert all("guess" not in e.note and "password" not in e.note for e in failed)
    login = _entries("login")[0]
    assert (login.actor, login.note) == (editor, "from 198.51.100.4")
    assert [e.actor for e in _entries("logout")] == [editor]
    lockout = _entries("lockout")
    assert [e.subject for e in lockout] == ["username:mallory"]
    assert lockout[0].note == "locked out from 198.51.100.9"
