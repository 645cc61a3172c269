"""Cached API pages stop being served when what partners may be given changes (connected
in DistributionConfig.ready): when a published article's row is saved or deleted, and
after every committed outbox event. Remembered API keys stop being used when a key, a
partner, or a desk or topic changes."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from articles.models import Article, Desk, Topic
from articles.signals import outbox_committed
from distribution.api.authentication import new_key_revision
from distribution.api.pages import new_generation
from distribution.models import Partner, PartnerAPIKey


@receiver(outbox_committed, dispatch_uid="distribution.api.pages_on_outbox")
def new_generation_on_change(sender, **kwargs) -> None:
    new_generation()


@receiver(post_save, sender=Article, dispatch_uid="distribution.api.pages_on_save")
@receiver(post_delete, sender=Article, dispatch_uid="distribution.api.pages_on_delete")
def new_generation_on_article(sender, instance: Article, **kwargs) -> None:
    if not instance.version:
        return  # never sent: no partner can have been given it
    # At once, so no page stored before the change is served while it commits; and after
    # the commit, so no page built meanwhile from the rows before it is served after.
    new_generation()
    transaction.on_commit(new_generation)


# A key, its partner, or a desk or topic whose slug an entitlement names: remembered keys
# (with their partners' entitlements) stop being used in every process.
@receiver(post_save, sender=PartnerAPIKey, dispatch_uid="distribution.api.keys_on_key_save")
@receiver(post_delete, sender=PartnerAPIKey, dispatch_uid="distribution.api.keys_on_key_delete")
@receiver(post_save, sender=Partner, dispatch_uid="distribution.api.keys_on_partner_save")
@receiver(post_delete, sender=Partner, dispatch_uid="distribution.api.keys_on_partner_delete")
@receiver(post_save, sender=Desk, dispatch_uid="distribution.api.keys_on_desk_save")
@receiver(post_delete, sender=Desk, dispatch_uid="distribution.api.keys_on_desk_delete")
@receiver(post_save, sender=Topic, dispatch_uid="distribution.api.keys_on_topic_save")
@receiver(post_delete, sender=Topic, dispatch_uid="distribution.api.keys_on_topic_delete")
@receiver(m2m_changed, sender=Partner.desks.through, dispatch_uid="distribution.api.keys_on_desks")
@receiver(
    m2m_changed, sender=Partner.topics.through, dispatch_uid="distribution.api.keys_on_topics"
)
def new_key_revision_on_change(sender, **kwargs) -> None:
    new_key_revision()
