"""Canonical rows (zone_code, period, indicator, value) → a checked polars frame with the period parsed.

Periods: `YYYY-MM` (cumulative from January), `YYYY-Qn` (cumulative from the first quarter) or `YYYY`.
Each row gets `freq` (month/quarter/year), `year` and `seq` (the month, the quarter, or 1 for a year).
When a (zone, period, indicator) occurs more than once, the latest value wins: the row with the largest
`reported_at` when that column exists, otherwise the last row in the file (a revision appended later).
"""

from pathlib import Path
from typing import Any

import polars as pl

REQUIRED = ("zone_code", "period", "indicator", "value")
KEY = ("zone_code", "period", "indicator")
SERIES = ("zone_code", "indicator", "freq")  # one time series: its periods are (year, seq)
_PERIOD = r"^(\d{4})(?:-Q([1-4])|-(0[1-9]|1[0-2]))?$"


class DataError(ValueError):
    """The rows cannot be read as canonical data; the message is for the user (Chinese)."""


def read_csv(path: str | Path) -> pl.DataFrame:
    try:
        raw = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except FileNotFoundError as exc:
        raise DataError(f"找不到数据文件：{path}") from exc
    except pl.exceptions.PolarsError as exc:
        raise DataError(f"无法读取 CSV 文件 {path}：{exc}") from exc
    return canonical(raw.rename(lambda c: c.strip().lstrip("\ufeff")))


def canonical(rows: pl.DataFrame | list[dict[str, Any]]) -> pl.DataFrame:
    if isinstance(rows, pl.DataFrame):
        df = rows
    else:  # no rows at all (a period nobody reported) is an empty frame of the required columns
        df = pl.DataFrame(rows, infer_schema_length=None) if rows else pl.DataFrame(schema=dict.fromkeys(REQUIRED, pl.String))
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise DataError(f"缺少必需的列：{'、'.join(missing)}（应为 zone_code, period, indicator, value）")
    df = df.with_row_index("_row", offset=2).with_columns(  # offset 2: the row number in a CSV with header
        *(pl.col(c).cast(pl.String).str.strip_chars() for c in ("zone_code", "period", "indicator")),
        pl.col("value").cast(pl.String).str.strip_chars().replace("", None).alias("_text"),
    )
    grouped = pl.col("_text").str.contains(r"^[-+]?\d{1,3}(,\d{3})+(\.\d*)?$")  # 1,234.5 as Excel writes it
    text = pl.when(grouped).then(pl.col("_text").str.replace_all(",", "")).otherwise(pl.col("_text"))
    df = df.with_columns(text.cast(pl.Float64, strict=False).alias("value"))
    bad = df.filter(pl.col("_text").is_not_null() & (pl.col("value").is_null() | ~pl.col("value").is_finite()))
    if bad.height:
        row = bad.row(0, named=True)
        raise DataError(f"第{row['_row']}行的数值“{row['_text']}”不是有效数字")
    blank = df.filter(pl.any_horizontal(pl.col(c).is_null() | (pl.col(c) == "") for c in KEY))
    if blank.height:
        raise DataError(f"第{blank['_row'][0]}行缺少园区代码、期间或指标")
    parts = pl.col("period").str.extract_groups(_PERIOD)
    df = df.with_columns(parts.struct.field("1").cast(pl.Int32).alias("year"),
                         parts.struct.field("2").cast(pl.Int32).alias("_q"),
                         parts.struct.field("3").cast(pl.Int32).alias("_m"))
    bad = df.filter(pl.col("year").is_null())
    if bad.height:
        row = bad.row(0, named=True)
        raise DataError(f"第{row['_row']}行的期间“{row['period']}”无效，应为 YYYY、YYYY-Qn 或 YYYY-MM")
    df = df.with_columns(
        pl.when(pl.col("_m").is_not_null()).then(pl.lit("month"))
        .when(pl.col("_q").is_not_null()).then(pl.lit("quarter")).otherwise(pl.lit("year")).alias("freq"),
        pl.coalesce("_m", "_q", pl.lit(1, pl.Int32)).alias("seq"),
    )
    order = ["reported_at", "_row"] if "reported_at" in df.columns else ["_row"]
    df = df.sort(order, nulls_last=False).unique(subset=list(KEY), keep="last", maintain_order=True)
    return df.select(*REQUIRED, "freq", "year", "seq").sort("zone_code", "indicator", "freq", "year", "seq")


def period_text(freq: str, year: int, seq: int) -> str:
    return f"{year}-{seq:02d}" if freq == "month" else f"{year}-Q{seq}" if freq == "quarter" else f"{year}"


def period_expr(year: pl.Expr, seq: pl.Expr) -> pl.Expr:
    """The canonical period text of (year, seq) for the row's `freq`."""
    return (
        pl.when(pl.col("freq") == "month").then(pl.format("{}-{}", year, seq.cast(pl.String).str.zfill(2)))
        .when(pl.col("freq") == "quarter").then(pl.format("{}-Q{}", year, seq))
        .otherwise(year.cast(pl.String))
    )
