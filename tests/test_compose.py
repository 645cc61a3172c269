"""docker-compose.yml and the Dockerfile, checked against the settings (no Docker engine
runs in CI): the services, images, commands, health checks and start order, and that every
variable production settings require is set for each Newsroom process."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP_SERVICES = ("web", "worker", "beat")
# What production settings (DJANGO_DEBUG=0) need to run on PostgreSQL and Redis.
REQUIRED_IN_PRODUCTION = (
    "SECRET_KEY",
    "SOURCE_ENCRYPTION_KEYS",
    "DATABASE_URL",
    "REDIS_URL",
    "ALLOWED_HOSTS",
    "DJANGO_DEBUG",
)
# Given by the operator's .env; compose must refuse to start without them.
OPERATOR_SECRETS = ("SECRET_KEY", "SOURCE_ENCRYPTION_KEYS", "POSTGRES_PASSWORD")

_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:[?-])(?P<arg>[^}]*))?\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def interpolate(value: str, given: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, with `given` as the .env."""

    def replace(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"], match["arg"]
        if given.get(name):
            return given[name]
        if op == ":?":
            raise LookupError(f"{name}: {arg}")
        return arg if op == ":-" else ""

    return _VARIABLE.sub(replace, value).replace("$$", "$")


def operator_env() -> dict[str, str]:
    return {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SOURCE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "POSTGRES_PASSWORD": secrets.token_hex(16),
        "ALLOWED_HOSTS": "news.example.org",
    }


def resolved_environment(service: dict, given: dict[str, str]) -> dict[str, str]:
    return {
        key: interpolate(str(value), given) for key, value in service.get("environment", {}).items()
    }


def command_line(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else command


def test_services_and_images(services, compose):
    assert set(services) == {"postgres", "redis", *APP_SERVICES}
    assert services["postgres"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    images = {services[name]["image"] for name in APP_SERVICES}
    assert len(images) == 1  # one image, built once
    for name in APP_SERVICES:
        assert services[name]["build"] == {"context": ".", "dockerfile": "Dockerfile"}
    volume = services["postgres"]["volumes"][0].split(":")
    assert volume == ["pgdata", "/var/lib/postgresql/data"]
    assert "pgdata" in compose["volumes"]


def test_commands(services):
    web = command_line(services["web"])
    assert web.index("manage.py migrate") < web.index("gunicorn")
    assert "gunicorn newsroom.wsgi" in web and "--bind 0.0.0.0:8000" in web
    assert "&&" in web  # gunicorn does not start if migrations fail
    assert command_line(services["worker"]).startswith("celery -A newsroom worker")
    beat = command_line(services["beat"])
    assert beat.startswith("celery -A newsroom beat")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in beat


def test_health_checks(services):
    def check(name: str) -> str:
        return " ".join(services[name]["healthcheck"]["test"])

    assert "pg_isready" in check("postgres")
    assert check("redis") == "CMD redis-cli ping"
    assert "http://127.0.0.1:8000/healthz" in check("web")
    # urlopen raises on the 503 /healthz gives when a part is down: the check fails.
    assert "urlopen" in check("web")


def test_start_order_waits_for_health(services):
    for name in APP_SERVICES:
        depends = services[name]["depends_on"]
        assert {"postgres", "redis"} <= set(depends)
        assert all(dep["condition"] == "service_healthy" for dep in depends.values())
    # Beat's scheduler and the worker need the tables web's migrations create.
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_production_variables_are_set(services, name):
    given = operator_env()
    env = resolved_environment(services[name], given)
    for variable in REQUIRED_IN_PRODUCTION:
        assert env.get(variable), f"{variable} is not set for {name}"
    assert env["DJANGO_DEBUG"] == "0"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert env["SECRET_KEY"] == given["SECRET_KEY"]
    assert env["SOURCE_ENCRYPTION_KEYS"] == given["SOURCE_ENCRYPTION_KEYS"]
    assert env["DATABASE_URL"].startswith("postgres://newsroom:")
    assert "@postgres:5432/newsroom" in env["DATABASE_URL"]
    assert env["REDIS_URL"].startswith("redis://redis:6379/")
    assert "127.0.0.1" in env["ALLOWED_HOSTS"].split(",")  # the health check's host


@pytest.mark.parametrize("secret", OPERATOR_SECRETS)
def test_compose_refuses_to_start_without_each_secret(services, secret):
    given = operator_env()
    del given[secret]
    with pytest.raises(LookupError, match=secret):
        for service in services.values():
            resolved_environment(service, given)


def test_no_secret_is_written_in_the_file():
    text = (ROOT / "docker-compose.yml").read_text()
    for line in text.splitlines():
        if re.search(r"(SECRET_KEY|ENCRYPTION_KEYS|PASSWORD)\s*:", line):
            assert "${" in line, line


def test_compose_environment_passes_the_deploy_check(services, tmp_path):
    """The web service's environment, as compose resolves it, makes valid production settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_"))}
    env.pop("DATABASE_URL", None)
    env.update(resolved_environment(services["web"], operator_env()))
    env["NEWSROOM_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_dockerfile():
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert "pip install -r requirements/prod.txt" in text
    assert "manage.py collectstatic --noinput" in text
    users = re.findall(r"^USER (\S+)", text, re.MULTILINE)
    assert users and users[-1] not in {"root", "0"}
    assert text.index("collectstatic") < text.index("USER ")
    prod = (ROOT / "requirements" / "prod.txt").read_text()
    assert "gunicorn==" in prod and "whitenoise==" in prod


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set((ROOT / ".dockerignore").read_text().split())
    assert {".git", ".venv", ".env", "data"} <= ignored


def test_web_processes_load_the_application_before_forking_their_workers(services):
    # gunicorn reads ./gunicorn.conf.py from the folder it starts in: the image's WORKDIR,
    # where its CMD and compose's `web` both start it.
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--print-config",
            "newsroom.wsgi:application",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )
    assert config["config"] == "./gunicorn.conf.py"
    assert config["preload_app"] == "True"
    assert "gunicorn.conf.py" not in (ROOT / ".dockerignore").read_text().split()
    assert "--config" not in " ".join(services["web"]["command"])
