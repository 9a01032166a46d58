"""Official point tables at every band edge (以上/以下 含本数; 超过/不足 不含)."""

import pytest

from jingkai.engines.rules import evaluate, select

from .conftest import ON, frame

INNOVATIVE = select("sme-innovative-2022")
SPECIALIZED = select("sme-specialized-2022")


def points(rs, code, **cols):
    cols.setdefault("uscc", "X")
    return evaluate(rs, frame(**cols), ON)[f"pt:{code}"].to_list()


@pytest.mark.parametrize("rd,expected", [
    (50, 20), (49.99, 15), (30, 15), (29.99, 10), (20, 10), (19.99, 5), (10, 5), (9.99, 0), (0, 0),
])
def test_innovative_rd_ratio_edges(rd, expected):
    assert points(INNOVATIVE, "rd_ratio", revenue=1000.0, rd_expense=rd) == [expected]


@pytest.mark.parametrize("main,expected", [
    (1150, 20), (1149.9, 15), (1100, 15), (1099.9, 10), (1050, 10), (1049.9, 5), (1000, 5), (999.9, 0),
])
def test_innovative_growth_edges_without_float_noise(main, expected):
    # 1150/1000 - 1 = 0.1499999999999999 in binary floating point: it must count as 15%
    assert 1150 / 1000 - 1 < 0.15
    assert points(INNOVATIVE, "main_growth", main_revenue=float(main), main_revenue_prev=1000.0) == [expected]


@pytest.mark.parametrize("liab,expected", [(55, 10), (55.01, 5), (75, 5), (75.01, 0)])
def test_innovative_debt_ratio_edges(liab, expected):
    assert points(INNOVATIVE, "debt_ratio", total_liabilities=liab, total_assets=100.0) == [expected]


@pytest.mark.parametrize("main,expected", [(70, 20), (69.99, 15), (60, 15), (55, 10), (50, 5), (49.99, 0)])
def test_innovative_main_share_edges(main, expected):
    assert points(INNOVATIVE, "main_share", main_revenue=float(main), revenue=100.0) == [expected]


def test_innovative_ip_tiers():
    got = points(INNOVATIVE, "ip", uscc=list("abcde"), ip_class1_high_value=[1, 0, 0, 0, 0],
                 ip_class1_self=[1, 1, 0, 0, 0], ip_class1=[1, 1, 1, 0, 0], ip_class2=[0, 0, 0, 1, 0])
    assert got == [20, 15, 10, 5, 0]


@pytest.mark.parametrize("liab,expected", [(50, 5), (50.01, 3), (60, 3), (60.01, 1), (69.99, 1), (70, 0)])
def test_specialized_debt_ratio_edges(liab, expected):
    assert points(SPECIALIZED, "debt_ratio", total_liabilities=liab, total_assets=100.0) == [expected]


@pytest.mark.parametrize("profit,expected", [(10, 10), (9.99, 8), (8, 8), (6, 6), (4, 4), (2, 2), (1.99, 0)])
def test_specialized_net_margin_edges(profit, expected):
    assert points(SPECIALIZED, "net_margin", net_profit=profit, revenue=100.0) == [expected]


@pytest.mark.parametrize("years,expected", [(1.9, 0), (2, 1), (4, 2), (9.9, 4), (10, 5), (30, 5)])
def test_specialized_niche_years_step(years, expected):
    assert points(SPECIALIZED, "niche_years_pts", years_in_niche=years) == [expected]


@pytest.mark.parametrize("rd,rev,expected", [(500, 1e5, 10), (499, 1e5, 8), (100, 1e5, 2), (99, 1e5, 0),
                                             (50, 500, 10), (15, 500, 2), (14.9, 500, 0)])
def test_specialized_rd_input_total_or_ratio(rd, rev, expected):
    assert points(SPECIALIZED, "rd_input", rd_expense=float(rd), revenue=float(rev)) == [expected]


@pytest.mark.parametrize("share,expected", [(0.8, 5), (0.7999, 3), (0.7, 3), (0.6, 1), (0.5999, 0)])
def test_specialized_main_share_edges(share, expected):
    assert points(SPECIALIZED, "main_share", main_revenue=share * 1000, revenue=1000.0) == [expected]


def test_specialized_conditions_at_edges():
    df = frame(uscc=["ok", "low_rd", "low_ratio", "small_rev_equity", "small_rev"],
               rd_expense=[100.0, 99.99, 100.0, 100.0, 100.0],
               revenue=[3333.0, 3333.0, 3334.0, 999.0, 999.0], equity_financing_2y=[0.0, 0, 0, 2000, 1999])
    out = evaluate(SPECIALIZED, df, ON)
    assert out["ok:rd_expense"].to_list() == [True, False, True, True, True]
    assert out["ok:rd_ratio_min"].to_list() == [True, True, False, True, True]
    assert out["ok:revenue"].to_list() == [True, True, True, True, False]


SIZE = select("enterprise-size")


@pytest.mark.parametrize("industry,emp,rev,assets,expected", [
    ("C3841", 1000, 40000, None, "large"), ("C3841", 999, 40000, None, "medium"),
    ("C3841", 300, 2000, None, "medium"), ("C3841", 299, 2000, None, "small"), ("C3841", 300, 1999, None, "small"),
    ("C3841", 20, 300, None, "small"), ("C3841", 19, 300, None, "micro"), ("C3841", 20, 299, None, "micro"),
    ("I6510", 100, 1000, None, "medium"), ("I6510", 10, 50, None, "small"), ("I6510", 10, 49, None, "micro"),
    ("F5211", 50, 500, None, "medium"), ("F5123", 20, 5000, None, "medium"),
    ("E4710", 10, 6000, 5000, "medium"), ("E4710", 10, 6000, 4999, "small"),
    ("L7211", 100, 0, 8000, "medium"), ("M7310", 100, None, None, "medium"), ("C3841", None, 500, None, None),
])
def test_size_class_300(industry, emp, rev, assets, expected):
    df = frame(uscc="X", industry_code=industry, employees=[emp], revenue=[rev], total_assets=[assets])
    assert evaluate(SIZE, df, ON)["class"].to_list() == [expected]
