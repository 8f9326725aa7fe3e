"""Inserting many rows of one model with PostgreSQL's COPY, and deleting many in one statement,
for the parse's bulk writes.

``bulk_create`` prepares every field of every object through the ORM; a parse writes dozens of
sections and indicator values per report, and that preparation cost more than the database's
own work. Here the caller gives plain tuples for the columns it sets, and every other concrete
column gets its model default once per call (``auto_now``/``auto_now_add`` columns the current
time, nullable columns NULL). Runs in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def copy_insert(
    model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple[Any, ...]]
) -> int:
    """COPY ``rows`` (values for ``columns``, by attname) into ``model``'s table; how many.

    Columns not named, except an automatic primary key, take their default. Values go through
    psycopg's adapters, as parameters would: no quoting is done here.
    """
    meta = model._meta
    by_attname = {f.attname: f for f in meta.concrete_fields}
    unknown = set(columns) - set(by_attname)
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}")
    rest = [
        f
        for f in meta.concrete_fields
        if f.attname not in columns and not (f.primary_key and isinstance(f, models.AutoField))
    ]
    tail = tuple(_default(f) for f in rest)
    fields = [*(by_attname[name] for name in columns), *rest]
    names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(meta.db_table)
    count = 0
    # Errors raised as Django's (IntegrityError, DataError, …), as from any other query.
    statement = f"COPY {table} ({names}) FROM STDIN"
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row + tail)
            count += 1
    return count


def _default(field: models.Field[Any, Any]) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        now = timezone.now()
        return now if isinstance(field, models.DateTimeField) else now.date()
    if field.has_default():
        return field.get_db_prep_save(field.get_default(), connection)
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value: it has no default")


def rows_delete(model: type[models.Model], **equal: Any) -> int:
    """``DELETE`` the rows of ``model`` whose columns (by attname) equal the values given, in one
    statement and without Django's collector: the caller has already dealt with every row that
    refers to them. Returns how many rows went."""
    meta = model._meta
    columns = {f.attname: f.column for f in meta.concrete_fields}
    unknown = set(equal) - set(columns)
    if unknown or not equal:
        raise ValueError(f"{model.__name__}: no columns {sorted(unknown)} to delete by")
    where = " AND ".join(f'"{columns[name]}" = %s' for name in equal)
    with connection.cursor() as cursor:
        statement = f'DELETE FROM "{meta.db_table}" WHERE {where}'  # noqa: S608 - model's names
        cursor.execute(statement, list(equal.values()))
        deleted: int = cursor.rowcount
        return deleted
