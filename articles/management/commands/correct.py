"""`correct SLUG --note TEXT`: move a published story's current copy as a correction."""

from __future__ import annotations

from django.core.management.base import CommandParser

from articles import workflow
from articles.management.commands.publish import WorkflowCommand, find_by_slug


class Command(WorkflowCommand):
    help = "Move a published story's current copy as a correction, with its public note."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--note", required=True, help="The correction note readers see.")

    def handle(self, *args, slug: str, desk: str | None, note: str, **options) -> None:
        article = self.run_transition(workflow.correct, find_by_slug(slug, desk), note=note)
        self.stdout.write(
            f"Corrected “{article.headline}” ({article.slug}): now version {article.version}."
        )
