"""A cache of public API reads in front of DRF, invalidated by every write that can change one.

Anonymous GET/HEAD requests to views that set ``public_read_cache = True`` are answered from the
cache (Redis with ``REDIS_URL``) before DRF runs: no authentication, content negotiation, queries or
serialization. ``API_READ_CACHE_SECONDS`` turns it on and bounds how long an entry is kept; it is
off while reads require a token. Requests with credentials (an ``Authorization`` header or a session
cookie) go to the view, where ``AuthenticatedReadCacheMixin`` (below) may answer them once DRF has
authenticated, permitted and throttled them.

Freshness: entries are stored under the *generation* of the API's data, a counter in the cache that
the write services bump with ``api_reads_changed()`` (config/read_generation.py) once their
transaction commits. A read that
starts after a write has committed never gets a response cached before that write; at worst a
response computed during the write is stored under the old generation, which is never read again.

Throttling still holds on hits: the view's anonymous throttles are counted against the histories DRF
keeps; a client past its rate goes on to DRF, which answers 429 in the API's error shape. Responses
carry a strong ``ETag``; ``If-None-Match`` with it answers 304.
"""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from config.degraded import CACHE_ERRORS, cache_unavailable
from config.read_generation import generation_read

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "api-read:entry:"
VARY = ("Accept", "Authorization", "Cookie")
CACHE_CONTROL = "no-cache"  # clients may keep a copy but must revalidate it (ETag)


# ---------------------------------------------------------------------------------------------
# Which requests


def _anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and request.path_info.startswith("/api/")
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


@functools.lru_cache(maxsize=4096)
def _cached_view_class(urlconf, path: str):
    """The view class serving ``path`` if it opted in with ``public_read_cache``, else None."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", None)
    return view_class if getattr(view_class, "public_read_cache", False) else None


def _entry_key(request) -> str:
    """Everything the response depends on: scheme and host (links are absolute), path and query,
    and the representation asked for."""
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
    )
    return ENTRY_PREFIX + hashlib.sha256("\n".join(parts).encode()).hexdigest()


# ---------------------------------------------------------------------------------------------
# Throttles, as DRF counts them for an anonymous client


class _AnonymousClient:
    """What DRF's rate throttles read from a request, for a client without credentials."""

    user = None

    def __init__(self, request) -> None:
        self.META, self.headers = request.META, request.headers


def _throttles(view_class, request) -> list | None:
    """The view's throttles with their history keys for this client; None if one of them is of a
    kind this cache cannot count (the request then goes to DRF)."""
    client = _AnonymousClient(request)
    found = []
    for throttle_class in view_class.throttle_classes:
        if not issubclass(throttle_class, AnonRateThrottle | UserRateThrottle):
            return None
        throttle = throttle_class()
        key = throttle.get_cache_key(client, None) if throttle.rate else None
        if key is not None:
            found.append((throttle, key))
    return found


def _admitted(throttles: list, stored: dict) -> dict | None:
    """The histories with this request added if every throttle lets it through, else None."""
    histories = {}
    for throttle, key in throttles:
        now = throttle.timer()
        history = [t for t in stored.get(key, ()) if t > now - throttle.duration]
        if len(history) >= throttle.num_requests:
            return None
        histories[key] = (throttle.duration, [now, *history])
    return histories


def _record(histories: dict) -> None:
    by_duration: dict[int, dict] = {}
    for key, (duration, history) in histories.items():
        by_duration.setdefault(duration, {})[key] = history
    for duration, values in by_duration.items():
        cache.set_many(values, timeout=duration)


# ---------------------------------------------------------------------------------------------
# The middleware


class PublicReadCacheMiddleware:
    """Serves cached anonymous API reads; first in ``MIDDLEWARE`` so a hit skips everything."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.API_READ_CACHE_SECONDS
        if not seconds or settings.API_READS_REQUIRE_TOKEN or not _anonymous_read(request):
            return self.get_response(request)
        view_class = _cached_view_class(get_urlconf(), request.path_info)
        if view_class is None:
            return self.get_response(request)
        throttles = _throttles(view_class, request)
        try:
            key = _entry_key(request)
        except DisallowedHost:
            throttles = None
        if throttles is None:
            return self.get_response(request)
        try:
            generation, stored = generation_read(key, *(k for _, k in throttles))
            entry = stored.get(key)
            if entry is not None and entry[0] == generation:
                histories = _admitted(throttles, stored)
                if histories is not None:
                    _record(histories)
                    return _conditional(request, _from_entry(entry), entry[3])
        except CACHE_ERRORS as exc:  # Redis down: the view answers, uncached
            cache_unavailable("read cache", exc)
            return self.get_response(request)
        response = self.get_response(request)
        if request.method == "GET" and _storable(response):
            etag = _prepare(response)
            entry = (generation, response.content, tuple(response.items()), etag)
            try:
                cache.set(key, entry, seconds)
            except CACHE_ERRORS as exc:
                cache_unavailable("read cache", exc)
            return _conditional(request, response, etag)
        return response


def _storable(response) -> bool:
    return response.status_code == 200 and not response.streaming and not response.cookies


def _prepare(response) -> str:
    """Adds the validator and caching headers every copy of the response carries."""
    etag = '"' + hashlib.blake2b(response.content, digest_size=16).hexdigest() + '"'
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, VARY)
    return etag


def _from_entry(entry: tuple) -> HttpResponse:
    _, content, headers, _ = entry
    return HttpResponse(content, headers=dict(headers))


def _conditional(request, response, etag: str):
    """304 when the client already holds this representation."""
    sent = request.META.get("HTTP_IF_NONE_MATCH")
    if sent and (sent.strip() == "*" or etag in parse_etags(sent)):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary"):
            not_modified[header] = response[header]
        return not_modified
    return response


# ---------------------------------------------------------------------------------------------
# Authenticated reads: cached after DRF has authenticated, permitted and throttled the request

AUTH_ENTRY_PREFIX = "api-read:auth:"


class _Hit(Exception):  # noqa: N818 (control flow, not an error)
    """Carries a cached response out of ``initial()`` past the view's handler."""

    def __init__(self, response: HttpResponse) -> None:
        self.response = response


class AuthenticatedReadCacheMixin(APIView):
    """Caches a view's JSON reads for authenticated clients (token or session), correct under
    each client's permissions and every write.

    DRF's ``initial()`` runs first, in full, on every request: authentication (a revoked token,
    a deactivated user or an ended session fails there), the view's permission classes against
    the user as stored now (a removed group or permission answers 403), and the throttles. Only
    a request that all of them let through is answered from the cache. The representation a
    view opting in renders is the same for every user it admits (no field depends on who asks),
    so entries are keyed, like the anonymous ones, by host, path and query and the negotiated
    representation; only JSON is stored (the browsable page shows the user). Entries carry the
    read generation (config/read_generation.py) and are served only while it is current, so any
    write committed before a read began (another curator's correction, an upload, a re-parse) is
    in that read. ``API_READ_CACHE_SECONDS`` turns it on, as for anonymous reads; with the cache
    unreachable the view answers uncached.
    """

    _read_cache_slot: tuple[str, int] | None = None  # (key, generation) of a miss to store

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self._read_cache_slot = None
        if not _authenticated_cacheable(request):
            return
        try:
            key = AUTH_ENTRY_PREFIX + _auth_entry_key(request)
            generation, stored = generation_read(key)
        except DisallowedHost:
            return
        except CACHE_ERRORS as exc:
            cache_unavailable("read cache", exc)
            return
        entry = stored.get(key)
        if entry is not None and entry[0] == generation:
            raise _Hit(HttpResponse(entry[1], content_type=entry[2]))
        self._read_cache_slot = (key, generation)

    def handle_exception(self, exc):
        if isinstance(exc, _Hit):
            return exc.response
        return super().handle_exception(exc)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        slot, self._read_cache_slot = self._read_cache_slot, None
        if slot is not None and response.status_code == 200 and hasattr(response, "render"):
            response.render()
            if _storable(response):
                entry = (slot[1], response.content, response["Content-Type"])
                try:
                    cache.set(slot[0], entry, settings.API_READ_CACHE_SECONDS)
                except CACHE_ERRORS as exc:
                    cache_unavailable("read cache", exc)
        return response


def _authenticated_cacheable(request) -> bool:
    """A GET by an authenticated user, for JSON, with the cache on (``request`` is DRF's)."""
    return bool(
        settings.API_READ_CACHE_SECONDS
        and request.method == "GET"
        and request.user is not None
        and request.user.is_authenticated
        and getattr(request.accepted_renderer, "format", None) == "json"
    )


def _auth_entry_key(request) -> str:
    parts = (
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.accepted_media_type or "",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()
