"""The wire workflow: every change of an article's state goes through a function here.

    draft → submitted → edited → published → corrected / updated (version + 1)
                     ↘ draft                → killed (kill notice replaces the copy)
                                            → withheld ⇄ released

- `rules`: the one table of who may make which move from which state (`RULES`), read by
  the guard (`check`) and the admin's buttons (`allowed_transitions`); the refusals.
- `transitions`: the moves themselves, each in one transaction with its audit entry.
- `versions`: the row lock, the stored ArticleVersion and the outbox event.
- `editing`: working-copy saves under optimistic locking (nothing is sent), and
  discarding a published story's unsent changes.
- `conflicts`: two editors' saves of one story, resolved field by field.
- `scheduled`: publish-at and embargo lifts.

The admin, the management commands and the Celery tasks all call these functions; none
holds rules of its own.
"""

from articles.workflow.editing import discard_unsent_changes, save_copy
from articles.workflow.rules import (
    RULES,
    SYSTEM_EDITOR_USERNAME,
    TRANSITIONS,
    NotPermitted,
    OpenFindings,
    Rule,
    StaleEdit,
    TransitionNotAllowed,
    WorkflowError,
    allowed_transitions,
    can_edit_copy,
    check,
    system_editor,
)
from articles.workflow.scheduled import lift_due_embargoes, publish_due
from articles.workflow.transitions import (
    approve,
    correct,
    kill,
    publish,
    release,
    return_to_reporter,
    submit,
    update,
    withhold,
)

__all__ = [
    "RULES",
    "SYSTEM_EDITOR_USERNAME",
    "TRANSITIONS",
    "NotPermitted",
    "OpenFindings",
    "Rule",
    "StaleEdit",
    "TransitionNotAllowed",
    "WorkflowError",
    "allowed_transitions",
    "approve",
    "can_edit_copy",
    "check",
    "correct",
    "discard_unsent_changes",
    "kill",
    "lift_due_embargoes",
    "publish",
    "publish_due",
    "release",
    "return_to_reporter",
    "save_copy",
    "submit",
    "system_editor",
    "update",
    "withhold",
]
