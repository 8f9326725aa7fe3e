"""OpenAPI generation: every operation documents the error body for the statuses it can answer.

Kept apart from ``config.api``: DRF imports the pagination class while ``rest_framework.generics``
loads, and drf-spectacular's ``AutoSchema`` imports ``rest_framework.generics``.
"""

from django.conf import settings
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

from config.api import ApiErrorSerializer

_ERROR_TEXT = {
    "400": "Invalid input; field errors under `detail.fields`.",
    "401": "Authentication required (token or session).",
    "403": "Authenticated but not permitted (model permissions).",
    "404": "Not found.",
    "406": "The requested representation is not available.",
    "409": "Conflicts with the object's current state (e.g. a review it does not allow).",
    "413": "The upload is larger than the limits allow.",
    "415": "Unsupported media type.",
    "429": "Throttled: too many requests; see `Retry-After`.",
    "503": "The task queue is unreachable: nothing was queued or kept; retry later.",
}


class ErrorAwareAutoSchema(AutoSchema):
    """Adds the error component to every operation for the statuses it can answer."""

    def _error_codes(self) -> list[str]:
        codes = ["400", "401", "403", "406", "429"]
        if "{" in self.path or self.method == "GET":
            codes.append("404")  # a missing object, or a page or cursor past the end
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        if getattr(self.view, "documents_upload_limits", False) and self.method == "POST":
            codes.append("413")
        if self.method not in SAFE_METHODS:
            codes.extend(getattr(self.view, "documented_errors", ()))
        return codes

    def get_auth(self):
        """Reads are open to anonymous clients unless API_READS_REQUIRE_TOKEN is set."""
        auth = super().get_auth()
        if self.method in SAFE_METHODS and not settings.API_READS_REQUIRE_TOKEN and {} not in auth:
            auth.append({})
        return auth

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                response = self._get_response_for_code(
                    ApiErrorSerializer, code, media_types=["application/json"]
                )
                response["description"] = _ERROR_TEXT[code]
                responses[code] = response
        return responses
