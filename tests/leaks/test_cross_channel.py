"""Nothing leaks across channels: a stateful test driving random sequences of edits,
transitions, embargo lifts, topic, desk and slug changes, worker restarts and partner
outages over a bundle of stories, checking every channel after every step.

Profiles: the default runs in the suite (about three minutes of CI per database);
`LEAK_PROFILE=long` (with `LEAK_SEQUENCES`, default 10,000, of up to `LEAK_STEPS` steps,
default 8) runs on demand through `make leak-check` and says how many operation sequences
it tried. Runs with different seeds (`PYTEST_ARGS=--hypothesis-seed=N`) and their own
`CACHE_DIR` can share the work between cores.
"""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from distribution.api.partners import create_partner
from distribution.models import WebhookEndpoint
from tests.factories import DeskFactory, TopicFactory, UserFactory
from tests.leaks.channels import PartnerAccess
from tests.leaks.machine import DESKS, TOPICS, LeakMachine, World
from tests.leaks.receiver import PartnerServer

pytestmark = pytest.mark.django_db

PROFILE = os.environ.get("LEAK_PROFILE", "default")
# Measured on a shared 2-core machine: about 0.4 s a checked step, so the default profile's
# ~400 steps take about three minutes a database (11-13 minutes when the machine was loaded
# four times over). A failure adds the time Hypothesis takes to shrink the sequence.
# A long run says how far it got every so many clean sequences, so a run stopped early
# still states what it checked.
PROGRESS_EVERY = {"default": 0, "long": int(os.environ.get("LEAK_PROGRESS", "250"))}
PROFILES = {
    "default": {"max_examples": 20, "stateful_step_count": 20},
    "long": {
        "max_examples": int(os.environ.get("LEAK_SEQUENCES", "10000")),
        "stateful_step_count": int(os.environ.get("LEAK_STEPS", "8")),
    },
}


@pytest.fixture
def eager_tasks():
    """Tasks run in-process, whichever broker the settings chose (as embedded mode does)."""
    from newsroom.celery import app

    # Every task module, so beat's periodic jobs can be run by name.
    app.loader.import_default_modules()
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def partner_server():
    server = PartnerServer().start()
    yield server
    server.stop()


@pytest.fixture
def world(settings, partner_server, eager_tasks) -> World:
    """Two desks, three topics, an editor, and two partners with keys and endpoints: one
    entitled to embargoed copy, one not."""
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    # The test reads the API hundreds of times a sequence; throttling is tested elsewhere
    # (tests/distribution/api), and an unset rate skips its bookkeeping altogether.
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {**rates, "partner": None},
    }
    for slug, (name, language) in DESKS.items():
        DeskFactory(slug=slug, name=name, language=language)
    for slug in TOPICS:
        TopicFactory(slug=slug, name=slug.title())
    partners = []
    for name, embargoed in (("entitled", True), ("unentitled", False)):
        partner, key = create_partner(f"Leak {name}", embargoed=embargoed)
        path = f"/{name}"
        WebhookEndpoint.objects.create(partner=partner, url=partner_server.url(path))
        partners.append(PartnerAccess(name, key, embargoed, path))
    editor = UserFactory(username="leak-editor", role="Editor")
    return World(editor=editor, partners=partners, server=partner_server)


def test_nothing_leaks_across_channels(world, capsys):
    LeakMachine.world = world
    LeakMachine.sequences = LeakMachine.steps = LeakMachine.clean = 0
    LeakMachine.failed = False
    LeakMachine.progress_every = PROGRESS_EVERY[PROFILE]
    LeakMachine.started = started = time.monotonic()
    run_state_machine_as_test(
        LeakMachine,
        settings=settings(
            **PROFILES[PROFILE],
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
    with capsys.disabled():
        print(
            f"\nleak check ({PROFILE}): {LeakMachine.sequences} operation sequences, "
            f"{LeakMachine.steps} checked steps in {time.monotonic() - started:.0f} s; "
            "no invariant violated"
        )
