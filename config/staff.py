"""Access to the curators' workspace: logged-in staff holding the page's model permissions.

Anonymous visitors are sent to the login page; anyone else without access gets 403.
"""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.http import HttpRequest


class StaffRequiredMixin(LoginRequiredMixin, UserPassesTestMixin):
    permission_required: tuple[str, ...] = ()
    request: HttpRequest

    def test_func(self) -> bool:
        user = self.request.user
        return bool(user.is_staff and user.has_perms(self.permission_required))


def is_htmx(request: HttpRequest) -> bool:
    """The request came from htmx (it answers with a fragment, not a whole page)."""
    return request.headers.get("HX-Request") == "true"
