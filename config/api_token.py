"""The API token of the logged-in user: a browser session hands a script its token."""

from __future__ import annotations

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


@transaction.atomic
def api_token_issue(*, user) -> Token:
    """The user's API token, created on first use (DRF's token model: the API's own state)."""
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def api_token_revoke(*, user) -> int:
    """Delete the user's token; returns how many were deleted (0 or 1)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return deleted


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    username = serializers.CharField()
    created = serializers.DateTimeField()


@extend_schema_view(
    post=extend_schema(
        operation_id="auth_token_issue",
        summary="Get your API token (from a logged-in browser session)",
        description="For a user logged in through the site (session cookie and CSRF token, e.g. "
        "from the browsable API): answers the user's token, creating it on first use. Token "
        "authentication is not accepted here, so a token cannot mint itself.",
        tags=["auth"],
        request=None,
        responses={200: ApiTokenSerializer},
    ),
    delete=extend_schema(
        operation_id="auth_token_revoke",
        summary="Revoke your API token",
        description="The token stops working at once; the next POST hands out a new one.",
        tags=["auth"],
        responses={204: OpenApiResponse(description="Revoked (or there was none).")},
    ),
)
class ApiTokenView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        token = api_token_issue(user=request.user)
        body = {
            "token": token.key,
            "username": request.user.get_username(),
            "created": token.created,
        }
        return Response(ApiTokenSerializer(body).data)

    def delete(self, request):
        api_token_revoke(user=request.user)
        return Response(status=204)
