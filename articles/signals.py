"""Signals the editorial core sends, so other apps can answer without articles importing them."""

from __future__ import annotations

from django.dispatch import Signal

# Sent with `article` before an editor kills it. Each receiver answers where the story went
# as {"feeds": [names], "partners": count of partners a kill will be pushed to}.
story_reach = Signal()
