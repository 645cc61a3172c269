"""The Django side of ingest: saving a parsed story, the import command, the admin upload.

Parsing is :mod:`wire`'s (pure Python); this app only stores what it returns. No models.
"""
