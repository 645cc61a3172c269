"""A revoked partner key is refused on the next request by every web process, though each
remembers the keys it verified (`distribution.api.authentication`): two gunicorn
processes on Redis and PostgreSQL, each having served the key, then a revocation here."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.distribution.receivers import free_port
from tests.integration import celery_worker

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")

pytestmark = [
    pytest.mark.integration,
    # serialized_rollback: the roles made by data migrations return after each flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _require_services() -> None:
    # As every integration test: the CI runs this on PostgreSQL and Redis, and skips it in
    # the embedded run, where another process cannot see SQLite's test database.
    from django.db import connection

    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL (a Redis shared by the processes)")
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (another process cannot see SQLite's test database)")


@pytest.fixture
def two_web_processes(tmp_path):
    """Two gunicorn instances of one worker each on the test database; their base URLs."""
    _require_services()
    env = {**os.environ, "DATABASE_URL": celery_worker.test_database_url()}
    processes, sites = [], []
    for n in range(2):
        port = free_port()
        log = (tmp_path / f"web-{n}.log").open("w")
        processes.append(
            subprocess.Popen(
                [
                    str(GUNICORN),
                    "newsroom.wsgi:application",
                    "--workers=1",
                    f"--bind=127.0.0.1:{port}",
                ],
                cwd=REPO,
                env={**env, "SITE_URL": f"http://127.0.0.1:{port}"},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        sites.append(f"http://127.0.0.1:{port}")
    try:
        for site, process in zip(sites, processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                assert process.poll() is None, f"gunicorn for {site} exited at start"
                try:
                    if httpx.get(f"{site}/livez", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, f"gunicorn for {site} did not answer"
                time.sleep(0.2)
        yield sites
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=15)


def test_a_revoked_key_is_refused_by_every_process_on_its_next_request(two_web_processes):
    from distribution.api.partners import create_partner, revoke_keys
    from distribution.models import PartnerAPIKey

    partner, key = create_partner("Revoked Everywhere")
    headers = {"Authorization": f"Api-Key {key}"}
    for site in two_web_processes:
        # Twice each: the second request is answered from what the process remembers.
        for _ in range(2):
            response = httpx.get(f"{site}/api/v1/items/", headers=headers, timeout=10)
            assert response.status_code == 200, response.text

    assert revoke_keys(PartnerAPIKey.objects.filter(partner=partner)) == 1

    for site in two_web_processes:
        response = httpx.get(f"{site}/api/v1/items/", headers=headers, timeout=10)
        assert response.status_code == 401, site
        assert response.json() == {"detail": "Invalid API key."}


def test_a_deactivated_partner_is_refused_by_every_process_on_its_next_request(
    two_web_processes,
):
    from distribution.api.partners import create_partner

    partner, key = create_partner("Deactivated Everywhere")
    headers = {"Authorization": f"Api-Key {key}"}
    for site in two_web_processes:
        for _ in range(2):
            assert httpx.get(f"{site}/api/v1/items/", headers=headers, timeout=10).is_success

    partner.active = False
    partner.save()  # as the admin saves it

    for site in two_web_processes:
        response = httpx.get(f"{site}/api/v1/items/", headers=headers, timeout=10)
        assert response.status_code == 401, site
