"""Settings read from the environment (in a fresh interpreter, as a deployment starts). No DB."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
from reports.parsing.seeds import seeds_dir
print(json.dumps([settings.UPLOAD_MAX_REQUEST_BYTES, str(settings.SEEDS_DIR), str(seeds_dir())]))
"""


def _settings_with(**environment: str) -> list:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.base", **environment}
    out = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_upload_max_request_bytes_is_read_from_the_environment():
    """UPLOAD_MAX_REQUEST_BYTES, as .env.example documents it, reaches the settings."""
    limit, _, _ = _settings_with(UPLOAD_MAX_REQUEST_BYTES="123456")
    assert limit == 123456


def test_one_seeds_dir_variable_moves_the_settings_and_the_parser(tmp_path):
    """SEEDS_DIR is the folder both the settings and the pure parser read their seeds from."""
    _, setting, parser = _settings_with(SEEDS_DIR=str(tmp_path))
    assert Path(setting) == Path(parser) == tmp_path
