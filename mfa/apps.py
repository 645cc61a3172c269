from django.apps import AppConfig


class MfaConfig(AppConfig):
    name = "mfa"
    verbose_name = "Multi-factor authentication"

    def ready(self) -> None:
        # Importing the receiver connects it: enrolment is offered at login.
        from mfa import receivers  # noqa: F401
