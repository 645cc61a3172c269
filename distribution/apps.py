from django.apps import AppConfig


class DistributionConfig(AppConfig):
    name = "distribution"
    verbose_name = "Distribution: feeds, partners and push"

    def ready(self) -> None:
        # Importing the receivers connects them to articles.signals.outbox_committed and
        # story_reach.
        from distribution import reach  # noqa: F401
        from distribution.api import receivers as api_receivers  # noqa: F401
        from distribution.feeds import receivers as feed_receivers  # noqa: F401
        from distribution.push import receivers as push_receivers  # noqa: F401
