"""The Celery application, configured from Django's settings (the CELERY_ namespace)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

app = Celery("newsroom")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Distribution keeps its tasks by concern: feeds and partner push.
app.autodiscover_tasks(["distribution.feeds", "distribution.push"])


@app.task(name="newsroom.ping", ignore_result=False)
def ping(payload: str = "ping") -> dict:
    """Answer with the payload and the answering process: proves a worker round trip."""
    return {"payload": payload, "pid": os.getpid()}
