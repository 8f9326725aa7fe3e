"""Fixtures the integration tests share."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from config.celery_app import app as celery_app


@pytest.fixture
def eager_tasks():
    """Tasks run in-process whatever REDIS_URL says (the worker tests cover the broker)."""
    saved = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = saved


@pytest.fixture
def seeded_catalogue():
    """The indicator catalogue as the migrations leave it: a test with real transactions needs it
    loaded again, since another such test's flush empties the table."""
    call_command("seed_catalogue", verbosity=0)
