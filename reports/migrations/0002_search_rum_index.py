"""RUM index on the word vector, where the ``rum`` extension is installed and the
``SEARCH_RUM_INDEX`` setting asks for it (off by default: every section write pays for it, and
the default ranking, impact tiers over GIN, does not use it).

Debian package: postgresql-15-rum.

RUM keeps word positions in the index, so ``ORDER BY search_vector <=> query LIMIT n`` returns the
best-ranked sections without scoring every match. Without the extension nothing is created and the
search falls back to the GIN index (see reports/search/selectors.py).
"""

from django.conf import settings
from django.db import migrations, transaction

RUM_INDEX = "section_search_rum"


def create_rum_index(apps, schema_editor):
    if not settings.SEARCH_RUM_INDEX:
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
        if cursor.fetchone() is None:
            return
        try:
            with transaction.atomic(using=schema_editor.connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON reports_section "
                    "USING rum (search_vector rum_tsvector_ops)"
                )
        except Exception:  # no privilege to create the extension: keep GIN only
            return


def drop_rum_index(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(create_rum_index, drop_rum_index)]
