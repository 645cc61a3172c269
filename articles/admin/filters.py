"""List filters of the article list that are not plain field filters."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from articles.models import Article


class EmbargoedFilter(admin.SimpleListFilter):
    """Stories under an embargo that has not passed yet."""

    title = "embargoed"
    parameter_name = "embargoed"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Under embargo"), ("no", "Not under embargo")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        now = timezone.now()
        if self.value() == "yes":
            return queryset.filter(embargo_until__gt=now)
        if self.value() == "no":
            return queryset.exclude(embargo_until__gt=now)
        return queryset


class OpenFindingsFilter(admin.SimpleListFilter):
    """Stories the attribution audit has open findings on (they block publishing)."""

    title = "open audit findings"
    parameter_name = "findings"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Has open findings"), ("no", "No open findings")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # `open_findings` is annotated by ArticleAdmin.get_queryset.
        if self.value() == "yes":
            return queryset.filter(open_findings__gt=0)
        if self.value() == "no":
            return queryset.filter(open_findings=0)
        return queryset


class UnsentChangesFilter(admin.SimpleListFilter):
    """Published stories whose working copy differs from what was last sent."""

    title = "unsent changes"
    parameter_name = "unsent"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", "Changed since sent"), ("no", "Nothing unsent")]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        # `unsent_fields` is kept by articles.unsent on every write to the copy.
        unsent = Q(status=Article.Status.PUBLISHED) & ~Q(unsent_fields="")
        if self.value() == "yes":
            return queryset.filter(unsent)
        if self.value() == "no":
            return queryset.exclude(unsent)
        return queryset
