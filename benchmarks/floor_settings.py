"""The site's settings with the floor views in front of its URLs (``benchmarks/page_floors``)."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "benchmarks.floor_urls"
