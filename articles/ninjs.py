"""An article as an IPTC ninjs 2.2 item: what partners pull and what pushes carry.

Only public facts go in: confidential and unnamed sources are never listed, contact
details never. ninjs 2.2 forbids extra top-level properties, so everything the newsroom
adds sits in a property the schema defines:

- `by`: the byline as printed, without the leading "By".
- `infosources`: every credit in byline order, `{"name", "role"}` with role one of byline,
  contributor, translator, photographer, editor, and `literal` the desk label printed with
  the name ("VOA Mandarin") when there is one. The closing credit line is also the last
  paragraph of the body, as the wire prints it.
- `people` / `organisations`: public sources quoted in the story, `rel` "quoted", `literal`
  their title and affiliation as printed.
- `subjects`: the desk (`rel` "desk", `literal` "desk:<slug>") and topics (`rel` "topic").
- `altids`: the wire slug (`role` "slug") and, for a translation, the original's guid
  (`role` "translation-of").
- `standard`: names ninjs 2.2 and its schema, so a partner knows what to validate against.
- `descriptions`: role "summary", the editor's summary; when the editor left it empty, one
  made from the lede when the version was sent, marked by a description with role
  "summary-origin" and value "lede". Role "dateline": the dateline as printed before the
  first paragraph ("Nairobi, November 30").
- `copyrightholder`: the organisation (NEWSROOM_ORGANISATION), never the desk: a desk is a
  bureau of the organisation that holds the rights.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from django.conf import settings
from django.utils.html import escape

from articles.credits import byline, credit_line
from articles.models import Article
from articles.published import printed_dateline, sent_slug, withheld_notice_text
from articles.sanitize import plain_text_from_html

NINJS_SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"
STANDARD = {"name": "ninjs", "version": "2.2", "schema": NINJS_SCHEMA_URI}
# What "copy" means when it has to come out of an item (kill, withhold).
COPY_FIELDS = ("bodies", "descriptions", "by", "people", "organisations", "infosources")

# A summary made from the lede stops at a word before this many characters.
SUMMARY_LIMIT = 300
_FIRST_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_BLOCK_END = re.compile(r"</(?:li|h2|h3|blockquote|ul|ol)>", re.I)

PUBSTATUS = {
    Article.Status.PUBLISHED: "usable",
    Article.Status.WITHHELD: "withheld",
    Article.Status.KILLED: "canceled",
}


def iso_utc(moment: datetime | None) -> str | None:
    """`moment` in UTC, RFC 3339 with a "Z" ("2025-06-01T14:00:00Z"), whatever offset it
    was given in (an embargo typed as +05:30 included); None for None."""
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _first_created(article: Article) -> datetime | None:
    """When the item first went out to partners: version 1's time, or this version's when
    version 1 is the one being sent. Never the embargo time: copy sent under embargo was
    created when it was sent, and released later (`embargoed` says when)."""
    first = None
    if article.pk and article.version > 1:
        sent = getattr(article, "published_versions", None)
        if sent:
            first = sent[0].created_at
        else:
            first = article.versions.filter(number=1).values_list("created_at", flat=True).first()
    moments = [m for m in (first, article.version_created_at, article.published_at) if m]
    return min(moments) if moments else None


def story_url(article: Article) -> str:
    return f"{settings.SITE_URL}{article.get_absolute_url()}"


def _altids(article: Article) -> list[dict]:
    altids = [{"role": "slug", "value": article.slug}]
    if article.translation_of_id:
        altids.append({"role": "translation-of", "value": article.translation_of.guid})
    return altids


def _infosource(credit) -> dict:
    entry = {"name": credit.contributor.name, "role": credit.role}
    if credit.desk_label:
        entry["literal"] = credit.desk_label
    return entry


def summary_from_lede(body: str, *, limit: int = SUMMARY_LIMIT) -> str:
    """The first paragraph of `body` as plain text, cut at a word before `limit` characters
    ("…" marks the cut). A body without a paragraph (a list, subheads alone) gives the words
    of its blocks, one space between blocks; "" only for a body without words."""
    first = _FIRST_PARAGRAPH.search(body or "")
    if first is not None:
        text = plain_text_from_html(first.group(1))
    else:
        text = plain_text_from_html(_BLOCK_END.sub(" ", body or ""))
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–-")
    return f"{cut}…"


def without_copy(item: dict, *, pubstatus: str, ednote: str) -> dict:
    """The item with its copy taken out, as a partner must see a killed or withheld story.

    Keeps what identifies the item (uri, version, slugline, headline, times) so the partner
    can find and take down its copy; drops body, summary, byline, credits and sources.
    """
    stripped = {key: value for key, value in item.items() if key not in COPY_FIELDS}
    stripped["pubstatus"] = pubstatus
    stripped["ednote"] = ednote
    stripped["bodies"] = [
        {"role": "main", "contenttype": "text/html", "value": f"<p>{escape(ednote)}</p>"}
    ]
    return stripped


def withheld_notice(article: Article) -> str:
    """The ednote of a withheld item: names the story by its sent headline and slug."""
    return withheld_notice_text(article)


def kill_notice_item(article: Article, *, version: int | None = None) -> dict:
    """A killed story as partners get it, in every version: the notice and nothing more.

    uri (the guid), the version, `pubstatus` canceled, the time of the kill
    (`versioncreated`), the kill notice (`ednote`) and the slug it went out under
    (`slugline`, altid "slug") so a partner can find its copy; no headline, summary, body,
    byline, credits, sources or subjects.
    """
    slug = sent_slug(article)
    item: dict = {
        "uri": article.guid,
        "type": "text",
        "profile": "newsroom-wire-text",
        "version": str(version if version is not None else article.version),
        "pubstatus": PUBSTATUS[Article.Status.KILLED],
        "slugline": slug,
        "altids": [{"role": "slug", "value": slug}],
        "standard": dict(STANDARD),
        "copyrightholder": settings.NEWSROOM_ORGANISATION,
        "ednote": f"KILL: {article.kill_notice}".strip(),
    }
    if article.version_created_at:
        item["versioncreated"] = iso_utc(article.version_created_at)
    return item


def article_to_ninjs(article: Article, *, version: int | None = None, note: str = "") -> dict:
    """The ninjs item for the article's current copy, as version `version` (a killed
    article: its kill notice only, see `kill_notice_item`).

    Expects credits (with contributors), attributions (with sources), topics and desk to be
    prefetched when called in a loop.
    """
    if article.status == Article.Status.KILLED:
        return kill_notice_item(article, version=version)
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
        "copyrightholder": settings.NEWSROOM_ORGANISATION,
        "standard": dict(STANDARD),
        "altids": _altids(article),
    }
    if article.published_at:
        item["firstcreated"] = iso_utc(_first_created(article))
    item["versioncreated"] = iso_utc(article.version_created_at or article.modified_at)
    if article.embargo_until:
        item["embargoed"] = iso_utc(article.embargo_until)
    if article.dateline_place:
        item["located"] = article.dateline_place
    if credits:
        item["infosources"] = [_infosource(credit) for credit in credits]
    by = byline(credits)
    if by:
        item["by"] = by.removeprefix("By ")
    if note:
        item["ednote"] = note
    descriptions = []
    if article.summary:
        descriptions.append({"role": "summary", "value": article.summary})
    elif lede := summary_from_lede(article.body):
        descriptions.append({"role": "summary", "value": lede})
        descriptions.append({"role": "summary-origin", "value": "lede"})
    dateline = printed_dateline(article.dateline_place, article.dateline_date)
    if dateline:
        descriptions.append({"role": "dateline", "value": dateline})
    if descriptions:
        item["descriptions"] = descriptions
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
