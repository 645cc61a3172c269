"""Signals the editorial core sends; other apps connect their receivers to them, so that
articles never imports them.

- `outbox_committed` is sent once the transaction that wrote an OutboxEvent has committed
  (never for a rolled-back one), with `event_id` (the event's UUID) and `article_id` (int).
  Distribution answers it by re-rendering feeds and pushing to partners.
- `story_reach` is sent with `article` before an editor kills it. Each receiver answers
  where the story went as {"feeds": [names of the feeds that will carry the kill notice],
  "partners": count of partners a kill will be pushed to, "feed_days": days the feeds keep
  the notice}.
"""

from django.dispatch import Signal

outbox_committed = Signal()
story_reach = Signal()
