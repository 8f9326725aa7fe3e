"""Throttles whose rates are read per request, so a changed setting applies without a restart.

Kept apart from ``config.api``: DRF imports throttle classes while ``rest_framework.views`` loads.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings

from config.degraded import CACHE_ERRORS, cache_unavailable


class _LiveRateMixin(throttling.SimpleRateThrottle):
    def __init__(self) -> None:
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        super().__init__()


class _FailOpenMixin(throttling.SimpleRateThrottle):
    """Without the cache (Redis down) a request is let through, with a logged warning."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            cache_unavailable("throttling", exc)
            return True


class AnonThrottle(_FailOpenMixin, _LiveRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by address: ``THROTTLE_ANON``."""


class UserThrottle(_FailOpenMixin, _LiveRateMixin, throttling.UserRateThrottle):
    """Authenticated clients, by user: ``THROTTLE_USER``."""
