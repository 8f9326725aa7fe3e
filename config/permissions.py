from django.conf import settings
from rest_framework.permissions import SAFE_METHODS, BasePermission, DjangoModelPermissions


class ReadPublicWriteModelPermissions(BasePermission):
    """Public reads (token-only with API_READS_REQUIRE_TOKEN); writes need model permissions."""

    def has_permission(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return not settings.API_READS_REQUIRE_TOKEN or bool(
                request.user and request.user.is_authenticated
            )
        if not (request.user and request.user.is_authenticated):
            return False
        if getattr(view, "queryset", None) is None and not hasattr(view, "get_queryset"):
            return request.user.is_staff
        return DjangoModelPermissions().has_permission(request, view)
