"""Fast bulk inserts for generated data (``fazhi demo_scale``, benchmarks): COPY on PostgreSQL, ``executemany``
on SQLite.

``bulk_create`` builds one model instance per row and one large parameter list per batch; for hundreds of
thousands of score rows that is most of the time. Here rows are plain tuples of values already in the form
the database stores (ints, str, ``Decimal``, aware datetimes, ``None``) in the order of ``columns``.
Nothing here runs model validation or signals: callers insert data they generated themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from itertools import islice

from django.db import connection

BATCH = 5000


def _sqlite_value(value):
    # The SQLite backend stores decimals and datetimes as text; do what its adapters would do, once per value.
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return connection.ops.adapt_datetimefield_value(value) if hasattr(value, "hour") else value.isoformat()
    return value


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` into ``model``'s table (``columns`` are database column names); return the count.

    ``rows`` may be a generator, even one that queries the database: on PostgreSQL each batch is drawn before
    its COPY starts, since the connection can run nothing else while a COPY is open."""
    table = model._meta.db_table
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            # Rows are drawn in batches *outside* the COPY: a generator that queries the database while the
            # connection is in COPY mode would wait on itself forever.
            iterator = iter(rows)
            while batch := list(islice(iterator, BATCH)):
                with raw.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
                    for row in batch:
                        copy.write_row(row)
                count += len(batch)
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"  # noqa: S608
        iterator = iter(rows)
        while batch := list(islice(iterator, BATCH)):
            cursor.executemany(sql, [tuple(_sqlite_value(v) for v in row) for row in batch])
            count += len(batch)
    return count


def reset_sequence(model) -> None:
    """After inserting explicit primary keys on PostgreSQL, move the id sequence past them."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(sql)
