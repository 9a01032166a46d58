"""Demo pipeline: synthetic projects (labelled demo, investors invented) in the Gansu zones, at realistic stage
ages — most leads stop early, signed ones take months to start, a few signed ones have stalled past 90 days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import numpy as np

from jingkai.accounts.models import OrgUnit
from jingkai.investment import services
from jingkai.investment.models import (
    STAGES,
    Agreement,
    CoBuild,
    Event,
    FdiReceipt,
    FollowUp,
    Origin,
    Project,
    Stage,
    StageChange,
    Team,
)
from jingkai.zones.models import Zone

# Typical days a project stays in a stage before it moves on (demo assumption, not an official figure).
STAGE_DAYS = {Stage.LEAD: 30, Stage.CONTACT: 45, Stage.VISIT: 40, Stage.NEGOTIATE: 75, Stage.SIGNED: 80,
              Stage.REGISTERED: 45, Stage.STARTED: 240, Stage.PRODUCING: 300}
# Where the demo projects are now (weights per stage): a funnel.
WEIGHTS = [0.22, 0.16, 0.12, 0.12, 0.12, 0.07, 0.09, 0.06, 0.04]
INVESTORS = [("演示新能源装备集团有限公司", "中国"), ("演示精细化工股份有限公司", "中国"), ("演示锂电材料科技有限公司", "中国"),
             ("演示生物医药（香港）有限公司", "中国香港"), ("演示汽车零部件株式会社", "日本"), ("演示氢能科技有限公司", "德国"),
             ("演示有色金属新材料有限公司", "中国"), ("演示算力数据服务有限公司", "新加坡"), ("演示食品加工集团有限公司", "中国"),
             ("演示光伏组件制造有限公司", "中国"), ("演示装备制造国际有限公司", "韩国"), ("演示绿色建材股份有限公司", "中国")]
PRODUCTS = ["新能源装备制造基地", "高端精细化学品项目", "锂电正极材料项目", "生物医药生产线", "汽车零部件工厂",
            "氢能装备产业园", "铜铝新材料深加工项目", "算力中心", "特色农产品精深加工项目", "光伏组件项目",
            "工程机械再制造项目", "装配式建材项目"]
NEEDS = ["用地150亩、双回路供电", "标准化厂房2万平方米（高承重）", "蒸汽与工业用水保障", "项目融资2亿元", "技术工人300人"]


def build(seed: int, today: date) -> dict[str, int]:
    rng = np.random.default_rng(seed + 13)
    CoBuild.objects.filter(is_demo=True).delete()
    Project.objects.filter(is_demo=True).delete()
    zones = list(Zone.objects.filter(province="甘肃省", committee__isnull=False).order_by("code"))
    units = {u.zone.pk: u for u in OrgUnit.objects.filter(zone__in=zones).select_related("zone")}
    events = _events(zones, today)
    teams = _teams(zones)
    projects, changes, follow_ups, agreements = 0, [], [], []
    for z, zone in enumerate(zones):
        for n in range(int(rng.integers(6, 12))):
            k = int(rng.integers(len(INVESTORS)))
            company, country = INVESTORS[k]
            final = int(rng.choice(len(STAGES), p=WEIGHTS))
            # walk back from today: the current stage entered some days ago, earlier ones before that
            spent = int(rng.integers(5, 160 if STAGES[final] in (Stage.SIGNED, Stage.REGISTERED) else 120))
            dates = [today - timedelta(days=spent)]
            for stage in reversed(STAGES[:final]):
                dates.insert(0, dates[0] - timedelta(days=max(5, int(rng.normal(STAGE_DAYS[stage], 15)))))
            foreign = country != "中国"
            fdi = Decimal(str(round(float(rng.choice([3000, 8000, 9999.99, 10000, 15000, 32000])), 2))) if foreign else None
            origin = list(Origin)[int(rng.integers(len(Origin)))]
            held = [e for e in events if (e.zone_id in (None, zone.pk)) and e.held_on <= dates[0]]
            project = Project.objects.create(
                name=f"{zone.city or zone.name[:2]}{PRODUCTS[k]}（演示{z + 1}-{n + 1}）", company=company,
                investor_country=country, origin=origin, zone=zone,
                event=held[int(rng.integers(len(held)))] if origin == Origin.EVENT and held else None,
                owner_unit=units[zone.pk], stage=STAGES[final], stage_since=dates[-1],
                next_action="" if STAGES[final] == Stage.FULL else "电话回访，确认下一步安排",
                next_action_date=None if STAGES[final] == Stage.FULL else today + timedelta(days=int(rng.integers(-10, 20))),
                planned_investment=Decimal(int(rng.integers(5, 200)) * 1000), contracted_fdi=fdi,
                actual_fdi=(fdi * Decimal("0.3")).quantize(Decimal("0.01")) if fdi and final >= 6 else None,
                new_industry=k in (0, 2, 3, 5, 7, 9), factor_needs=NEEDS[int(rng.integers(len(NEEDS)))],
                problems="待协调用地指标" if rng.random() < 0.3 else "", is_demo=True,
                team=teams[zone.pk][n % len(teams[zone.pk])] if n % 3 else None)
            projects += 1
            changes += [StageChange(project=project, from_stage="" if i == 0 else STAGES[i - 1], to_stage=STAGES[i],
                                    on=d, comment="演示数据") for i, d in enumerate(dates)]
            follow_ups.append(FollowUp(project=project, on=dates[-1], text="演示：与投资方沟通项目进展"))
            if final >= 3:
                preference = bool(rng.random() < 0.4)
                agreements.append(Agreement(project=project, terms="演示协议：投资强度、达产时限、违约责任",
                                            has_preference=preference,
                                            preference_terms="演示：地方财政奖励" if preference else "",
                                            review_result="passed",
                                            review_date=dates[min(4, final)] - timedelta(days=3) if final >= 4 else None,
                                            reviewer="园区公平竞争审查机构（演示）") if final >= 4 else
                                  Agreement(project=project, terms="演示协议草案"))
    StageChange.objects.bulk_create(changes)
    FollowUp.objects.bulk_create(follow_ups)
    Agreement.objects.bulk_create(agreements)
    co_builds = _co_builds(zones, today)
    # the daily check, as it runs in production: the signed projects stalled 90 days get their 督办
    stale = services.check_stale(today)
    receipts = _fdi_receipts(today)
    return {"projects": projects, "events": len(events), "co_builds": co_builds, "stale_supervision": len(stale),
            "teams": sum(len(t) for t in teams.values()), "fdi_receipts": receipts}


# Each zone's demo teams: (name, kind, leader, chains or links covered); invented, the page marks them 演示.
TEAMS = (("新能源产业招商小分队", Team.Kind.SQUAD, "演示负责人甲", ["GS-NE"]),
         ("石化化工招商专班", Team.Kind.TASKFORCE, "演示负责人乙", ["GS-PC", "GS-NFM/GS-NFM-05"]))


def _teams(zones: list[Zone]) -> dict[int, list[Team]]:
    Team.objects.filter(is_demo=True).delete()
    out: dict[int, list[Team]] = {}
    for zone in zones:
        out[zone.pk] = [Team.objects.create(zone=zone, name=name, kind=kind, leader=leader, coverage=coverage,
                                            members="演示成员一（招商局）\n演示成员二（经发局）", is_demo=True)
                        for name, kind, leader, coverage in TEAMS]
    return out


def _fdi_receipts(today: date) -> int:
    """Monthly 到位外资 of the demo projects with actual foreign investment: the total spread over the months
    since the project started (this year's months feed the indicator entry's 实际使用外资 offer)."""
    rows = []
    for p in Project.objects.filter(is_demo=True, actual_fdi__isnull=False):
        months = [date(today.year, m, 1) for m in range(1, today.month)] or [date(today.year - 1, 12, 1)]
        months = months[-3:]
        share = (p.actual_fdi / len(months)).quantize(Decimal("0.01"))
        amounts = [share] * (len(months) - 1) + [p.actual_fdi - share * (len(months) - 1)]
        rows += [FdiReceipt(project=p, month=m, amount=a, note="演示数据") for m, a in zip(months, amounts, strict=True)]
    FdiReceipt.objects.bulk_create(rows)
    return len(rows)


def _events(zones: list[Zone], today: date) -> list[Event]:
    """Province-wide events over the past two years and one 推介会 per zone (invented; the pages mark them 演示)."""
    Event.objects.filter(is_demo=True).delete()
    rows = [Event(name=name, kind=kind, held_on=today - timedelta(days=ago), place=place,
                  participants="\n".join(f"演示参会企业{i + 1}" for i in range(n)), is_demo=True)
            for name, kind, ago, place, n in (
                ("投资中国·甘肃专场", Event.Kind.INVEST_CHINA, 720, "北京", 12),
                ("中国国际投资贸易洽谈会甘肃推介", Event.Kind.CIFIT, 810, "厦门", 9),
                ("东中部产业转移对接会", Event.Kind.TRANSFER, 600, "兰州", 15),
                ("投资中国·新能源产业专场", Event.Kind.INVEST_CHINA, 120, "上海", 8))]
    rows += [Event(name=f"{zone.name}产业链招商推介会", kind=Event.Kind.PROMOTION, zone=zone,
                   held_on=today - timedelta(days=400 + 17 * i), place=zone.city or zone.name[:2],
                   participants="\n".join(f"演示参会企业{k + 1}" for k in range(5)), is_demo=True)
             for i, zone in enumerate(zones)]
    return Event.objects.bulk_create(rows)


def _co_builds(zones: list[Zone], today: date) -> int:
    """A 合作共建 agreement for the first zones, with their 承接转移 projects (partners invented; the page marks them 演示)."""
    partners = [("江苏某国家级经开区", "江苏省"), ("浙江某国家级经开区", "浙江省"), ("广东某产业园区", "广东省")]
    made = 0
    for zone, (partner, region) in zip(zones, partners, strict=False):
        co = CoBuild.objects.create(zone=zone, partner=partner, partner_region=region, is_demo=True,
                                    signed_on=today - timedelta(days=500 + 30 * made), term="10年",
                                    sharing="演示：共建项目税收地方留成部分按5:5分享，地区生产总值和工业产值按4:6分计（待双方确认）")
        co.projects.set(Project.objects.filter(zone=zone, origin=Origin.TRANSFER, is_demo=True))
        made += 1
    return made
