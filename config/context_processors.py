"""Template context shared by every page of the site's layout (templates/base.html)."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse


def _url_or_none(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request: HttpRequest) -> dict[str, object]:
    """Links the header shows: the curators' workspace only for staff, and only where it is
    installed (its URL name resolves)."""
    user = getattr(request, "user", None)
    staff = bool(user is not None and user.is_authenticated and user.is_staff)
    return {
        "nav_workspace_url": _url_or_none("workspace:home") if staff else None,
        "nav_admin_url": _url_or_none("admin:index") if staff else None,
    }
