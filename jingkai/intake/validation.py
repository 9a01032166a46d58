"""Vectorised cell validation with polars: every cell arrives as a string; each column is cast with
strict=False and a cell whose cast is null while its text is not is a bad cell. Produces the typed
frame and one error row (row, column, value, message) per problem. No database access here: what the
domains' column types need (known codes) comes in as an argument, and their parsers are theirs."""

from collections.abc import Callable
from typing import Any

import polars as pl

from jingkai.intake.specs import Column, ColumnType, Kind, Parsed, code_of_name

ROW = "__row"
TRUE_WORDS = ("true", "是", "1", "1.0", "y", "yes")
FALSE_WORDS = ("false", "否", "0", "0.0", "n", "no")
PERIOD = r"^\d{4}(-(Q[1-4]|0[1-9]|1[0-2]))?$"
LIST_SEPARATORS = "[；、]"
ERROR_SCHEMA = {"row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8, "message": pl.Utf8}


def _num(x: float) -> str:
    return f"{x:g}"


class Checker:
    """Collects problems as small frames; `errors()` concatenates them in row order."""

    def __init__(self, kind: Kind):
        self.kind = kind
        self.frames: list[pl.DataFrame] = []
        self.order = {c.key: i for i, c in enumerate(kind.columns)}

    def flag(self, raw: pl.DataFrame, mask: pl.Series | pl.Expr, column: Column | str,
             message: str | pl.Series | pl.Expr, value: pl.Series | pl.Expr | None = None) -> None:
        col = column if isinstance(column, Column) else self.kind.by_key.get(column)
        key = col.key if col else str(column)
        display = col.display if col else str(column)
        extra: dict[str, pl.Series | pl.Expr] = {"__mask": mask}
        if isinstance(message, pl.Series):
            extra["__msg"], message = message, pl.col("__msg")
        if isinstance(value, pl.Series):
            extra["__val"], value = value, pl.col("__val")
        picked = raw.with_columns(**extra).filter(pl.col("__mask").fill_null(False))
        if picked.is_empty():
            return
        msg = message if isinstance(message, pl.Expr) else pl.lit(message)
        val = value if value is not None else (pl.col(key).fill_null("") if key in picked.columns else pl.lit(""))
        val = val.fill_null("")
        self.frames.append(picked.select(
            pl.col(ROW).cast(pl.Int64).alias("row"), pl.lit(display).alias("column"),
            val.cast(pl.Utf8).alias("value"), msg.cast(pl.Utf8).alias("message"),
            pl.lit(self.order.get(key, 999)).alias("__order"),
        ))

    def add(self, row: int, column: str, value: str, message: str) -> None:
        self.frames.append(pl.DataFrame(
            {"row": [row], "column": [column], "value": [value], "message": [message], "__order": [-1]},
            schema=ERROR_SCHEMA | {"__order": pl.Int32},
        ))

    def errors(self) -> pl.DataFrame:
        if not self.frames:
            return pl.DataFrame(schema=ERROR_SCHEMA)
        frames = [f.with_columns(pl.col("__order").cast(pl.Int32)) for f in self.frames]
        return pl.concat(frames).sort(["row", "__order"], maintain_order=True).drop("__order")


def cat(*parts) -> pl.Series:
    """Concatenate strings and string Series element-wise (nulls become empty)."""
    return pl.select(pl.concat_str([pl.lit(p).cast(pl.Utf8).fill_null("") for p in parts])).to_series()


def fmt(series: pl.Series) -> pl.Series:
    return map_distinct(series, _num)


def normalise(raw: pl.DataFrame) -> pl.DataFrame:
    """Trim every cell; empty cells become null."""
    cols = [c for c in raw.columns if c != ROW]
    return raw.with_columns(
        [pl.col(c).cast(pl.Utf8).str.strip_chars().replace("", None).alias(c) for c in cols]
    )


def map_distinct(series: pl.Series, fn: Callable[[Any], str | None]) -> pl.Series:
    """Apply a Python function once per distinct value (industry table, messages of bad cells)."""
    uniques = series.drop_nulls().unique()
    mapping = pl.DataFrame({"__k": uniques, "__v": pl.Series([fn(v) for v in uniques.to_list()], dtype=pl.Utf8)})
    return series.to_frame("__k").join(mapping, on="__k", how="left", maintain_order="left")["__v"]


def parse_columns(raw: pl.DataFrame, kind: Kind, check: Checker, known: dict[str, Any]) -> pl.DataFrame:
    """Typed values for every present column; problems go to `check`. `known`: what each of the kind's
    column types loaded, by name."""
    out = {ROW: raw[ROW]}
    for col in kind.columns:
        if col.key not in raw.columns:
            continue
        s = raw[col.key]
        present = s.is_not_null()
        if col.required:
            check.flag(raw, ~present, col, "必填，不能为空")
        value, bad, message = _parse(col, s, known)
        if bad is not None:
            check.flag(raw, present & bad, col, message)
        if col.type in ("float", "int"):
            finite = value.is_not_null()
            if col.fraction and col.min == 0 and col.max == 1:
                out_of = finite & ((value < 0) | (value > 1))
                check.flag(raw, out_of, col, "应为 0—1 之间的比例（如 0.035 或 3.5% 表示 3.5%）")
            else:
                if col.min is not None:
                    check.flag(raw, finite & (value < col.min), col, f"不得小于 {_num(col.min)}")
                if col.max is not None:
                    check.flag(raw, finite & (value > col.max), col, f"不得大于 {_num(col.max)}")
            if col.type == "int":
                value = value.cast(pl.Int64, strict=False)
        out[col.key] = value
    return pl.DataFrame(out)


def _parse(col: Column, s: pl.Series, known: dict[str, Any]) -> Parsed:
    t = col.type
    if isinstance(t, ColumnType):
        if t.choices:  # the names the template's drop-down and the exports show
            s = s.replace(code_of_name(t.choices()))
        return t.parse(s, known.get(t.name))
    if t in ("float", "int"):
        text = s.str.replace_all(r"[,，\s]", "")
        pct = text.str.ends_with("%").fill_null(False)
        number = text.str.strip_suffix("%").cast(pl.Float64, strict=False)
        number = number.set(number.is_nan() | number.is_infinite(), None) if len(number) else number
        number = pl.select(pl.when(pct).then(number / 100).otherwise(number)).to_series()
        bad = number.is_null()
        if t == "int":
            bad = bad | (number != number.floor()).fill_null(False)
            return number, bad, "应为整数"
        if not col.fraction and col.key != "value":
            bad = bad | pct
        return number, bad, "不是有效的数字" if col.key == "value" or col.fraction else "不是有效的数字（不要带单位或百分号）"
    if t == "bool":
        lower = s.str.to_lowercase()
        mapping = dict.fromkeys(TRUE_WORDS, True) | dict.fromkeys(FALSE_WORDS, False)
        value = lower.replace_strict(mapping, default=None, return_dtype=pl.Boolean)
        return value, value.is_null(), "应为 是/否（也可写 true/false、1/0）"
    if t == "date":
        head = s.str.slice(0, 10)
        value = pl.select(pl.coalesce(
            head.str.to_date("%Y-%m-%d", strict=False), s.str.to_date("%Y/%m/%d", strict=False),
        )).to_series()
        return value, value.is_null(), "日期格式应为 YYYY-MM-DD"
    if t == "choice":
        codes = [c for c, _ in col.choices]
        labels = {label: code for code, label in col.choices}
        value = s.replace(labels).replace_strict({c: c for c in codes}, default=None, return_dtype=pl.Utf8)
        allowed = "、".join(f"{c}（{label}）" for c, label in col.choices)
        return value, value.is_null(), f"应为以下之一：{allowed}"
    if t == "list":
        value = (s.str.replace_all(LIST_SEPARATORS, ";").str.split(";")
                 .list.eval(pl.element().str.strip_chars().filter(pl.element().str.len_chars() > 0)))
        if col.choices:  # names as the export writes them (技术创新示范企业) read back as their codes
            value = value.list.eval(pl.element().replace({label: code for code, label in col.choices}))
        return value, None, ""
    if t == "period":
        value = s.str.to_uppercase()
        bad = ~value.str.contains(PERIOD)
        return value.set(bad.fill_null(False), None), bad, "期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM（如 2024、2024-Q3、2024-09）"
    # plain text
    if col.max_length:
        return s, s.str.len_chars() > col.max_length, f"长度不得超过 {col.max_length} 个字符"
    return s, None, ""


def duplicates(raw: pl.DataFrame, kind: Kind, typed: pl.DataFrame, check: Checker) -> None:
    """Rows repeating the key of an earlier row: an error naming the first row."""
    keys = [k for k in kind.keys if k in typed.columns]
    if len(keys) != len(kind.keys):
        return
    frame = typed.select(ROW, *keys).drop_nulls(keys)
    first = frame.group_by(keys, maintain_order=True).agg(pl.col(ROW).min().alias("__first"))
    dup = frame.join(first, on=keys, how="left", nulls_equal=True).filter(pl.col(ROW) != pl.col("__first"))
    if dup.is_empty():
        return
    labels = "、".join(kind.by_key[k].label for k in keys)
    marked = raw.join(dup.select(ROW, "__first"), on=ROW, how="inner")
    check.flag(marked, pl.lit(True), kind.keys[-1],
               pl.concat_str(pl.lit(f"{labels}与第 "), pl.col("__first").cast(pl.Utf8), pl.lit(" 行重复")))


def header_problems(headers: list[str], kind: Kind, fixed: set[str]) -> list[tuple[str, str]]:
    """(column, message) for unknown and missing columns. `fixed` = keys supplied otherwise (--zone)."""
    problems = []
    seen = set()
    for h in headers:
        if h in seen:
            problems.append((h, "列重复"))
        seen.add(h)
        if h not in kind.by_key:
            problems.append((h, f"未知的列“{h}”（应使用数据字典中的字段代码）"))
    for col in kind.columns:
        if col.required and col.key not in headers and col.key not in fixed:
            problems.append((col.display, "缺少必填列"))
    return problems
