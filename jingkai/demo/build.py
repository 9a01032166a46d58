"""Build (or rebuild) the demo database from jingkai.demo.generate's rows."""

from __future__ import annotations

import datetime as dt
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from typing import cast

import numpy as np
from django.contrib.auth.hashers import make_password
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from tqdm import tqdm

from jingkai.accounts.models import OrgUnit, User
from jingkai.audit.services import record
from jingkai.bulk import analyze, insert_rows
from jingkai.demo import generate as gen
from jingkai.enterprises.models import YEAR_TABLES, Enterprise, EnterpriseTag
from jingkai.registry import demo_builders
from jingkai.zones.models import Indicator, IndicatorValue, Zone
from jingkai.zones.services import ORG_UNITS, sync_reference_data

BATCH = 5000
NATIONAL_NOTE = "合成数据：按商务部公布的全国国家级经开区总量校准"
GANSU_NOTE = "合成数据：演示用，非统计数据"


@dataclass
class Account:
    username: str
    role: str
    scope: str


@dataclass
class DemoResult:
    password: str
    accounts: list[Account]
    counts: dict[str, int] = field(default_factory=dict)




def latest_complete_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def _purge(queryset) -> None:
    """Delete the rows and, first, whatever protects them (rows of other apps that point at demo data)."""
    while True:
        try:
            with transaction.atomic():
                queryset.delete()
            return
        except (ProtectedError, RestrictedError) as exc:
            blockers = getattr(exc, "protected_objects", None) or cast(RestrictedError, exc).restricted_objects
            by_model = defaultdict(set)
            for obj in blockers:
                by_model[type(obj)].add(obj.pk)
            for model, pks in by_model.items():
                _purge(model._base_manager.filter(pk__in=pks))


def flush() -> None:
    """Remove zones, enterprises, indicator values, the cities and committees, and the demo users.
    The schema, the indicator catalogue and the province's departments stay."""
    from jingkai.programmes.models import ProgrammeRun

    # Stored programme results first: deleting the enterprises would cascade through every one of them.
    for queryset in (ProgrammeRun.objects.all(), EnterpriseTag.objects.all(), *[t.objects.all() for t in YEAR_TABLES],
                     Enterprise.objects.all(),
                     IndicatorValue.objects.all(), User.objects.filter(username__startswith="demo-"),
                     Zone.objects.all(), OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE),
                     OrgUnit.objects.filter(kind=OrgUnit.Kind.CITY)):
        _purge(queryset)


def _insert(model, fields: list[str], rows, total: int, desc: str, progress: bool) -> None:
    """Insert plain tuples in batches (jingkai.bulk.insert_rows): several times faster than
    building model instances for bulk_create. Values pass through the field's own preparation where a
    type needs it (dates, JSON); other columns get their defaults, auto_now columns the current time."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    rest = [f for f in meta.concrete_fields if f not in given and not f.primary_key]
    now = timezone.now()
    stamped = lambda f: getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)  # noqa: E731
    extra = tuple(f.get_db_prep_save(now if stamped(f) else f.get_default(), connection) for f in rest)
    columns = given + rest
    prepare = [(j, f) for j, f in enumerate(given) if f.get_internal_type() in {"DateField", "DateTimeField", "JSONField"}]
    with tqdm(total=total, desc=desc, unit="行", disable=not progress) as bar:
        for batch in _batches(rows):
            params = []
            for row in batch:
                row = list(row)
                for j, f in prepare:
                    row[j] = f.get_db_prep_save(row[j], connection)
                params.append((*row, *extra))
            insert_rows(meta.db_table, [f.column for f in columns], params, batch=len(params))
            bar.update(len(batch))


def _batches(rows):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def build_demo(seed: int = 2025, size: gen.DemoSize | None = None, password: str | None = None,
               today: dt.date | None = None, progress: bool = True) -> DemoResult:
    size = size or gen.DemoSize()
    today = today or timezone.localdate()
    password = password or secrets.token_urlsafe(9)
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        with tqdm(total=1, desc="清空旧演示数据", disable=not progress) as bar:
            flush()
            if not (Indicator.objects.exists() and OrgUnit.objects.filter(code="province").exists()):
                sync_reference_data()  # normally done by the migrations already
            bar.update()
        zones = _zones(size, progress)
        counts = {"zones": len(zones)}
        counts["indicator_values"] = _indicators(rng, zones, today, progress)
        counts.update(_enterprises(rng, size.enterprises, zones, today, progress))
        accounts = _accounts(password)
        # Each domain builds its own demo on top of the zones, enterprises and accounts: build(seed, today).
        for label, reference, builder in demo_builders():
            with tqdm(total=1, desc=label, disable=not progress) as bar:
                built = counts[reference.partition(":")[0]] = builder(seed, today)
                accounts += [Account(*a) for a in getattr(built, "accounts", ())]  # accounts a domain added
                bar.update()
    cache.clear()  # the menu's cached demo-data flag
    analyze()
    counts["users"] = len(accounts)
    record(None, "demo", "demo", note=f"重建演示数据库（种子 {seed}）", after={
        k: v for k, v in counts.items() if isinstance(v, int)})
    return DemoResult(password, accounts, counts)


def _zones(size: gen.DemoSize, progress: bool) -> dict[str, Zone]:
    rows = gen.zone_rows(size)
    Zone.objects.bulk_create([Zone(is_demo=True, **row) for row in rows])
    zones = {z.code: z for z in Zone.objects.all()}
    cities = {}
    for row in rows:
        if row["province"] == "甘肃省" and row["division_code"] not in cities:
            cities[row["division_code"]], _ = OrgUnit.objects.update_or_create(
                code=f"city-{row['division_code']}", defaults={"name": row["city"], "kind": OrgUnit.Kind.CITY})
    OrgUnit.objects.bulk_create([
        OrgUnit(code=f"zone-{row['code'].lower()}", name=f"{row['name']}管委会", kind=OrgUnit.Kind.ZONE,
                parent=cities[row["division_code"]])
        for row in rows if row["province"] == "甘肃省"
    ])
    committees = dict(OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE).values_list("code", "id"))
    for zone in zones.values():
        zone.committee_id = committees.get(f"zone-{zone.code.lower()}")
    Zone.objects.bulk_update([z for z in zones.values() if z.committee_id], ["committee"])
    return zones


def _indicators(rng, zones: dict[str, Zone], today: dt.date, progress: bool) -> int:
    """Annual values of every zone and the monthly cumulative flows of the Gansu zones."""
    indicator = dict(Indicator.objects.values_list("key", "id"))
    rows = []  # (zone code, period, key, value, note)
    zone_rows = [{"code": z.code, "level": z.level, "region": z.region} for z in zones.values()]
    last = latest_complete_month(today)
    codes, annual, gansu_now, gansu_future = gen.national_values(rng, zone_rows, max(last[0] - 2024, 0))
    for i, code in enumerate(codes):
        note = GANSU_NOTE if code in gansu_now else NATIONAL_NOTE
        for key, values in annual.items():
            for t, year in enumerate(gen.NATIONAL_YEARS):
                rows.append((code, str(year), key, float(values[i, t]), note))
    monthly_years = list(range(gen.MONTHLY_FROM, last[0] + 1))
    for code in gansu_now:  # national zones: 2022–2024 from the peer set, later years continue
        series = {k: np.concatenate([gansu_now[code][k], gansu_future[code][k]]) for k in gen.FLOWS}
        offset = gen.NATIONAL_YEARS.index(gen.MONTHLY_FROM)
        series = {k: v[offset: offset + len(monthly_years)] for k, v in series.items()}
        rows += [(code, p, k, v, GANSU_NOTE)
                 for (p, k), v in gen.monthly_values(rng, series, monthly_years, last).items()]
    provincial = gen.provincial_values(rng, zone_rows, len(monthly_years))
    for code, values in provincial.items():
        for key, array in values.items():
            for year in gen.GANSU_YEARS:
                rows.append((code, str(year), key, float(array[monthly_years.index(year)]), GANSU_NOTE))
        rows += [(code, p, k, v, GANSU_NOTE)
                 for (p, k), v in gen.monthly_values(rng, values, monthly_years, last).items()]
    values = ((zones[code].id, period, indicator[key], value, gen.SOURCE, note)
              for code, period, key, value, note in rows if key in indicator)
    _insert(IndicatorValue, ["zone", "period", "indicator", "value", "source", "note"], values, len(rows),
            "园区指标值", progress)
    return len(rows)


def _enterprises(rng, n: int, zones: dict[str, Zone], today: dt.date, progress: bool) -> dict[str, int]:
    rows = [{"code": z.code, "city": z.city, "division_code": z.division_code} for z in zones.values()]
    high_tech = IndicatorValue.objects.filter(indicator__key="high_tech_enterprises", zone__province="甘肃省",
                                              zone__level=Zone.Level.NATIONAL, period="2024")
    with tqdm(total=1, desc="生成企业数据", disable=not progress) as bar:
        data = gen.enterprises(rng, n, rows, today, dict(high_tech.values_list("zone__code", "value")))
        bar.update()
    fields = ["uscc", "name", "zone_code", "industry_code", "established", "size_class", "ownership",
              "above_scale", "listed", "credit_class"]
    data["zone_code"] = [zones[code].id for code in data["zone_code"]]
    columns = ["zone" if f == "zone_code" else f for f in fields]
    _insert(Enterprise, columns, zip(*(data[f] for f in fields), strict=True), n, "企业", progress)
    ids = dict(Enterprise.objects.values_list("uscc", "id"))
    enterprise_ids = [ids[u] for u in data["uscc"]]
    tags = data["tags"]
    _insert(EnterpriseTag, ["enterprise", "tag", "valid_from", "valid_to"],
            ((enterprise_ids[i], tag, start, end) for i, tag, start, end in tags), len(tags), "企业标签", progress)
    years = data["years"]
    total = n * len(gen.ENTERPRISE_YEARS)
    for table in YEAR_TABLES:  # every enterprise-year in every fact table, as the combined import writes them
        keys = [f.name for f in table.fact_fields() if f.name in years]
        columns = [years[key] if key == "honors" else years[key].tolist() for key in keys]

        def year_rows(columns=columns):
            for i, enterprise_id in enumerate(enterprise_ids):
                for t, year in enumerate(gen.ENTERPRISE_YEARS):
                    yield (enterprise_id, year, *(column[i][t] for column in columns))

        _insert(table, ["enterprise", "year", *keys], year_rows(), total, str(table._meta.verbose_name), progress)
    _count_high_tech_from_tags(zones)
    return {"enterprises": n, "enterprise_tags": len(tags), "enterprise_years": total}


def _count_high_tech_from_tags(zones: dict[str, Zone]) -> None:
    """A Gansu zone's 高新技术企业数 is the number of its enterprises whose certificate is valid at year end,
    so that the zone page and the enterprise list agree."""
    values = list(IndicatorValue.objects.filter(
        indicator__key="high_tech_enterprises", zone__province="甘肃省", period__in=[str(y) for y in gen.NATIONAL_YEARS]
    ).select_related("zone"))
    for value in values:
        year_end = dt.date(int(value.period), 12, 31)
        value.value = EnterpriseTag.objects.filter(
            tag=EnterpriseTag.Tag.HIGH_TECH, enterprise__zone=value.zone, valid_from__lte=year_end, valid_to__gte=year_end
        ).values("enterprise").distinct().count()
    IndicatorValue.objects.bulk_update(values, ["value"])
    # The peers absorb the difference, so that the national totals stay at the published figures.
    published = gen.series(gen.load("calibration")["totals"]["high_tech_enterprises"]["values"], gen.NATIONAL_YEARS)
    for year, total in zip(gen.NATIONAL_YEARS, published, strict=True):
        national = IndicatorValue.objects.filter(indicator__key="high_tech_enterprises", period=str(year),
                                                 zone__level=Zone.Level.NATIONAL)
        gansu = sum(v.value for v in values if v.period == str(year) and v.zone.level == Zone.Level.NATIONAL)
        peers = list(national.exclude(zone__province="甘肃省"))
        factor = (total - gansu) / sum(v.value for v in peers)
        for v in peers:
            v.value = float(round(v.value * factor))
        IndicatorValue.objects.bulk_update(peers, ["value"])


def _accounts(password: str) -> list[Account]:
    """demo-admin (province, superuser), one user per Gansu national zone, one per department."""
    import yaml

    hashed = make_password(password)  # one hash for all: hashing is deliberately slow
    accounts = [(User(username="demo-admin", org_unit=OrgUnit.objects.get(code="province"), is_staff=True,
                      is_superuser=True, first_name="省商务厅管理员"), Account("demo-admin", "省商务厅（管理员）", "全部园区"))]
    for unit in OrgUnit.objects.filter(kind=OrgUnit.Kind.ZONE, zone__level=Zone.Level.NATIONAL).select_related("zone"):
        zone = cast(Zone, unit.zone)  # not None: filtered on zone__level
        username = f"demo-{zone.code.lower()}"
        accounts.append((User(username=username, org_unit=unit, first_name=unit.name),
                         Account(username, "园区管委会", zone.name)))
    for item in yaml.safe_load(ORG_UNITS.read_text(encoding="utf-8")):
        if item["kind"] == "department":
            unit = OrgUnit.objects.get(code=item["code"])
            username = f"demo-{unit.code}"
            accounts.append((User(username=username, org_unit=unit, first_name=unit.name),
                             Account(username, "省直部门", f"{unit.name}（全部园区，只读）")))
    for user, _ in accounts:
        user.password = hashed
        user.email = f"{user.username}@demo.invalid"
    User.objects.bulk_create([user for user, _ in accounts])
    return [account for _, account in accounts]
