#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    from config.embedded_db import embedded_postgres_configure
    from config.env_file import env_file_read

    env_file_read()  # .env, as the settings read it, before the database is chosen
    embedded_postgres_configure()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
