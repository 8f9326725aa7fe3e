"""The pages under the production settings, served by gunicorn as docker-compose runs them:
static files (the admin's, the pages' stylesheet, Chart.js, Swagger UI and Redoc) come from
WhiteNoise with hashed, compressed names, and no asset is loaded from another site."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests.curation_support import CORPUS_DIR, ingest_and_parse

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_catalogue"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - a local test server
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture
def production_server(tmp_path):
    """collectstatic, then gunicorn with the production settings on the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DATABASE_URL": f"postgres://{db['USER'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "SECRET_KEY": "production-settings-test-key-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(tmp_path / "static"),
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DEBUG": "false",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                _get(base + "/api/v1/status/")
                break
            except (ConnectionError, urllib.error.URLError):
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode()[-3000:])
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def _assets(html: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', html)


def test_production_serves_pages_and_their_static_files(production_server):
    """The admin's CSS, the pages' CSS, htmx and Chart.js answer 200 under hashed names,
    compressed when the client accepts it and cacheable for ever; the page links them."""
    report = ingest_and_parse(
        CORPUS_DIR / "003_4a080416cfef067e.txt", metadata={"report_year": 2023}
    )
    base = production_server

    status, _, body = _get(base + "/static/admin/css/base.css")
    assert status == 200
    assert b"body" in body

    status, _, body = _get(base + f"/reports/{report.pk}/")
    html = body.decode()
    assert status == 200
    assert "汕尾市城区" in html
    assets = _assets(html)
    css = [a for a in assets if re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", a)]
    htmx = [a for a in assets if "htmx" in a]
    assert css
    assert htmx
    for asset in (css[0], htmx[0]):
        status, headers, body = _get(base + asset, **{"Accept-Encoding": "gzip"})
        assert status == 200, asset
        assert headers.get("Content-Encoding") == "gzip", asset
        assert "immutable" in headers.get("Cache-Control", ""), asset

    status, _, body = _get(base + "/compare/?code=reconsideration_received&year=2023")
    html = body.decode()
    assert status == 200
    chart = [a for a in _assets(html) if "chart.umd" in a]
    assert chart
    status, _, body = _get(base + chart[0])
    assert status == 200
    assert b"Chart" in body[:5000]


def test_api_documentation_loads_its_assets_from_the_project(production_server):
    """Swagger UI and Redoc work offline: every script and stylesheet is one of ours."""
    for page in ("/api/docs/", "/api/redoc/"):
        status, _, body = _get(production_server + page)
        html = body.decode()
        assert status == 200, page
        external = re.findall(r'(?:href|src)="(https?://[^"]+)"', html)
        assert external == [], page
        assets = [a for a in _assets(html) if a.endswith((".js", ".css"))]
        assert assets, page
        for asset in assets:
            assert _get(production_server + asset)[0] == 200, asset
