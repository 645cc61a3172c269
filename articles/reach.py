"""Where a story went: what the kill confirmation shows the editor before it moves."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article
from articles.signals import story_reach


@dataclass
class Reach:
    """`feeds`: display names of the feeds that would carry the kill notice; `partners`:
    how many partners it would be pushed to; `feed_days`: how long the feeds keep it."""

    feeds: list[str] = field(default_factory=list)
    partners: int = 0
    feed_days: int = 0


def reach_of(article: Article) -> Reach:
    """The feeds that would carry the story's kill notice and the partners it would be
    pushed to, as the apps that carry it answer `story_reach` (none answering is no reach)."""
    reach = Reach()
    for _receiver, answer in story_reach.send(sender=Article, article=article):
        reach.feeds += answer.get("feeds", [])
        reach.partners += answer.get("partners", 0)
        reach.feed_days = max(reach.feed_days, answer.get("feed_days", 0))
    return reach
