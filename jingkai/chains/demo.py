"""Demo chains: realistic main products for the demo enterprises (by industry code, deterministic from the
seed), the automatic assignment on the Gansu catalogue, a few confirmations by 兰州, some 链主 (the largest
above-scale firm of a chain in each national zone) and synthetic target companies labelled as demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import yaml
from django.db.models import Max
from django.utils import timezone

from jingkai.chains.models import ChainLeader, LeaderPurchase, LinkAssignment, TargetCompany
from jingkai.chains.services import DEFAULT_CATALOGUE, run_assignment
from jingkai.enterprises.models import Enterprise, EnterpriseFinance

PRODUCTS = Path(__file__).parent / "data" / "demo_products.yaml"
NATIONAL = ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY")
# Synthetic outside firms (虚构, for the demo only): name stem, HQ province, industry code, products, lists.
TARGETS = [
    ("华东锂能科技", "江苏省", "C3841", "储能电池、动力电池、电芯", ["china_500:2025:210", "listed"]),
    ("东海正极材料", "浙江省", "C3985", "正极材料、三元前驱体、磷酸铁锂", ["industry_top100:2025:12", "listed"]),
    ("中原风电装备", "河南省", "C3415", "风电机组、风电叶片", ["private_500:2025:356"]),
    ("江南光伏", "江苏省", "C3825", "光伏组件、电池片、硅片", ["fortune_global_500:2025:480", "listed"]),
    ("鲁信高端铝材", "山东省", "C3252", "铝板带、电池铝箔、铝合金型材", ["china_500:2025:150"]),
    ("华南电子浆料", "广东省", "C3985", "电子浆料、靶材", ["listed"]),
    ("湘江数控机床", "湖南省", "C3421", "数控机床、加工中心", ["industry_top100:2025:8"]),
    ("皖北医药", "安徽省", "C2720", "片剂、注射液、仿制药", ["private_500:2025:420", "listed"]),
    ("川渝生物制品", "四川省", "C2761", "疫苗、血液制品", ["listed"]),
    ("京津数据科技", "北京市", "I6450", "数据中心、智算中心、云计算", ["china_500:2025:95"]),
    ("闽东铜箔", "福建省", "C3251", "铜箔、高精铜板带", ["listed"]),
    ("中部氢能装备", "湖北省", "C2619", "电解水制氢、制氢设备、储氢", []),
    ("沪上集成电路", "上海市", "C3973", "集成电路、芯片、封装测试", ["fortune_global_500:2025:310", "listed"]),
    ("冀中特钢", "河北省", "C3130", "不锈钢板、热轧卷板", ["china_500:2025:60"]),
    ("粤港智能装备", "广东省", "C4011", "工业机器人、自动化控制系统、传感器", ["private_500:2025:88"]),
    ("晋阳煤化工", "山西省", "C2523", "煤制油、煤制烯烃", ["china_500:2025:230"]),
    ("浙北氟化工", "浙江省", "C2619", "氢氟酸、制冷剂、六氟磷酸锂", ["listed"]),
    ("赣南稀土材料", "江西省", "C3232", "稀土、钕铁硼、稀土永磁", ["industry_top100:2025:5", "listed"]),
    ("苏南乳业", "江苏省", "C1441", "液体乳、酸奶、乳粉", ["private_500:2025:470"]),
    ("豫中食品", "河南省", "C1431", "速冻食品、挂面", []),
]


def _products(seed: int) -> int:
    table = yaml.safe_load(PRODUCTS.read_text(encoding="utf-8"))
    rng = np.random.default_rng(seed + 13)
    rows = list(Enterprise.objects.order_by("uscc").only("id", "industry_code"))
    for e in rows:
        choices = table.get(e.industry_code) or []
        if choices:
            k = 1 + int(rng.random() < 0.6) if len(choices) > 1 else 1
            picked = rng.choice(len(choices), size=min(k, len(choices)), replace=False)
            e.main_products = "、".join(choices[i] for i in sorted(picked))
    Enterprise.objects.bulk_update(rows, ["main_products"], batch_size=2000)
    return len(rows)


def _leaders(today: dt.date) -> int:
    """The largest above-scale firm of each chain (by latest revenue) in each national zone becomes a demo 链主."""
    revenue = dict(EnterpriseFinance.objects.values_list("enterprise_id").annotate(r=Max("revenue")))
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for eid, zone, chain in LinkAssignment.objects.filter(
            catalogue=DEFAULT_CATALOGUE, enterprise__above_scale=True,
            enterprise__zone__code__in=NATIONAL).values_list("enterprise_id", "enterprise__zone__code", "chain"):
        r = revenue.get(eid) or 0.0
        if (zone, chain) not in best or r > best[(zone, chain)][0]:
            best[(zone, chain)] = (r, eid)
    leaders = [ChainLeader(enterprise_id=eid, catalogue=DEFAULT_CATALOGUE, chain=chain,
                           since=dt.date(2022 + i % 3, 6, 30), review_year=today.year - 1,
                           support_measures="演示：要素保障、配套企业对接、技术平台共建",
                           annual_review="演示：带动本地配套企业，完成年度目标", demo=True)
               for i, ((_, chain), (_, eid)) in enumerate(sorted(best.items())) if i % 2 == 0]
    made = ChainLeader.objects.bulk_create(leaders)
    _purchases(made, today)
    return len(leaders)


def _purchases(leaders: list[ChainLeader], today: dt.date) -> None:
    """Last year's purchases of every other demo 链主 from invented suppliers, some local (the others have no
    purchase data, as most firms report none)."""
    rows = []
    for i, leader in enumerate(leaders[::2]):
        for k in range(6):
            rows.append(LeaderPurchase(leader=leader, year=today.year - 1, supplier=f"演示供应商{i + 1}-{k + 1}",
                                       amount=float(800 + 350 * ((i + k) % 5)), local=(i + k) % 3 != 0, demo=True))
    LeaderPurchase.objects.bulk_create(rows)


def _confirm_some(seed: int) -> int:
    """兰州 confirms its three best-scored links per chain (shows 最近确认 dates on the maps)."""
    now = timezone.now()
    rows = []
    seen: dict[str, int] = {}
    for a in LinkAssignment.objects.filter(enterprise__zone__code="GS-LZ").order_by("chain", "-score", "id"):
        if seen.get(a.chain, 0) < 3:
            seen[a.chain] = seen.get(a.chain, 0) + 1
            a.decision, a.decided_at = LinkAssignment.Decision.CONFIRMED, now
            rows.append(a)
    LinkAssignment.objects.bulk_update(rows, ["decision", "decided_at"])
    return len(rows)


def build(seed: int, today: dt.date) -> dict[str, int]:
    for model in (LinkAssignment, ChainLeader, TargetCompany):
        model.objects.all().delete()
    products = _products(seed)
    run = run_assignment(None)
    TargetCompany.objects.bulk_create([
        TargetCompany(name=f"{stem}股份有限公司（演示虚构）", hq_region=region, industry_code=code, main_products=products_,
                      lists=lists, source="演示数据：虚构企业，非真实榜单", demo=True)
        for stem, region, code, products_, lists in TARGETS])
    return {"enterprises_with_products": products, "links": run["links"], "leaders": _leaders(today),
            "confirmed": _confirm_some(seed), "targets": len(TARGETS)}
