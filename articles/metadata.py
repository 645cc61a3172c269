"""What a story page tells search engines and link previews about itself.

NewsArticle JSON-LD, Open Graph and Twitter card tags, built from the copy as sent (an
`as_published` copy; the working copy only for the page stored with a version) and from
SITE_URL, never from the host a reader came in by. Stories carry no images, so previews
and `publisher.logo` use the site's logo and the JSON-LD has no `image`.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from articles.models import Article, Credit

LOGO = "articles/logo.png"
# Inside <script>, these could end the element or open a comment; JSON reads them escaped.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def logo_url() -> str:
    return f"{settings.SITE_URL}{static(LOGO)}"


def _authors(article: Article) -> list[str]:
    sent = getattr(article, "published_authors", None)
    if sent is not None:
        return sent
    return [c.contributor.name for c in article.credits.all() if c.role == Credit.Role.BYLINE]


def _topics(article: Article) -> list[str]:
    sent = getattr(article, "published_topics", None)
    if sent is not None:
        return sent
    return [topic.name for topic in article.topics.all()]


def _modified(article: Article):
    dates = [d for d in (article.published_at, article.version_created_at) if d]
    return max(dates)


def news_article(article: Article, *, url: str, corrections=()) -> dict:
    """schema.org NewsArticle for a published story at `url` (its SITE_URL address)."""
    organisation = settings.NEWSROOM_ORGANISATION
    desk = article.desk.name
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "identifier": article.guid,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": Truncator(article.headline).chars(110),
    }
    if article.summary:
        data["description"] = article.summary
    data["inLanguage"] = article.language
    data["articleSection"] = desk
    if article.dateline_place:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline_place}
    data["datePublished"] = article.published_at.isoformat()
    data["dateModified"] = _modified(article).isoformat()
    data["keywords"] = [*_topics(article), desk]
    # The desk closes the author list: the wire credits its bureau with the bylines.
    data["author"] = [
        *({"@type": "Person", "name": name} for name in _authors(article)),
        {"@type": "Organization", "name": desk},
    ]
    data["publisher"] = {
        "@type": "Organization",
        "name": organisation,
        "url": f"{settings.SITE_URL}/",
        "logo": {"@type": "ImageObject", "url": logo_url()},
    }
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": version.note,
                "datePublished": version.created_at.isoformat(),
            }
            for version in corrections
        ]
    return data


def json_ld(data: dict) -> SafeString:
    """`data` as a JSON-LD script element whose text cannot close it."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_SAFE)
    return format_html('<script type="application/ld+json">{}</script>', SafeString(text))


def social_tags(article: Article, *, url: str) -> list[tuple[str, str, str]]:
    """Open Graph and Twitter card tags as (attribute, name, content) for `<meta>`."""
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:site_name", settings.NEWSROOM_ORGANISATION),
        ("property", "og:title", article.headline),
        ("property", "og:url", url),
    ]
    if article.summary:
        tags.append(("property", "og:description", article.summary))
    tags += [
        ("property", "og:image", logo_url()),
        ("property", "og:image:alt", f"{settings.NEWSROOM_ORGANISATION} logo"),
        ("property", "article:published_time", article.published_at.isoformat()),
        ("property", "article:modified_time", _modified(article).isoformat()),
        ("property", "article:section", article.desk.name),
        *(("property", "article:tag", name) for name in _topics(article)),
        # A logo, not a picture of the story: the small card suits it.
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", article.headline),
    ]
    if article.summary:
        tags.append(("name", "twitter:description", article.summary))
    tags.append(("name", "twitter:image", logo_url()))
    return tags
