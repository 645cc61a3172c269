"""`update SLUG --note TEXT`: move a published story's current copy as a writethru."""

from __future__ import annotations

from django.core.management.base import CommandParser

from articles import workflow
from articles.management.commands.publish import WorkflowCommand, find_by_slug


class Command(WorkflowCommand):
    help = "Move a published story's current copy as a writethru (a new version), with a note."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--note", required=True, help="What the writethru changes.")

    def handle(self, *args, slug: str, desk: str | None, note: str, **options) -> None:
        article = self.run_transition(workflow.update, find_by_slug(slug, desk), note=note)
        self.stdout.write(
            f"Updated “{article.headline}” ({article.slug}): now version {article.version}."
        )
