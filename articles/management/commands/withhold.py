"""`withhold SLUG --reason TEXT`: take a published story out of every channel for now."""

from __future__ import annotations

from django.core.management.base import CommandParser

from articles import workflow
from articles.management.commands.publish import WorkflowCommand, find_by_slug


class Command(WorkflowCommand):
    help = "Withhold a published story from every channel until it is released."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--reason", required=True, help="Why it is withheld (recorded).")

    def handle(self, *args, slug: str, desk: str | None, reason: str, **options) -> None:
        article = self.run_transition(workflow.withhold, find_by_slug(slug, desk), reason=reason)
        self.stdout.write(f"Withheld “{article.headline}” ({article.slug}) until released.")
