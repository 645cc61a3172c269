"""Polls and surveys as sources: the organisation whose poll a story reports ("a Tar Heel
Research poll released Monday", "according to a new poll from the Lakeshore University
Center for Public Opinion", "The survey of 2,104 adults by Meridian Research put ...") is a
source of the story, as an organisation that said what its figures say."""

from __future__ import annotations

import re

# A name: capitalised words, with "of", "for", "and", "on", "the" between them.
_NAME = r"[A-Z][\w&'’./-]*(?:\s+(?:(?:of|for|and|on|the)\s+)*[A-Z][\w&'’./-]*){0,6}"
_BEFORE = re.compile(
    rf"\b(?:[Aa]n?|[Tt]he|[Ii]ts)\s+(?:(?:new|latest|recent|fresh)\s+)?(?P<np>{_NAME})"
    r"\s+(?:poll|survey|tracking poll)s?\b"
)
_AFTER = re.compile(
    r"\b(?:poll|survey)s?\b[^.;:!?\x00\"“”]{0,80}?\b(?:by|from|conducted by)\s+"
    rf"(?:the\s+)?(?P<np>{_NAME})"
)
# Words that open a sentence or a date, not a pollster's name.
_NOT_A_NAME = frozenset(
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "new")
)


def pollster(phrase: str) -> str:
    """The pollster a speaker phrase that is a poll names ("a new Yahoo News/Bellwether
    Analytics poll" gives "Bellwether Analytics"); any other phrase as it is."""
    m = _BEFORE.fullmatch(phrase.strip())
    return m["np"].split("/")[-1].strip(" .,") if m else phrase


def pollsters(sentence: str) -> list[str]:
    """The names of the organisations whose polls or surveys the sentence reports, in the
    order printed, each once: "A Heartland Survey poll released on Thursday found ..."
    gives ["Heartland Survey"]. Takes and returns plain text (masked quotes are skipped)."""
    found: list[str] = []
    for rx in (_BEFORE, _AFTER):
        for m in rx.finditer(sentence):
            # "a Yahoo News/Bellwether Analytics poll": the outlet pays, the pollster polls
            name = m["np"].split("/")[-1].strip(" .,")
            if name.split()[0].casefold() not in _NOT_A_NAME and name not in found:
                found.append(name)
    return found
