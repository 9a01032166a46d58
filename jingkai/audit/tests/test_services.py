"""changes_for finds a row's history in per-write and bulk audit entries alike."""

import polars as pl

from jingkai.audit import services
from jingkai.audit.models import AuditEntry
from jingkai.audit.services import BULK, changes_for, record, record_bulk, record_many
from jingkai.enterprises.models import Enterprise, EnterpriseFinance
from jingkai.testing import make_user

KEY = "91350100M000100Y43/2024"  # object keys of enterprise years carry a slash


def bulk_frame(rows: list[tuple[str, str, str | None, str | None]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=["action", "object_key", "before", "after"], orient="row")


def test_changes_for_reads_both_forms_in_order(db, monkeypatch):
    user = make_user("auditor", "province")
    monkeypatch.setattr(services, "BULK_ROWS", 2)  # three rows → two bulk entries per action
    record_bulk(user, "enterprises.EnterpriseFinance", bulk_frame([
        ("create", "other/2024", None, '{"revenue":1.0}'),
        ("create", KEY, None, '{"revenue":100.0,"honors":["high_tech_enterprise"]}'),
        ("create", "GS-LZ/2024-Q3/gdp.total", None, '{"revenue":2.0}'),
    ]), batch="b1", note="导入文件 a.csv")
    record(user, "update", "enterprises.EnterpriseFinance", KEY, before={"revenue": 100.0}, after={"revenue": 120.0},
           batch="web")
    record_bulk(None, "enterprises.EnterpriseFinance", bulk_frame([
        ("update", KEY, '{"revenue":120.0}', '{"revenue":130.5}'),
    ]), batch="b2")
    record_many(user, "create", "enterprises.Enterprise", [(KEY, None, {"name": "同一键，另一模型"})])

    entries = AuditEntry.objects.filter(batch="b1")
    assert [(e.object_key, e.action) for e in entries.order_by("id")] == [(BULK, "create"), (BULK, "create")]
    assert entries.order_by("id").first().after == {"other/2024": {"revenue": 1.0}, KEY: {
        "revenue": 100.0, "honors": ["high_tech_enterprise"]}}

    changes = changes_for(EnterpriseFinance, KEY)
    assert [(c.action, c.batch, c.before, c.after) for c in changes] == [
        ("create", "b1", None, {"revenue": 100.0, "honors": ["high_tech_enterprise"]}),
        ("update", "web", {"revenue": 100.0}, {"revenue": 120.0}),
        ("update", "b2", {"revenue": 120.0}, {"revenue": 130.5}),
    ]
    assert changes[0].user == user and changes[0].note == "导入文件 a.csv" and changes[2].user is None
    assert changes[0].at <= changes[1].at <= changes[2].at
    assert [c.after for c in changes_for("enterprises.EnterpriseFinance", "GS-LZ/2024-Q3/gdp.total")] == [{"revenue": 2.0}]
    assert [c.after for c in changes_for(Enterprise, KEY)] == [{"name": "同一键，另一模型"}]
    assert changes_for(EnterpriseFinance, "91350100M000100Y43/2023") == []  # a key prefix is no match


def test_changes_for_matches_admin_entries_by_class_name(db):
    record(None, "update", "Enterprise", "91350100M000100Y43", before={"name": "甲"}, after={"name": "乙"})
    assert [(c.before, c.after) for c in changes_for(Enterprise, "91350100M000100Y43")] == [
        ({"name": "甲"}, {"name": "乙"})]


def test_empty_bulk_writes_nothing(db):
    assert record_bulk(None, "enterprises.EnterpriseFinance", bulk_frame([])) == 0
    assert not AuditEntry.objects.exists()
