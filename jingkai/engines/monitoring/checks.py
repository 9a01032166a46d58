"""Data-quality rules on canonical zone data, run on every submission before review.

Each violation: {rule, severity (error|warning), zone_code, period, indicator, message (Chinese, naming
the values)}. A submission with errors cannot be approved; a warning needs a comment.

Rules (the rule key, then what it checks):
- value_added_exceeds_output (error): 规上工业增加值 ≤ 规上工业总产值 (equal is allowed).
- trade_sum_mismatch (error): 出口 + 进口 = 进出口 within a rounding tolerance.
- cumulative_decrease (error): a flow reported cumulative from January does not fall within a year
  (compared with the latest earlier period of the same year that has a value).
- missing (error): a (zone, period, indicator) expected by the reporting calendar has no value. A monthly
  report expects a quarterly indicator (地区生产总值) only in months 3, 6, 9, 12 and one reported 1—2月
  merged not in January (`catalogue.reported_in_month`).
- growth_outlier (warning): a growth rate far outside both the zone's own history (its other periods) and
  its peers' (the other zones in the same period): robust z = (g − median) / max(1.4826·MAD, min_scale)
  with leave-one-out median and MAD, beyond `z_threshold` for every comparison that has enough values.
- extreme_growth (warning): a 累计同比 or 当月同比 beyond ±`extreme_rate` (default ±100%: the value more
  than doubled on last year's, usually a tiny base); such a rate is flagged on the dashboard and kept out
  of the bulletin's 增速居前 sentence.

The tolerances and thresholds are Jingkai's working defaults, not official figures: configure them.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import polars as pl

from .catalogue import default_flows, label, reported_in_month, unit
from .derive import EXTREME_RATE, derive
from .frame import SERIES, canonical

SCHEMA = {"rule": pl.String, "severity": pl.String, "zone_code": pl.String, "period": pl.String,
          "indicator": pl.String, "message": pl.String}
_GROWTH_NAMES = {"yoy_cumulative": "累计同比", "yoy_month": "当月同比"}


@dataclass(frozen=True)
class CheckConfig:
    trade_abs_tol: float = 1.0  # 万元: exports and imports rounded to whole 万元 may miss the total by 1
    trade_rel_tol: float = 1e-4  # of the total, for figures converted from 亿元
    growth_field: str = "yoy_cumulative"  # or yoy_month
    z_threshold: float = 3.5  # Iglewicz & Hoaglin's usual cut-off for the robust (modified) z-score
    min_history: int = 4  # the zone's other periods needed to compare with its own history
    min_peers: int = 3  # other zones in the same period needed to compare with peers
    min_scale: float = 0.01  # floor of the spread (1 percentage point) so near-identical rates do not flag
    extreme_rate: float = EXTREME_RATE  # |rate| beyond this (1.0 = ±100%) is an extreme_growth warning


def _fmt(x: float) -> str:
    return f"{x:,.4f}".rstrip("0").rstrip(".")


def _pct(x: float) -> str:
    return f"{x * 100:.1f}%"


def _amount(x: float, indicator: str) -> str:
    u = unit(indicator)
    return f"{_fmt(x)}{u}" if u and u != "fraction" else _fmt(x)


def _pairs(df: pl.DataFrame, *indicators: str) -> pl.DataFrame:
    """One row per (zone, period) with a column per indicator, where all of them have a value."""
    out: pl.DataFrame | None = None
    for ind in indicators:
        part = df.filter((pl.col("indicator") == ind) & pl.col("value").is_not_null()).select(
            "zone_code", "period", pl.col("value").alias(ind))
        out = part if out is None else out.join(part, on=["zone_code", "period"], how="inner")
    return cast(pl.DataFrame, out)  # `indicators` is never empty


def _value_added(df: pl.DataFrame) -> list[dict[str, Any]]:
    bad = _pairs(df, "industrial_value_added", "industrial_output").filter(
        pl.col("industrial_value_added") > pl.col("industrial_output"))
    return [dict(rule="value_added_exceeds_output", severity="error", zone_code=r["zone_code"],
                 period=r["period"], indicator="industrial_value_added",
                 message=f"{label('industrial_value_added')}（{_amount(r['industrial_value_added'], 'industrial_value_added')}）"
                         f"大于{label('industrial_output')}（{_amount(r['industrial_output'], 'industrial_output')}），"
                         "增加值不应超过总产值")
            for r in bad.iter_rows(named=True)]


def _trade(df: pl.DataFrame, cfg: CheckConfig) -> list[dict[str, Any]]:
    gap = pl.col("exports") + pl.col("imports") - pl.col("trade_total")
    tol = pl.max_horizontal(pl.lit(cfg.trade_abs_tol), cfg.trade_rel_tol * pl.col("trade_total").abs())
    bad = _pairs(df, "exports", "imports", "trade_total").with_columns(gap.alias("gap"), tol.alias("tol")).filter(
        pl.col("gap").abs() > pl.col("tol"))
    return [dict(rule="trade_sum_mismatch", severity="error", zone_code=r["zone_code"], period=r["period"],
                 indicator="trade_total",
                 message=f"出口额（{_amount(r['exports'], 'exports')}）+ 进口额（{_amount(r['imports'], 'imports')}）"
                         f"= {_fmt(r['exports'] + r['imports'])}，与进出口总额（{_amount(r['trade_total'], 'trade_total')}）"
                         f"相差 {_fmt(abs(r['gap']))}，超出允许误差 {_fmt(r['tol'])}")
            for r in bad.iter_rows(named=True)]


def _cumulative(df: pl.DataFrame, flows: frozenset[str]) -> list[dict[str, Any]]:
    within_year = [*SERIES, "year"]
    bad = (
        df.filter(pl.col("indicator").is_in(list(flows)) & (pl.col("freq") != "year") & pl.col("value").is_not_null())
        .sort(*within_year, "seq")
        .with_columns(pl.col("value").shift(1).over(within_year).alias("prev"),
                      pl.col("period").shift(1).over(within_year).alias("prev_period"))
        .filter(pl.col("value") < pl.col("prev"))
    )
    return [dict(rule="cumulative_decrease", severity="error", zone_code=r["zone_code"], period=r["period"],
                 indicator=r["indicator"],
                 message=f"{label(r['indicator'])}{r['period']}累计值（{_amount(r['value'], r['indicator'])}）"
                         f"低于{r['prev_period']}累计值（{_amount(r['prev'], r['indicator'])}），按年累计的指标年内不应下降")
            for r in bad.iter_rows(named=True)]


def _completeness(df: pl.DataFrame, expected: pl.DataFrame | list[dict[str, Any]] | None) -> list[dict[str, Any]]:
    if expected is None:
        return []
    exp = expected if isinstance(expected, pl.DataFrame) else pl.DataFrame(expected)
    exp = exp.select(*(pl.col(c).cast(pl.String).str.strip_chars() for c in ("zone_code", "period", "indicator")))
    due = [not (len(p) == 7 and p[4] == "-" and p[5:].isdigit()) or reported_in_month(i, int(p[5:]))
           for p, i in exp.select("period", "indicator").iter_rows()]
    exp = exp.filter(pl.Series(due, dtype=pl.Boolean))
    have = df.select("zone_code", "period", "indicator", "value")
    gaps = exp.unique(maintain_order=True).join(have, on=["zone_code", "period", "indicator"], how="left").filter(
        pl.col("value").is_null())
    return [dict(rule="missing", severity="error", zone_code=r["zone_code"], period=r["period"],
                 indicator=r["indicator"],
                 message=f"缺少园区 {r['zone_code']} {r['period']} 的{label(r['indicator'])}数据")
            for r in gaps.iter_rows(named=True)]


def _leave_one_out(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Median and MAD of the other values, for each value of each row of `groups` (G groups × n values)."""
    g, n = groups.shape
    if n < 2:
        return np.full((g, n), np.nan), np.full((g, n), np.nan)
    others = np.broadcast_to(groups[:, None, :], (g, n, n))[:, ~np.eye(n, dtype=bool)].reshape(g, n, n - 1)
    med = np.median(others, axis=2)
    return med, np.median(np.abs(others - med[..., None]), axis=2)


def _group_stats(df: pl.DataFrame, by: list[str], value: str) -> tuple[np.ndarray, ...]:
    """Leave-one-out median, MAD and count of `value` within groups `by`, aligned with the rows of df.

    Groups of the same size are computed together (a few numpy calls instead of one per group), in chunks
    of about a million numbers.
    """
    df = df.with_row_index("_i").sort(*by)
    rows, vals = df["_i"].to_numpy(), df[value].to_numpy()
    starts = np.flatnonzero(df.select(pl.struct(by).is_first_distinct()).to_series().to_numpy())
    sizes = np.diff(np.append(starts, len(vals)))
    med, mad = np.empty(len(vals)), np.empty(len(vals))
    for n in np.unique(sizes):
        first = starts[sizes == n]
        per_chunk = max(1, 1_000_000 // (n * n))
        for lo in range(0, len(first), per_chunk):
            pos = first[lo:lo + per_chunk, None] + np.arange(n)
            med[pos], mad[pos] = _leave_one_out(vals[pos])
    out = [np.empty(len(vals)) for _ in range(3)]
    for arr, src in zip(out, (med, mad, np.repeat(sizes - 1, sizes)), strict=True):
        arr[rows] = src
    return tuple(out)


def _outliers(derived: pl.DataFrame, cfg: CheckConfig) -> list[dict[str, Any]]:
    g = cfg.growth_field
    rates = derived.filter(pl.col(g).is_not_null()).select(
        "zone_code", "period", "indicator", "freq", g)
    if rates.is_empty():
        return []
    x = rates[g].to_numpy()
    zs, meds, usable = [], [], []
    for by, need in ((["zone_code", "indicator", "freq"], cfg.min_history), (["period", "indicator"], cfg.min_peers)):
        med, mad, count = _group_stats(rates, by, g)
        z = (x - med) / np.maximum(1.4826 * np.nan_to_num(mad), cfg.min_scale)
        zs.append(z)
        meds.append(med)
        usable.append(count >= need)
    far = [np.abs(z) > cfg.z_threshold for z in zs]
    flag = (usable[0] | usable[1]) & (far[0] | ~usable[0]) & (far[1] | ~usable[1])
    out = []
    name = _GROWTH_NAMES.get(g, g)
    for i in np.flatnonzero(flag):
        r = rates.row(int(i), named=True)
        parts = [f"{who}（中位数 {_pct(meds[k][i])}，稳健z值 {zs[k][i]:.1f}）"
                 for k, who in enumerate(("本园区历史", "同期其他园区")) if usable[k][i]]
        out.append(dict(rule="growth_outlier", severity="warning", zone_code=r["zone_code"], period=r["period"],
                        indicator=r["indicator"],
                        message=f"{label(r['indicator'])}{name}增速 {_pct(x[i])} 明显偏离{'和'.join(parts)}，"
                                f"超过阈值 {cfg.z_threshold:g}，请核实"))
    return out


def _extreme(derived: pl.DataFrame) -> list[dict[str, Any]]:
    out = []
    for field, name in _GROWTH_NAMES.items():
        for r in derived.filter(pl.col(f"flag_{field}").is_not_null()).iter_rows(named=True):
            out.append(dict(rule="extreme_growth", severity="warning", zone_code=r["zone_code"], period=r["period"],
                            indicator=r["indicator"],
                            message=f"{label(r['indicator'])}{name}{r[f'flag_{field}']}"))
    return out


def check(
    rows: pl.DataFrame | list[dict[str, Any]],
    expected: pl.DataFrame | list[dict[str, Any]] | None = None,
    flows: Iterable[str] | None = None,
    ratios: Iterable[str] | None = None,
    config: CheckConfig | None = None,
) -> pl.DataFrame:
    """All violations of the rows, as a frame with the columns of SCHEMA sorted by zone, period, rule.

    `expected`: the (zone_code, period, indicator) the reporting calendar asks for (completeness is not
    checked without it). `flows`: indicators reported cumulative from January (default: the catalogue's
    money flows gdp … high_tech_trade).
    """
    cfg = config or CheckConfig()
    flows = default_flows() if flows is None else frozenset(flows)
    df = canonical(rows)
    derived = derive(df, flows, ratios, extreme_rate=cfg.extreme_rate)
    found = [*_value_added(df), *_trade(df, cfg), *_cumulative(df, flows), *_completeness(df, expected),
             *_outliers(derived, cfg), *_extreme(derived)]
    return pl.DataFrame(found, schema=SCHEMA).sort("zone_code", "period", "indicator", "rule")
