"""Editor sessions: 12 hours at most, 30 minutes idle, ended by a password change; passwords
of at least 12 characters; __Host- cookies in production."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tests.test_settings import SETUP, clean_env, production, run

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"
LOGIN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def log_in(client, username: str) -> None:
    response = client.post(
        "/admin/login/?next=/admin/", {"username": username, "password": PASSWORD}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"


def is_logged_in(client) -> bool:
    response = client.get("/admin/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_session_ends_after_thirty_idle_minutes(client, editor):
    with time_machine.travel(LOGIN, tick=False) as clock:
        log_in(client, "eddie")
        clock.shift(timedelta(minutes=29))
        assert is_logged_in(client)
        clock.shift(timedelta(minutes=29))  # 29 minutes since the last request
        assert is_logged_in(client)
        clock.shift(timedelta(minutes=31))
        assert not is_logged_in(client)
        # Logging in again starts a new session.
        log_in(client, "eddie")
        assert is_logged_in(client)


def test_session_ends_twelve_hours_after_login_however_busy(client, editor):
    with time_machine.travel(LOGIN, tick=False) as clock:
        log_in(client, "eddie")
        for _ in range(35):  # a request every 20 minutes for 11 h 40 min
            clock.shift(timedelta(minutes=20))
            assert is_logged_in(client)
        clock.shift(timedelta(minutes=21))  # 12 h 01 min after login
        assert not is_logged_in(client)


def test_idle_limit_comes_from_the_environment(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; "
        "print(s.SESSION_IDLE_SECONDS, s.SESSION_ABSOLUTE_SECONDS, s.SESSION_COOKIE_AGE, "
        "s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME)"
    )
    embedded = run(["-c", code], clean_env(tmp_path))
    assert embedded.returncode == 0, embedded.stderr
    assert embedded.stdout.split() == ["1800", "43200", "43200", "sessionid", "csrftoken"]

    env = production(tmp_path, SESSION_IDLE_SECONDS="600", SESSION_ABSOLUTE_SECONDS="28800")
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "600",
        "28800",
        "28800",
        "__Host-sessionid",
        "__Host-csrftoken",
    ]


@pytest.mark.parametrize("password", ["elevenchars", "Tr0ub4dor&3"])
def test_passwords_shorter_than_twelve_are_refused(password):
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password(password)


def test_twelve_character_password_is_long_enough():
    validate_password("plum orchard")  # no exception


def test_password_change_ends_the_users_other_sessions(client, editor):
    from django.test import Client

    other_browser = Client()
    log_in(client, "eddie")
    log_in(other_browser, "eddie")
    assert is_logged_in(other_browser)

    response = client.post(
        "/admin/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer passphrase",
            "new_password2": "a much longer passphrase",
        },
    )

    assert response.status_code == 302
    assert not is_logged_in(other_browser)
    # The browser that changed it stays logged in with the new password's session.
    assert is_logged_in(client)


def test_password_reset_by_an_administrator_ends_the_users_sessions(client, editor, admin_user):
    from django.test import Client

    log_in(client, "eddie")
    administrator = Client()
    administrator.force_login(admin_user)

    response = administrator.post(
        f"/admin/auth/user/{editor.pk}/password/",
        {
            "password1": "a much longer passphrase",
            "password2": "a much longer passphrase",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302
    assert not is_logged_in(client)
