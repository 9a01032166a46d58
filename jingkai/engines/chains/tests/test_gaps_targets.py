import pytest

from jingkai.engines.chains import Assigner, Firm, ListEntry, Target, chain_gaps, parse, rank

CATALOGUE = """
chains:
  - code: X
    name: 示例链
    links:
      - {code: X1, name: 电池, stage: 中游, key: true, industry_codes: [C3841], keywords: [锂电池, 储能电池]}
      - {code: X2, name: 材料, stage: 上游, key: true, industry_codes: [C3985], keywords: [正极材料]}
      - {code: X3, name: 电站, stage: 下游, industry_codes: [D4416], keywords: [光伏电站]}
status_rule: {weak_revenue_share: 0.10}
"""


@pytest.fixture(scope="module")
def cat():
    return parse(CATALOGUE)


def status(cat, firms):
    gap = chain_gaps(cat, cat.chain("X"), firms)
    return {g.link.code: g.status for g in gap.links}, gap


def f(uscc, above=True, revenue=100.0, leader=False, specialized=False):
    return Firm(uscc, f"企业{uscc}", above, revenue, leader, specialized)


def test_status_rules_at_their_thresholds(cat):
    big = [f("a", revenue=900), f("b", revenue=900)]
    # missing: no firm; risk: exactly one firm (risk_max_enterprises = 1)
    s, _ = status(cat, {"X1": big, "X2": [f("c", revenue=200, leader=True)]})
    assert s == {"X1": "covered", "X2": "risk", "X3": "missing"}
    # weak: only 规下 firms
    s, gap = status(cat, {"X1": big, "X2": [f("c", above=False), f("d", above=False)]})
    assert s["X2"] == "weak" and gap.links[1].rule == "没有规上企业（均为规下企业）"
    # weak by revenue share: X2 has 100+100 of 2000 = 10.0 % → not below 10 % → strong (规上 + 专精特新)
    s, _ = status(cat, {"X1": big, "X2": [f("c", specialized=True), f("d")]})
    assert s["X2"] == "strong"
    # one 万元 less is below the threshold → weak
    s, gap = status(cat, {"X1": big, "X2": [f("c", revenue=99.0, specialized=True), f("d")]})
    assert s["X2"] == "weak"
    assert gap.links[1].rule == "环节营业收入占全链本地营业收入的 9.95%，低于 10%"
    assert gap.links[1].as_dict()["specialized"] == ["企业c"]


def test_completeness_counts_key_links_only(cat):
    _, gap = status(cat, {"X1": [f("a"), f("b")], "X3": [f("e"), f("g")]})
    assert gap.completeness == 0.5  # X1 of the key links X1, X2; X3 is not key
    no_key = parse(CATALOGUE.replace("key: true, ", ""))
    gap = chain_gaps(no_key, no_key.chain("X"), {"X1": [f("a")], "X3": [f("e")]})
    assert gap.completeness == pytest.approx(2 / 3)  # all links count when none is key
    assert gap.as_dict()["links"][1]["rule"] == "园区内没有归入本环节的企业"


def test_targets_fill_missing_or_weak_links_with_every_factor(cat):
    gaps = [chain_gaps(cat, cat.chain("X"), {"X1": [f("a"), f("b")]})]  # X2, X3 missing
    targets = [Target("东部正极材料股份有限公司", hq_region="江苏省", industry_code="C3985", main_products="正极材料",
                      lists=(ListEntry("china_500", 2025, 210), ListEntry("listed"))),
               Target("西部材料有限公司", hq_region="四川省", industry_code="C3985", main_products="正极材料"),
               Target("东部电池股份有限公司", hq_region="浙江省", industry_code="C3841", main_products="锂电池")]
    out = rank(Assigner(cat), gaps, targets)
    assert [(t["name"], t["link"]) for t in out] == [("东部正极材料股份有限公司", "X2"), ("西部材料有限公司", "X2")]
    top = out[0]
    assert top["score"] == pytest.approx(1.1 + 0.3 + 0.2)
    assert top["why"][1] == "中国企业500强（2025年第210位）（+0.30）"
    assert top["why"][2] == "总部在东部地区（江苏省），属承接产业转移来源（+0.20）"
    assert top["why"][0].startswith("环节匹配 1.10：行业代码 C3985")
    assert len(out[1]["why"]) == 1  # no list, not from the east or centre: the fit alone
