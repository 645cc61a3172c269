"""Signals distribution listens to. The editorial core sends `outbox_committed` after the
transaction that wrote an OutboxEvent has committed (never for a rolled-back one)."""

from django.dispatch import Signal

# kwargs: event_id (UUID of the OutboxEvent), article_id (int)
outbox_committed = Signal()
