from pathlib import Path

import pytest

from jingkai.engines.chains import CatalogueError, parse, shipped

MINIMAL = """
chains:
  - code: X
    name: 示例链
    links:
      - {code: X1, name: 上游环节, stage: 上游, industry_codes: [C3841], keywords: [锂电池]}
      - {code: X2, name: 下游环节, stage: 下游, industry_codes: C38, keywords: 储能系统、储能电站, key: true, parent: X1, supplies: [X1]}
"""
GBT4754 = Path(__file__).parents[3] / "enterprises" / "data" / "gbt4754_2017.csv"


def test_minimal_shape_accepted_as_is():
    cat = parse(MINIMAL)
    assert [c.code for c in cat.chains] == ["X"]
    x2 = cat.links["X2"]
    assert x2.industry_codes == ("C38",) and x2.keywords == ("储能系统", "储能电站") and x2.key and x2.parent == "X1"
    assert cat.chain("X").key_links == (x2,)  # completeness counts the key link only
    assert not cat.confirmed and "未经官方确认" in cat.label
    assert cat.params["assignment"]["min_score"] == 0.5  # defaults merged


def test_errors_name_chain_link_and_field():
    bad = MINIMAL.replace("stage: 下游", "stage: 末端").replace("[C3841]", "[X999]").replace("supplies: [X1]",
                                                                                              "supplies: [Y9]")
    with pytest.raises(CatalogueError) as err:
        parse(bad.replace("name: 上游环节, ", ""))
    text = str(err.value)
    assert "产业链 X环节 X1：缺少字段 name" in text
    assert "产业链 X环节 X2：字段 stage 应为 上游、中游 或 下游，实为 末端" in text
    with pytest.raises(CatalogueError, match="X999 不是 GB/T 4754-2017 代码"):
        parse(bad)
    with pytest.raises(CatalogueError, match="supplies 指向目录中没有的环节 Y9"):
        parse(MINIMAL.replace("supplies: [X1]", "supplies: [Y9]"))
    with pytest.raises(CatalogueError, match="缺少 chains"):
        parse("title: 空")


def test_shipped_catalogues_gansu_14_and_lanzhou_4_plus_11():
    cats = shipped()
    gansu, lanzhou = cats["gansu-key-chains"], cats["lanzhou-chains"]
    assert len(gansu.chains) == 14 and not gansu.confirmed and "待省工信厅确认" in gansu.label
    assert [c.group for c in lanzhou.chains].count("优势链") == 4 and [c.group for c in lanzhou.chains].count("支柱链") == 11
    for cat in (gansu, lanzhou):
        assert cat.provenance["document"] and cat.provenance["unverified"]
        assert all(c.links for c in cat.chains)


def test_shipped_codes_exist_in_gbt4754_2017():
    codes = {line.split(",")[0] for line in GBT4754.read_text(encoding="utf-8").splitlines()[1:]}
    unknown = [(link.code, ic) for cat in shipped().values() for link in cat.links.values()
               for ic in link.industry_codes if ic not in codes]
    assert unknown == []
