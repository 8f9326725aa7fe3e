"""Every REST endpoint, under /api/v1/. Each app owns its own URL module."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from config.api_token import ApiTokenView

ROOT_LINKS = {
    "reports": "v1:report-list",
    "sections": "v1:section-list",
    "indicator-definitions": "v1:indicator-definition-list",
    "indicator-values": "v1:indicator-value-list",
    "ingestion-jobs": "v1:ingestion-job-list",
    "status": "v1:system-status",
    "token": "v1:auth-token",
}


class ApiRootView(APIView):
    """The entry points of version 1 (and links to the schema and its documentation)."""

    @extend_schema(exclude=True)
    def get(self, request):
        links = {name: reverse(view, request=request) for name, view in ROOT_LINKS.items()}
        links["schema"] = reverse("schema", request=request)
        links["docs"] = reverse("swagger-ui", request=request)
        return Response(links)


class ApiNotFoundView(APIView):
    """Any other path under /api/v1/: the error body, not an HTML page."""

    schema = None  # not an endpoint

    def _missing(self, request, *args, **kwargs):
        raise NotFound(f"No endpoint at {request.path}.")

    get = post = put = patch = delete = head = options = _missing


urlpatterns = [
    path("", ApiRootView.as_view(), name="api-root"),
    path("auth/token/", ApiTokenView.as_view(), name="auth-token"),
    path("", include("reports.api.urls")),
    path("", include("indicators.api.urls")),
    path("", include("indicators.api.curation_urls")),
    re_path(r"^[\s\S]*$", ApiNotFoundView.as_view(), name="api-not-found"),
]
