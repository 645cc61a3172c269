"""Bylines and credit lines, rendered from an article's credits the way the wire prints them."""

from __future__ import annotations

from collections.abc import Iterable

from articles.models import Credit


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _credited_name(credit: Credit) -> str:
    name = credit.contributor.name
    return f"{credit.desk_label}'s {name}" if credit.desk_label else name


def byline(credits: Iterable[Credit]) -> str:
    """ "By Dewi Lestari and Marcus Holt", or "" when nobody has the byline."""
    names = [c.contributor.name for c in credits if c.role == Credit.Role.BYLINE]
    return f"By {join_names(names)}" if names else ""


def credit_line(credits: Iterable[Credit]) -> str:
    """The closing line: "VOA Mandarin's Chung-Hsi Tu contributed to this report." and kin."""
    credits = list(credits)
    sentences: list[str] = []
    contributors = [c for c in credits if c.role == Credit.Role.CONTRIBUTOR]
    if contributors:
        places = {c.place for c in contributors}
        place = f" {places.pop()}" if len(places) == 1 and "" not in places else ""
        names = join_names([_credited_name(c) for c in contributors])
        sentences.append(f"{names} contributed to this report{place}.")
    for role, phrase in (
        (Credit.Role.TRANSLATOR, "Translated by"),
        (Credit.Role.PHOTOGRAPHER, "Photos by"),
        (Credit.Role.EDITOR, "Edited by"),
    ):
        names = [_credited_name(c) for c in credits if c.role == role]
        if names:
            sentences.append(f"{phrase} {join_names(names)}.")
    return " ".join(sentences)
