"""Edit conflicts: two editors saved one story; the later one resolves, field by field.

When a save is refused as stale (`StaleEdit`), the editor is shown the stored copy (the
other editor's, "theirs") beside what they typed ("mine"), one field at a time, with the
differences marked. They choose theirs or mine for each field that differs, or edit the
field, and save again against the lock of the copy they were shown. Nothing typed is
thrown away unless the editor chooses theirs for that field.

- `find_conflict(current, mine)`: what differs between the stored copy and the editor's.
- `resolve_conflict(current, mine, choices=..., fields=...)`: the values to save.

The admin's form calls these; neither reads a request.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import models
from django.utils import timezone

from articles.diff import DiffRow, body_blocks, compare_values, side_by_side
from articles.models import Article
from articles.sanitize import clean_body_html, clean_plain_text
from articles.workflow.editing import COPY_FIELDS
from articles.workflow.rules import WorkflowError

THEIRS = "theirs"
MINE = "mine"

# The copy fields a conflict compares, in the order the form shows them.
CONFLICT_FIELDS = COPY_FIELDS

# How Article.save() stores each text field: two values that store the same are no conflict.
_STORED_AS = {
    "headline": clean_plain_text,
    "summary": clean_plain_text,
    "dateline_place": clean_plain_text,
    "body": clean_body_html,
}


class UnresolvedConflict(WorkflowError):
    """A save that resolves a conflict left a differing field without a choice."""

    def __init__(self, labels: list[str]) -> None:
        self.labels = labels
        super().__init__(
            f"Choose yours or theirs for {', '.join(labels)} before saving; "
            "nothing is saved until every difference has a choice."
        )


@dataclass(frozen=True)
class FieldConflict:
    """One field whose stored value (`theirs`) differs from the editor's (`mine`).

    `theirs` and `mine` are the values as a person reads them (names, not ids; the body's
    text, paragraph by paragraph); `rows` pairs them line by line, theirs on the left,
    changed words marked with <del>/<ins>.
    """

    name: str
    label: str
    theirs: str
    mine: str
    rows: list[DiffRow]


@dataclass(frozen=True)
class EditConflict:
    """The stored copy an editor's save met, and where it differs from theirs.

    `lock_version` is the stored copy's lock: a save made from it after choosing goes
    through unless someone saves again first. `saved_by` and `saved_at` say whose copy it is.
    """

    lock_version: int
    saved_by: str
    saved_at: datetime
    fields: list[FieldConflict]

    @property
    def names(self) -> list[str]:
        return [field.name for field in self.fields]


def _label(name: str) -> str:
    return str(Article._meta.get_field(name).verbose_name).capitalize()


def _stored(name: str, value: Any) -> Any:
    """`value` of field `name` in a form that compares as the database would hold it."""
    if name in _STORED_AS:
        return _STORED_AS[name](value or "")
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple | set):
        return sorted(item.pk if isinstance(item, models.Model) else item for item in value)
    if value in (None, ""):
        return None
    if name == "priority":
        return int(value)
    return value


def _shown(name: str, value: Any) -> str:
    """`value` as a person reads it."""
    if value in (None, ""):
        return ""
    if isinstance(value, models.QuerySet | list | tuple | set):
        return ", ".join(sorted(str(item) for item in value))
    if name == "priority":
        return str(Article.Priority(int(value)).label)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def current_value(article: Article, name: str) -> Any:
    """The stored value of copy field `name` (a queryset for topics and regions)."""
    if name in ("topics", "regions"):
        return getattr(article, name).all()
    return getattr(article, name)


def find_conflict(
    current: Article, mine: Mapping[str, Any], *, names: Iterable[str] | None = None
) -> EditConflict:
    """Where the stored copy `current` differs from the editor's values `mine`.

    `mine` maps field names to values as a form cleans them (a Desk, a date, a queryset of
    topics); fields absent from it are not compared, nor those outside `names` when given.
    """
    wanted = set(CONFLICT_FIELDS if names is None else names)
    fields: list[FieldConflict] = []
    for name in CONFLICT_FIELDS:
        if name not in wanted or name not in mine:
            continue
        theirs = current_value(current, name)
        if _stored(name, theirs) == _stored(name, mine[name]):
            continue
        if name == "body":
            left, right = body_blocks(_stored(name, theirs)), body_blocks(_stored(name, mine[name]))
            shown_theirs, shown_mine = "\n".join(left), "\n".join(right)
            rows = side_by_side(left, right)
        else:
            shown_theirs, shown_mine = _shown(name, theirs), _shown(name, mine[name])
            rows = [compare_values(shown_theirs, shown_mine)]
        fields.append(FieldConflict(name, _label(name), shown_theirs, shown_mine, rows))
    saved_by = current.modified_by.get_username() if current.modified_by else "someone"
    return EditConflict(
        lock_version=current.lock_version,
        saved_by=saved_by,
        saved_at=timezone.localtime(current.modified_at),
        fields=fields,
    )


def resolve_conflict(
    current: Article,
    mine: Mapping[str, Any],
    *,
    choices: Mapping[str, str],
    fields: Iterable[str],
) -> dict[str, Any]:
    """The values to save for the fields of a conflict the editor has been shown.

    `fields` names the fields that differed when the editor was shown the conflict;
    `choices` maps each to THEIRS or MINE. A field that now stores the same either way
    needs no choice. Returns, for every field of `mine`, the value to save: the stored one
    where the editor chose theirs, the editor's otherwise. Raises UnresolvedConflict naming the
    differing fields left without a choice.
    """
    still_differ = find_conflict(current, mine, names=fields)
    missing = [f.label for f in still_differ.fields if choices.get(f.name) not in (THEIRS, MINE)]
    if missing:
        raise UnresolvedConflict(missing)
    resolved = dict(mine)
    for field in still_differ.fields:
        if choices[field.name] == THEIRS:
            resolved[field.name] = current_value(current, field.name)
    return resolved
