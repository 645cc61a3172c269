"""Test data built the way the product builds it: articles move through `workflow`."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from articles.models import Article, Contributor, Credit, Desk, Topic
from sources.models import Attribution, Source


class DeskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Desk
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Desk {n}")
    slug = factory.Sequence(lambda n: f"desk-{n}")
    language = "en"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")
    is_staff = True

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    name = factory.Sequence(lambda n: f"Reporter {n}")
    desk = factory.SubFactory(DeskFactory)


class ArticleFactory(factory.django.DjangoModelFactory):
    """A draft. Publish it with `articles.workflow.publish`, never by setting its status."""

    class Meta:
        model = Article

    slug = factory.Sequence(lambda n: f"story-{n}")
    headline = factory.Sequence(lambda n: f"Story number {n} moves on the wire")
    summary = "A short summary."
    dateline_place = "Washington"
    body = "<p>First paragraph.</p><h2>A subhead</h2><p>Second paragraph.</p>"
    desk = factory.SubFactory(DeskFactory)
    language = "en"


class CreditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Credit

    article = factory.SubFactory(ArticleFactory)
    contributor = factory.SubFactory(ContributorFactory)
    role = Credit.Role.BYLINE
    order = factory.Sequence(lambda n: n)


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    kind = Source.Kind.PERSON
    name = factory.Sequence(lambda n: f"Source Person{n}")
    title = "spokesperson"
    affiliation = "Ministry of Examples"


class AttributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attribution

    article = factory.SubFactory(ArticleFactory)
    source = factory.SubFactory(SourceFactory)
    text = "We will examine every example."
    kind = Attribution.Kind.DIRECT
    verb = "said"
    paragraph = 0
