"""Tables for the evaluation engine: from a file (analysts' mode) or from the zones' reported values."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from jingkai.engines.evaluation import EvaluationError, Methodology

LONG_COLUMNS = {"indicator", "value"}


def read_table(path: str | Path, meth: Methodology, year: int | None = None) -> pl.DataFrame:
    """A CSV or Excel file, wide (one row per unit) or long (unit, period, indicator, value)."""
    path = Path(path)
    if not path.is_file():
        raise EvaluationError(f"找不到数据文件 {path}")
    if path.suffix.lower() in (".xlsx", ".xls"):
        df = pl.read_excel(path)
    else:
        df = pl.read_csv(path, infer_schema_length=None, null_values=["", "NA"])
    if LONG_COLUMNS <= set(df.columns):
        return _wide_from_long(df, meth, year)
    for col in ("year", "period"):
        if year is not None and col in df.columns:
            df = df.filter(pl.col(col).cast(pl.String) == str(year))
    return df


def _wide_from_long(df: pl.DataFrame, meth: Methodology, year: int | None) -> pl.DataFrame:
    if "period" in df.columns:
        periods = sorted(p for p in df["period"].cast(pl.String).unique().to_list() if p and len(p) == 4)
        if not periods:
            raise EvaluationError("数据中没有年度期间（YYYY）的数值")
        period = str(year) if year is not None else periods[-1]
        df = df.filter(pl.col("period").cast(pl.String) == period)
    keys = [meth.unit_key] + [c for c in (*meth.group_keys, meth.name_key) if c and c in df.columns]
    wide = df.pivot(on="indicator", index=keys, values="value", aggregate_function="first")
    return wide


def load_zone_table(meth: Methodology, year: int | None = None, zones=None) -> pl.DataFrame:
    """One row per zone: zone_code, name, region, level, province and the year's indicator values.

    Reads `jingkai.zones` IndicatorValue rows of the annual period `YYYY` (the latest year with
    values when `year` is None). `zones` optionally restricts to a Zone queryset.
    """
    from jingkai.zones.models import IndicatorValue, Zone

    columns = {i.column for i in meth.indicators} | {i.denominator for i in meth.indicators if i.denominator}
    columns |= {b.column for b in meth.bonus}
    values = IndicatorValue.objects.filter(indicator__key__in=columns, period__regex=r"^\d{4}$")
    if zones is not None:
        values = values.filter(zone__in=zones)
    if year is None:
        latest = values.order_by("-period").values_list("period", flat=True).first()
        if latest is None:
            raise EvaluationError("数据库中没有该评价方法所需指标的年度数值")
        year = int(latest)
    rows = list(values.filter(period=str(year)).values_list("zone__code", "indicator__key", "value"))
    if not rows:
        raise EvaluationError(f"数据库中没有 {year} 年的指标数值")
    zone_qs = Zone.objects.filter(code__in={r[0] for r in rows})
    base = pl.DataFrame(
        [(z.code, z.name, z.region, z.level, z.province) for z in zone_qs],
        schema=["zone_code", "name", "region", "level", "province"], orient="row",
    )
    long = pl.DataFrame(rows, schema=["zone_code", "indicator", "value"], orient="row")
    wide = long.pivot(on="indicator", index="zone_code", values="value", aggregate_function="first")
    table = base.join(wide, on="zone_code", how="left")
    if meth.unit_key != "zone_code":
        table = table.rename({"zone_code": meth.unit_key})
    return table.sort(meth.unit_key)
