"""Every time in a ninjs item is UTC with a "Z", whatever offset it was given in, and an item
is never first created after its version: copy sent under embargo was created when it was
sent. Items are validated against the IPTC ninjs 2.2 schema."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest
import time_machine

from articles import workflow
from articles.models import ArticleVersion

pytestmark = pytest.mark.django_db

UTC_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
KOLKATA = timezone(timedelta(hours=5, minutes=30))
SENT = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
# The embargo as a desk in India types it: 20:00 local, 14:30 UTC.
EMBARGO = datetime(2025, 6, 1, 20, 0, tzinfo=KOLKATA)
TIME_FIELDS = ("firstcreated", "versioncreated", "embargoed")


def times(item: dict) -> dict:
    return {name: item[name] for name in TIME_FIELDS if name in item}


@pytest.fixture
def embargoed(washington, publish):
    with time_machine.travel(SENT, tick=False):
        return publish(washington, headline="Rates decision", embargo_until=EMBARGO)


def test_an_embargoed_item_is_created_when_sent_in_utc(embargoed, ninjs_validator):
    item = ArticleVersion.objects.get(article=embargoed, number=1).ninjs

    ninjs_validator.validate(item)
    assert times(item) == {
        "firstcreated": "2025-06-01T09:00:00Z",
        "versioncreated": "2025-06-01T09:00:00Z",
        "embargoed": "2025-06-01T14:30:00Z",
    }


def test_the_api_and_push_carry_the_same_utc_times(
    embargoed, make_partner, client_for, ninjs_validator
):
    _, key = make_partner("Early", embargoed=True)
    item = client_for(key).get(f"/api/v1/items/{embargoed.guid}/").json()
    ninjs_validator.validate(item)
    assert times(item)["firstcreated"] == "2025-06-01T09:00:00Z"
    assert times(item)["embargoed"] == "2025-06-01T14:30:00Z"

    versions = client_for(key).get(f"/api/v1/items/{embargoed.guid}/versions/").json()
    assert [v["versioncreated"] for v in versions["results"]] == ["2025-06-01T09:00:00Z"]

    from articles.models import OutboxEvent

    pushed = OutboxEvent.objects.filter(article=embargoed).latest("pk").payload
    assert times(pushed) == times(item)


def test_later_versions_keep_the_first_creation_time(embargoed, editor, ninjs_validator):
    with time_machine.travel(SENT + timedelta(days=1), tick=False):
        workflow.lift_due_embargoes()
        workflow.correct(embargoed, by=editor, note="Corrects the rate.")
    for version in ArticleVersion.objects.filter(article=embargoed):
        item = version.ninjs
        ninjs_validator.validate(item)
        assert all(UTC_Z.match(value) for value in times(item).values()), item
        assert item["firstcreated"] == "2025-06-01T09:00:00Z"
        assert item["firstcreated"] <= item["versioncreated"]
    assert version.ninjs["versioncreated"] == "2025-06-02T09:00:00Z"
