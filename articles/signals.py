"""Signals the editorial core sends; other apps connect their receivers to them.

`outbox_committed` is sent once the transaction that wrote an OutboxEvent has committed
(never for a rolled-back one), with `event_id` (the event's UUID) and `article_id` (int).
Distribution answers it by re-rendering feeds and pushing to partners.
"""

from django.dispatch import Signal

outbox_committed = Signal()
