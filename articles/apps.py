from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Articles and workflow"

    def ready(self) -> None:
        # Importing the receivers connects them: account events go to the audit trail.
        from articles import accounts  # noqa: F401
