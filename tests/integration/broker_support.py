"""Pointing the Celery app at another broker in a test: pooled connections and cached queues
dropped, so that the next use reads the configuration."""

import kombu.pools

from config.celery_app import app as celery_app


def reset_broker() -> None:
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    for cached in ("queues", "default_queue", "router"):
        celery_app.amqp.__dict__.pop(cached, None)
