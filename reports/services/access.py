"""API access: the token a user sends with scripted requests."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token


@transaction.atomic
def api_token_issue(*, user: Any) -> Token:
    """The user's API token, created on first use."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def api_token_revoke(*, user: Any) -> int:
    """Delete the user's token; returns how many were deleted (0 or 1)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted
