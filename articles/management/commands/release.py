"""`release SLUG`: put a withheld story back in every channel, as it was last sent."""

from __future__ import annotations

from articles import workflow
from articles.management.commands.publish import WorkflowCommand, find_by_slug


class Command(WorkflowCommand):
    help = "Release a withheld story: it returns to every channel as it was last sent."

    def handle(self, *args, slug: str, desk: str | None, **options) -> None:
        article = self.run_transition(workflow.release, find_by_slug(slug, desk))
        self.stdout.write(
            f"Released “{article.headline}” ({article.slug}): version {article.version}."
        )
