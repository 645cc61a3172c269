"""Cached API pages stop being served when what partners may be given changes (connected
in DistributionConfig.ready): when a published article's row is saved or deleted, and
after every committed outbox event."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from articles.models import Article
from articles.signals import outbox_committed
from distribution.api.pages import new_generation


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
