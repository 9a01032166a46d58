"""The catalogue against the policy text: exact titles, verbatim items that cover every measure's body."""

import copy
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from jingkai.measures.catalogue import (
    DATA_FILE,
    check_against_policy,
    chinese_numeral,
    full_width,
    load_catalogue,
    parse_catalogue,
    parse_policy,
)

PARTS = ["因地制宜发展新质生产力", "提升开放型经济水平", "深化管理制度改革", "强化要素保障"]
MEASURES = [  # (part no, title), as the policy words them
    (1, "提升创新策源能力"), (1, "夯实制造业高质量发展基础"), (1, "促进数字经济与实体经济深度融合"),
    (1, "打造安全稳固产业链供应链"), (1, "有序推动产业承接合作和梯度转移"),
    (2, "提高利用外资质量"), (2, "助力打造“投资中国”品牌"), (2, "推动外贸多元创新发展"), (2, "加强开放平台功能"),
    (3, "优化体制机制"), (3, "提高管理效能"), (3, "打造营商环境高地"),
    (4, "提升土地资源利用效率"), (4, "支持绿色低碳发展"), (4, "加大招才引智力度"), (4, "加强财政金融支持"),
]
# Items whose kind is not literally in the text: 用足…政策 counts as 落实, 实行 as 实施.
KIND_NOT_IN_TEXT = {"10.3", "10.5", "11.3"}


@pytest.fixture(scope="module")
def policy_text() -> str:
    path = Path(settings.SHARED_DIR) / "policy" / "gansu-etdz-measures-2025.txt"
    if not path.exists():
        pytest.skip(f"政策原文不在 {path}（shared/ 未挂载）")
    return full_width(path.read_text(encoding="utf-8"))  # the reprint's ASCII , ( ) as a 公文 writes them


@pytest.fixture(scope="module")
def policy(policy_text) -> dict:
    return parse_policy(policy_text)


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def raw_catalogue() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


def test_four_parts_and_sixteen_measures_with_the_policys_titles(catalogue, policy):
    assert [p.title for p in catalogue.parts] == PARTS == [p["title"] for p in policy["parts"]]
    assert [(p.no, m.title) for p in catalogue.parts for m in p.measures] == MEASURES
    assert [(p["no"], m["title"]) for p in policy["parts"] for m in p["measures"]] == MEASURES
    assert [m.no for m in catalogue.measures] == list(range(1, 17))
    assert [m.label for m in catalogue.measures][9:] == ["（十）", "（十一）", "（十二）", "（十三）", "（十四）", "（十五）", "（十六）"]


def test_every_item_stands_verbatim_in_its_measure(catalogue, policy, policy_text):
    bodies = [m["body"] for p in policy["parts"] for m in p["measures"]]
    for measure, body in zip(catalogue.measures, bodies, strict=True):
        for item in measure.items:
            assert item.text in body, item.code
            assert item.text in policy_text, item.code


def test_items_in_order_reproduce_each_measures_body_exactly(catalogue, policy):
    bodies = [m["body"] for p in policy["parts"] for m in p["measures"]]
    for measure, body in zip(catalogue.measures, bodies, strict=True):
        assert "".join(item.text for item in measure.items) == body, measure.label
        assert measure.body == body


def test_title_preamble_and_closing_verbatim(catalogue, policy):
    assert catalogue.title == policy["title"]
    assert catalogue.preamble == policy["preamble"]
    assert catalogue.closing == policy["closing"]
    assert catalogue.closing.startswith("园区所在地政府要压实主体责任")


def test_check_against_policy_finds_nothing_on_the_real_text(catalogue, policy_text):
    assert check_against_policy(catalogue, policy_text) == []


def test_check_against_policy_reports_a_changed_body_and_title(catalogue, policy_text):
    changed = policy_text.replace("优先将新兴产业领域外资项目", "优先将新兴产业外资项目")
    problems = check_against_policy(catalogue, changed)
    assert "条目 6.1 的内容不是措施（六）原文的一部分" in problems
    assert "措施（六）各条目依次连接后与原文正文不一致" in problems
    assert len(problems) == 2
    retitled = policy_text.replace("（十三）提升土地资源利用效率。", "（十三）提升土地利用效率。")
    assert check_against_policy(catalogue, retitled) == ["措施（十三）标题“提升土地资源利用效率”与原文“提升土地利用效率”不一致"]


def test_check_against_policy_reports_a_missing_sentence(catalogue, policy_text):
    shortened = policy_text.replace("支持区内企业专业技术人员申报职称。", "")
    problems = check_against_policy(catalogue, shortened)
    assert problems == ["条目 15.5 的内容不是措施（十五）原文的一部分", "措施（十五）各条目依次连接后与原文正文不一致"]


def test_parse_policy_rejects_numbering_out_of_sequence(policy_text):
    with pytest.raises(ValueError, match="措施编号不连续"):
        parse_policy(policy_text.replace("（七）助力", "（八）助力"))
    with pytest.raises(ValueError, match="部分编号不连续"):
        parse_policy(policy_text.replace("三、深化管理制度改革", "四、深化管理制度改革"))


def test_item_codes_and_kinds(catalogue):
    assert len(catalogue.items) == sum(len(m.items) for m in catalogue.measures) >= 16 * 3
    for measure in catalogue.measures:
        assert [i.code for i in measure.items] == [f"{measure.no}.{n}" for n in range(1, len(measure.items) + 1)]
        for item in measure.items:
            assert item.kind in catalogue.kinds
            assert (item.kind in item.text) != (item.code in KIND_NOT_IN_TEXT), item.code
            assert item.text[-1] in "，。", item.code


def test_one_item_per_commitment_where_a_sentence_holds_several(catalogue):
    first = catalogue.measures[0].items
    assert [i.text for i in first[:3]] == [
        "支持区内企业申建制造业创新中心、企业技术中心等科创平台，",
        "指导高校、科研单位参与国家和地方科技计划项目申报，",
        "持续开展工业互联网一体化“百城千园行”活动。",
    ]
    assert [i.kind for i in first[:3]] == ["支持", "指导", "开展"]
    tenth = catalogue.measures[9].items
    assert tenth[0].text == "出台《甘肃省开发区条例》。" and tenth[0].kind == "出台"


def test_default_mapping_examples_from_the_issue(catalogue):
    measures = catalogue.measures
    def union(no, field):
        return {value for item in measures[no - 1].items for value in getattr(item, field)}
    assert "high_tech_enterprises" in union(1, "indicators")
    assert all("fdi_actual_usd" in item.indicators for item in measures[5].items)
    assert {"evaluation", "monitoring"} <= union(10, "capabilities")
    assert {"mujun", "standard_land"} <= union(13, "capabilities")
    assert "innovation_points" in union(16, "capabilities")
    assert all(item.zones == ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY") for item in catalogue.items)
    assert all(item.lead for item in catalogue.items)
    assert "默认" in catalogue.mapping_note and "非官方" in catalogue.mapping_note


def test_indicator_keys_are_in_the_projects_indicator_catalogue(catalogue):
    path = Path(__file__).resolve().parents[2] / "zones" / "data" / "indicators.yaml"
    keys = {row["key"] for row in yaml.safe_load(path.read_text(encoding="utf-8"))}
    used = {key for item in catalogue.items for key in item.indicators}
    assert used and used <= keys, used - keys


def test_department_codes_agree_with_the_org_units_that_exist(catalogue):
    path = Path(__file__).resolve().parents[2] / "accounts" / "data" / "org_units.yaml"
    org_codes = {unit["code"] for unit in yaml.safe_load(path.read_text(encoding="utf-8"))}
    codes = [d["code"] for d in catalogue.departments.values()]
    assert len(codes) == len(set(codes))
    assert {"province", "dept-fgw", "dept-gxt", "dept-kjt", "dept-swj"} <= org_codes & set(codes)
    assert catalogue.departments["省商务厅"]["code"] == "province"


def test_loader_rejects_inconsistent_data():
    raw = raw_catalogue()
    bad = copy.deepcopy(raw)
    item = bad["parts"][0]["measures"][0]["items"][0]
    item["lead"] = ["省不存在厅"]
    item["kind"] = "研究"
    item["code"] = "1.9"
    bad["parts"][1]["measures"][0]["items"][0]["zones"] = ["GS-XX"]
    with pytest.raises(ValueError) as error:
        parse_catalogue(bad)
    message = str(error.value)
    assert "条目 1.9：编号应为 1.1" in message
    assert "单位“省不存在厅”未在 departments 中声明" in message
    assert "承诺类型“研究”未在 kinds 中声明" in message
    assert "园区代码“GS-XX”不在 default_zones 中" in message
    assert parse_catalogue(raw).items[0].code == "1.1"


def test_item_zones_override_the_default():
    raw = raw_catalogue()
    raw["parts"][0]["measures"][0]["items"][0]["zones"] = ["GS-ZY"]
    catalogue = parse_catalogue(raw)
    assert catalogue.items[0].zones == ("GS-ZY",)
    assert catalogue.items[1].zones == ("GS-LZ", "GS-JC", "GS-TS", "GS-ZY")


@pytest.mark.parametrize(("n", "numeral"), [(1, "一"), (9, "九"), (10, "十"), (11, "十一"), (16, "十六"),
                                           (20, "二十"), (21, "二十一"), (99, "九十九")])
def test_chinese_numeral(n, numeral):
    assert chinese_numeral(n) == numeral


@pytest.mark.parametrize("n", [0, 100])
def test_chinese_numeral_out_of_range(n):
    with pytest.raises(ValueError):
        chinese_numeral(n)


def test_texts_use_full_width_punctuation_and_one_name_per_unit(catalogue):
    """The 任务分工表 is a 公文: no ASCII , ( ) : ; in any text, and a unit is named as its org unit is named
    (省工业和信息化厅 in the table and in the 督办 register, not 省工信厅 in one and the other in the other)."""
    import yaml

    texts = [catalogue.title, catalogue.preamble, catalogue.closing, catalogue.mapping_note]
    texts += [p.title for p in catalogue.parts] + [m.title for m in catalogue.measures]
    texts += [i.text for i in catalogue.items] + [m.label for m in catalogue.measures]
    half = [t for t in texts if any(c in t for c in ",();:")]
    assert half == []
    assert catalogue.measures[0].label == "（一）"
    units = yaml.safe_load((Path(settings.BASE_DIR) / "accounts" / "data" / "org_units.yaml")
                           .read_text(encoding="utf-8"))
    org_names = {u["code"]: u["name"] for u in units}
    named = {d["code"]: name for name, d in catalogue.departments.items()}
    assert {c: n for c, n in named.items() if c in org_names and c != "province" and org_names[c] != n} == {}
    used = {n for i in catalogue.items for n in i.lead + i.cooperating}
    assert used <= set(catalogue.departments) and "省工信厅" not in used
