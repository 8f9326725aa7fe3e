"""Keep section rows slim: vectors and long text move to TOAST past 128 bytes.

A search for a frequent word visits tens of thousands of rows through the GIN bitmap; with the
vectors stored inline a heap page holds a handful of rows, with them out of line it holds dozens.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_search_rum_index")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE reports_section SET (toast_tuple_target = 128)",
            "ALTER TABLE reports_section RESET (toast_tuple_target)",
        ),
    ]
