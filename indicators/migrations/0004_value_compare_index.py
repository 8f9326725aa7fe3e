"""A covering index for comparisons: the values of one indicator with what ranks them, read by
index-only scans (values with a corrected code are few and found through their own FK index)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS indicatorvalue_compare_idx
    ON indicators_indicatorvalue (definition_id, report_id)
    INCLUDE (id, status, unit, scope, confidence, start_offset)
    WHERE corrected_definition_id IS NULL
"""
DROP = "DROP INDEX IF EXISTS indicatorvalue_compare_idx"


class Migration(migrations.Migration):
    dependencies = [("indicators", "0003_curator_group")]

    operations = [migrations.RunSQL(CREATE, DROP)]
