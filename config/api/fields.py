"""Values as the API renders them: decimals as JSON numbers, dates and times in ISO 8601."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from rest_framework import serializers

from config.formats import json_number


def iso_datetime(value: dt.datetime | None, zone: dt.tzinfo | None = None) -> str | None:
    """As DRF's DateTimeField renders it: in the current time zone (or ``zone``, when a caller
    rendering many looked it up once), ISO 8601, UTC as ``Z``."""
    if value is None:
        return None
    text = value.astimezone(zone or timezone.get_current_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


class NumberField(serializers.DecimalField):
    """A stored decimal rendered as a JSON number (int when whole)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 24)
        kwargs.setdefault("decimal_places", 6)
        kwargs.setdefault("coerce_to_string", False)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        return json_number(value)
