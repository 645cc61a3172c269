"""Demo content for a fresh Newsroom: three desks, their people, sources and a day's wire.

Every story moves through `articles.workflow`, exactly as the desk would move it, so the
demo carries real versions, audit entries and outbox events. Loading is idempotent: a desk,
contributor, source or story that is already there is left alone, so running `load_demo`
twice changes nothing. What the stories say lives in `articles.demo.content`.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import transaction
from django.utils import timezone

from articles import workflow
from articles.demo.content import (
    CONFIDENTIAL_CONTACT,
    CONFIDENTIAL_IDENTITY,
    CONTRIBUTORS,
    DESKS,
    REGIONS,
    SOURCES,
    STORIES,
    TOPICS,
    DemoStory,
)
from articles.models import Article, Contributor, Credit, Desk, Region, Topic
from articles.sanitize import paragraphs_to_html
from sources import services as source_services
from sources.models import Attribution, Source


def _contributor_desks() -> dict[str, Desk]:
    desks = {desk.slug: desk for desk in Desk.objects.filter(slug__in=[d[1] for d in DESKS])}
    return {name: desks[desk_slug] for name, _, desk_slug in CONTRIBUTORS}


def _demo_user(username: str, role: str, first: str, last: str) -> AbstractBaseUser:
    # Demo accounts act in the audit trail; they have no password and cannot log in.
    user, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    return user


def _taxonomies() -> None:
    for name, slug, language in DESKS:
        Desk.objects.get_or_create(slug=slug, defaults={"name": name, "language": language})
    for name, slug in TOPICS:
        Topic.objects.get_or_create(slug=slug, defaults={"name": name})
    for name, slug in REGIONS:
        Region.objects.get_or_create(slug=slug, defaults={"name": name})
    for name, kind, desk_slug in CONTRIBUTORS:
        Contributor.objects.get_or_create(
            name=name, desk=Desk.objects.get(slug=desk_slug), defaults={"kind": kind}
        )


def _sources(approver: AbstractBaseUser) -> dict[str, Source]:
    sources = {}
    for key, values in SOURCES.items():
        values = dict(values)
        name, kind = values.pop("name"), values.pop("kind", Source.Kind.PERSON)
        source, created = Source.objects.get_or_create(name=name, kind=kind, defaults=values)
        if created and source.confidential:
            # Encrypting makes a new token each time, so only a new record is encrypted.
            source_services.set_protected(
                source, identity=CONFIDENTIAL_IDENTITY, contact=CONFIDENTIAL_CONTACT
            )
            source.anonymity_approved_by = approver
            source.save(update_fields=["identity", "contact", "anonymity_approved_by"])
        sources[key] = source
    return sources


def _file(story: DemoStory, reporter: AbstractBaseUser, sources: dict[str, Source]) -> Article:
    desk = Desk.objects.get(slug=story.desk)
    article = Article(
        desk=desk,
        slug=story.slug,
        headline=story.headline,
        summary=story.summary,
        dateline_place=story.dateline,
        dateline_date=timezone.localdate(),
        body=paragraphs_to_html(story.paragraphs, story.subheads),
        language=story.language,
        priority=story.priority,
    )
    workflow.save_copy(article, by=reporter, expected_lock_version=0, fields=[])
    article.topics.set(Topic.objects.filter(slug__in=story.topics))
    article.regions.set(Region.objects.filter(slug__in=story.regions))
    for order, (name, role, desk_label, place) in enumerate(story.credits):
        Credit.objects.create(
            article=article,
            contributor=Contributor.objects.get(name=name, desk=_contributor_desks()[name]),
            role=role,
            desk_label=desk_label,
            place=place,
            order=order,
        )
    for key, text, kind, verb, paragraph in story.quotes:
        Attribution.objects.create(
            article=article,
            source=sources[key],
            text=text,
            kind=kind,
            verb=verb,
            paragraph=paragraph,
        )
    return article


def _move(story: DemoStory, article: Article, reporter, editor) -> None:
    workflow.submit(article, by=reporter)
    if story.fate == "submit":
        return
    embargo_until = None
    if story.fate == "embargo":
        embargo_until = timezone.now() + timedelta(hours=story.follow_up["hours"])
    workflow.approve(article, by=editor)
    workflow.publish(article, by=editor, embargo_until=embargo_until)
    if story.fate == "correct":
        article.body = paragraphs_to_html(story.follow_up["paragraphs"], story.subheads)
        workflow.save_copy(
            article, by=editor, expected_lock_version=article.lock_version, fields=["body"]
        )
        workflow.correct(article, by=editor, note=story.follow_up["note"])
    elif story.fate == "kill":
        workflow.kill(article, by=editor, reason=story.follow_up["reason"])


@transaction.atomic
def load_demo() -> list[str]:
    """Create whatever of the demo is missing; returns the slugs of the stories it filed.

    A story already on its desk is never touched again, whatever state it is in now, so
    an editor's work on the demo survives a second load.
    """
    reporter = _demo_user("demo-reporter", "Reporter", "Demo", "Reporter")
    editor = _demo_user("demo-editor", "Editor", "Demo", "Editor")
    _taxonomies()
    sources = _sources(approver=editor)
    filed = []
    for story in STORIES:
        if Article.objects.filter(desk__slug=story.desk, slug=story.slug).exists():
            continue
        article = _file(story, reporter, sources)
        _move(story, article, reporter, editor)
        filed.append(story.slug)
    return filed
