"""Imports compare and write in chunks (IMPORT_WRITE_CHUNK_ROWS) inside one transaction: a bad row late in the
file, or a write that fails in a late chunk, leaves nothing written; a good file writes every chunk."""

import pytest
from django.db import connection

from jingkai.audit.models import AuditEntry
from jingkai.audit.services import changes_for
from jingkai.enterprises.models import YEAR_TABLES, EnterpriseFinance
from jingkai.enterprises.uscc import ALPHABET, make_uscc
from jingkai.intake.services import run_import

from .test_intake import write_csv

N = 1000  # 10 chunks of 100: row 900 is in the ninth
HEAD = ["uscc", "year", "revenue", "employees", "rd_expense"]


def uscc(i: int) -> str:
    return make_uscc("620100", "MA0" + "".join(ALPHABET[(i // 31 ** k) % 31] for k in range(5)))


@pytest.fixture
def small_chunks(settings):
    settings.IMPORT_WRITE_CHUNK_ROWS = 100


@pytest.fixture
def firms(tmp_path, zones):
    rows = [[uscc(i), f"企业{i:04d}有限公司", "GS-LZ", "C3841", "small", "是"] for i in range(N)]
    path = write_csv(tmp_path / "ent.csv", ["uscc", "name", "zone_code", "industry_code", "size_class", "above_scale"], rows)
    assert run_import("enterprises", path).created == N


def years_file(tmp_path, bad_row: int | None = None):
    rows = [[uscc(i), 2024, 1000 + i, 10 + i % 50, 30] for i in range(N)]
    if bad_row is not None:
        rows[bad_row - 2][2] = "一千"  # file row 900 (the headings are row 1)
    return write_csv(tmp_path / "y.csv", HEAD, rows)


def written() -> tuple[int, int]:
    return (sum(t.objects.count() for t in YEAR_TABLES),
            AuditEntry.objects.filter(model__in=[t._meta.label for t in YEAR_TABLES]).count())


def test_bad_row_900_writes_nothing(tmp_path, firms, small_chunks):
    result = run_import("enterprise-years", years_file(tmp_path, bad_row=900))
    assert not result.ok and [(e.row, e.value) for e in result.errors] == [(900, "一千")]
    assert written() == (0, 0)


def test_a_write_failing_in_a_late_chunk_writes_nothing(tmp_path, firms, small_chunks):
    """The database refuses one row of the ninth chunk (a trigger): the eight chunks written before are undone."""
    table = EnterpriseFinance._meta.db_table
    late = EnterpriseFinance._meta.get_field("revenue").column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE FUNCTION refuse_late() RETURNS trigger AS $$ BEGIN IF NEW.{late} = 1898 THEN "
                           "RAISE EXCEPTION 'refused' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql")
            cursor.execute(f"CREATE TRIGGER refuse_late BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_late()")
        else:
            cursor.execute(f"CREATE TRIGGER refuse_late BEFORE INSERT ON {table} WHEN NEW.{late} = 1898 "
                           "BEGIN SELECT RAISE(ABORT, 'refused'); END")
    result = run_import("enterprise-years", years_file(tmp_path))  # revenue 1898: file row 900
    assert not result.ok and "未写入任何数据" in result.errors[0].message
    assert written() == (0, 0)


def test_every_chunk_is_written_and_audited(tmp_path, firms, small_chunks):
    result = run_import("enterprise-years", years_file(tmp_path))
    assert result.ok and result.created == N
    assert EnterpriseFinance.objects.count() == N and EnterpriseFinance.objects.filter(revenue=1000 + N - 1).exists()
    (made,) = changes_for(EnterpriseFinance, f"{uscc(898)}/2024")  # a row of the ninth chunk
    assert made.action == "create" and made.after["revenue"] == 1898
    summary = AuditEntry.objects.get(action="import", model=EnterpriseFinance._meta.label)
    assert summary.after == {"created": N, "updated": 0, "unchanged": 0}
    again = run_import("enterprise-years", years_file(tmp_path))
    assert (again.created, again.updated, again.unchanged) == (0, 0, N)
