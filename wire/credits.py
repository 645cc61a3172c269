"""Bylines and credit lines as the wire prints them, turned into (name, role, desk) credits.

Recognised shapes, case-insensitive where the wire varies:

- ``By X`` / ``By X and Y`` / ``By X, Y and Z`` / ``By X, VOA News`` (byline)
- ``VOA Mandarin's X contributed to this report.`` / ``X and Y contributed reporting.``
  / ``Associated Press writer X in Y contributed.`` (contributor, with desk when named)
- ``Reporting by X in Y; Additional reporting by Z; Writing by W; Editing by V``
  and ``X reported from Y.``: the reporters and writer are the story's bylines when it has
  no ``By`` line (the agencies' web pages print them so), contributors beside one;
  additional reporting is always a contribution (:func:`settle_reporting`)
- ``Translated from Spanish by X`` / ``Translation from Armenian: X`` (translator),
  ``Photos by X`` / ``Photographs by X for VOA`` / ``Photo: X/VOA`` (photographer),
  ``Edited by X`` (editor)
- ``VOA Khmer's X contributed from Phnom Penh.``: the place a contributor reported from is
  kept on the credit.
"""

from __future__ import annotations

import re
from dataclasses import replace

from wire.model import CREDIT_ROLES, Credit
from wire.words import is_role_word


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ROLES = CREDIT_ROLES
# A credit line's reporter or writer, until the whole story shows whether it has a byline.
REPORTING = "reporting"

_APOS = "'’"
_NAME_TOKEN = r"[^\W\d_][\w.'’\-]*"
_NAME_RE = re.compile(rf"^{_NAME_TOKEN}(?: {_NAME_TOKEN}){{0,5}}$")
_AGENCY_WORDS = re.compile(
    r"\b(?:VOA|News|Press|Reuters|AFP|Agence|Bloomberg|Service|Wire|Staff|Associated"
    r"|Xinhua|Kyodo|Yonhap|Bureau|Desk|Media|Times|Post)\b"
)
_ROLE_NOUN = (
    r"(?:staff |special |senior |chief |political |national |foreign |investigative )?"
    r"(?:writers?|reporters?|correspondents?|journalists?|photographers?|photojournalists?"
    r"|videographers?|videojournalists?|editors?|researchers?|producers?|stringers?)"
)
_DESK_PREFIX = re.compile(
    rf"^(?:the )?(?P<desk>[A-Z][\w.&\-]*(?: [A-Z][\w.&\-]*){{0,4}}) (?P<role>{_ROLE_NOUN}) "
    rf"(?P<rest>.+)$"
)
_LOWER_ROLE = re.compile(rf"^(?:(?:freelance|contributing|local) )?{_ROLE_NOUN} (?=[A-Z])")
_POSSESSIVE_DESK = re.compile(
    rf"^(?P<desk>.+?)(?:[{_APOS}]s|(?<=s)[{_APOS}]) (?P<rest>.+)$"
)  # "Fox News' X"
_IN_PLACE = re.compile(r" (?:in|from|at) [A-Z][\w .,'’\-]*$")

_SEGMENT_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p, re.IGNORECASE), role)
    for p, role in (
        (
            r"^(?:additional|further|with|with additional|more) reporting (?:by|from) (.+)$",
            "contributor",
        ),
        (r"^reporting (?:by|from) (.+)$", REPORTING),
        (r"^(?:writing|written) by (.+)$", REPORTING),
        (r"^(?:compiled|research|fact-checking) by (.+)$", "contributor"),
        (r"^(?:editing|edited|copy-?edited) by (.+)$", "editor"),
        (r"^(?:translated|translation)(?: (?:from|into) [\w\- ]+?)*(?: by|:) ?(.+)$", "translator"),
        (
            r"^(?:photos?|photographs?|photography|pictures?|images?|video)(?: by|:) ?(.+)$",
            "photographer",
        ),
        (
            r"^(.+?) contributed(?: reporting| to this (?:report|story|article)| to the report)?"
            r"(?: (?:from|in) (?P<place>[^,;]+(?:, [A-Z][^,;]*)?))?$",
            "contributor",
        ),
        (r"^(.+?) reported from (?P<place>[^,;]+)$", REPORTING),
        (r"^(.+?) also reported from (?P<place>[^,;]+)$", "contributor"),
    )
)


_PARTICLES = _words(
    "de da das do dos du del della der den di van von ter ten bin binti ibn al el la le y e"
)


def is_plausible_name(name: str) -> bool:
    """A person's name as printed: 1-6 tokens, each capitalised (or uncased script) or a
    particle such as "de" or "van"."""
    if not _NAME_RE.match(name):
        return False
    tokens = name.split()
    if tokens[0].lower() in _PARTICLES and len(tokens) == 1:
        return False
    return all(
        t[0].isupper() or (t[0].isalpha() and not t[0].islower()) or t.lower() in _PARTICLES
        for t in tokens
    )


def _clean_name(raw: str) -> str:
    name = raw.strip(" .,;:()*_")
    if name.isupper() and len(name) > 3:
        name = " ".join(w.capitalize() if w.isalpha() else w for w in name.split())
    elif " " in name:
        # AFP prints the family name in capitals: "Mari KASK" is Mari Kask
        name = " ".join(
            w.capitalize() if w.isupper() and w.isalpha() and len(w) > 2 else w
            for w in name.split()
        )
    return name


def _split_names(names: str) -> list[str]:
    names = names.strip().rstrip(".")
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*", names)]
    merged: list[str] = []
    for part in parts:
        if merged and " " not in part and re.search(r" (?:in|from|at) ", merged[-1]):
            merged[-1] = f"{merged[-1]}, {part}"  # "X in Springfield, Illinois": the state
        elif part:
            merged.append(part)
    return merged


def _people(names: str, role: str, place: str | None = None) -> list[Credit] | None:
    """Credits for a names phrase, or None when any part is not a plausible name.

    An agency credited as a whole ("The Associated Press contributed") is a valid credit
    phrase that names no person, so it gives an empty list. ``place`` is the place the
    line gives for everyone in it; "X in Y" gives X the place Y.
    """
    credits: list[Credit] = []
    inherited_desk: str | None = None
    for chunk in _split_names(names):
        desk: str | None = None
        own_place = place
        m = _DESK_PREFIX.match(chunk)
        if m and _NAME_RE.match(_IN_PLACE.sub("", m["rest"])):
            desk, chunk = m["desk"], m["rest"]
            inherited_desk = desk if m["role"].endswith("s") else None
        else:
            m = _POSSESSIVE_DESK.match(chunk)
            if m and _NAME_RE.match(m["desk"]):
                desk, chunk = m["desk"], m["rest"]
        chunk = _LOWER_ROLE.sub("", chunk)  # "staff photographer Jenna Albrecht"
        slash = re.match(r"^(.+?)\s*/\s*([\w .&\-]+)$", chunk)
        if slash:
            chunk, desk = slash[1], slash[2].strip()
        employer = re.match(r"^(.+?) for ((?:the )?[A-Z][\w.&\- ]*)$", chunk)
        if employer:
            chunk, desk = employer[1], employer[2].removeprefix("the ")
        where = _IN_PLACE.search(chunk)
        if where:
            own_place = own_place or where[0].split(" ", 2)[2].strip(" .,")
            chunk = chunk[: where.start()]
        name = _clean_name(chunk)
        if name.lower().startswith("the ") and is_plausible_name(name[4:]):
            continue
        if not is_plausible_name(name):
            return None
        credits.append(Credit(name=name, role=role, desk=desk or inherited_desk, place=own_place))
    return credits


_TRAILING_AGENCY = re.compile(
    r"\s+(?P<agency>(?:The )?Associated Press|Reuters|Agence France-Presse|AFP|Bloomberg)$"
)


# The Hill's "BY X AND Y - 10/16/24 6:00 AM ET": the time it was posted
_BYLINE_TIMESTAMP = re.compile(r"\s+[-–—|]\s+\d{1,2}/\d{1,2}/\d{2,4}\b.*$")
_ACRONYM = re.compile(r"[A-Z]{2,6}")  # "By Priya Venkataraman and Owen Castellanos, CNN"


def parse_byline(line: str) -> list[Credit] | None:
    """Byline credits for a ``By …`` line, or None when the line is not a byline."""
    m = re.match(r"^\(?by\s+(.+?)\)?$", line.strip(), re.IGNORECASE)
    if not m or len(line.split()) > 16:
        return None
    body = _BYLINE_TIMESTAMP.sub("", m[1])
    if body.isupper():
        body = re.sub(r"\bAND\b", "and", body)  # "BY NATHANIEL OKWU AND SOPHIE LARUE"
    desk: str | None = None
    # "By Jane Doe, Associated Press" / "By Jane Doe | VOA News": the agency is the desk.
    tail = re.match(r"^(.+?)\s*(?:,|\||—|–| - )\s*([^,|]+)$", body)
    outlet = tail and (_AGENCY_WORDS.search(tail[2]) or _ACRONYM.fullmatch(tail[2].strip()))
    if outlet and " and " not in tail[2]:
        body, desk = tail[1], tail[2].strip()
    elif tail and len(tail[2].split()) <= 4 and is_role_word(tail[2].split()[-1]):
        body = tail[1]  # "By Tom Ashworth, Political correspondent": the post, not a name
    agency = _TRAILING_AGENCY.search(body)
    if agency and not desk:
        body, desk = body[: agency.start()], agency["agency"]  # "By JO PELL Associated Press"
    if body[:1].islower():
        return None
    # AFP: "by Mari KASK with Anna LINDQVIST in Helsinki": the second name contributed
    main, _, helper = body.partition(" with ")
    people = _people(main, "byline")
    helpers = _people(helper, "contributor") if helper else []
    if people is None or helpers is None:
        return None
    return [Credit(c.name, c.role, c.desk or desk, c.place) for c in [*people, *helpers]]


def is_byline_post(line: str) -> bool:
    """Whether a line under a byline gives the writer's post or outlet rather than copy:
    "Staff Writer", "Senior Politics Reporter, HuffPost", "Associated Press" (at most
    eight words, no sentence's end, a post noun or an agency word in it)."""
    words = line.replace(",", " ").split()
    return (
        0 < len(words) <= 8
        and line[-1] not in '.!?:"”’'
        and all(w[:1].isupper() or w.casefold() in ("and", "of", "for", "the") for w in words)
        and (any(is_role_word(w.casefold()) for w in words) or bool(_AGENCY_WORDS.search(line)))
    )


def parse_credit_line(line: str) -> list[Credit] | None:
    """Credits for a closing credit line (possibly empty), or None when the line is not one.

    A line counts only when every one of its segments is a recognised credit, so a body
    sentence that happens to contain "by" is never taken for a credit.
    """
    text = line.strip().strip("()*_ ").lstrip("—–- ").strip()
    if not text or len(text) > 400:
        return None
    segments = [s.strip() for s in re.split(r";|(?<=[a-z\d\]])\.\s+(?=[A-Z])", text)]
    credits: list[Credit] = []
    matched = 0
    for seg in segments:
        seg = seg.strip().rstrip(".").strip()
        if not seg:
            continue
        matched += 1
        for rx, role in _SEGMENT_RULES:
            m = rx.match(seg)
            if m:
                found_place = m.groupdict().get("place")
                people = _people(m[1], role, found_place.strip(" .") if found_place else None)
                if people is None:
                    return None
                credits.extend(people)
                break
        else:
            return None
    return credits if matched else None


def settle_reporting(credits: list[Credit]) -> list[Credit]:
    """The story's credits with each :data:`REPORTING` credit given its role: ``byline``
    when no ``By`` line credits anyone, else ``contributor`` (the byline names the authors
    and the credit line those who helped). Order is kept."""
    role = "contributor" if any(c.role == "byline" for c in credits) else "byline"
    return [replace(c, role=role) if c.role == REPORTING else c for c in credits]
