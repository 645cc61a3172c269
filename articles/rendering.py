"""The public story page, rendered the same way for readers, the admin preview and versions."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpRequest
from django.template.loader import render_to_string

from articles.credits import byline, credit_line
from articles.metadata import json_ld, news_article, social_tags
from articles.models import Article, ArticleVersion, Credit
from articles.ninjs import story_url
from articles.published import printed_dateline, versions_prefetch


def story_context(article: Article, *, preview: bool = False) -> dict:
    """The page's context. For a copy from `articles.published.as_published`, the byline,
    credit line and corrections are those that were sent; otherwise the working copy's."""
    if hasattr(article, "published_byline"):
        by, line = article.published_byline, article.published_credit_line
        corrections = article.correction_versions
    else:
        credits = list(article.credits.select_related("contributor"))
        by, line = byline(credits), credit_line(credits)
        corrections = [
            v for v in article.versions.all() if v.event == ArticleVersion.Event.CORRECT and v.note
        ]
    dateline = getattr(article, "dateline", None)
    if dateline is None:
        dateline = printed_dateline(article.dateline_place, article.dateline_date)
    killed = article.status == Article.Status.KILLED
    context = {
        "organisation": settings.NEWSROOM_ORGANISATION,
        "article": article,
        "dateline": dateline,
        "byline": by,
        "credit_line": line,
        "corrections": corrections,
        "killed": killed,
        "kill_reason": getattr(article, "kill_reason", ""),
        "preview": preview,
        # The page's own words (byline, dates, notes, links) are English in every story.
        "copy_in_english": article.language[:2].lower() == "en",
    }
    # Search engines and link previews see a published page only: not a preview, and a
    # killed story is not to be found, shared or followed.
    if not preview and not killed and article.published_at:
        url = story_url(article)
        context["canonical_url"] = url
        context["social_tags"] = social_tags(article, url=url)
        context["news_article"] = json_ld(news_article(article, url=url, corrections=corrections))
    return context


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
        versions_prefetch(),
    )
