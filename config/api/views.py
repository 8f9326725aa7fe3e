"""View pieces every app's API shares."""

from typing import Any

from django.http import Http404
from rest_framework.generics import GenericAPIView

from config.api.filters import MAX_ID


class SafePkMixin(GenericAPIView):
    """Ids beyond the database's integer range are simply not found (404), never a 500."""

    def get_object(self) -> Any:
        pk = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
        if isinstance(pk, int) and pk > MAX_ID:
            raise Http404
        return super().get_object()
