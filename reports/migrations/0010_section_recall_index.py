"""The recall vector becomes an index expression: ``section_recall(title, text, search_vector)``.

It was a stored column (every character, pair and word of a section, and markers of the words'
weight) beside a GIN index of it: most of the sections' bytes. PostgreSQL now derives it from
the text and the word vector while it builds or updates the GIN index, and stores it only there.
The word vector's own GIN index goes too: the search reads the word vector only for the rows the
recall index returns.

Markers: ``==w`` every word of the word vector, ``=T=w`` its words with a title position
(weight A), ``=4=w`` and ``=2=w`` its words whose body positions weigh B (at least 4 in the
body) or B or C (at least 2). Characters and pairs: of the title, a newline and the body's first
60,000 characters (``vectors.RECALL_CHARS``), ASCII letters folded; pairs with whitespace are
indexed too (no query asks for them). Built only from C functions: a few hundred microseconds
per section. Its declared cost is high so that the planner never chooses to compute it row by
row (from another index, say ``report_id``'s) where the GIN index can answer.

A B-tree index on ``level`` lets the search's level filter narrow the index scan (its bitmap is
ANDed with the recall index's) instead of reading more rows to fill a page.

After this migration, run ``python manage.py reindex_search`` (the word vectors get their body
weights, and the segmenter's version changed).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models
from django.db.models import F

import reports.models

_PREFIXED = (
    "string_to_array(NULLIF('{p}' || array_to_string(tsvector_to_array({v}), E'\\x01{p}'), '{p}'), "
    "E'\\x01')"
)

FUNCTION = r"""
CREATE OR REPLACE FUNCTION section_recall(title text, body text, words tsvector)
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE COST 100000 AS $$
SELECT array_to_tsvector(array_remove(
    regexp_split_to_array(t, '')
    || string_to_array(regexp_replace(t, '(..)', E'\\1\x01', 'g'), E'\x01')
    || string_to_array(regexp_replace(substr(t, 2), '(..)', E'\\1\x01', 'g'), E'\x01')
    || {words}
    || {title}
    || {four}
    || {two},
    ''))
FROM (SELECT translate(
    coalesce(title, '') || E'\n' || left(coalesce(body, ''), 60000),
    E'ABCDEFGHIJKLMNOPQRSTUVWXYZ\x01', 'abcdefghijklmnopqrstuvwxyz') AS t) s
$$
""".format(
    words=_PREFIXED.format(p="==", v="words"),
    title=_PREFIXED.format(p="=T=", v="ts_filter(words, '{a}')"),
    four=_PREFIXED.format(p="=4=", v="ts_filter(words, '{b}')"),
    two=_PREFIXED.format(p="=2=", v="ts_filter(words, '{b,c}')"),
)


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_originals_and_near_duplicates")]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS section_recall(text, text, tsvector)"),
        migrations.RemoveIndex(model_name="section", name="section_search_gin"),
        migrations.RemoveIndex(model_name="section", name="section_bigram_gin"),
        migrations.RemoveField(model_name="section", name="bigram_vector"),
        migrations.AddIndex(
            model_name="section",
            index=GinIndex(
                reports.models.SectionRecall(F("title"), F("text"), F("search_vector")),
                name="section_recall_gin",
            ),
        ),
        migrations.AddIndex(
            model_name="section",
            index=models.Index(fields=["level"], name="section_level"),
        ),
    ]
