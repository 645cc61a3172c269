"""The state machine: random sequences of what editors, the clock and the workers do to a
bundle of stories, with every channel checked against what was sent after each step.

Every transition goes through `articles.workflow`, as the admin's buttons do. Tasks run
in-process once the step's transaction commits; a step ends with the clock moved on
SETTLE and every periodic job of CELERY_BEAT_SCHEDULE run once, as beat would within that
time. So "gone within 10 s" is checked as "gone once the step's work and the next tick ran".
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from datetime import timedelta

import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client, TestCase
from django.utils import timezone
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from articles import workflow
from articles.models import Article, Contributor, Desk, Topic
from distribution.feeds.cache import forget_process_copies
from newsroom.celery import app
from tests.factories import ArticleFactory, CreditFactory
from tests.leaks import checks
from tests.leaks.channels import PartnerAccess
from tests.leaks.model import Newsroom, SentVersion, StoryModel
from tests.leaks.receiver import PartnerServer

# How long after a step its consequences must be everywhere (the "within 10 s").
SETTLE = timedelta(seconds=10)
EMBARGO = timedelta(hours=1)
# The bundle: three stories on two desks in two languages.
BUNDLE = (("a", "washington"), ("b", "mandarin"), ("c", "washington"))
DESKS = {"washington": ("Washington", "en"), "mandarin": ("VOA Mandarin", "zh")}
TOPICS = ("elections", "drought", "trade")
STORY = st.integers(min_value=0, max_value=len(BUNDLE) - 1)


@dataclass
class World:
    """What outlives one sequence: the editor, desks, topics, partners and their server."""

    editor: object
    partners: list[PartnerAccess]
    server: PartnerServer


class LeakMachine(RuleBasedStateMachine):
    """Set `world` (see `tests.leaks.test_cross_channel`) before running."""

    world: World
    sequences = 0
    steps = 0
    # Sequences that ended with no violation and no error, and whether any did not; a long
    # run says every `progress_every` clean sequences how far it got (0: never).
    clean = 0
    failed = False
    progress_every = 0
    started = 0.0

    def __init__(self) -> None:
        super().__init__()
        type(self).sequences += 1
        # One sequence, one savepoint: everything it wrote is rolled back in teardown.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        cache.clear()
        forget_process_copies()
        self.clock = time_machine.travel(timezone.now(), tick=True)
        self.traveller = self.clock.start()
        self.server = self.world.server
        self.server.down = False
        self.server.take()
        self.editor = self.world.editor
        self.reader = Client()
        self.lose_next_tasks = False
        # The stories the last step acted on (None: all, after the clock or a worker moved).
        # None yet: the first check reads the API lists and pushes; a draft's page, feeds,
        # item and searches are read once a step acts on it.
        self.touched: set[str] | None = set()
        self.news = Newsroom()
        for key, desk_slug in BUNDLE:
            self.news.stories.append(self._new_story(key, desk_slug))

    def teardown(self) -> None:
        # Hypothesis calls this in a `finally`: an exception in flight ended the sequence.
        error = sys.exc_info()[1]
        self.clock.stop()
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)
        cache.clear()
        forget_process_copies()
        self._count(error)

    @classmethod
    def _count(cls, error: BaseException | None) -> None:
        if error is not None:
            # Hypothesis ends a sequence early with its own exceptions when its data runs
            # out; anything else is a violation or an error of the newsroom.
            if not type(error).__module__.startswith("hypothesis"):
                cls.failed = True
            return
        cls.clean += 1
        if cls.progress_every and not cls.failed and cls.clean % cls.progress_every == 0:
            sys.__stderr__.write(
                f"leak check: {cls.clean} operation sequences, {cls.steps} checked steps in "
                f"{time.monotonic() - cls.started:.0f} s, no invariant violated so far\n"
            )
            sys.__stderr__.flush()

    # Building and moving stories ---------------------------------------------------------

    def _copy(self, field: str, marker: str) -> str:
        return {
            "headline": f"Council weighs {marker} plan",
            "summary": f"Officials describe {marker} in brief.",
            "body": f"<p>Officials said {marker} would change.</p><p>More follows.</p>",
        }[field]

    def _new_story(self, key: str, desk_slug: str) -> StoryModel:
        desk = Desk.objects.get(slug=desk_slug)
        working = {f: self.news.marker(key) for f in ("headline", "summary", "body")}
        slug = f"leak-{key}-{self.news.marker(key)}"
        article = ArticleFactory(
            desk=desk,
            slug=slug,
            language=desk.language,
            **{field: self._copy(field, marker) for field, marker in working.items()},
        )
        byline = self.news.marker(key)
        CreditFactory(
            article=article,
            contributor=Contributor.objects.create(name=f"Dana {byline}", desk=desk),
            role="byline",
            order=0,
        )
        topic = TOPICS[len(self.news.stories) % len(TOPICS)]
        article.topics.set([Topic.objects.get(slug=topic)])
        return StoryModel(
            key=key,
            pk=article.pk,
            guid=article.guid,
            byline=byline,
            slug=slug,
            desk=desk_slug,
            language=desk.language,
            topics={topic},
            working=working,
            created=set(working.values()),
        )

    def _article(self, story: StoryModel) -> Article:
        return Article.objects.get(pk=story.pk)

    def _pick(self, index: int, *statuses: str) -> StoryModel:
        eligible = [s for s in self.news.stories if s.status in statuses]
        story = eligible[index % len(eligible)]
        self.touched = {story.key}
        return story

    def _any(self, *statuses: str) -> bool:
        return any(s.status in statuses for s in self.news.stories)

    def _transition(self, move) -> Article:
        """Run one workflow call; its tasks run after commit, unless a worker died with them."""
        lose, self.lose_next_tasks = self.lose_next_tasks, False
        with TestCase.captureOnCommitCallbacks(execute=not lose):
            article = move()
        self._settle()
        return article

    def _edit(self, story: StoryModel, **fields) -> None:
        """An edit saved through the admin's path, not moved to anyone."""
        article = self._article(story)
        for name, value in fields.items():
            setattr(article, name, value)
        workflow.save_copy(
            article,
            by=self.editor,
            expected_lock_version=article.lock_version,
            fields=list(fields),
        )
        self._settle()

    def _settle(self) -> None:
        """Let SETTLE pass, with beat's periodic jobs run once, as a worker would."""
        self.traveller.shift(SETTLE)
        with TestCase.captureOnCommitCallbacks(execute=True):
            for job in settings.CELERY_BEAT_SCHEDULE.values():
                app.tasks[job["task"]].apply()

    # Rules: editing (never sent) ---------------------------------------------------------

    @precondition(lambda self: self._any("draft", "published", "withheld"))
    @rule(index=STORY, field=st.sampled_from(("headline", "summary", "body")))
    def edit_copy(self, index: int, field: str) -> None:
        story = self._pick(index, "draft", "published", "withheld")
        marker = self.news.marker(story.key)
        self._edit(story, **{field: self._copy(field, marker)})
        story.working[field] = marker
        story.created.add(marker)

    @precondition(lambda self: self._any("draft", "published", "withheld"))
    @rule(index=STORY, topics=st.sets(st.sampled_from(TOPICS), max_size=2))
    def change_topics(self, index: int, topics: set[str]) -> None:
        story = self._pick(index, "draft", "published", "withheld")
        # The admin saves topics with the form's many-to-many data, beside save_copy.
        self._article(story).topics.set(Topic.objects.filter(slug__in=topics))
        story.topics = set(topics)
        self._settle()

    @precondition(lambda self: self._any("draft", "published", "withheld"))
    @rule(index=STORY)
    def change_desk(self, index: int) -> None:
        story = self._pick(index, "draft", "published", "withheld")
        other = next(slug for slug in DESKS if slug != story.desk)
        self._edit(story, desk=Desk.objects.get(slug=other))
        story.desk = other

    @precondition(lambda self: self._any("draft", "published", "withheld"))
    @rule(index=STORY)
    def change_slug(self, index: int) -> None:
        story = self._pick(index, "draft", "published", "withheld")
        slug = f"leak-{story.key}-{self.news.marker(story.key)}"
        self._edit(story, slug=slug)
        story.slug = slug

    # Rules: transitions ------------------------------------------------------------------

    @precondition(lambda self: self._any("draft"))
    @rule(index=STORY, embargoed=st.booleans())
    def publish(self, index: int, embargoed: bool) -> None:
        story = self._pick(index, "draft")
        until = timezone.now() + EMBARGO if embargoed else None
        article = self._transition(
            lambda: workflow.publish(self._article(story), by=self.editor, embargo_until=until)
        )
        story.status = "published"
        story.embargo_until = until
        story.send("publish", article.version)

    @precondition(lambda self: self._any("published"))
    @rule(index=STORY, writethru=st.booleans())
    def correct_or_update(self, index: int, writethru: bool) -> None:
        story = self._pick(index, "published")
        move = workflow.update if writethru else workflow.correct
        note = "Writethru." if writethru else "Fixed."
        article = self._transition(lambda: move(self._article(story), by=self.editor, note=note))
        story.send("update" if writethru else "correct", article.version)

    @precondition(lambda self: self._any("published"))
    @rule(index=STORY)
    def withhold(self, index: int) -> None:
        story = self._pick(index, "published")
        self._transition(
            lambda: workflow.withhold(self._article(story), by=self.editor, reason="Legal review.")
        )
        story.status = "withheld"

    @precondition(lambda self: self._any("withheld"))
    @rule(index=STORY)
    def release(self, index: int) -> None:
        story = self._pick(index, "withheld")
        self._transition(lambda: workflow.release(self._article(story), by=self.editor))
        story.status = "published"

    @precondition(lambda self: self._any("published", "withheld"))
    @rule(index=STORY)
    def kill(self, index: int) -> None:
        story = self._pick(index, "published", "withheld")
        note = self.news.marker("k")
        # The embargo counts as lifted at the kill only if it had passed by then.
        story.killed_under_embargo = story.embargoed(timezone.now())
        article = self._transition(
            lambda: workflow.kill(self._article(story), by=self.editor, reason=f"Kill {note}.")
        )
        story.status = "killed"
        story.kill_note = note
        # A kill sends a notice, no copy, to every feed any version went out in (the feeds
        # list it only where readers had the story: `check_feeds` asks for those).
        sent = frozenset().union(*(version.scopes for version in story.versions))
        story.versions.append(SentVersion(article.version, "kill", {}, story.slug, sent))

    # Rules: the clock, the workers, the partner's server ---------------------------------

    @precondition(lambda self: any(s.embargoed(timezone.now()) for s in self.news.stories))
    @rule()
    def lift_embargoes(self) -> None:
        """Move the clock past the next embargo; the scheduled lift runs in `_settle`."""
        now = timezone.now()
        due = min(s.embargo_until for s in self.news.stories if s.embargoed(now))
        self.traveller.shift(due - now + timedelta(seconds=1))
        self._settle()
        self.touched = None

    @rule(minutes=st.sampled_from((1, 6, 31, 121)))
    def time_passes(self, minutes: int) -> None:
        """Time for due retries (5 s, 5 min, 30 min, 2 h after failures)."""
        self.traveller.shift(timedelta(minutes=minutes))
        self._settle()
        self.touched = None

    @rule(lose_pending=st.booleans())
    def worker_restart(self, lose_pending: bool) -> None:
        """A worker process dies: its in-process feed copies go, and with `lose_pending`
        the tasks of the next transition die with it before they run."""
        forget_process_copies()
        self.lose_next_tasks = lose_pending
        self.touched = None

    @rule(down=st.booleans())
    def partner_server(self, down: bool) -> None:
        """The partners' server answers 500 (down) or 200 from now on."""
        self.server.down = down
        self.touched = set()

    # The invariants ----------------------------------------------------------------------

    @invariant()
    def nothing_leaks(self) -> None:
        """Every channel, after every step. Pushes and the API list are read whole; the
        pages, every feed, items and searches of the stories the step acted on (all of
        them after the clock moved or a worker restarted), since what a channel serves of
        a story changes only when the story, the clock or a worker does."""
        type(self).steps += 1
        # The channels are read at the instant the model judges them: on a loaded machine
        # the reads take long enough for an embargo to fall due between the two.
        with time_machine.travel(timezone.now(), tick=False):
            found = self._read_every_channel(timezone.now())
        assert not found, "\n".join(str(v) for v in _unique(found))

    def _read_every_channel(self, now) -> list[checks.Violation]:
        for story in self.news.stories:
            story.note_public_exposure(now)
        stories = [s for s in self.news.stories if self.touched is None or s.key in self.touched]
        scopes = set().union(*(story.scopes_ever() for story in stories))
        partners = self.world.partners
        found = checks.check_pushes(self.server.take(), partners, self.news, now)
        found += checks.check_story_pages(self.reader, stories, now)
        found += checks.check_feeds(self.reader, self.news, scopes, now)
        for partner in partners:
            found += checks.check_partner_api(partner, self.news, stories, now)
            found += checks.check_search(partner, stories, now)
        return found


def _unique(violations: list[checks.Violation]) -> list[checks.Violation]:
    return list(dict.fromkeys(violations))
