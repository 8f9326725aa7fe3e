"""Keep a section's title and marker in its row (storage ``main``).

With ``toast_tuple_target = 128`` (0003) the toaster also moved these short strings out of
line, so ranking a search's candidates by whether their title contains a term fetched every
title from TOAST. ``main`` moves them out only if the row would exceed about 2 kB otherwise.
Rows written before take it on their next rewrite (``VACUUM FULL reports_section``).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_section_toast_target")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE reports_section ALTER COLUMN title SET STORAGE MAIN, "
            "ALTER COLUMN marker SET STORAGE MAIN",
            "ALTER TABLE reports_section ALTER COLUMN title SET STORAGE EXTENDED, "
            "ALTER COLUMN marker SET STORAGE EXTENDED",
        ),
    ]
