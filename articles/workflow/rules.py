"""Who may move a story, and from which state: one table, read by the guard and the buttons.

Every transition in `transitions` starts with `check(name, article, by)`, and the admin's
buttons come from `allowed_transitions`, which asks the same `Rule.refusal`; a rule changed
here changes both, so a button can never offer what the transition refuses.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.utils import timezone

from articles.models import Article

S = Article.Status
SYSTEM_EDITOR_USERNAME = "system-editor"
PUBLISH_PERM = "articles.publish_article"


class WorkflowError(Exception):
    """A refusal the caller shows to the user as it is."""


class TransitionNotAllowed(WorkflowError):
    """The story's state (or a missing note, reason or headline) does not allow the move."""


class NotPermitted(WorkflowError):
    """The user lacks the permission the move needs."""


class OpenFindings(WorkflowError):
    """The story has open attribution findings and no override reason was given."""

    def __init__(self, article: Article, findings: list) -> None:
        self.findings = findings
        listed = "; ".join(f.message.rstrip(".") for f in findings[:3])
        super().__init__(
            f"“{article.headline}” has {len(findings)} open attribution finding(s): {listed}. "
            "Resolve them, or publish with an override and a reason."
        )


class StaleEdit(WorkflowError):
    """Someone saved the story after the editor opened it (optimistic lock lost)."""

    def __init__(self, article: Article) -> None:
        self.article = article
        who = article.modified_by.get_username() if article.modified_by else "someone"
        when = timezone.localtime(article.modified_at).strftime("%Y-%m-%d %H:%M:%S %Z")
        super().__init__(
            f"{who} changed this story at {when}, after you opened it. Your text is kept "
            "below, beside theirs: choose yours or theirs for each field that differs, "
            "then save again."
        )


@dataclass(frozen=True)
class Rule:
    """One transition's guard.

    `states`: where it may start; `perm`: the permission it needs; `action`: what the
    permission refusal says the user may not do ("publish stories"); `verb`: what the state
    refusal says cannot be done ("publish"); `own_drafts_only`: a user without the publish
    permission may make it only on stories they created.
    """

    states: tuple[str, ...]
    perm: str
    action: str
    verb: str
    own_drafts_only: bool = False

    def refusal(self, article: Article, user: AbstractBaseUser) -> WorkflowError | None:
        """The error `user` would meet moving `article` now, or None when allowed."""
        if not user.has_perm(self.perm):
            return NotPermitted(
                f"You may not {self.action}: it needs the “{self.perm.split('.')[1]}” permission."
            )
        if (
            self.own_drafts_only
            and article.created_by_id not in (user.pk, None)
            and not user.has_perm(PUBLISH_PERM)
        ):
            return NotPermitted("You may submit only your own drafts.")
        if article.status not in self.states:
            return TransitionNotAllowed(
                f"Cannot {self.verb} “{article.headline}”: it is "
                f"{article.get_status_display().lower()}, and only a story that is "
                f"{', '.join(self.states)} can be."
            )
        return None


RULES: dict[str, Rule] = {
    "submit": Rule(
        (S.DRAFT,), "articles.submit_article", "submit stories", "submit", own_drafts_only=True
    ),
    "return_to_reporter": Rule(
        (S.SUBMITTED, S.EDITED),
        PUBLISH_PERM,
        "return stories to reporters",
        "return to the reporter",
    ),
    "approve": Rule((S.SUBMITTED,), PUBLISH_PERM, "approve stories", "approve"),
    "publish": Rule((S.DRAFT, S.SUBMITTED, S.EDITED), PUBLISH_PERM, "publish stories", "publish"),
    "correct": Rule((S.PUBLISHED,), PUBLISH_PERM, "correct stories", "correct"),
    "update": Rule((S.PUBLISHED,), PUBLISH_PERM, "update stories", "update"),
    "withhold": Rule((S.PUBLISHED,), "articles.kill_article", "withhold stories", "withhold"),
    "release": Rule((S.WITHHELD,), "articles.kill_article", "release withheld stories", "release"),
    "kill": Rule((S.PUBLISHED, S.WITHHELD), "articles.kill_article", "kill stories", "kill"),
}
# The name the admin has always looked transitions up by.
TRANSITIONS = RULES


def check(name: str, article: Article, user: AbstractBaseUser) -> None:
    """Raise the refusal of transition `name` for `user` on `article`, if there is one.

    Raises NotPermitted (missing permission, someone else's draft) or TransitionNotAllowed
    (the story's state).
    """
    refusal = RULES[name].refusal(article, user)
    if refusal is not None:
        raise refusal


def allowed_transitions(user: AbstractBaseUser, article: Article) -> list[str]:
    """Names of the transitions `user` may make on `article` now (for the admin's buttons),
    in the table's order: exactly those `check` lets through."""
    return [name for name, rule in RULES.items() if rule.refusal(article, user) is None]


def require(user: AbstractBaseUser, perm: str, action: str) -> None:
    """Raise NotPermitted unless `user` holds `perm` (for checks beyond the table's)."""
    if not user.has_perm(perm):
        raise NotPermitted(f"You may not {action}: it needs the “{perm.split('.')[1]}” permission.")


def can_edit_copy(user: AbstractBaseUser, article: Article) -> bool:
    """Editors edit any story but a killed one; a reporter edits only their own drafts."""
    if user.has_perm(PUBLISH_PERM):
        return article.status != S.KILLED
    return (
        user.has_perm("articles.change_article")
        and article.status == S.DRAFT
        and (article.pk is None or article.created_by_id == user.pk)
    )


def system_editor() -> AbstractBaseUser:
    """The account that scheduled jobs and operator commands act as, recorded as such.

    It holds the Editor role and must stay active (Django grants an inactive user no
    permission at all); it cannot log in because it has no usable password and no staff flag.
    """
    user, created = get_user_model().objects.get_or_create(
        username=SYSTEM_EDITOR_USERNAME,
        defaults={"first_name": "System", "last_name": "Editor", "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name="Editor"))
    elif not user.is_active:
        # Accounts made before this rule were inactive, so every job they ran was refused.
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user
