import pytest

from jingkai.engines.chains import Assigner, Enterprise, parse, shipped
from jingkai.engines.chains.tests.test_catalogue import MINIMAL


@pytest.fixture(scope="module")
def assigner():
    return Assigner(shipped()["gansu-key-chains"])


def links(assigner, *args):
    return [m.link for m in assigner.assign(Enterprise("9162", *args))]


def test_industry_code_prefix_alone_places_a_precise_code(assigner):
    [m] = assigner.assign(Enterprise("1", "甘肃某某有限公司", "C3213", ""))
    assert (m.link, m.score, m.code_prefix) == ("GS-NFM-02", 0.5, "C3213")
    assert m.why == ("行业代码 C3213 属本环节代码 C3213（+0.50）",)


def test_product_words_place_and_are_named(assigner):
    [m] = assigner.assign(Enterprise("2", "兰州某某食品有限公司", "C1399", "马铃薯淀粉、粉条"))
    assert m.link == "GS-AGRI-03" and m.code_prefix is None
    assert "“粉条”“马铃薯淀粉”" in m.why[0] and "BM25" in m.why[0]


def test_code_and_words_together_rank_first(assigner):
    matches = assigner.assign(Enterprise("3", "甘肃某某新能源有限公司", "C3841", "磷酸铁锂储能电池、动力电池电芯"))
    assert matches[0].link == "GS-NE-03" and matches[0].score > 1
    assert any("储能电池" in w for w in matches[0].why)


def test_no_forced_link(assigner):
    assert links(assigner, "兰州某某物流有限公司", "G5431", "普通货物道路运输、仓储") == []
    # a division-level code (C38 电气机械) without product words is not enough; with a product word it is
    division = Assigner(parse(MINIMAL))
    assert division.assign(Enterprise("6", "甘肃某某照明有限公司", "C3872", "LED灯具")) == []
    [m] = division.assign(Enterprise("6", "甘肃某某储能有限公司", "C3872", "储能系统集成"))
    assert m.link == "X2" and m.score == 0.85 and m.code_prefix == "C38"
    # a trader (批发零售 F51/F52) is not placed by its product words alone
    [m] = assigner.candidates(Enterprise("7", "兰州某某钢材贸易有限公司", "F5164", "钢材批发"))
    assert m.score == 0 and m.why == ("主营产品含“钢材”，但批发零售企业仅凭产品词不归链（+0.00）",)
    # nothing at all
    assert links(assigner, "", "", "") == []


def test_weak_evidence_is_cut_relative_to_best(assigner):
    # C3985 alone reaches three links; product words pick the one that fits
    assert links(assigner, "某某电子材料有限公司", "C3985", "") == ["GS-NM-01", "GS-NM-03", "GS-EI-03"]
    assert links(assigner, "某某电子材料有限公司", "C3985", "溅射靶材、电子浆料")[:2] == ["GS-NM-03", "GS-EI-03"]
    assert "GS-NM-01" not in links(assigner, "某某电子材料有限公司", "C3985", "溅射靶材、电子浆料")


def test_uncached_path_gives_the_same_result(assigner):
    naive = Assigner(assigner.catalogue, cached=False)
    for e in [Enterprise("4", "金川某某镍业有限公司", "C3213", "电解镍、硫酸镍"),
              Enterprise("5", "某某软件有限公司", "I6513", "智慧园区管理系统软件开发")]:
        assert naive.assign(e) == assigner.assign(e)
