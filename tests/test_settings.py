"""Settings from the environment: bad values stop the process at start with a message that
names the variable; production settings pass Django's deploy check."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

SETUP = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','newsroom.settings'); "
    "django.setup()"
)
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "REDIS_CACHE_URL", "DJANGO_SETTINGS_MODULE")


def clean_env(tmp_path, **values: str) -> dict[str, str]:
    """This process's environment without the service settings, plus `values`."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    for name in ("DJANGO_DEBUG", "SECRET_KEY", "SOURCE_ENCRYPTION_KEYS", "ALLOWED_HOSTS"):
        env.pop(name, None)
    env["NEWSROOM_DATA_DIR"] = str(tmp_path)
    env.update(values)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production(tmp_path, **extra: str) -> dict[str, str]:
    values = {
        "DJANGO_DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SOURCE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "news.example.org",
    }
    return clean_env(tmp_path, **{**values, **extra})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "postgres://newsroom@db.internal:not-a-port/newsroom"),
        ("DATABASE_URL", "mysql://newsroom@db.internal/newsroom"),
        ("DATABASE_URL", "postgres:///newsroom"),
        ("DATABASE_URL", "db.internal:5432"),
        ("REDIS_URL", "redis://cache.internal:sixthree/0"),
        ("REDIS_URL", "http://cache.internal:6379/0"),
        ("REDIS_URL", "redis://"),
        ("REDIS_CACHE_URL", "memcached://cache.internal"),
    ],
)
def test_malformed_url_fails_at_start_naming_the_variable(tmp_path, variable, value):
    result = run(["-c", SETUP], clean_env(tmp_path, **{variable: value}))
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "ImproperlyConfigured" in last_line
    assert variable in last_line
    # The error is ours, not a driver's from deep inside a connection attempt.
    assert "psycopg" not in result.stderr and "redis.exceptions" not in result.stderr


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_malformed_debug_flag_names_the_variable(tmp_path, value):
    result = run(["-c", SETUP], clean_env(tmp_path, DJANGO_DEBUG=value))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_DEBUG" in result.stderr


def test_production_without_secret_key_fails_naming_it(tmp_path):
    env = production(tmp_path)
    del env["SECRET_KEY"]
    result = run(["-c", SETUP], env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr.strip().splitlines()[-1]


def test_production_without_encryption_keys_fails_naming_them(tmp_path):
    env = production(tmp_path)
    del env["SOURCE_ENCRYPTION_KEYS"]
    result = run(["-c", SETUP], env)
    assert result.returncode != 0
    assert "SOURCE_ENCRYPTION_KEYS" in result.stderr.strip().splitlines()[-1]


def test_embedded_default_starts_with_nothing_set(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'], "
        "s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)"
    )
    result = run(["-c", code], clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "newsroom.filecache.SharedFileCache",
        "True",
        "True",
    ]


def test_service_urls_select_postgres_and_redis(tmp_path):
    code = SETUP + (
        "; from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['HOST'], d['NAME'], d['CONN_MAX_AGE'] > 0, "
        "s.CACHES['default']['BACKEND'], s.CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = clean_env(
        tmp_path,
        DATABASE_URL="postgres://newsroom@db.internal:5432/newsroom",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    result = run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "newsroom",
        "True",
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
        "False",
    ]


@pytest.mark.parametrize("ssl_redirect", ["1", "0"])
def test_production_passes_the_deploy_check(tmp_path, ssl_redirect):
    env = production(tmp_path, SECURE_SSL_REDIRECT=ssl_redirect)
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_still_reports_what_is_wrong(tmp_path):
    # Only W008 is ever silenced (behind a TLS-terminating proxy); a weak key is reported.
    env = production(tmp_path, SECRET_KEY="short", SECURE_SSL_REDIRECT="0")
    result = run(["manage.py", "check", "--deploy"], env)
    assert "security.W009" in result.stdout + result.stderr
