"""The conflict domain: what differs between the stored copy and an editor's, and what a
choice per field saves."""

from __future__ import annotations

import pytest

from articles.models import Article, Topic
from articles.workflow.conflicts import (
    MINE,
    THEIRS,
    UnresolvedConflict,
    find_conflict,
    resolve_conflict,
)
from tests.factories import TopicFactory

pytestmark = pytest.mark.django_db


def test_text_that_stores_the_same_is_no_conflict(draft):
    mine = {"headline": f"  {draft.headline}  ", "body": draft.body.replace("<p>", '<p class="x">')}
    assert find_conflict(draft, mine).fields == []


def test_topics_and_priority_are_compared_by_what_they_are(draft):
    drought, floods = TopicFactory(name="Drought"), TopicFactory(name="Floods")
    draft.topics.set([drought])
    mine = {"topics": Topic.objects.filter(pk=floods.pk), "priority": "3"}

    conflict = find_conflict(draft, mine)

    assert conflict.names == ["priority", "topics"]
    priority, topics = conflict.fields
    assert (priority.theirs, priority.mine) == ("Routine", "Urgent")
    assert (topics.theirs, topics.mine) == ("Drought", "Floods")


def test_resolving_takes_theirs_where_chosen_and_mine_elsewhere(draft):
    drought, floods = TopicFactory(name="Drought"), TopicFactory(name="Floods")
    draft.topics.set([drought])
    mine = {"headline": "Mine", "topics": Topic.objects.filter(pk=floods.pk)}

    resolved = resolve_conflict(
        draft, mine, choices={"headline": MINE, "topics": THEIRS}, fields=["headline", "topics"]
    )

    assert resolved["headline"] == "Mine"
    assert list(resolved["topics"]) == [drought]


def test_a_difference_without_a_choice_is_refused_by_label(draft):
    with pytest.raises(UnresolvedConflict, match="Headline"):
        resolve_conflict(draft, {"headline": "Mine"}, choices={}, fields=["headline"])


def test_a_field_that_now_agrees_needs_no_choice(draft):
    stored = Article.objects.get(pk=draft.pk)
    resolved = resolve_conflict(
        stored, {"headline": stored.headline}, choices={}, fields=["headline"]
    )
    assert resolved == {"headline": stored.headline}
