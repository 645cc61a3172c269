"""Where a story went: what the kill confirmation shows the editor before it moves."""

from __future__ import annotations

from dataclasses import dataclass, field

from articles.models import Article
from articles.signals import story_reach


@dataclass
class Reach:
    feeds: list[str] = field(default_factory=list)
    partners: int = 0


def reach_of(article: Article) -> Reach:
    """The feeds the story is in and the partners a kill notice will be pushed to, as the
    apps that carry it answer `story_reach` (none answering is no reach)."""
    reach = Reach()
    for _receiver, answer in story_reach.send(sender=Article, article=article):
        reach.feeds += answer.get("feeds", [])
        reach.partners += answer.get("partners", 0)
    return reach
