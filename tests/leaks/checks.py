"""The invariants, one small function per channel, each judging what a channel served
against the model of what was sent. Each returns the violations it found (empty: none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from rest_framework.test import APIClient

from tests.leaks import channels
from tests.leaks.channels import PartnerAccess, Reading
from tests.leaks.model import FEED_FORMATS, Newsroom, StoryModel
from tests.leaks.receiver import Push


@dataclass(frozen=True)
class Violation:
    """One broken invariant: which, where, for which story, and what was seen."""

    rule: str
    channel: str
    story: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.channel} (story {self.story}): {self.detail}"


def _why_forbidden(story: StoryModel, marker: str, now: datetime) -> str:
    if marker in story.unsent_markers():
        return "unsent copy visible"
    if story.status == "killed":
        return "killed copy visible"
    if story.status == "withheld":
        return "withheld copy visible"
    if story.embargoed(now):
        return "embargoed copy visible"
    return "copy visible"


def leaked(
    reading_text: str, where: str, story: StoryModel, forbidden: Iterable[str], now: datetime
) -> list[Violation]:
    """A violation per forbidden marker found in `reading_text`."""
    text = reading_text.lower()
    return [
        Violation(_why_forbidden(story, marker, now), where, story.key, f"found {marker!r}")
        for marker in sorted(forbidden)
        if marker in text
    ]


def _answers(reading: Reading, story: str, expected: tuple[int, ...], rule: str):
    """A violation unless `reading` answered one of the `expected` statuses."""
    if reading.status in expected:
        return []
    got = str(reading.status)
    if reading.redirects:
        got += f" after {' -> '.join(reading.redirects)}"
    return [Violation(rule, reading.url, story, f"answered {got}, expected {expected}")]


# Story pages -----------------------------------------------------------------------------


def check_story_pages(client, stories: list[StoryModel], now: datetime) -> list[Violation]:
    """Every slug a story ever had: no forbidden copy; a URL that went out still answers;
    a kill is a 410 with its note, and a kill before the embargo lifted is a 404."""
    found: list[Violation] = []
    for story in stories:
        forbidden = story.forbidden_public(now)
        for slug in sorted(story.page_slugs()):
            page = channels.story_page(client, slug)
            found += leaked(page.text, page.url, story, forbidden, now)
            found += _answers(page, story.key, (200, 301, 302, 308, 404, 410), "page errors")
            if story.killed_under_embargo:
                found += _answers(page, story.key, (404,), "killed under embargo is not a 404")
            elif slug in story.public_slugs:
                found += _page_that_went_out(page, story)
    return found


def _page_that_went_out(page: Reading, story: StoryModel) -> list[Violation]:
    if story.status == "published":
        return _answers(page, story.key, (200,), "sent URL does not answer")
    if story.status == "killed":
        found = _answers(page, story.key, (410,), "killed page is not a 410")
        if page.status == 410 and not page.has(story.kill_note):
            found.append(Violation("kill notice missing", page.url, story.key, "no kill note"))
        return found
    # Withheld: out of every channel for now; any answer without copy will do.
    return []


# Feeds -----------------------------------------------------------------------------------


def check_feeds(client, news: Newsroom, scopes: set[str], now: datetime) -> list[Violation]:
    """Every format of each feed in `scopes`: no forbidden copy of any story, and no story
    in a feed its latest version was not sent to; a feed a story went out in still
    answers, and parses; a feed that listed a story now killed carries its kill notice."""
    found: list[Violation] = []
    went_out = set().union(*(story.public_scopes for story in news.stories))
    for scope in sorted(scopes):
        for fmt in FEED_FORMATS:
            reading, plain = channels.feed(client, scope, fmt)
            if (reading.status, reading.text) != (plain.status, plain.text):
                found.append(
                    Violation(
                        "feed differs by content coding",
                        reading.url,
                        "-",
                        f"gzip {reading.status}, identity {plain.status}",
                    )
                )
            for story in news.stories:
                found += leaked(reading.text, reading.url, story, story.forbidden_public(now), now)
                found += _listed_where_sent(reading, scope, story)
                found += _kill_notice_where_listed(reading, scope, story)
            if scope in went_out:
                found += _feed_answers(reading)
    return found


def _kill_notice_where_listed(reading: Reading, scope: str, story: StoryModel) -> list[Violation]:
    """Readers of a feed that listed a story are told of its kill: the story's id and the
    kill note (an Atom tombstone, a JSON Feed or RSS item). A sequence is far shorter than
    the days a notice stays listed."""
    if story.status != "killed" or scope not in story.public_scopes or reading.status != 200:
        return []
    if story.guid in reading.text and reading.has(story.kill_note):
        return []
    return [Violation("kill notice missing", reading.url, story.key, "no notice in the feed")]


def _listed_where_sent(reading: Reading, scope: str, story: StoryModel) -> list[Violation]:
    """A story is listed only in the feeds its latest version went out in: an unsent desk,
    topic or language change moves it nowhere."""
    if story.guid not in reading.text or story.latest is None or scope in story.latest.scopes:
        return []
    return [Violation("listed in a feed it was not sent to", reading.url, story.key, scope)]


def _feed_answers(reading: Reading) -> list[Violation]:
    if reading.status != 200:
        return [Violation("sent URL does not answer", reading.url, "-", f"{reading.status}")]
    if reading.url.endswith("/json/"):
        return []
    parsed = channels.feed_entries(reading)
    if parsed.bozo:
        return [Violation("feed unreadable", reading.url, "-", str(parsed.bozo_exception))]
    return []


# Partner API -----------------------------------------------------------------------------


def check_partner_api(
    partner: PartnerAccess, news: Newsroom, stories: list[StoryModel], now: datetime
) -> list[Violation]:
    """The list (all stories), and the detail and versions of each of `stories`: copy only
    where the partner may read it; an item it may not know is absent from the list and a
    404; a killed item carries its kill note."""
    client = partner.client()
    found: list[Violation] = []
    listing = channels.item_list(client)
    where = f"{partner.name} API list"
    found += _answers(listing, "-", (200,), "API list errors")
    for story in news.stories:
        entitled = partner.embargo_entitled
        forbidden = story.forbidden_partner(embargo_entitled=entitled, now=now)
        known = story.known_to_partner(embargo_entitled=entitled, now=now)
        found += leaked(listing.text, where, story, forbidden, now)
        if not known and story.guid in listing.text:
            found.append(Violation("unentitled item listed", where, story.key, story.guid))
        if story in stories:
            found += _check_item(client, partner, story, forbidden, known, now)
    return found


def _check_item(
    client: APIClient,
    partner: PartnerAccess,
    story: StoryModel,
    forbidden: set[str],
    known: bool,
    now: datetime,
) -> list[Violation]:
    where = f"{partner.name} API detail"
    detail = channels.item_detail(client, story.guid)
    found = leaked(detail.text, where, story, forbidden, now)
    if not known:
        return found + _answers(detail, story.key, (404,), "unentitled item not a 404")
    found += _answers(detail, story.key, (200,), "sent URL does not answer")
    if story.status == "killed" and detail.status == 200 and not detail.has(story.kill_note):
        found.append(Violation("kill notice missing", where, story.key, "no kill note"))
    for reading in channels.item_versions(client, story.guid):
        found += leaked(reading.text, f"{partner.name} API {reading.url}", story, forbidden, now)
    return found


def check_search(
    partner: PartnerAccess, stories: list[StoryModel], now: datetime
) -> list[Violation]:
    """A search for a word finds a story only by text the partner may read now (the words
    of each story's working copy and of its latest version)."""
    client = partner.client()
    found: list[Violation] = []
    for story in stories:
        words = set(story.working.values())
        if story.latest:
            words |= set(story.latest.copy.values())
        forbidden = story.forbidden_search(embargo_entitled=partner.embargo_entitled, now=now)
        for word in sorted(words & forbidden):
            reading = channels.search(client, word)
            if story.guid in reading.text:
                found.append(
                    Violation(
                        f"search finds {_why_forbidden(story, word, now).replace(' visible', '')}",
                        f"{partner.name} API search q={word}",
                        story.key,
                        f"{story.status} story found",
                    )
                )
    return found


# Pushes ----------------------------------------------------------------------------------


def check_pushes(
    pushes: list[Push], partners: list[PartnerAccess], news: Newsroom, now: datetime
) -> list[Violation]:
    """What reached partners' servers since the last step: nothing unsent, and no copy of
    a story withheld or killed (or embargoed, for a partner not entitled to it)."""
    by_path = {partner.push_path: partner for partner in partners}
    found: list[Violation] = []
    for push in pushes:
        partner = by_path.get(push.path)
        if partner is None:
            continue
        for story in news.stories:
            forbidden = story.forbidden_partner(embargo_entitled=partner.embargo_entitled, now=now)
            found += leaked(push.body, f"push to {partner.name}", story, forbidden, now)
    return found
