"""`publish SLUG [--embargo-until ISO8601] [--override-audit REASON]`, as the system editor.

Also home of `WorkflowCommand`, the shared shape of the operator's workflow commands: find
the story by its slug line, act as the system editor, and turn every refusal of the workflow
into a CommandError that says why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from articles import workflow
from articles.models import Article


def find_by_slug(slug: str, desk: str | None = None) -> Article:
    """The one story with this slug line (on `desk`, if given); refuses none or several."""
    candidates = Article.objects.select_related("desk").filter(slug=slug)
    if desk:
        candidates = candidates.filter(desk__slug=desk)
    found = list(candidates[:10])
    if not found:
        where = f" on desk {desk!r}" if desk else ""
        raise CommandError(f"No story with slug {slug!r}{where}.")
    if len(found) > 1:
        desks = ", ".join(sorted(a.desk.slug for a in found))
        raise CommandError(
            f"Slug {slug!r} is used on several desks ({desks}): name one with --desk."
        )
    return found[0]


def parse_moment(raw: str, option: str) -> datetime:
    """An ISO 8601 date-time; one without an offset is read in the newsroom's time zone."""
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise CommandError(
            f"{option} {raw!r} is not an ISO 8601 date-time (e.g. 2026-03-01T14:00:00Z)."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class WorkflowCommand(BaseCommand):
    """A workflow transition on one story, by slug, as the system editor."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="The story's wire slug line.")
        parser.add_argument("--desk", help="The desk's slug, when several desks use the slug.")

    def run_transition(self, action: Callable[..., Article], article: Article, **kwargs) -> Article:
        try:
            return action(article, by=workflow.system_editor(), **kwargs)
        except workflow.WorkflowError as exc:
            raise CommandError(str(exc)) from None


class Command(WorkflowCommand):
    help = (
        "Publish a story now, or under embargo, as the system editor. A story with open "
        "attribution findings is published only with --override-audit and a reason."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--embargo-until", metavar="ISO8601")
        parser.add_argument("--override-audit", metavar="REASON")

    def handle(self, *args, slug: str, desk: str | None, **options) -> None:
        embargo_until = None
        if options["embargo_until"]:
            embargo_until = parse_moment(options["embargo_until"], "--embargo-until")
            if embargo_until <= timezone.now():
                # The workflow would publish at once; an operator who typed a time meant one.
                raise CommandError(
                    f"--embargo-until {options['embargo_until']} is in the past; "
                    "publish without it to release the story now."
                )
        override = options["override_audit"]
        if override is not None and not override.strip():
            raise CommandError("--override-audit needs a reason; it is recorded.")
        article = find_by_slug(slug, desk)
        article = self.run_transition(
            workflow.publish, article, embargo_until=embargo_until, override_audit=override
        )
        embargo = f", embargoed until {article.embargo_until.isoformat()}" if embargo_until else ""
        self.stdout.write(
            f"Published “{article.headline}” ({article.slug}) as version {article.version}"
            f"{embargo}."
        )
