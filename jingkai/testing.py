"""Builders for tests: zones with their committees, users of each role, enterprise-years."""

from jingkai.accounts.models import OrgUnit, User
from jingkai.enterprises.models import TABLE_OF, YEAR_TABLES, Enterprise
from jingkai.zones.models import Zone

GANSU = {
    "GS-LZ": ("兰州经济技术开发区", "兰州市", "620100", 2002),
    "GS-JC": ("金昌经济技术开发区", "金昌市", "620300", 2010),
    "GS-TS": ("天水经济技术开发区", "天水市", "620500", 2010),
    "GS-ZY": ("张掖经济技术开发区", "张掖市", "620700", 2013),
}


def make_zone(code: str = "GS-LZ", **fields) -> Zone:
    name, city, division, year = GANSU.get(code, (f"{code}经开区", "", "", None))
    defaults = {"name": name, "level": "national_etdz", "region": "west", "province": "甘肃省", "city": city,
                "division_code": division, "approved_year": year} | fields
    zone, _ = Zone.objects.update_or_create(code=code, defaults=defaults)
    city_unit = None
    if zone.city:
        city_unit, _ = OrgUnit.objects.get_or_create(
            code=f"city-{zone.division_code or zone.city}", defaults={"name": zone.city, "kind": OrgUnit.Kind.CITY}
        )
    committee, _ = OrgUnit.objects.update_or_create(
        code=f"zone-{code.lower()}",
        defaults={"name": f"{zone.name}管委会", "kind": OrgUnit.Kind.ZONE, "parent": city_unit},
    )
    if zone.committee_id != committee.id:
        zone.committee = committee
        zone.save(update_fields=["committee"])
    return zone


def make_user(username: str, org_code: str | None = None, password: str = "pw-test-123", **fields) -> User:
    unit = OrgUnit.objects.get(code=org_code) if org_code else None
    user = User.objects.create_user(username=username, password=password, org_unit=unit, **fields)
    return user


def zone_user(zone: Zone, username: str | None = None) -> User:
    return make_user(username or f"demo-{zone.code.lower()}", f"zone-{zone.code.lower()}")


def make_enterprise_year(enterprise: Enterprise, year: int, **facts) -> None:
    """One enterprise-year, as the combined import writes it: a row in every fact table, each with the
    facts (canonical keys) that table holds."""
    unknown = set(facts) - set(TABLE_OF)
    if unknown:
        raise TypeError(f"no fact table holds {sorted(unknown)}")
    for table in YEAR_TABLES:
        table.objects.create(enterprise=enterprise, year=year,
                             **{k: v for k, v in facts.items() if TABLE_OF[k] is table})


def run_queued_jobs() -> None:
    """Drain the job queue with the real `jingkai worker --batch`, inside the test's transaction. The worker
    closes "old" connections between tasks, which inside a test transaction is the test's own (PostgreSQL
    then fails with "the connection is closed"); Django's test client turns that off for requests the same way."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("worker", batch=True, interval=0)


def copy_sqlite(source, var):
    """The SQLite database `source` as `var`/jingkai.sqlite3 (where jingkai.settings looks with JINGKAI_VAR_DIR),
    copied whole and consistent by SQLite itself, whatever its journal left beside the file. Returns `var`."""
    import sqlite3
    from pathlib import Path

    Path(var).mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(source), sqlite3.connect(Path(var) / "jingkai.sqlite3")
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    return var
