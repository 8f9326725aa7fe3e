"""Three views that do nearly nothing, in front of the site's URLs, for ``page_floors``: what a
request costs through gunicorn and the whole middleware chain before a page does any work."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """Neither the session nor the user is read."""
    return HttpResponse("ok")


def user(request: HttpRequest) -> HttpResponse:
    """The session and the user loaded, as on every page for a logged-in curator."""
    return HttpResponse(request.user.get_username())


def layout(request: HttpRequest) -> HttpResponse:
    """The site's layout (templates/base.html) with an empty content block, for that user."""
    return render(request, "base.html", {})


urlpatterns = [
    path("floor/bare/", bare),
    path("floor/user/", user),
    path("floor/layout/", layout),
    path("", include("config.urls")),
]
