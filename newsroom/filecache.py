"""The embedded cache: Django's file-based cache, shared by every process on the machine.

The server, its scheduler thread and each `manage.py` command read and write the same
folder, so a kill made from the command line reaches the served feeds at once. Django's
`FileBasedCache.add` checks, then writes: two processes could both believe they added the
key. Feed render locks need exactly one winner, so `add` here holds an exclusive lock on a
file beside the entries (flock(2): between processes, and between threads of one process,
each of which opens the file itself) across the check and the write.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

# Not ending in ".djcache": never listed, culled or cleared as an entry.
LOCK_NAME = "add.lock"


class SharedFileCache(FileBasedCache):
    """FileBasedCache whose `add` is atomic across processes and threads."""

    @contextmanager
    def _exclusive(self):
        self._createdir()
        with open(os.path.join(self._dir, LOCK_NAME), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None) -> bool:
        """Store `value` unless a live entry has `key`; True when this call stored it."""
        with self._exclusive():
            return super().add(key, value, timeout, version)
