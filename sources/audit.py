"""The attribution audit: findings an editor must see before a story moves.

Reads the neutral shape the importer produces (and `sources.services.audit_inputs` builds
from saved rows): a headline, source dicts and quote dicts.
"""

from __future__ import annotations


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    for i in range(len(b)):
        if a[:i] + b[i + 1 :] == a or (len(a) == len(b) and a[:i] + b[i] + a[i + 1 :] == b):
            return True
    return False


def audit_story(
    *, headline: str | None, sources: list[dict], quotes: list[dict], **_: object
) -> list[dict]:
    """Flags as `{"code", "subject", "message"}` dicts, in a stable order."""
    flags: list[dict] = []
    if not (headline or "").strip():
        flags.append(
            {"code": "missing-headline", "subject": "", "message": "The story has no headline."}
        )
    people = [s for s in sources if s.get("kind") == "person"]
    for i, first in enumerate(people):
        for second in people[i + 1 :]:
            a, b = first["name"].split()[-1], second["name"].split()[-1]
            if _one_edit_apart(a.casefold(), b.casefold()):
                flags.append(
                    {
                        "code": "name-variant",
                        "subject": first["name"],
                        "message": f"“{first['name']}” and “{second['name']}” may be one "
                        "person spelled two ways: check the spelling.",
                    }
                )
    quoted = {q.get("speaker") for q in quotes}
    for source in people:
        if source["name"] in quoted and not (source.get("title") or source.get("affiliation")):
            flags.append(
                {
                    "code": "source-without-affiliation",
                    "subject": source["name"],
                    "message": f"{source['name']} is quoted with no title or "
                    "affiliation: readers cannot tell who they are.",
                }
            )
    for quote in quotes:
        if quote.get("kind", "direct") == "direct" and not quote.get("speaker"):
            flags.append(
                {
                    "code": "unattributed-quote",
                    "subject": "",
                    "message": f"Paragraph {quote.get('paragraph', 0) + 1}: the quote "
                    f"“{quote.get('text', '')[:60]}” is attributed to nobody.",
                }
            )
    return flags
