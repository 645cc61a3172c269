"""When to try a failed delivery again: the Standard Webhooks example schedule, with jitter.

Attempt 1 goes at once; after a failure the next waits 5 s, then 5 min, 30 min, 2 h, 5 h,
10 h, 14 h, 20 h and 24 h. After the tenth attempt fails the delivery is given up.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from django.utils import timezone

RETRY_DELAYS = (
    timedelta(0),
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=14),
    timedelta(hours=20),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS)
# A receiver may ask for a pause, but not for longer than the longest step of the schedule.
MAX_RETRY_AFTER = RETRY_DELAYS[-1]
JITTER = 0.1


def delay_after(attempts_made: int, *, rng: random.Random | None = None) -> timedelta | None:
    """The wait before the next attempt once `attempts_made` have failed; None: give up.

    Jitter of ±10 % spreads retries so endpoints that failed together do not all come back
    in the same second.
    """
    if attempts_made >= MAX_ATTEMPTS:
        return None
    base = RETRY_DELAYS[attempts_made]
    factor = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return base * factor


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> timedelta | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), capped at 24 h."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        wait = timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        wait = when - (now or timezone.now())
    return max(timedelta(0), min(wait, MAX_RETRY_AFTER))
