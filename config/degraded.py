"""Redis down: what fails open, and the warning it logs.

Redis holds the cache (throttle histories, cached API reads, the reads' generation) and is the
task broker. Without it reads go on: throttling lets requests through and the read cache is
skipped, each with a logged warning (at most one every ``WARNING_INTERVAL`` seconds per part, so
an outage does not flood the log). What needs the broker to be queued (an upload) is refused
with 503 instead (``reports.errors.BrokerUnavailableError``).
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import RedisError

logger = logging.getLogger("fazhi.degraded")
CACHE_ERRORS = (RedisError, OSError)
WARNING_INTERVAL = 10.0
_last_warned: dict[str, float] = {}


def cache_unavailable(part: str, exc: BaseException) -> None:
    """Log that ``part`` went on without the cache because of ``exc`` (rate-limited)."""
    now = time.monotonic()
    if now - _last_warned.get(part, -WARNING_INTERVAL) >= WARNING_INTERVAL:
        _last_warned[part] = now
        logger.warning(
            "%s: cache unavailable (%s: %s); going on without it", part, type(exc).__name__, exc
        )
