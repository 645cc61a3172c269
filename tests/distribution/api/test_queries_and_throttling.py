"""A page of 100 costs the queries a page of 10 does; partners are throttled per partner."""

from __future__ import annotations

import pytest

from sources.models import Source
from tests.factories import AttributionFactory, SourceFactory, TopicFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hundred_stories(washington, publish):
    topic = TopicFactory(slug="economy")
    for n in range(100):
        story = publish(washington, headline=f"Story {n}", topics=[topic])
        AttributionFactory(article=story, source=SourceFactory(kind=Source.Kind.PERSON))


def count_queries(django_assert_max_num_queries, client, url: str) -> int:
    with django_assert_max_num_queries(10) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.json()["results"])


def test_a_page_of_100_costs_what_a_page_of_10_costs(
    hundred_stories, make_partner, client_for, django_assert_max_num_queries
):
    from distribution.models import Partner

    partner, key = make_partner("Counted", desks=["washington"], languages=["en"])
    Partner.objects.filter(pk=partner.pk).update(all_topics=False)
    partner.topics.add(*partner.desks.first().articles.first().topics.all())
    client = client_for(key)
    # The first request verifies the key against the database, reads the partner's desk and
    # topic slugs (remembered with the key) and records its last use (one UPDATE).
    client.get("/api/v1/items/?page_size=1")
    small, small_len = count_queries(
        django_assert_max_num_queries, client, "/api/v1/items/?page_size=10"
    )
    large, large_len = count_queries(
        django_assert_max_num_queries, client, "/api/v1/items/?page_size=100"
    )
    assert (small_len, large_len) == (10, 100)
    assert small == large
    # The page alone: the key, its partner and entitlements are remembered.
    assert large == 1


def test_the_delivery_log_page_cost_does_not_grow(
    make_partner, client_for, django_assert_num_queries
):
    _, key = make_partner("Quiet")
    client = client_for(key)
    client.get("/api/v1/deliveries/")  # records the key's last use, once a minute
    # The page alone: the key and its partner are remembered from the first request.
    with django_assert_num_queries(1):
        assert client.get("/api/v1/deliveries/").status_code == 200


def test_throttled_per_partner_with_retry_after(settings, make_partner, client_for):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"partner": "3/min"},
    }
    _, key_a = make_partner("Busy")
    _, key_b = make_partner("Calm")
    busy = client_for(key_a)
    assert [busy.get("/api/v1/items/").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/api/v1/items/")
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    # Another partner has its own allowance.
    assert client_for(key_b).get("/api/v1/items/").status_code == 200
