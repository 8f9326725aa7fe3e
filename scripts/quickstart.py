"""Start the platform on embedded defaults, load the sample corpus and serve it.

Used by ``scripts/quickstart``. With DATABASE_URL unset, an embedded PostgreSQL keeps its data in
``var/postgres``; with REDIS_URL unset, parsing runs in-process.

It writes ``.env`` (or the file ENV_FILE names) so that every other ``manage.py`` command finds
the same database afterwards with nothing exported by hand. A restart changes nothing that is
there: the admin's password stays, the sample reports are loaded only into an empty database.
Ctrl-C stops the server and the embedded PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config.embedded_db import DATABASE_NAME, embedded_postgres_start  # noqa: E402
from config.env_file import env_file_read, env_file_update  # noqa: E402

ADMIN_USER, ADMIN_PASSWORD = "admin", "fazhi-admin"


def manage(*args: str, check: bool = True) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=check)


def database_choose(data_dir: Path) -> None:
    """Use DATABASE_URL if one is given, else the embedded server; record the choice in .env."""
    given = os.environ.get("DATABASE_URL")
    if given:
        path = env_file_update({"DATABASE_URL": given})
    else:
        server = embedded_postgres_start(data_dir)
        os.environ["DATABASE_URL"] = server.get_uri(database=DATABASE_NAME)
        print(f"Embedded PostgreSQL: {data_dir}")
        path = env_file_update({"EMBEDDED_POSTGRES_DIR": str(data_dir.absolute())})
    env_file_update({"SECRET_KEY": secrets.token_urlsafe(40)})
    print(f"Settings written to {path} (manage.py reads them)")


def set_up() -> None:
    manage("migrate", "--noinput", "-v", "0")
    manage("seed_catalogue")
    # The samples go into an empty database only: a restart records no second job.
    manage("ingest_reports", "--only-if-empty", "--no-progress", str(ROOT / "seeds" / "corpus"))
    manage("ensure_admin", "--if-missing", "--username", ADMIN_USER, "--password", ADMIN_PASSWORD)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--no-serve", action="store_true", help="set up and load, then exit")
    ap.add_argument(
        "--data-dir", type=Path, default=ROOT / "var" / "postgres", help="embedded PostgreSQL data"
    )
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    env_file_read()
    database_choose(args.data_dir)
    set_up()
    base = f"http://127.0.0.1:{args.port}"
    print(
        f"\nFazhi Reports is ready.\n"
        f"  Site:        {base}/   (search: {base}/search/?q=行政复议)\n"
        f"  Admin:       {base}/admin/   (login: {ADMIN_USER} / {ADMIN_PASSWORD}, "
        f"unless you changed it)\n"
        f"  Workspace:   {base}/workspace/\n"
        f"  API:         {base}/api/v1/reports/\n"
        f"  API docs:    {base}/api/docs/\n"
        f"  Search API:  {base}/api/v1/search/sections/?q=行政复议\n"
        f"  Comparisons: {base}/compare/\n",
        flush=True,
    )
    if not args.no_serve:
        print("Ctrl-C stops the server and the embedded database.", flush=True)
        manage("runserver", f"127.0.0.1:{args.port}", "--noreload", check=False)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: the children got it too; the database stops at exit
        print("\nStopped.", file=sys.stderr)
        sys.exit(130)
    except subprocess.CalledProcessError as exc:
        print(f"\nA setup step failed: {' '.join(exc.cmd[1:])}", file=sys.stderr)
        sys.exit(exc.returncode or 1)
