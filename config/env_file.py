"""The optional ``.env`` file: read by the settings and by ``manage.py``, written by the quickstart.

Its path is ``ENV_FILE`` when that variable is set, else ``.env`` at the project's root. Values
already in the environment win over the file's.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent


def env_file_path() -> Path:
    return Path(os.environ.get("ENV_FILE") or BASE_DIR / ".env")


def env_file_read() -> None:
    """Put the file's variables into ``os.environ``, leaving those already set alone."""
    path = env_file_path()
    if path.is_file():
        environ.Env.read_env(str(path))


def env_file_update(values: dict[str, str]) -> Path:
    """Add the variables the file does not have yet (it is created if missing); the lines it has
    stay as they are, so a restart keeps what the first run wrote and what a person edited."""
    path = env_file_path()
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    present = {line.split("=", 1)[0].strip() for line in lines if "=" in line}
    added = [f"{key}={value}" for key, value in values.items() if key not in present]
    if added:
        if not lines:
            lines = ["# Written by scripts/quickstart; read by manage.py and the settings."]
        path.write_text("\n".join([*lines, *added]) + "\n", "utf-8")
    return path
