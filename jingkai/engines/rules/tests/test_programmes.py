"""黄岩 2022 formula, percentile classes, cohort benchmarks, versions by date, prerequisites, gaps."""

import datetime as dt
import random

import polars as pl
import pytest

from jingkai.engines.rules import RuleError, assess, evaluate, parse, registry, select

from .conftest import ON, frame

HUANGYAN = select("mujun-huangyan-2022")


def test_huangyan_2022_formula_on_worked_numbers():
    # 规上 A: every indicator at 1.5× its benchmark except emissions (missing) -> 1.5×90 + mean emission score
    # 规上 B: every indicator at 1×, emissions at 2× -> 100 + 10;  规下 C: 2× on both -> 200
    df = frame(
        uscc=["A", "B", "C"], zone_code="HY", year=2022, above_scale=[True, True, False],
        land_area_mu=[10.0, 10.0, 10.0],
        tax_paid=[24.097 * 10 * 1.5, 240.97, 11.5932 * 10 * 2],
        value_added=[1361.6 * 1.5, 1361.6, 0.0],
        energy_tce_equivalent=[1361.6 / 2.694, 1361.6 / 2.694, None],
        pollutant_emissions_t=[None, 1361.6 / (4929.81 * 2), None],
        employees=[1361.6 / 18.14, 1361.6 / 18.14, 5.0],
        rd_expense=[0.0302 * 1.5 * 1000, 0.0302 * 1000, 0.0],
        main_revenue=[1000.0, 1000.0, 100.0],
        electricity_mwh=[None, None, (11.5932 * 10 * 2) * 10000 / (0.2352 * 2) / 1000],
    )
    out = {r["uscc"]: r for r in evaluate(HUANGYAN, df, ON).iter_rows(named=True)}
    a_expected = (24.097 * 1.5 / 24.097 * 30 + 136.16 * 1.5 / 136.16 * 20 + 1.5 * 20
                  + 20.0  # 无排放数据：按规上企业该项平均得分（只有 B 有数据，得 2×10）
                  + 1.5 * 10 + 1.5 * 10)
    assert out["A"]["pt:va_per_emission"] == pytest.approx(20.0)
    assert out["A"]["score"] == pytest.approx(a_expected)
    assert out["B"]["score"] == pytest.approx(30 + 20 + 20 + 20 + 10 + 10)
    assert out["C"]["score"] == pytest.approx(200.0)
    assert out["C"]["segment"] == "below" and out["A"]["segment"] == "above"


CLASSES = """
id: t-classes
program: t
title: 测试
kind: score
provenance: {document: 测试, issued: 2024-01-01, effective_from: 2024-01-01, url: x}
score:
  items: [{code: s, formula: x}]
classes:
  by: [zone_code]
  exempt: "has(honors, 'exempt')"
  bands: [{class: A, top: 0.2}, {class: B, top: 0.6}, {class: C, top: 0.95}, {class: D, top: 1.0}]
"""


def classes(scores, honors=None, zone="Z"):
    n = len(scores)
    df = frame(uscc=[str(i) for i in range(n)], zone_code=zone, x=scores, honors=honors or [""] * n)
    return evaluate(parse(CLASSES), df, ON)["class"].to_list()


def test_percentile_classes_20_40_35_5():
    got = classes([float(20 - i) for i in range(20)])  # 20 distinct scores, best first
    assert got == ["A"] * 4 + ["B"] * 8 + ["C"] * 7 + ["D"]


def test_percentile_classes_ties_share_the_better_class():
    # positions 1..10; the 2nd and 3rd tie at the A/B edge (20%): both A
    got = classes([10.0, 9, 9, 7, 6, 5, 4, 3, 2, 1])
    assert got == ["A", "A", "A", "B", "B", "B", "C", "C", "C", "D"]


def test_percentile_classes_exemptions_are_t_and_leave_the_cohort():
    honors = ["exempt", "", "", "", "", "", "exempt"]
    got = classes([100.0, 5, 4, 3, 2, 1, None], honors)
    assert got[0] == "T" and got[6] == "T"
    assert got[1:6] == ["A", "B", "B", "C", "D"]  # n = 5 ranked: positions 0.2, 0.4, 0.6, 0.8, 1.0


COHORT = """
id: t-cohort
program: t2
title: 测试
kind: score
provenance: {document: 测试, issued: 2024-01-01, effective_from: 2024-01-01, url: x}
cohort_by: [zone_code]
score:
  items:
    - {code: mean2, value: x, benchmark: {stat: mean, k: 2}, weight: 10}
    - {code: median, value: x, benchmark: {stat: quantile, q: 0.5}, weight: 10}
    - {code: mm, value: x, minmax: {floor: 20}, weight: 50}
"""


def test_cohort_benchmarks_and_min_max_with_floor():
    df = frame(uscc=list("abcd"), zone_code=["Z", "Z", "Z", "Y"], x=[1.0, 2.0, 6.0, 5.0])
    out = evaluate(parse(COHORT), df, ON)
    assert out["pt:mean2"].to_list() == pytest.approx([10 / 6, 20 / 6, 60 / 6, 5.0])  # 2 × mean 3 = 6
    assert out["pt:median"].to_list() == pytest.approx([5.0, 10.0, 30.0, 10.0])
    # 单项得分 = 权重 × [20 + 80 × (x − min)/(max − min)] / 100; a cohort of one gets the full weight
    assert out["pt:mm"].to_list() == pytest.approx([10.0, 10 + 40 * 0.2, 50.0, 50.0])


def test_gansu_classes_by_zone_with_t_for_utilities():
    n = 40
    df = frame(uscc=[f"E{i}" for i in range(n)], zone_code=["GS-LZ"] * 20 + ["GS-JC"] * 20, year=2024,
               above_scale=False, industry_code=["D4411"] + ["C3841"] * 39, established="2010-01-01",
               land_area_mu=10.0, tax_paid=[float(i + 1) for i in range(n)], electricity_mwh=100.0)
    out = evaluate(select("mujun-gansu", ON), df, ON)
    lz = out.filter(out["zone_code"] == "GS-LZ")
    assert lz["class"][0] == "T"
    counts = lz["class"].value_counts().sort("class").rows()
    assert counts == [("A", 3), ("B", 8), ("C", 7), ("D", 1), ("T", 1)]  # 19 ranked: 0.2→3, 0.6→11, 0.95→18
    jc = out.filter(out["zone_code"] == "GS-JC")
    assert jc.sort("tax_paid")["class"].to_list()[-1] == "A" and jc.sort("tax_paid")["class"][0] == "D"


@pytest.mark.parametrize("program,day,expected", [
    ("sme-specialized", dt.date(2026, 3, 31), "sme-specialized-2022"),
    ("sme-specialized", dt.date(2026, 4, 1), "sme-specialized-2026"),
    ("little-giant", dt.date(2023, 1, 1), "little-giant-2022"),
    ("little-giant", dt.date(2027, 1, 1), "little-giant-2026"),
    ("sme-innovative", dt.date(2026, 6, 1), "sme-innovative-2022"),
    ("little-giant-2022", dt.date(2027, 1, 1), "little-giant-2022"),  # a named version wins
])
def test_version_in_force_on_date(program, day, expected):
    assert select(program, day).id == expected


def test_no_version_in_force_or_unknown_programme():
    with pytest.raises(RuleError):
        select("sme-specialized", dt.date(2021, 1, 1))
    with pytest.raises(RuleError):
        select("no-such-programme")


def test_prerequisite_tag_valid_on_date_or_prior_result():
    rs = select("little-giant-2026")
    df = frame(uscc=["held", "expired", "none"],
               tags=["specialized_sme@2025-01-01/2027-12-31", "specialized_sme@2020-01-01/2025-12-31", ""])
    day = dt.date(2026, 6, 1)
    out = evaluate(rs, df, day)
    assert out["ok:prerequisite"].to_list() == [True, False, False]


def test_prerequisite_met_only_in_this_run_is_undecided():
    rs = select("sme-specialized-2026")
    df = frame(uscc=["a"], honors=["sci_award_provincial"], size_class="small")  # 创新型 by a direct route
    out = evaluate(rs, df, dt.date(2026, 6, 1))
    assert out["_prior__sme-innovative"].to_list() == [True]
    assert out["ok:prerequisite"].to_list() == [None]


def test_gap_names_the_smallest_changes():
    rs = select("sme-specialized-2022")
    df = frame(uscc="G", revenue=5000.0, rd_expense=105.0, years_in_niche=5.0, size_class="small")
    res = assess(rs, df, ON)["results"][0]
    assert res["eligible"] is False
    gap = {g["code"]: g for g in res["gap"]}
    g = gap["rd_ratio_min"]
    assert (g["from"], g["to"]) == (0.021, 0.03)
    assert g["delta"] == {"key": "rd_expense", "amount": 45.0, "unit": "万元"}
    assert "2.1% → 3.0%" in g["text"] and "45万元" in g["text"]


def test_score_gap_reaches_the_pass_mark():
    rs = select("sme-innovative-2022")
    df = frame(uscc="S", size_class="small", revenue=1000.0, rd_expense=25.0, main_revenue=600.0,
               main_revenue_prev=700.0, total_liabilities=50.0, total_assets=100.0, ip_class1=1,
               strategic_emerging=True, rd_institution_level="none", equity_financing_3y=0.0)
    res = assess(rs, df, ON)["results"][0]
    assert res["score"] == 10 + 10 + 0 + 10 + 10 + 15 and res["eligible"] is False
    gains = {g["code"]: int(g["text"].split("+")[1].split("分")[0]) for g in res["gap"]}
    assert res["score"] + sum(gains.values()) >= 60
    assert gains.get("main_growth", 0) >= 5  # 成长性 floor 15: only growth or debt items can close it
    assert gains["main_growth"] == 5 and res["gap"][0]["to"] == 0
    assert all(c["passed"] is not None for c in res["criteria"] if c["code"].startswith("floor:"))


def test_nan_counts_as_missing():
    rs = select("sme-innovative-2022")
    out = evaluate(rs, frame(uscc=["a"], rd_expense=[float("nan")], revenue=[100.0]), ON)
    assert out["v:rd_ratio"].to_list() == [None] and out["pt:rd_ratio"].to_list() == [None]


def test_row_by_row_python_gives_the_same_results():
    random.seed(7)
    n = 120

    def r(a, b):
        return [random.uniform(a, b) if random.random() > 0.1 else None for _ in range(n)]
    df = frame(uscc=[f"U{i}" for i in range(n)], zone_code=[random.choice(["A", "B"]) for _ in range(n)], year=2024,
               industry_code=[random.choice(["C3841", "B0610", "I6513"]) for _ in range(n)], employees=r(5, 900), revenue=r(100, 9000), rd_expense=r(0, 900),
               main_revenue=r(100, 9000), main_revenue_prev=r(100, 9000), total_liabilities=r(0, 900),
               total_assets=r(100, 1000), tax_paid=r(0, 100), value_added=r(0, 900), land_area_mu=r(1, 30),
               energy_tce_equivalent=r(1, 100), pollutant_emissions_t=r(0, 3), electricity_mwh=r(1, 100),
               above_scale=[random.random() > 0.3 for _ in range(n)], established="2015-06-01",
               honors=[random.choice(["", "sci_award_provincial"]) for _ in range(n)])
    df = df.with_columns(main_revenue_prev=pl.when(pl.col("zone_code") == "B").then(pl.col("main_revenue") * 1.5)
                         .otherwise(pl.col("main_revenue_prev")))  # zone B: growth averages below 0
    for rid in ("sme-innovative-2022", "mujun-gansu", "mujun-gansu-default-2", "innovation-points-provisional",
                "innovation-points-provisional-2"):
        rs = select(rid)
        fast, slow = evaluate(rs, df, ON), evaluate(rs, df, ON, backend="python")
        for col in ("score", "eligible", "class"):
            if col in fast.columns:
                a, b = fast[col].to_list(), slow[col].to_list()
                assert [x if not isinstance(x, float) else round(x, 9) for x in a] == \
                       [x if not isinstance(x, float) else round(x, 9) for x in b], (rid, col)


def mujun_frame(industries, land, tax):
    n = len(industries)
    return frame(uscc=[f"M{i}" for i in range(n)], zone_code="GS-LZ", year=2024, above_scale=False,
                 industry_code=industries, established="2010-01-01", land_area_mu=land, tax_paid=tax,
                 electricity_mwh=100.0)


def test_mujun_rates_industrial_enterprises_only():
    # 软件（I6513）、研究院（M7320）、资产管理（J6760）不是工业企业：不评分、不分类、不进同组平均
    industries = ["C3841", "B0610", "D4411", "I6513", "M7320", "J6760", "C2611"]
    df = mujun_frame(industries, [10.0] * 7, [10.0, 20.0, 30.0, 900.0, 800.0, 700.0, 40.0])
    rs = select("mujun-gansu", dt.date(2026, 12, 1))
    out = evaluate(rs, df, ON)
    assert out["in_scope"].to_list() == [True, True, True, False, False, False, True]
    assert out["score"].to_list()[3:6] == [None, None, None]
    assert out["class"].to_list()[3:6] == [None, None, None]
    industrial = evaluate(rs, df.filter(df["industry_code"].str.slice(0, 1).is_in(["B", "C", "D"])), ON)
    assert out.filter(out["in_scope"])["score"].to_list() == pytest.approx(industrial["score"].to_list())
    assert rs.spec["scope"]["sections"] == ["B", "C", "D"] and "平台默认" in rs.spec["scope"]["basis"]


def test_mujun_item_contribution_is_bounded_by_the_platform_default_cap():
    # 用地 0.01 亩的企业：亩均税收为同组平均的近5倍，单项按封顶2倍计，不再把总分拉到上千分
    df = mujun_frame(["C3841"] * 5, [0.01, 10.0, 10.0, 10.0, 10.0], [10.0, 10.0, 10.0, 10.0, 10.0])
    df = df.with_columns(tax_paid=pl.Series([10.0, 10.0, 10.0, 10.0, 10.0]), electricity_mwh=pl.Series(
        [100.0, 100.0, 100.0, 100.0, -50.0]))
    rs = select("mujun-gansu", dt.date(2026, 12, 1))
    out = evaluate(rs, df, ON)
    assert out["pt:tax_per_mu_below"][0] == pytest.approx(2 * 50)
    assert max(out["score"].to_list()) <= 200
    assert out["pt:tax_per_kwh"][4] == 0  # a negative ratio scores 0, not negative points
    assert rs.spec["score"]["item_bounds"]["cap"] == 2 and "平台默认" in rs.spec["score"]["item_bounds"]["basis"]


def test_mujun_revision_is_in_force_and_the_first_version_kept_for_its_stored_runs():
    assert select("mujun-gansu", ON).id == "mujun-gansu-default-2"  # same regime, issued later: the revision
    first = registry()["mujun-gansu"]  # stored runs name their file by id
    assert first.version == "default-1" and "scope" not in first.spec


def test_innovation_ratio_to_a_negative_mean_keeps_the_order():
    # 同组主营业务收入增长率平均约 −8%：旧算法 −10% 与 −25% 得满分、+10% 得0分
    df = frame(uscc=["lo", "mid", "hi"], zone_code="Z", year=2024, established="2015-01-01",
               main_revenue=[90.0, 75.0, 110.0], main_revenue_prev=100.0)
    rs = select("innovation-points", dt.date(2026, 12, 1))
    out = {r["uscc"]: r for r in evaluate(rs, df, ON).iter_rows(named=True)}
    assert out["mid"]["v:main_growth"] == pytest.approx(-0.25)
    lo, mid, hi = (out[k]["pt:main_growth"] for k in ("lo", "mid", "hi"))
    assert mid < lo < hi
    assert hi == pytest.approx(2 * 6) and mid == 0  # min–max: 0 … cap 2 × weight (稳定期 6)
    assert "最小—最大值" in rs.spec["score"]["benchmark_fallback"]["rule"]


def test_ratio_scoring_refuses_a_fixed_benchmark_not_above_zero():
    text = COHORT.replace("{code: mean2, value: x, benchmark: {stat: mean, k: 2}, weight: 10}",
                          "{code: fixed, value: x, benchmark: 0, weight: 10}")
    with pytest.raises(RuleError, match="基准值须大于0"):
        evaluate(parse(text), frame(uscc=["a"], zone_code="Z", x=[1.0]), ON)


def test_ratio_to_a_non_positive_mean_without_a_fallback_scores_nothing():
    df = frame(uscc=list("ab"), zone_code="Z", x=[-1.0, -3.0])
    out = evaluate(parse(COHORT), df, ON)
    assert out["pt:mean2"].to_list() == [None, None]


def test_specialized_2026_list_score_is_the_development_score():
    rs = select("sme-specialized", dt.date(2026, 12, 1))
    out = evaluate(rs, frame(uscc=["a", "b"], dev_score=[72.5, None], size_class="small"), dt.date(2026, 12, 1))
    assert out["score"].to_list() == [72.5, None]
