"""Test settings: speed tweaks only."""

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
# The whole suite shares one client address: throttling would trip across unrelated tests. The
# throttle tests set their own low rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/min", "user": "1000000/min"},
}
# Page parts are computed on each request, as transactions that never commit bump no generation
# (the page cache's own tests turn it on).
PAGE_CACHE_SECONDS = 0
