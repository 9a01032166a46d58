"""Fast inserts of plain tuples, bypassing model instances: COPY on PostgreSQL, executemany elsewhere.
For large generated or computed tables (demo data, programme results) where bulk_create is too slow."""

import itertools
from collections.abc import Iterable, Sequence

from django.db import connection


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence], batch: int = 5000) -> None:
    """Insert `rows` (values already prepared for the database: dates, encoded JSON) into `table`."""
    quoted = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    rows = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one stream instead of a round trip per row
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quoted} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for chunk in iter(lambda: list(itertools.islice(rows, batch)), []):
            cursor.executemany(sql, chunk)
