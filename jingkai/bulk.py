"""Plain SQL on model tables. Fast inserts of plain tuples, bypassing model instances: COPY on PostgreSQL,
executemany elsewhere, for large generated or computed tables (demo data, programme results) where
bulk_create is too slow; and the concrete fields and columns such statements name."""

import itertools
from collections.abc import Iterable, Sequence

from django.db import connection, models


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` of `model`, one with a column (`_meta.get_field` may also answer a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise TypeError(f"{model.__name__}.{name} is not a concrete field")
    return field


def column_of(model: type[models.Model], name: str) -> str:
    """The database column of the concrete field `name` of `model` (`zone_id` for the foreign key `zone`)."""
    return db_column(concrete_field(model, name))


def db_column(field: models.Field) -> str:
    """The database column of a concrete field."""
    if field.column is None:
        raise TypeError(f"{field} has no column")
    return field.column


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


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (the demo build, a large import). On PostgreSQL the
    autovacuum daemon gets there only minutes later: /evaluation/ took 435 ms right after the demo build and
    55 ms after ANALYZE. SQLite's ANALYZE feeds its planner the same way."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
