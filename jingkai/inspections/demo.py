"""Demo 涉企检查: four departments' published items (and one unpublished), inspectors (one per department
without a valid 执法证), their annual plans (published 日常 plans; a 专项 plan waiting for approval; next
year's plan in draft) and this quarter's draw for each zone with enterprises, executing the published plans.
Credit classes are on the demo enterprises already.

The items are those a manufacturing firm in a 经开区 typically meets from several departments in one year
(特种设备, 工业产品许可, 排污许可, 劳动保障, 工业节能), so the same firm is drawn by more than one department and
综合查一次 has something to merge; the legal bases name the law, not an article, where none was checked."""

import datetime as dt

import numpy as np
import polars as pl
from django.contrib.auth.models import Permission

from jingkai.accounts.models import OrgUnit, User
from jingkai.engines import inspections as engine
from jingkai.enterprises.models import Enterprise
from jingkai.inspections.models import Draw, InspectionItem, InspectionPlan, Inspector, Visit
from jingkai.inspections.services import covering, frames, run_draw
from jingkai.zones.models import Zone

PUBLISHED = dt.date(2025, 6, 30)
SCJG, STHJ, RS, GX = "省市场监督管理局", "省生态环境厅", "省人力资源和社会保障厅", "省工业和信息化厅"
ITEMS = [  # (department, code, name, basis, applies_to, published)
    (SCJG, "SJ-001", "食品生产企业监督检查", "《中华人民共和国食品安全法》第一百一十条", "C13;C14;C15", True),
    (SCJG, "SJ-002", "特种设备使用单位监督检查", "《中华人民共和国特种设备安全法》第五十七条", "", True),
    (SCJG, "SJ-003", "工业产品生产许可证获证企业监督检查", "《中华人民共和国工业产品生产许可证管理条例》", "C", True),
    (STHJ, "HB-001", "排污许可证执行情况检查", "《排污许可管理条例》第二十八条", "C;D", True),
    (STHJ, "HB-009", "环境信息依法披露检查（拟公布）", "《企业环境信息依法披露管理办法》", "C", False),
    (RS, "RS-001", "用人单位遵守劳动保障法律法规情况检查", "《劳动保障监察条例》", "", True),
    (GX, "GX-001", "重点用能工业企业节能监察", "《中华人民共和国节约能源法》", "C", True),
]


def _plans(today: dt.date) -> None:
    units = {u.name: u for u in OrgUnit.objects.filter(name__in=[SCJG, STHJ, RS, GX])}
    reviewers = {u.org_unit_id: u for u in User.objects.filter(username__endswith="-reviewer", org_unit__in=units.values())}
    permission = Permission.objects.get(codename="approve_inspectionplan")
    for reviewer in reviewers.values():
        reviewer.user_permissions.add(permission)
    year = today.year
    for name, unit in units.items():
        plan = InspectionPlan.objects.create(
            department=unit, year=year, kind=InspectionPlan.Kind.ROUTINE, title=f"{year}年度“双随机、一公开”抽查计划",
            starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31), state=InspectionPlan.State.PUBLISHED,
            approved_by=reviewers.get(unit.pk), approved_on=dt.date(year, 1, 10), filed_on=dt.date(year, 1, 15),
            published_on=dt.date(year, 1, 20))
        plan.items.set(InspectionItem.objects.filter(department=name, published_on__isnull=False))
    special = InspectionPlan.objects.create(
        department=units[SCJG], year=year, kind=InspectionPlan.Kind.SPECIAL, title="电动自行车及电池产品质量安全专项检查",
        starts_on=today, ends_on=dt.date(year, 12, 31), reason="演示：近期同类产品质量安全事故多发，开展专项检查",
        state=InspectionPlan.State.SUBMITTED)
    special.items.set(InspectionItem.objects.filter(item_code="SJ-003"))
    draft = InspectionPlan.objects.create(
        department=units[GX], year=year + 1, kind=InspectionPlan.Kind.ROUTINE, title=f"{year + 1}年度节能监察计划",
        starts_on=dt.date(year + 1, 1, 1), ends_on=dt.date(year + 1, 12, 31))
    draft.items.set(InspectionItem.objects.filter(item_code="GX-001"))


def build(seed: int, today: dt.date) -> int:
    Visit.objects.all().delete()
    Draw.objects.all().delete()
    InspectionPlan.objects.all().delete()
    InspectionItem.objects.all().delete()
    Inspector.objects.all().delete()
    InspectionItem.objects.bulk_create(
        InspectionItem(department=d, item_code=c, name=n, legal_basis=b, applies_to=a,
                       published_on=PUBLISHED if p else None) for d, c, n, b, a, p in ITEMS)
    people = []
    for k, dept in enumerate(sorted({i[0] for i in ITEMS})):
        for j in range(6):
            valid = dt.date(today.year + 2, 12, 31) if j != 5 else dt.date(today.year - 1, 12, 31)  # one expired
            people.append(Inspector(department=dept, person_id=f"ZF{k + 1:02d}{j + 1:03d}",
                                    name=f"{'张王李赵刘陈'[j]}{'明华军强'[k]}", cert_no=f"甘执{k + 1:02d}{j + 1:04d}",
                                    cert_valid_to=valid))
    Inspector.objects.bulk_create(people)
    _plans(today)
    period = f"{today.year}Q{(today.month - 1) // 3 + 1}"
    planned = InspectionItem.objects.filter(plans__in=InspectionPlan.objects.filter(covering(engine.parse_period(period))))
    # The unpublished item goes in as well: the draw lists it as skipped (未经公布，不得实施), never draws it.
    items = InspectionItem.objects.filter(pk__in=[*planned.values_list("pk", flat=True),
                                                  *InspectionItem.objects.filter(published_on__isnull=True).values_list("pk", flat=True)])
    zones = Zone.objects.filter(enterprises__isnull=False).distinct().order_by("code")
    draws = [run_draw(None, zone, period, seed * 1000 + n, today, items) for n, zone in enumerate(zones)]
    _visits(np.random.default_rng(seed + 14), draws, items, today)
    return len(draws)


def _visits(rng: np.random.Generator, draws: list[Draw], items, today: dt.date) -> None:
    """入企记录 for the demo's report: this year's earlier quarters and last year's (drawn by the same engine,
    not stored as draws; last year each department went on its own, before 综合查一次), this quarter's visits up
    to yesterday, results, publication and a few 非执法入企. As a zone really stands on `today`, deterministically:
    every sixth visit this quarter's draw planned before today (from the second on) is not done yet; a result whose publication day
    (3–26 working days after the visit, some late) is still ahead is not published yet, most of them with the
    result already entered; every deadline already past was met (on time or late) but one, the first zone's most
    recent: one overdue publication."""
    rules = engine.load()
    quarter = (today.month - 1) // 3 + 1
    ids = dict(Enterprise.objects.values_list("uscc", "id"))
    rows: list[Visit] = []
    waiting = 0
    for draw in draws:
        zone = draw.zone
        plans = [(draw.period, draw.result)]
        for year, q in [*((today.year - 1, q) for q in range(1, 5)), *((today.year, q) for q in range(1, quarter))]:
            span = engine.parse_period(f"{year}Q{q}")
            ent, item_rows, roster, _ = frames(zone, span.start, items, span)
            plans.append((span.code, engine.plan(ent, item_rows.with_columns(published=pl.lit("true")), rules, span,
                                                 draw.seed + year * 10 + q, inspectors=roster)))
        for code, result in plans:
            current, past = code == draw.period, 0
            for n, v in enumerate(result["visits"]):
                day = dt.date.fromisoformat(v["date"])
                if day >= today:
                    continue
                past += 1
                if current and past % 6 == 2:  # planned, not done yet (the second, the eighth, …)
                    continue
                split = code.startswith(str(today.year - 1))
                for k, dept in enumerate(v["departments"] if split else ["+".join(v["departments"])]):
                    depts = [dept] if split else v["departments"]
                    due = engine.add_working_days(day, rules.publication_days)
                    published: dt.date | None = engine.add_working_days(day, int(rng.choice(
                        [3, 8, 12, 18, 26], p=[.3, .3, .2, .13, .07])))
                    if published is not None and published >= today:  # not yet: unless the deadline has passed, then it was met on its day
                        published = due if due < today else None
                    waiting += published is None
                    entered = published is not None or waiting % 3 != 1  # a third waits for its result too
                    rows.append(Visit(
                        visit_no=f"{zone.code}-{code}-{n + 1:05d}{'-' + str(k + 1) if split else ''}",
                        enterprise_id=ids[v["uscc"]], zone=zone, departments=depts,
                        items=[c for c in v["items"] if not split or c[:2] == _PREFIX[dept]], visited_on=day,
                        result=str(rng.choice(["ok", "ok", "ok", "ok", "rectify", "penalty"])) if entered else "",
                        published_on=published, draw=draw if current else None))
    first = draws[0].zone if draws else None
    late = [r for r in rows if r.zone == first and r.visited_on.year == today.year and r.kind == Visit.Kind.ROUTINE
            and engine.add_working_days(r.visited_on, rules.publication_days) < today]
    if late:  # the one overdue publication: a result entered, never published
        overdue = max(late, key=lambda r: (r.visited_on, r.visit_no))
        overdue.published_on = None
    for zone_draw in [d for d in draws if d.result["visits"]][:3]:  # a firm visited often: 高频入企 warning
        v = zone_draw.result["visits"][0]
        for k, back in enumerate((20, 45)):
            rows.append(Visit(visit_no=f"{zone_draw.zone.code}-NE-{k + 1}", enterprise_id=ids[v["uscc"]],
                              zone=zone_draw.zone, departments=[GX], visited_on=today - dt.timedelta(back),
                              kind=Visit.Kind.NON_ENFORCEMENT, result_text="惠企政策宣传（演示）"))
    Visit.objects.bulk_create(rows, batch_size=2000)


_PREFIX = {SCJG: "SJ", STHJ: "HB", RS: "RS", GX: "GX"}
