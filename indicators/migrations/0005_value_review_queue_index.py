"""The review queue's order (lowest confidence first, then by report and position) as an index, so
a page of the queue is an index walk, not a sort of every value."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS indicatorvalue_queue_idx
    ON indicators_indicatorvalue (confidence, report_id, start_offset, id)
"""
DROP = "DROP INDEX IF EXISTS indicatorvalue_queue_idx"


class Migration(migrations.Migration):
    dependencies = [("indicators", "0004_value_compare_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
