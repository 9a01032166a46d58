"""The explanations computed on columns (`Explainer.flat`, `Explainer.gaps_of`) are those of the row-by-row
explanation (`Explainer.result`, `Explainer.gaps`): the same gaps, the same flat table, on random data and on
the worked examples, for every rule set."""

import io

import numpy as np
import polars as pl
import pytest

from jingkai.engines.rules import Explainer, evaluate, registry

from .conftest import ON, frame

HONORS = ["", "own_brand", "sci_award_provincial", "six_basics;own_brand", "maker_china_500"]
TAGS = ["", "innovative_sme@2024-01-01/2026-12-31", "high_tech_enterprise", "specialized_sme@2020-01-01/2024-12-31"]


def random_frame(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)

    def money(scale: float, miss: float = 0.05) -> np.ndarray:
        v = rng.lognormal(np.log(scale), 1.0, n)
        v[rng.random(n) < miss] = np.nan  # NaN counts as missing
        return v
    revenue = money(3000)
    return pl.DataFrame({
        "uscc": [f"U{i:06d}" for i in range(n)], "year": np.full(n, 2024),
        "zone_code": rng.choice(["GS-A", "GS-B", "GS-C"], n),
        "industry_code": rng.choice(["C3841", "C2614", "D4411", "I6510", "B0610"], n),
        "established": [f"{y}-06-01" for y in rng.integers(2000, 2024, n)],
        "above_scale": rng.random(n) < 0.6, "employees": rng.integers(3, 3000, n).astype(float),
        "rd_staff": rng.integers(0, 300, n).astype(float), "revenue": revenue,
        "revenue_prev": revenue * rng.uniform(0.7, 1.2, n), "main_revenue": revenue * rng.uniform(0.4, 1.0, n),
        "main_revenue_prev": revenue * rng.uniform(0.5, 1.0, n), "main_revenue_prev2": revenue * rng.uniform(0.4, 1.0, n),
        "net_profit": revenue * rng.normal(0.05, 0.08, n), "total_assets": money(5000), "total_liabilities": money(2500),
        "tax_paid": money(150), "value_added": money(1000), "rd_expense": money(120), "rd_expense_prev": money(110),
        "land_area_mu": money(40), "energy_tce_equivalent": money(800), "electricity_mwh": money(2000),
        "pollutant_emissions_t": money(2, miss=0.3), "exports": money(200, miss=0.5),
        "equity_financing_2y": money(300, miss=0.5), "equity_financing_3y": money(400, miss=0.5),
        "ip_class1": rng.poisson(1.5, n), "ip_class1_self": rng.poisson(0.8, n),
        "ip_class1_high_value": rng.poisson(0.2, n), "ip_class2": rng.poisson(3, n),
        "strategic_emerging": rng.random(n) < 0.3, "years_in_niche": rng.uniform(0, 15, n),
        "niche_market_share": rng.uniform(0, 0.3, n), "digital_level": rng.integers(0, 5, n),
        "quality_items": rng.integers(0, 5, n),
        "rd_institution_level": rng.choice(["none", "below_city", "city", "provincial", "national"], n),
        "credit_class": rng.choice(["A", "B", "C", "D"], n),
        "honors": pl.Series(rng.choice(HONORS, n)).str.split(";"),
        "tags": pl.Series(rng.choice(TAGS, n)).str.split(";"),
    })


WORKED = [  # the worked examples of test_programmes
    frame(uscc="G", revenue=5000.0, rd_expense=105.0, years_in_niche=5.0, size_class="small"),
    frame(uscc="S", size_class="small", revenue=1000.0, rd_expense=25.0, main_revenue=600.0,
          main_revenue_prev=700.0, total_liabilities=50.0, total_assets=100.0, ip_class1=1,
          strategic_emerging=True, rd_institution_level="none", equity_financing_3y=0.0),
]


def flattened(ex: Explainer, table: pl.DataFrame) -> pl.DataFrame:
    """The flat table from the row-by-row explanation, as `jingkai assess --format csv` wrote it before."""
    rows = []
    for r in (ex.result(row) for row in table.iter_rows(named=True)):
        row = {"uscc": r["uscc"], "year": r["year"], "eligible": r["eligible"], "score": r["score"], "class": r["class"]}
        if "stage" in r:
            row["stage"] = r["stage"]
        for c in r["criteria"]:
            row[c["code"]] = c["points"] if c["points"] is not None else c["passed"]
        row["gap"] = "；".join(g["text"] for g in r["gap"])
        rows.append(row)
    return pl.from_dicts(rows, infer_schema_length=None)


def csv(df: pl.DataFrame) -> str:
    buf = io.StringIO()
    df.write_csv(buf)
    return buf.getvalue()


@pytest.mark.parametrize("ruleset", sorted(registry()))
@pytest.mark.parametrize("data", ["random", "worked"])
def test_columns_give_the_row_by_row_explanation(ruleset, data):
    rs = registry()[ruleset]
    ex = Explainer(rs)
    frames = [random_frame(1500, seed=len(ruleset))] if data == "random" else WORKED
    for df in frames:
        if "year" not in df.columns:
            df = df.with_columns(year=pl.lit(2024))
        table = evaluate(rs, df, ON)
        rows = list(table.iter_rows(named=True))
        assert ex.gaps_of(table) == [ex.gaps(r) for r in rows]
        old, new = flattened(ex, table), ex.flat(table)
        assert new.columns == old.columns
        assert csv(new) == csv(old)
        assert {c["code"]: c["rule"] for c in ex.result(rows[0])["criteria"]}.items() <= ex.rules().items()


def test_random_data_has_every_kind_of_gap():
    """The comparison above is not vacuous: score gaps, condition gaps and unreachable scores all occur."""
    rs = registry()["sme-innovative-2022"]
    ex = Explainer(rs)
    gaps = ex.gaps_of(evaluate(rs, random_frame(1500, seed=3), ON))
    texts = [g["text"] for r in gaps for g in r]
    assert any("分）" in t for t in texts) and any(t.startswith("需满足") for t in texts)
    assert sum(1 for r in gaps if r) > 100
