"""A large import refreshes the planner's statistics at once (ANALYZE), on SQLite and PostgreSQL."""

import pytest
from django.db import connection

from jingkai.intake import services

pytestmark = pytest.mark.django_db


def _planned_rows() -> float:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # -1 until the table is first analysed
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'enterprises_enterprise'")
            return float(cursor.fetchone()[0])
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return -1
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'enterprises_enterprise'")
        found = cursor.fetchone()
        return float(found[0].split()[0]) if found else -1


def test_an_import_past_the_threshold_analyzes(zones, tmp_path, monkeypatch):
    path = tmp_path / "enterprises.csv"
    path.write_text("uscc,name,zone_code,industry_code,size_class,above_scale\n"
                    "91620100MA7123456X,兰州示例化工有限公司,GS-LZ,C2614,small,否\n"
                    "91620300MA71234568,金昌示例镍业有限公司,GS-JC,C3213,medium,是\n", encoding="utf-8")
    before = _planned_rows()
    monkeypatch.setattr(services, "ANALYZE_AFTER_ROWS", 3)
    result = services.run_import("enterprises", path)
    assert result.ok, result.errors
    assert _planned_rows() == before  # two rows: under the threshold, nothing analysed
    monkeypatch.setattr(services, "ANALYZE_AFTER_ROWS", 2)
    path.write_text("uscc,name,zone_code,industry_code,size_class,above_scale\n"
                    "91620100MA7123456X,兰州示例化工公司,GS-LZ,C2614,small,否\n"
                    "91620300MA71234568,金昌示例镍业公司,GS-JC,C3213,medium,是\n", encoding="utf-8")
    result = services.run_import("enterprises", path)
    assert result.ok, result.errors
    assert _planned_rows() == 2
