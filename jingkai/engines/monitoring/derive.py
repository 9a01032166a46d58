"""Derived figures of cumulative zone data, as Chinese statistics compute them.

- month_value 当月值: January's equals the cumulative; otherwise the cumulative minus the previous
  month's cumulative of the same year (for quarterly rows: 当季值, against the previous quarter).
  An indicator reported 1—2月 merged has no January 当月值: February's is the 1—2月 cumulative (and its
  同比 compares with last year's 1—2月). A quarterly indicator in monthly rows (地区生产总值 at months 3, 6,
  9, 12) has a 当季值 against the previous quarter's last month, and none in the other months.
- yoy_real: the officially reported growth at comparable prices (e.g. gdp_growth_real for gdp) of the
  same zone and period, where one is reported; yoy_cumulative is then only the current-price (现价) rate.
  A reported growth rate has no 同比 of its own.
- yoy_cumulative 累计同比 and yoy_month 当月同比: against the same period of the previous year, as
  fractions (0.1 = 10%). The base is the row's `base_revised` (上年同期调整值, a 可比口径 revision the zone
  states) when given, else last year's stored value; `base_cumulative` says which base was used and
  `base_stored` keeps the stored one.
- share_province 占全省经开区合计比重: the share of the sum of the zones in the data for that period and
  indicator (not of a provincial total published by 统计局).
- rank 排名: among the zones with a value for that period and indicator, 1 = best — the largest, or the
  smallest for lower-is-better indicators (catalogue `direction: -1`); ties share the best.

A figure that cannot be computed is null and `reason_<field>` says why in Chinese; never infinity or a
guess. Where a rate is not computed because of the base's sign, `note_<rate>` says what NBS writes instead
(由亏转盈 / 增亏 / 减亏 / 由盈转亏 / 上年同期为零). A computed rate beyond ±EXTREME_RATE gets
`flag_<rate>`: why it is not shown as a normal figure. Only flows (reported cumulative from January) have a
当月值; ratios have no share.
"""

from collections.abc import Iterable
from typing import Any

import polars as pl

from .catalogue import (
    default_flows,
    default_ratios,
    lower_is_better,
    may_be_negative,
    merged_jan_feb,
    quarterly,
    real_growth,
)
from .frame import SERIES, canonical, period_expr

FIELDS = ("month_value", "yoy_cumulative", "yoy_month", "share_province", "rank")
RATES = ("yoy_cumulative", "yoy_month")
OUTPUT = ("zone_code", "period", "indicator", "value", *FIELDS)
EXTRA = ("base_cumulative", "base_stored", "base_revised", *(f"{k}_{r}" for k in ("note", "flag") for r in RATES))
# Jingkai's platform default, not an official threshold: a rate beyond ±100% (more than doubled) is flagged.
EXTREME_RATE = 1.0
SHARE = "占全省经开区合计比重"
_STEP = {"month": "上月", "quarter": "上季度", "year": "上年"}
_OWN = {"month": "当月值", "quarter": "当季值", "year": "当年值"}
_NOT_QUARTER_END = "按季度报送的指标，非季末月份不计算当季值"
_JANUARY = "1—2月合并报送的指标，1月不单独计算当月值（2月为1—2月合计）"
_OWN_GROWTH = {"month": "当月同比", "quarter": "当季同比", "year": "当年同比"}
_NO_VALUE = "本期数值缺失"


def _num(expr: pl.Expr) -> pl.Expr:
    """A number for a message: at most 4 decimals, trailing zeros dropped."""
    return expr.round(4).cast(pl.String).str.replace(r"\.0+$", "").str.replace(r"(\.\d*?)0+$", "$1")


def _pct(expr: pl.Expr) -> pl.Expr:
    return pl.format("{}%", (expr * 100).round(1).cast(pl.String))


def _growth(value: pl.Expr, base: pl.Expr, has_base: pl.Expr, what: pl.Expr, base_period: pl.Expr,
            signed: pl.Expr, extreme: float) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(growth, reason, note, flag) of `value` over `base`.

    Null with a reason when the base is missing or not positive, or (for amounts that may be negative) the
    value has turned negative; then `note` is NBS's wording. `flag` explains a rate beyond ±`extreme`."""
    loss_turn = signed & (base > 0) & (value < 0)
    growth = (
        pl.when(value.is_null() | has_base.not_() | base.is_null() | (base <= 0) | loss_turn).then(None)
        .otherwise(value / base - 1)
    )
    reason = (
        pl.when(value.is_null()).then(None)  # the caller states why the value itself is missing
        .when(has_base.not_() | base.is_null())
        .then(pl.format("缺少上年同期（{}）{}，无法计算同比", base_period, what))
        .when(base == 0).then(pl.format("上年同期（{}）{}为0，无法计算同比", base_period, what))
        .when(base < 0)
        .then(pl.format("上年同期（{}）{}为负数（{}），同比无意义", base_period, what, _num(base)))
        .when(loss_turn).then(pl.format("本期{}为负数（{}），上年同期为正，同比无意义", what, _num(value)))
    )
    note = (
        pl.when(value.is_null() | has_base.not_() | base.is_null()).then(None)
        .when((base == 0) & (value == 0)).then(pl.lit("上年同期及本期均为零"))
        .when(base == 0).then(pl.lit("上年同期为零"))
        .when((base < 0) & signed.not_()).then(pl.lit("上年同期为负数"))
        .when(base < 0).then(
            pl.when(value > 0).then(pl.lit("由亏转盈"))
            .when(value < base).then(pl.lit("增亏"))
            .when(value == base).then(pl.lit("亏损持平"))
            .otherwise(pl.lit("减亏")))
        .when(loss_turn).then(pl.lit("由盈转亏"))
    )
    flag = pl.when(growth.abs() > extreme).then(pl.format(
        "增速{}超出±{}（平台默认阈值，非官方口径）：上年同期基数{}相对本期{}过小，不作为正常增速比较，请核实",
        _pct(growth), _pct(pl.lit(extreme)), _num(base), _num(value)))
    return growth, reason, note, flag


def derive(
    rows: pl.DataFrame | list[dict[str, Any]],
    flows: Iterable[str] | None = None,
    ratios: Iterable[str] | None = None,
    *,
    lower_better: Iterable[str] | None = None,
    signed: Iterable[str] | None = None,
    extreme_rate: float = EXTREME_RATE,
    quarterly_keys: Iterable[str] | None = None,
    merged_keys: Iterable[str] | None = None,
) -> pl.DataFrame:
    """Every derived figure per row: the columns of OUTPUT and EXTRA plus `reason_<field>` for each field.

    `flows`: the indicators reported cumulative from January (default: the catalogue's cumulative money
    flows). `ratios`: indicators for which a share of the province is meaningless (default: fractions and
    intensities of the catalogue). `lower_better`: ranked smallest first (default: catalogue direction −1).
    `signed`: amounts that may be negative, described as losses (default: no non-negative lower bound).
    `extreme_rate`: rates beyond ± this are flagged. `quarterly_keys`, `merged_keys`: the indicators reported
    by quarter and 1—2月 merged (default: the catalogue's). Rows may be monthly, quarterly or annual; each
    series is derived alone.
    """
    flows = default_flows() if flows is None else frozenset(flows)
    ratios = default_ratios() if ratios is None else frozenset(ratios)
    lower_better = lower_is_better() if lower_better is None else frozenset(lower_better)
    signed = may_be_negative() if signed is None else frozenset(signed)
    by_quarter = quarterly() if quarterly_keys is None else frozenset(quarterly_keys)
    merged = merged_jan_feb() if merged_keys is None else frozenset(merged_keys)
    monthly = pl.col("freq") == "month"
    df = canonical(rows).with_columns(
        pl.col("indicator").is_in(list(flows)).alias("_flow"),
        (monthly & pl.col("indicator").is_in(list(by_quarter))).alias("_qm"),  # a quarterly figure at a month
        (monthly & pl.col("indicator").is_in(list(merged))).alias("_jf"),  # reported 1—2月 merged
    ).with_columns(
        pl.when(pl.col("_qm")).then(3).otherwise(1).cast(pl.Int32).alias("_step"),  # months to the previous report
        pl.when(pl.col("_qm")).then(3).when(pl.col("_jf")).then(2).otherwise(1).cast(pl.Int32).alias("_first"),
    )
    prev = df.select(*SERIES, "year", (pl.col("seq") + pl.col("_step")).alias("seq"), pl.col("value").alias("_prev"),
                     pl.col("base_revised").alias("_prev_revised"))
    df = df.join(prev, on=[*SERIES, "year", "seq"], how="left")
    prev_period = period_expr(pl.col("year"), pl.col("seq") - pl.col("_step"))
    skipped = (pl.col("_qm") & (pl.col("seq") % 3 != 0)) | (pl.col("_jf") & (pl.col("seq") == 1))
    month_value = (
        pl.when(~pl.col("_flow") | pl.col("value").is_null() | skipped).then(None)
        .when(pl.col("seq") == pl.col("_first")).then(pl.col("value"))
        .when(pl.col("_prev").is_not_null()).then(pl.col("value") - pl.col("_prev"))
    )
    step_name = pl.when(pl.col("_qm")).then(pl.lit("上季度")).otherwise(
        pl.col("freq").replace_strict(_STEP, return_dtype=pl.String))
    own = pl.when(pl.col("_qm")).then(pl.lit("当季值")).otherwise(
        pl.col("freq").replace_strict(_OWN, return_dtype=pl.String))
    month_reason = (
        pl.when(~pl.col("_flow")).then(pl.format("时点或比率指标（非按年累计），不计算{}", own))
        .when(pl.col("value").is_null()).then(pl.lit(_NO_VALUE))
        .when(pl.col("_qm") & (pl.col("seq") % 3 != 0)).then(pl.lit(_NOT_QUARTER_END))
        .when(pl.col("_jf") & (pl.col("seq") == 1)).then(pl.lit(_JANUARY))
        .when(pl.col("seq") == pl.col("_first")).then(None)
        .when(pl.col("_prev").is_null())
        .then(pl.format("缺少{}（{}）累计值，无法计算{}", step_name, prev_period, own))
    )
    df = df.with_columns(month_value.alias("month_value"), month_reason.alias("reason_month_value"))

    last_year = df.select(*SERIES, (pl.col("year") + 1).alias("year"), "seq", pl.col("value").alias("_ly"),
                          pl.col("month_value").alias("_ly_month"),
                          pl.col("reason_month_value").alias("_ly_month_reason"), pl.lit(True).alias("_has_ly"))
    df = df.join(last_year, on=[*SERIES, "year", "seq"], how="left").with_columns(pl.col("_has_ly").fill_null(False))
    ly_period = period_expr(pl.col("year") - 1, pl.col("seq"))
    what = pl.when(pl.col("_flow")).then(pl.lit("累计值")).otherwise(pl.lit("数值"))
    # 上年同期调整值: the revised cumulative replaces last year's; the month's base is the difference of two
    # revised cumulatives (January: the revised value itself), never a revised minus an unrevised one.
    revised = pl.col("base_revised").is_not_null()
    base_cum = pl.coalesce("base_revised", "_ly")
    has_base = pl.col("_has_ly") | revised
    base_month = (
        pl.when(~revised).then(pl.col("_ly_month"))
        .when(pl.col("seq") == pl.col("_first")).then(pl.col("base_revised"))
        .otherwise(pl.col("base_revised") - pl.col("_prev_revised"))
    )
    is_signed = pl.col("indicator").is_in(list(signed))
    yoy_cum, yoy_cum_reason, yoy_cum_note, yoy_cum_flag = _growth(
        pl.col("value"), base_cum, has_base, what, ly_period, is_signed, extreme_rate)
    yoy_month, yoy_month_reason, yoy_month_note, yoy_month_flag = _growth(
        pl.col("month_value"), base_month, has_base, own, ly_period, is_signed, extreme_rate)
    yoy_month_reason = (
        pl.when(~pl.col("_flow")).then(pl.format(
            "时点或比率指标（非按年累计），不计算{}", pl.col("freq").replace_strict(_OWN_GROWTH, return_dtype=pl.String)))
        .when(pl.col("month_value").is_null()).then(pl.format("本期{}无法计算：{}", own, "reason_month_value"))
        .when(revised & (pl.col("seq") > pl.col("_first")) & pl.col("_prev_revised").is_null())
        .then(pl.format("本期上年同期累计值已按可比口径调整，上期未提供调整值，无法计算{}", own))
        .when(~revised & pl.col("_has_ly") & pl.col("_ly_month").is_null())
        .then(pl.format("上年同期（{}）{}无法计算：{}", ly_period, own, "_ly_month_reason"))
        .otherwise(yoy_month_reason)
    )

    group = ["period", "indicator"]
    best_first = (pl.when(pl.col("indicator").is_in(list(lower_better))).then(pl.col("value"))
                  .otherwise(-pl.col("value")))  # rank 1 = the best: smallest for lower-is-better
    df = df.with_columns(pl.col("value").sum().over(group).alias("_total"),
                         best_first.rank(method="min").over(group).cast(pl.Int64).alias("rank"))
    total = pl.col("_total")
    is_ratio = pl.col("indicator").is_in(list(ratios))
    share = pl.when(is_ratio | (total <= 0)).then(None).otherwise(pl.col("value") / total)
    share_reason = (
        pl.when(is_ratio).then(pl.lit(f"比率类指标，不计算{SHARE}"))
        .when(pl.col("value").is_null()).then(pl.lit(_NO_VALUE))
        .when(total <= 0).then(pl.format("本期全省经开区合计（{}）不为正，无法计算比重", _num(total)))
    )
    df = df.with_columns(
        yoy_cum.alias("yoy_cumulative"),
        pl.when(pl.col("value").is_null()).then(pl.lit(_NO_VALUE)).otherwise(yoy_cum_reason)
        .alias("reason_yoy_cumulative"),
        yoy_month.alias("yoy_month"), yoy_month_reason.alias("reason_yoy_month"),
        share.alias("share_province"), share_reason.alias("reason_share_province"),
        pl.when(pl.col("value").is_null()).then(pl.lit(_NO_VALUE)).alias("reason_rank"),
        pl.when(has_base).then(base_cum).alias("base_cumulative"), pl.col("_ly").alias("base_stored"),
        yoy_cum_note.alias("note_yoy_cumulative"), yoy_month_note.alias("note_yoy_month"),
        yoy_cum_flag.alias("flag_yoy_cumulative"), yoy_month_flag.alias("flag_yoy_month"),
    )
    return _with_real_growth(df.select(*OUTPUT, *(f"reason_{f}" for f in FIELDS), *EXTRA, "freq", "year", "seq"))


def _with_real_growth(df: pl.DataFrame) -> pl.DataFrame:
    """`yoy_real`: the reported real growth of each level row (gdp ← gdp_growth_real …); a reported growth
    rate itself gets no 同比 (a growth of a growth rate means nothing)."""
    pairs = real_growth()
    rates = df.filter(pl.col("indicator").is_in(list(pairs.values()))).select(
        "zone_code", "period", pl.col("indicator").replace_strict({v: k for k, v in pairs.items()}),
        pl.col("value").alias("yoy_real"))
    df = df.join(rates, on=["zone_code", "period", "indicator"], how="left")
    is_rate = pl.col("indicator").is_in(list(pairs.values()))
    reason = "本指标为统计部门报送的增速，不再计算同比"
    return df.with_columns(
        *(pl.when(is_rate).then(None).otherwise(pl.col(c)).alias(c) for c in ("yoy_cumulative", "yoy_month")),
        *(pl.when(is_rate).then(pl.lit(reason)).otherwise(pl.col(c)).alias(c)
          for c in ("reason_yoy_cumulative", "reason_yoy_month")),
        *(pl.when(is_rate).then(None).otherwise(pl.col(c)).alias(c)
          for c in ("note_yoy_cumulative", "note_yoy_month", "flag_yoy_cumulative", "flag_yoy_month")),
    )


def to_records(derived: pl.DataFrame, digits: int = 10) -> list[dict[str, Any]]:
    """The JSON rows of `jingkai monitor derive`: figures rounded to `digits` decimals, reasons as a dict.

    Works on `derive` and on `view` output: the figures are the columns that have a `reason_` column.
    `notes` (NBS's wording where a rate is not computed) and `flags` (why a rate is extreme) are dicts by
    rate; `base_cumulative`/`base_stored`/`base_revised` the 上年同期 used, stored and stated.
    """
    fields = [c.removeprefix("reason_") for c in derived.columns if c.startswith("reason_")]
    extra = [c for c in ("yoy_real", "base_cumulative", "base_stored", "base_revised") if c in derived.columns]
    keep = ["zone_code", "period", "indicator", "value", *fields, *extra]
    out = []
    for row in derived.iter_rows(named=True):
        record = {k: round(row[k], digits) if isinstance(row[k], float) else row[k] for k in keep}
        record["reasons"] = {f: row[f"reason_{f}"] for f in fields if record[f] is None and row[f"reason_{f}"]}
        for kind in ("note", "flag"):
            record[f"{kind}s"] = {f: row[f"{kind}_{f}"] for f in fields if row.get(f"{kind}_{f}")}
        out.append(record)
    return out


def aggregate(rows: pl.DataFrame | list[dict[str, Any]], freq: str) -> pl.DataFrame:
    """Quarterly (`quarter`) or annual (`year`) canonical rows from monthly cumulative rows.

    A quarter's cumulative (一季度, 上半年, 前三季度, 全年) is the cumulative of its last month (3, 6, 9, 12);
    a stock or a ratio likewise takes its value at the end of the period. A period whose last month is
    missing is left out (its derived figures then say which base is missing).
    """
    if freq not in ("quarter", "year"):
        raise ValueError(f"不支持的汇总频率：{freq}（应为 quarter 或 year）")
    months = canonical(rows).filter(pl.col("freq") == "month")
    ends = months.filter(pl.col("seq") % (3 if freq == "quarter" else 12) == 0)
    period = pl.format("{}-Q{}", "year", pl.col("seq") // 3) if freq == "quarter" else pl.col("year").cast(pl.String)
    return ends.select("zone_code", period.alias("period"), "indicator", "value", "base_revised")


def view(rows: pl.DataFrame | list[dict[str, Any]], freq: str, flows: Iterable[str] | None = None,
         ratios: Iterable[str] | None = None) -> pl.DataFrame:
    """Derived figures of the quarterly or annual view of monthly data.

    Quarterly: month_value/yoy_month become quarter_value 当季值 / yoy_quarter 当季同比.
    Annual: the year's own value is its cumulative, so those two columns are dropped.
    """
    derived = derive(aggregate(rows, freq), flows, ratios)
    if freq == "year":
        return derived.drop("month_value", "yoy_month", "reason_month_value", "reason_yoy_month", "note_yoy_month",
                            "flag_yoy_month")
    return derived.rename({"month_value": "quarter_value", "yoy_month": "yoy_quarter",
                           "reason_month_value": "reason_quarter_value", "reason_yoy_month": "reason_yoy_quarter",
                           "note_yoy_month": "note_yoy_quarter", "flag_yoy_month": "flag_yoy_quarter"})
