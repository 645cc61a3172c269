"""Time-driven editorial work, run by beat (see CELERY_BEAT_SCHEDULE in settings)."""

from celery import shared_task

from articles import workflow


@shared_task(name="articles.publish_due")
def publish_due() -> list[int]:
    return workflow.publish_due()


@shared_task(name="articles.lift_due_embargoes")
def lift_due_embargoes() -> list[int]:
    return workflow.lift_due_embargoes()
