"""Throttles whose rates are read per request, so a changed setting applies without a restart.

Kept apart from ``config.api``: DRF imports throttle classes while ``rest_framework.views`` loads.
"""

from rest_framework import throttling
from rest_framework.settings import api_settings


class _LiveRateMixin(throttling.SimpleRateThrottle):
    def __init__(self) -> None:
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES  # type: ignore[assignment]
        super().__init__()


class AnonThrottle(_LiveRateMixin, throttling.AnonRateThrottle):
    """Anonymous clients, by address: ``THROTTLE_ANON``."""


class UserThrottle(_LiveRateMixin, throttling.UserRateThrottle):
    """Authenticated clients, by user: ``THROTTLE_USER``."""
