"""The partner API's query parameters; a bad value is a 400 naming the parameter and why."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from articles.models import Article
from distribution.selectors import search, sent_to

PUBSTATUS_TO_STATUS = {
    "usable": Article.Status.PUBLISHED,
    "withheld": Article.Status.WITHHELD,
    "canceled": Article.Status.KILLED,
}


class ItemFilter(django_filters.FilterSet):
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="version_created_at",
        lookup_expr="gte",
        label="Only versions created at or after this ISO 8601 date-time.",
    )
    desk = django_filters.CharFilter(
        method="filter_desk", max_length=60, label="A desk's slug, e.g. washington."
    )
    language = django_filters.CharFilter(
        method="filter_language", max_length=35, label="A BCP 47 tag; en also matches en-GB."
    )
    topic = django_filters.CharFilter(method="filter_topic", max_length=60, label="A topic's slug.")
    pubstatus = django_filters.ChoiceFilter(
        method="filter_pubstatus",
        choices=[(value, value) for value in PUBSTATUS_TO_STATUS],
        label="usable, withheld or canceled.",
    )
    q = django_filters.CharFilter(
        method="filter_q", min_length=2, max_length=200, label="Words in headline, summary or body."
    )

    class Meta:
        model = Article
        fields: list[str] = []

    # Desk, language and topic are those the item's current version went out with.
    def filter_desk(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sent_to([f"desk:{value}"]))

    def filter_language(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        key = f"lang:{value}"
        return queryset.filter(sent_to([key], subtags_of=[key]))

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(sent_to([f"topic:{value}"]))

    def filter_pubstatus(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(status=PUBSTATUS_TO_STATUS[value])

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)
