"""Word lists of the wire pipeline, kept as data in ``wire/vocab/`` with one loader.

Each file is UTF-8 text, one entry a line, ``#`` starting a comment. Two shapes:

- a plain list (``speech_verbs.txt``): :func:`words` gives a frozenset of lower-case entries;
- ``key: values`` lines (``honorifics.txt``, ``languages.txt``): :func:`table` gives a dict
  of key to the text after the colon.

Files are read once per process (cached); a missing file raises FileNotFoundError naming it.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
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
    """Given name (lower case) to ``male`` or ``female``: ``first_names.txt`` first, then
    the US Census Bureau's 1990 lists of given names (public domain; 1,219 male and 4,275
    female names, as the ``names`` package ships them), each name under the list where it
    is more frequent."""
    out: dict[str, str] = {}
    for gender, names in table("first_names").items():
        for name in names.split():
            out.setdefault(name, gender)
    share: dict[str, tuple[float, str]] = {}
    for gender in ("male", "female"):
        data = resources.files("names").joinpath(f"dist.{gender}.first")
        for line in data.read_text(encoding="ascii").splitlines():
            name, frequency, *_ = line.split()  # "JAMES 3.318 3.318 1": percent of people
            key = name.casefold()
            if float(frequency) > share.get(key, (-1.0, ""))[0]:
                share[key] = (float(frequency), gender)
    for name, (_, gender) in share.items():
        out.setdefault(name, gender)
    return out
