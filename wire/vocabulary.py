"""Word lists of the wire pipeline, kept as data in ``wire/vocab/`` with one loader.

Each file is UTF-8 text, one entry a line, ``#`` starting a comment. Two shapes:

- a plain list (``speech_verbs.txt``): :func:`words` gives a frozenset of lower-case entries;
- ``key: values`` lines (``honorifics.txt``, ``languages.txt``): :func:`table` gives a dict
  of key to the text after the colon.

Files are read once per process (cached); a missing file raises FileNotFoundError naming it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

VOCAB_DIR = Path(__file__).resolve().parent / "vocab"


def _lines(name: str) -> list[str]:
    path = VOCAB_DIR / f"{name}.txt"
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@cache
def words(name: str) -> frozenset[str]:
    """The entries of ``vocab/<name>.txt``, lower-cased, as a frozenset."""
    return frozenset(line.casefold() for line in _lines(name))


@cache
def table(name: str) -> dict[str, str]:
    """The ``key: value`` lines of ``vocab/<name>.txt`` as a dict (keys lower-cased)."""
    out: dict[str, str] = {}
    for line in _lines(name):
        key, _, value = line.partition(":")
        out[key.strip().casefold()] = value.strip()
    return out


@cache
def first_name_genders() -> dict[str, str]:
    """Given name (lower case) to ``male`` or ``female``, from ``first_names.txt``."""
    out: dict[str, str] = {}
    for gender, names in table("first_names").items():
        for name in names.split():
            out.setdefault(name, gender)
    return out
