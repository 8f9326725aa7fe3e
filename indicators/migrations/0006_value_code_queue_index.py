"""The review queue of one code (its effective definition: the curator's correction, else the
parser's) in the queue's order, as an index: the queue filtered by a code is a range of it, not a
walk of the whole queue past other codes' values (``IndicatorValueQuerySet.in_queue_of``)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS indicatorvalue_code_queue_idx
    ON indicators_indicatorvalue (
        COALESCE(corrected_definition_id, definition_id), confidence, report_id, start_offset, id
    )
"""
DROP = "DROP INDEX IF EXISTS indicatorvalue_code_queue_idx"


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_value_review_queue_index")]

    operations = [migrations.RunSQL(CREATE, DROP)]
