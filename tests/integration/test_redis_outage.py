"""Redis down in production mode: editors still publish and kill, readers still get feeds and
partners the API, and everything owed goes out once Redis is back.

The test runs its own redis-server (never the shared one) and points this process and a
real worker with beat at it; stopping that server is the outage.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time

import pytest

from articles import workflow
from distribution.api.partners import create_partner
from distribution.feeds import cache as feed_cache
from distribution.feeds.rendering import scope_key
from distribution.models import WebhookEndpoint
from newsroom.celery import app as celery_app
from tests.distribution.receivers import Receiver, free_port
from tests.factories import ArticleFactory, DeskFactory, UserFactory
from tests.integration.celery_worker import wait_for

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the issue asks of a transition while Redis is down.
TRANSITION_SECONDS = 2.0


class OwnRedis:
    """A redis-server of this test's own on a free port, nothing saved to disk: stopping
    and starting it again is an outage that loses everything Redis held."""

    def __init__(self, workdir) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> OwnRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, timeout=10, message="redis-server did not start")
        return self

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_redis(settings, tmp_path, monkeypatch):
    """This process's cache and broker moved to a redis-server of the test's own."""
    if not shutil.which("redis-server"):
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed")
        pytest.skip("needs redis-server")
    redis = OwnRedis(tmp_path).start()
    original_caches = settings.CACHES
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": redis.url(1),
            "KEY_PREFIX": "outage",
        }
    }
    monkeypatch.setattr(feed_cache, "_validator_store", None)
    conf = celery_app.conf
    saved = (conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.result_backend)
    conf.broker_url = conf.broker_read_url = conf.broker_write_url = redis.url(0)
    conf.result_backend = redis.url(0)
    _forget_broker_pools()
    yield redis
    conf.broker_url, conf.broker_read_url, conf.broker_write_url, conf.result_backend = saved
    _forget_broker_pools()
    # Back to the suite's cache before the shared fixtures clear it.
    settings.CACHES = original_caches
    redis.stop()


def _forget_broker_pools() -> None:
    # The app keeps the connection pool and result store it first used; drop them so the
    # next send connects to those now configured.
    # (Not closed: kombu keeps each pool by broker URL and hands the same one out again.)
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def receiver():
    receiving = Receiver()
    receiving.server.start()
    yield receiving
    receiving.server.stop()


def timed(action) -> tuple[object, float]:
    started = time.monotonic()
    result = action()
    return result, time.monotonic() - started


def in_feed(client, story) -> bool:
    """Whether the RSS feed lists the story itself (a kill notice in its place, under the
    same guid and link, is not the story)."""
    response = client.get("/feeds/rss/")
    assert response.status_code == 200
    return f"<title>{story.headline}</title>" in response.content.decode()


def test_publish_and_kill_return_at_once_while_redis_is_down_and_catch_up_after(
    own_redis, make_worker, receiver, client
):
    desk = DeskFactory(name="Washington", slug="washington")
    editor = UserFactory(username="eddie", role="Editor")
    partner, key = create_partner("Lagos Daily", desks=["washington"])
    WebhookEndpoint.objects.create(partner=partner, url=receiver.url)
    worker = make_worker(
        beat=True, env={"REDIS_URL": own_redis.url(0), "REDIS_CACHE_URL": own_redis.url(1)}
    )
    before = workflow.publish(ArticleFactory(desk=desk, headline="Sent before"), by=editor)
    wait_for(
        lambda: receiver.got("article.published", before.guid),
        timeout=30,
        message=f"nothing pushed with Redis up:\n{worker.log()[-3000:]}",
    )
    wait_for(lambda: in_feed(client, before), timeout=10, message="not in the feed")

    own_redis.stop()
    draft = ArticleFactory(desk=desk, headline="Sent during the outage")
    during, publish_took = timed(lambda: workflow.publish(draft, by=editor))
    _, kill_took = timed(lambda: workflow.kill(before, by=editor, reason="Unconfirmed."))
    print(f"\nRedis down: publish returned in {publish_took:.2f} s, kill in {kill_took:.2f} s")
    assert publish_took < TRANSITION_SECONDS
    assert kill_took < TRANSITION_SECONDS

    # Readers and partners are answered from the database meanwhile.
    # (A worker process answers from the validator it read last for up to 0.25 s.)
    wait_for(
        lambda: in_feed(client, during) and not in_feed(client, before),
        timeout=2,
        message="the feed did not show the changes from the database",
    )
    api = client.get("/api/v1/items/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    assert api.status_code == 200
    assert during.guid in [item["uri"] for item in api.json()["results"]]
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["cache"].startswith("error")

    own_redis.start()
    back = time.monotonic()
    wait_for(
        lambda: (
            receiver.got("article.published", during.guid)
            and receiver.got("article.killed", before.guid)
        ),
        timeout=60,
        message=f"the outbox was not delivered after Redis came back:\n{worker.log()[-4000:]}",
    )
    pushed_after = time.monotonic() - back
    # Served through the cache again, once this process tries it after its retry interval.
    wait_for(
        lambda: (
            not feed_cache.cache_is_down()
            and in_feed(client, during)
            and not in_feed(client, before)
        ),
        timeout=30,
        message="the feeds did not show the changes after Redis came back",
    )
    served_after = time.monotonic() - back
    assert feed_cache.get_validator(feed_cache.feed_key(scope_key("all"), "rss")) is not None
    print(f"Redis back: pushes arrived after {pushed_after:.1f} s,", end=" ")
    print(f"feeds served through the cache after {served_after:.1f} s")
