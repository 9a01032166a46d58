"""Demo finance lists: synthetic green and key projects (named 演示) on the demo zones with demo enterprises as
borrowers, two demo banks (invented names, never a real bank's) with one account, and one list pushed by the
兰州 zone to 演示银行甲分行 with two answers. Figures are invented, of a plausible size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
from django.utils import timezone

from jingkai.accounts.models import OrgUnit, User
from jingkai.enterprises.models import Enterprise
from jingkai.finance import catalogue
from jingkai.finance.models import Feedback, GreenProject, Push, PushItem, Status
from jingkai.finance.services import snapshot
from jingkai.zones.models import Zone

BANKS = (("bank-demo-a", "演示银行甲分行"), ("bank-demo-b", "演示银行乙分行"))
BANK_USER = "demo-bank-a"
# (category, project, channels, capex range 万元, tCO₂ saved per 万元 of capex per year): demo assumptions
KINDS = [
    ("distributed_pv", "厂房屋顶分布式光伏项目", ["green_loan"], (2000, 12000), 0.9),
    ("storage", "用户侧储能电站项目", ["green_loan", "ultra_long_bonds"], (3000, 15000), 0.3),
    ("waste_heat", "余热回收发电项目", ["green_loan", "central_budget"], (1500, 8000), 1.6),
    ("recycling", "废旧动力电池回收循环利用项目", ["central_budget", "ultra_long_bonds"], (5000, 30000), 0.5),
    ("energy_retrofit", "电机系统节能改造项目", ["green_loan", "ultra_long_bonds"], (800, 5000), 1.2),
    ("park_infrastructure", "园区污水处理厂提标改造项目", ["special_bonds"], (6000, 20000), 0.0),
]


@dataclass(frozen=True)
class DemoFinance:
    projects: int
    pushes: int
    accounts: tuple[tuple[str, str, str], ...]


def build(seed: int, today: date) -> DemoFinance:
    rng = np.random.default_rng(seed + 29)
    Push.objects.filter(is_demo=True).delete()
    GreenProject.objects.filter(is_demo=True).delete()
    banks = [OrgUnit.objects.update_or_create(code=code, defaults={"name": name, "kind": OrgUnit.Kind.BANK})[0]
             for code, name in BANKS]
    cat = catalogue.current()
    zones = list(Zone.objects.filter(province="甘肃省", level=Zone.Level.NATIONAL, committee__isnull=False)
                 .order_by("code"))
    projects = []
    for z, zone in enumerate(zones):
        borrowers = list(Enterprise.objects.filter(zone=zone).order_by("uscc")[:12])
        if not borrowers:
            continue
        for n in range(int(rng.integers(4, 7))):
            category, title, channels, (low, high), per_wan = KINDS[(z + n) % len(KINDS)]
            borrower = borrowers[int(rng.integers(len(borrowers)))]
            capex = Decimal(int(rng.integers(low, high)) // 10 * 10)
            projects.append(GreenProject(
                zone=zone, name=f"{zone.city or zone.name[:2]}{title}（演示{z + 1}-{n + 1}）", category=category,
                catalogue=cat.id, borrower=borrower.name, uscc=borrower.uscc, capex=capex,
                finance_need=(capex * Decimal("0.6")).quantize(Decimal("1")),
                co2_saved=(capex * Decimal(str(per_wan))).quantize(Decimal("1")) if per_wan else None,
                channels=channels, status=list(Status)[int(rng.integers(3))],
                description=f"演示：{title}，建设期两年", contact="演示联系人 0931-0000000", is_demo=True))
    GreenProject.objects.bulk_create(projects)
    pushes = _push(banks[0], today)
    accounts = _bank_account(banks[0])
    return DemoFinance(len(projects), pushes, accounts)


def _push(bank: OrgUnit, today: date) -> int:
    """兰州's committee sends its green projects to 演示银行甲分行 a fortnight ago; the bank has answered two."""
    zone = Zone.objects.filter(code="GS-LZ").select_related("committee").first()
    if zone is None or zone.committee is None:
        return 0
    chosen = list(GreenProject.objects.filter(zone=zone, is_demo=True).select_related("zone").order_by("name")[:4])
    if not chosen:
        return 0
    sent = datetime.combine(today - timedelta(days=14), time(10, 0), tzinfo=timezone.get_current_timezone())
    push = Push.objects.create(owner=zone.committee, bank=bank, title="兰州经开区绿色项目融资需求清单（演示）",
                               note="演示：请贵行对接清单所列项目的融资需求", pushed_at=sent, is_demo=True,
                               pushed_by=User.objects.filter(username="demo-gs-lz").first())
    items = [PushItem(push=push, project=p, position=n, snapshot=snapshot(p)) for n, p in enumerate(chosen, start=1)]
    answers = [(Feedback.CREDITED, "演示：已授信 3000 万元，期限 8 年"), (Feedback.CONTACTED, "演示：已与企业财务负责人对接")]
    for item, (feedback, note) in zip(items, answers, strict=False):
        item.feedback, item.feedback_note, item.feedback_at = feedback, note, sent + timedelta(days=5)
    PushItem.objects.bulk_create(items)
    return 1


def _bank_account(bank: OrgUnit) -> tuple[tuple[str, str, str], ...]:
    admin = User.objects.filter(username="demo-admin").first()
    User.objects.update_or_create(username=BANK_USER, defaults={
        "org_unit": bank, "first_name": f"{bank.name}客户经理", "email": f"{BANK_USER}@demo.invalid",
        "password": admin.password if admin else "!"})
    return ((BANK_USER, "金融机构", f"{bank.name}（仅推送给本机构的清单）"),)
