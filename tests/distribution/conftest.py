"""Fixtures for distribution tests: stories built through the workflow, tasks run in-process."""

from __future__ import annotations

import pytest

from articles import workflow
from articles.models import Contributor
from tests.factories import ArticleFactory, CreditFactory, TopicFactory


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test, whichever broker the settings chose.

    With REDIS_URL set tasks go to the broker; a test that needs a task's effect without
    a worker runs them here, as embedded mode always does.
    """
    from newsroom.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def cold_feeds():
    """No feed in this process's memory, as for a freshly started worker."""
    from distribution.feeds.cache import forget_process_copies

    forget_process_copies()
    yield
    forget_process_copies()


@pytest.fixture
def make_story(desk, editor):
    """Publish a story through the workflow, with bylines, a contributor credit and topics.

    `make_story(headline=..., bylines=["Dewi Lestari"], topics=["elections"], embargo_until=...)`
    """

    def make(
        *,
        bylines: tuple[str, ...] = ("Dewi Lestari",),
        contributors: tuple[str, ...] = (),
        topics: tuple[str, ...] = (),
        embargo_until=None,
        story_desk=None,
        **fields,
    ):
        article = ArticleFactory(desk=story_desk or desk, **fields)

        def person(name):
            return Contributor.objects.get_or_create(name=name, desk=article.desk)[0]

        order = 0
        for name in bylines:
            CreditFactory(
                article=article,
                contributor=person(name),
                role="byline",
                order=order,
            )
            order += 1
        for name in contributors:
            CreditFactory(
                article=article,
                contributor=person(name),
                role="contributor",
                desk_label=article.desk.name,
                order=order,
            )
            order += 1
        for slug in topics:
            article.topics.add(TopicFactory(slug=slug, name=slug.replace("-", " ").title()))
        return workflow.publish(article, by=editor, embargo_until=embargo_until)

    return make
