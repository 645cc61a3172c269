"""`kill SLUG --reason TEXT`: withdraw a story from every channel, with a kill notice."""

from __future__ import annotations

from django.core.management.base import CommandParser

from articles import workflow
from articles.management.commands.publish import WorkflowCommand, find_by_slug


class Command(WorkflowCommand):
    help = "Kill a published or withheld story; the reason goes to every partner."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--reason", required=True, help="Why it is killed; sent to partners.")

    def handle(self, *args, slug: str, desk: str | None, reason: str, **options) -> None:
        article = self.run_transition(workflow.kill, find_by_slug(slug, desk), reason=reason)
        self.stdout.write(f"Killed “{article.headline}” ({article.slug}). {article.kill_notice}")
