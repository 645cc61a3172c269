"""The public story page, rendered the same way for readers, the admin preview and versions."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from articles.credits import byline, credit_line
from articles.models import Article, ArticleVersion, Credit


def story_context(article: Article, *, preview: bool = False) -> dict:
    credits = list(article.credits.select_related("contributor"))
    corrections = [
        v for v in article.versions.all() if v.event == ArticleVersion.Event.CORRECT and v.note
    ]
    return {
        "article": article,
        "byline": byline(credits),
        "credit_line": credit_line(credits),
        "corrections": corrections,
        "killed": article.status == Article.Status.KILLED,
        "preview": preview,
    }


def render_story_html(
    article: Article, *, request: HttpRequest | None = None, preview: bool = False
) -> str:
    return render_to_string(
        "articles/story.html", story_context(article, preview=preview), request=request
    )


def story_queryset():
    return Article.objects.select_related("desk").prefetch_related(
        Prefetch("credits", queryset=Credit.objects.select_related("contributor")),
        "topics",
        "versions",
    )
