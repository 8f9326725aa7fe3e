"""Who may do what through the API.

Reads are public, or need an authenticated client when ``API_READS_REQUIRE_TOKEN`` is set.
Writes need an authenticated client holding Django model permissions (the "curator" group holds
them): a view names them in ``write_permissions`` (per HTTP method), otherwise they follow
``DjangoModelPermissions`` for the view's model (POST add, PUT/PATCH change, DELETE delete).
"""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


def _is_authenticated(request) -> bool:
    return bool(request.user and request.user.is_authenticated)


class ReadPublicWriteModelPermissions(BasePermission):
    """Public reads (token-only with API_READS_REQUIRE_TOKEN); writes need model permissions."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return not settings.API_READS_REQUIRE_TOKEN or _is_authenticated(request)
        if not _is_authenticated(request):
            return False
        if not hasattr(view, request.method.lower()):
            return True  # no handler: DRF answers 405 (a view without a model has no permissions)
        explicit = getattr(view, "write_permissions", None)
        if explicit is not None:
            required = explicit.get(request.method, ())
            return bool(required) and request.user.has_perms(required)
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return request.user.is_staff
        return DjangoModelPermissions().has_permission(request, view)
