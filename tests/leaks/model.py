"""The test's own record of what each story sent, and what each audience may therefore see.

Pure Python: no Django, no reads of the newsroom. Every piece of copy carries a unique
marker word ("qzb0007x"), so a leak is found by looking for the marker in what a channel
served. The rules below are the issue's invariants, stated once:

- nothing unsent (a marker only ever in the working copy) reaches anyone;
- killed, withheld and still-embargoed copy reaches nobody who is not entitled to it;
- a kill leaves only a notice: guid, time and kill note (for partners also the slug), and
  every feed that listed the story carries it;
  a withhold notice may name the headline that was sent, never an unsent one;
- every URL that went out keeps answering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

COPY_FIELDS = ("headline", "summary", "body")
# Feed formats and the scopes a story is listed under, as the feed URLs name them.
FEED_FORMATS = ("rss", "atom", "json")


@dataclass(frozen=True)
class SentVersion:
    """One version as it went out: its number, event and the marker of each copy field."""

    number: int
    event: str  # publish, correct, update, kill
    copy: dict[str, str]  # field -> marker
    slug: str
    scopes: frozenset[str]  # "all", "desk:<slug>", "topic:<slug>", "lang:<tag>"


@dataclass
class StoryModel:
    """One story: its working copy, what went out, and its public state."""

    key: str
    pk: int
    guid: str
    byline: str  # the marker in the byline's name
    slug: str
    desk: str
    language: str
    topics: set[str]
    working: dict[str, str]  # field -> marker of the working copy
    status: str = "draft"  # draft, published, withheld, killed
    embargo_until: datetime | None = None
    killed_under_embargo: bool = False
    kill_note: str = ""
    versions: list[SentVersion] = field(default_factory=list)
    created: set[str] = field(default_factory=set)  # every copy marker ever written
    public_slugs: set[str] = field(default_factory=set)  # story-page slugs readers were given
    public_scopes: set[str] = field(default_factory=set)  # feeds it was listed in

    # What was sent ---------------------------------------------------------------------

    @property
    def latest(self) -> SentVersion | None:
        return self.versions[-1] if self.versions else None

    @property
    def scopes(self) -> frozenset[str]:
        return frozenset(
            {"all", f"desk:{self.desk}", f"lang:{self.language}"}
            | {f"topic:{t}" for t in self.topics}
        )

    def send(self, event: str, number: int) -> None:
        """Record that the working copy went out as version `number`."""
        self.versions.append(SentVersion(number, event, dict(self.working), self.slug, self.scopes))

    def sent_markers(self) -> set[str]:
        sent = {marker for version in self.versions for marker in version.copy.values()}
        return sent | ({self.byline} if self.versions else set())

    def unsent_markers(self) -> set[str]:
        """Copy that exists only in edits never moved: nobody outside may ever see it."""
        return (self.created | {self.byline}) - self.sent_markers()

    def all_markers(self) -> set[str]:
        return self.created | {self.byline}

    # Who may see it now ----------------------------------------------------------------

    def embargoed(self, now: datetime) -> bool:
        return self.embargo_until is not None and self.embargo_until > now

    def publicly_visible(self, now: datetime) -> bool:
        return self.status == "published" and not self.embargoed(now)

    def readable_by_partner(self, *, embargo_entitled: bool, now: datetime) -> bool:
        """The partner may read the copy (not only a notice)."""
        if self.status != "published":
            return False
        return embargo_entitled or not self.embargoed(now)

    def known_to_partner(self, *, embargo_entitled: bool, now: datetime) -> bool:
        """The item exists for the partner at all (copy or notice); else it is a 404."""
        if not self.versions:
            return False
        return embargo_entitled or not self.embargoed(now)

    # What each channel must not carry ----------------------------------------------------

    def forbidden_public(self, now: datetime) -> set[str]:
        """Markers a reader must not find on a page or in a feed."""
        if self.publicly_visible(now):
            return self.unsent_markers()
        return self.all_markers()

    def forbidden_partner(self, *, embargo_entitled: bool, now: datetime) -> set[str]:
        """Markers a partner must not find in an item, a version or a push."""
        if self.readable_by_partner(embargo_entitled=embargo_entitled, now=now):
            return self.unsent_markers()
        everything = self.all_markers()
        if (
            self.status == "withheld"
            and self.latest
            and self.known_to_partner(embargo_entitled=embargo_entitled, now=now)
        ):
            # A withhold notice names the headline that went out, so partners find it.
            return everything - {self.latest.copy["headline"]}
        return everything

    def forbidden_search(self, *, embargo_entitled: bool, now: datetime) -> set[str]:
        """Words a partner's search must not find this story by: search is indexed from
        the sent version, and is empty for killed and withheld items."""
        if self.readable_by_partner(embargo_entitled=embargo_entitled, now=now):
            return self.unsent_markers()
        return self.all_markers()

    # What went out, as URLs --------------------------------------------------------------

    def note_public_exposure(self, now: datetime) -> None:
        """While readers can see the story, its page and feeds are URLs they hold."""
        if self.publicly_visible(now) and self.latest:
            self.public_slugs.add(self.latest.slug)
            self.public_scopes |= self.latest.scopes

    def scopes_ever(self) -> set[str]:
        """Every feed scope the story was, or is now, in."""
        return (
            set(self.scopes)
            | self.public_scopes
            | {scope for version in self.versions for scope in version.scopes}
        )

    def page_slugs(self) -> set[str]:
        """Every slug worth asking for: those that went out, and the current one."""
        return {v.slug for v in self.versions} | self.public_slugs | {self.slug}


@dataclass
class Newsroom:
    """All stories of one run, and a counter for fresh markers and slugs."""

    stories: list[StoryModel] = field(default_factory=list)
    counter: int = 0

    def marker(self, key: str) -> str:
        """A word unique in the run, never a prefix of another: "qz" + key + 4 digits + "x"."""
        self.counter += 1
        return f"qz{key}{self.counter:04d}x"

    def scopes_ever(self) -> set[str]:
        """Every feed scope any story was, or is now, in."""
        return set().union(*(story.scopes_ever() for story in self.stories))
