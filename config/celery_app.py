"""The Celery application (``celery -A config worker``)."""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("fazhi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def database_connections_recycled(sender=None, **kwargs) -> None:
    """Around a task on a worker, what Django does around a request: drop a connection that is
    broken or older than CONN_MAX_AGE, and health-check the rest before reuse. (Not for a task
    run eagerly: it is part of its caller's request or transaction.)"""
    request = getattr(sender, "request", None)
    if request is None or getattr(request, "is_eager", False):
        return
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        connection.close_if_unusable_or_obsolete()
