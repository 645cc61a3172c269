"""An article as an IPTC ninjs 2.2 item: what partners pull and what pushes carry.

Only public facts go in: confidential and unnamed sources are never listed, contact
details never. The newsroom's own fields that ninjs has no place for go under `altids`
and `trustindicators` where the schema allows, never as unvalidated top-level extras.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils.html import escape

from articles.credits import byline, credit_line
from articles.models import Article

PUBSTATUS = {
    Article.Status.PUBLISHED: "usable",
    Article.Status.WITHHELD: "withheld",
    Article.Status.KILLED: "canceled",
}


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def story_url(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def article_to_ninjs(article: Article, *, version: int | None = None, note: str = "") -> dict:
    """The ninjs item for the article's current copy, as version `version`.

    Expects credits (with contributors), attributions (with sources), topics and desk to be
    prefetched when called in a loop.
    """
    credits = list(article.credits.all())
    item: dict = {
        "uri": article.guid,
        "type": "text",
        "representationtype": "full",
        "profile": "newsroom-wire-text",
        "version": str(version if version is not None else article.version),
        "pubstatus": PUBSTATUS.get(article.status, "usable"),
        "urgency": article.priority,
        "language": article.language,
        "slugline": article.slug,
        "headlines": [{"role": "main", "value": article.headline}],
        "copyrightholder": article.desk.name,
    }
    if article.published_at:
        item["firstcreated"] = _iso(article.published_at)
    item["versioncreated"] = _iso(article.version_created_at or article.modified_at)
    if article.embargo_until:
        item["embargoed"] = _iso(article.embargo_until)
    if article.dateline_place:
        item["located"] = article.dateline_place
    if article.status == Article.Status.KILLED:
        item["ednote"] = f"KILL: {article.kill_notice}".strip()
        notice = escape(article.kill_notice)
        item["bodies"] = [{"role": "main", "contenttype": "text/html", "value": f"<p>{notice}</p>"}]
        return item
    by = byline(credits)
    if by:
        item["by"] = by.removeprefix("By ")
    if note:
        item["ednote"] = note
    if article.summary:
        item["descriptions"] = [{"role": "summary", "value": article.summary}]
    body = article.body
    line = credit_line(credits)
    if line:
        body = f"{body}\n<p><em>{line}</em></p>"
    item["bodies"] = [{"role": "main", "contenttype": "text/html", "value": body}]
    subjects = [{"name": article.desk.name, "rel": "desk", "literal": f"desk:{article.desk.slug}"}]
    subjects += [
        {"name": t.name, "rel": "topic", "literal": f"topic:{t.slug}"} for t in article.topics.all()
    ]
    item["subjects"] = subjects
    people: dict[str, dict] = {}
    organisations: dict[str, dict] = {}
    for attribution in article.attributions.all():
        source = attribution.source
        if source is None or not source.is_public:
            continue
        target = people if source.kind == source.Kind.PERSON else organisations
        entry = {"name": source.name, "rel": "quoted"}
        described = ", ".join(p for p in (source.title, source.affiliation) if p)
        if described:
            entry["literal"] = described
        target.setdefault(source.name, entry)
    if people:
        item["people"] = list(people.values())
    if organisations:
        item["organisations"] = list(organisations.values())
    return item
