"""Vectorised cell validation with polars: every cell arrives as a string; each column is cast with
strict=False and a cell whose cast is null while its text is not is a bad cell. Produces the typed
frame and one error row (row, column, value, message) per problem. No database access here: what the
domains' column types need (known codes) comes in as an argument, and their parsers are theirs."""

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import polars as pl

from jingkai.intake.specs import Column, ColumnType, Kind, Parsed, code_of_name

ROW = "__row"
Frame = TypeVar("Frame", pl.DataFrame, pl.LazyFrame)
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
        self.notes: list[str] = []  # what was read differently from how it was written (123万元 → 123)
        self.held: pl.DataFrame | None = None

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
        used = {ROW, key, *(name for e in (mask, message, value) if isinstance(e, pl.Expr) for name in e.meta.root_names())}
        # only the columns the problem shows: filtering all of a 1M-row file's text columns costs its size again
        picked = raw.select([c for c in raw.columns if c in used]).with_columns(**extra).filter(
            pl.col("__mask").fill_null(False))
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

    def hold(self, errors: list[tuple[int, str, str, str]]) -> None:
        """Problems found before the cells were read (a formula cell without a calculated value, read as empty):
        each stands for its cell, whose other problems (必填，不能为空) are not reported."""
        for row, column, value, message in errors:
            self.add(row, column, value, message)
        self.held = pl.DataFrame([(r, c) for r, c, *_ in errors], schema={"row": pl.Int64, "column": pl.Utf8},
                                 orient="row").unique().with_columns(__held=pl.lit(True))

    def errors(self) -> pl.DataFrame:
        if not self.frames:
            return pl.DataFrame(schema=ERROR_SCHEMA)
        frames = [f.with_columns(pl.col("__order").cast(pl.Int32)) for f in self.frames]
        out = pl.concat(frames).sort(["row", "__order"], maintain_order=True)
        if self.held is not None:
            out = out.join(self.held, on=["row", "column"], how="left", maintain_order="left").filter(
                pl.col("__held").is_null() | (pl.col("__order") == -1)).drop("__held")
        return out.drop("__order")


def cat(*parts) -> pl.Series:
    """Concatenate strings and string Series element-wise (nulls become empty)."""
    return pl.select(pl.concat_str([pl.lit(p).cast(pl.Utf8).fill_null("") for p in parts])).to_series()


def fmt(series: pl.Series) -> pl.Series:
    return map_distinct(series, _num)


def normalise(raw: Frame) -> Frame:
    """Trim every cell; empty cells become null."""
    cols = [c for c in raw.collect_schema().names() if c != ROW]
    trimmed = {c: pl.col(c).cast(pl.Utf8).str.strip_chars() for c in cols}
    # when/then, not .replace("", None): the streaming engine runs it in batches (replace made it copy the file)
    return raw.with_columns([pl.when(t != "").then(t).alias(c) for c, t in trimmed.items()])


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
        if col.type in ("float", "int") and col.unit and not col.fraction:
            s = strip_units(raw, col, s, check)
        elif kind.wide and col.key == kind.wide.value and (unit := _item_units(raw, kind, out)) is not None:
            s = strip_units(raw, col, s, check, unit)
        value, bad, message = _parse(col, s, known)
        if bad is not None:
            check.flag(raw, s.is_not_null() & bad, col, message)
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


def _item_units(raw: pl.DataFrame, kind: Kind, parsed: dict[str, pl.Series]) -> pl.Series | None:
    """Each row's unit for the value column of a kind with a wide layout: the wide sheet's item units, or in the
    long format the unit of the row's item (its parsed key; null where the item is unknown)."""
    if UNIT in raw.columns:
        return raw[UNIT]
    assert kind.wide is not None
    if kind.wide.units is None or kind.wide.item not in parsed:
        return None
    return parsed[kind.wide.item].replace_strict(kind.wide.units(), default=None, return_dtype=pl.Utf8)


def _parse(col: Column, s: pl.Series, known: dict[str, Any]) -> Parsed:
    t = col.type
    if isinstance(t, ColumnType):
        if t.choices:  # the names the template's drop-down and the exports show
            s = s.replace(code_of_name(t.choices()))
        return t.parse(s, known.get(t.name))
    if t in ("float", "int"):
        text = number_text(s)
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
        value = as_date(s)
        return value, value.is_null(), "日期格式应为 YYYY-MM-DD（也可写 2024/5/1、2024年5月1日）"
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
        return parse_period_cells(s)
    # plain text
    if col.max_length:
        return s, s.str.len_chars() > col.max_length, f"长度不得超过 {col.max_length} 个字符"
    return s, None, ""


# ---------------------------------------------------------------- numbers, dates and periods as offices write them

THOUSANDS = r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?$"  # 123,456.7: commas only between groups of three
NUMBER_BODY = r"^[+-]?\d[\d,]*(\.\d*)?$"
MONEY = {"元": 1e-4, "万元": 1.0, "亿元": 1e4}  # in 万元; for the hint of a figure written in another unit


def number_text(s: pl.Series) -> pl.Series:
    """A number as typed on a Chinese keyboard made plain: full-width digits and signs (１２３，４５６．７, －5,
    ％) as ASCII (NFKC), the minus sign − as -, no spaces, thousands separators taken off where they separate
    groups of three (1,5 stays and is refused: a decimal comma is not read as 15)."""
    text = s.str.normalize("NFKC").str.replace_all("\u2212", "-").str.replace_all(r"\s", "")
    return pl.select(pl.when(text.str.contains(",") & ~text.str.contains(THOUSANDS)).then(text)
                     .otherwise(text.str.replace_all(",", ""))).to_series()


def _split_unit(s: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(number text, unit written after it or null): 123万元 → (123, 万元)."""
    text = number_text(s)
    body = text.str.replace(r"[^\d.%]+$", "")
    unit = pl.select(pl.when(body.str.contains(NUMBER_BODY) & (body != text)).then(
        text.str.slice(body.str.len_chars()))).to_series()
    return body, unit


def _unit_hint(expected: str, written: str) -> str:
    """The message of a figure written with another unit: 单位应为万元 …, with the figure converted for money."""
    body_s, unit_s = _split_unit(pl.Series([written]))
    body, unit = body_s[0], unit_s[0]
    message = f"单位应为{expected}（本格写的是“{unit}”），请换算为{expected}后只填数字"
    if unit in MONEY and expected in MONEY:
        value = float(body.replace(",", "")) * MONEY[unit] / MONEY[expected]
        message += f"：“{written}”应填 {f'{value:.8f}'.rstrip('0').rstrip('.')}"
    return message


UNIT, HEADING = "__unit", "__heading"  # a wide 报表's cells carry their item's unit and heading into the long rows


def strip_units(raw: pl.DataFrame, col: Column, s: pl.Series, check: Checker, unit: pl.Series | None = None
                ) -> pl.Series:
    """A number column's cells with the column's own unit (or each row's, `unit`) taken off: 123万元 in a 万元
    column is 123, with a note in the result; a cell written in another unit (123元, 1.2亿元) is refused with a
    hint and left empty here. Why not convert 亿元 to 万元: a slip of 万 for 亿 would change a figure ten
    thousandfold without anyone seeing it, so the person converts and the hint gives the figure."""
    body, written = _split_unit(s)
    if written.is_null().all():
        return s
    expected = unit if unit is not None else pl.Series([col.unit] * len(s), dtype=pl.Utf8)
    same = (written.str.normalize("NFKC") == expected.str.normalize("NFKC")).fill_null(False)
    other = written.is_not_null() & expected.is_not_null() & (expected != "") & ~same
    if other.any():
        hints = [_unit_hint(e, v) if o else None for o, e, v in zip(other, expected, s, strict=True)]
        check.flag(raw, other, col, pl.Series(hints, dtype=pl.Utf8))
    if same.any():
        first = raw.filter(same)[ROW][0]
        items = raw.filter(same)[HEADING].unique(maintain_order=True) if HEADING in raw.columns else None
        where = col.header if items is None else items[0] + ("等" if len(items) > 1 else "")
        units = "、".join(f"“{u}”" for u in expected.filter(same).unique(maintain_order=True))
        check.notes.append(f"{where}：{int(same.sum())} 个单元格写了单位{units}，"
                           f"已去掉单位按数值读取（如第 {first} 行“{s.filter(same)[0]}”）")
    return pl.select(pl.when(same).then(body).when(other).then(None).otherwise(s)).to_series().alias(s.name)


EXCEL_EPOCH = dt.date(1899, 12, 30)  # Excel's day 0 (its day 60 is the 1900-02-29 that never was)
SERIALS = (10000, 73050)  # 1927-05-18 … 2099-12-31: a bare number outside is no date (2024 is a year, not 1905)
DATE_FORMS = [  # (pattern, replacement) giving YYYY-M-D
    (r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$", "$1-$2-$3"),
    (r"^(\d{4})[./-](\d{1,2})[./-](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$", "$1-$2-$3"),
    (r"^(\d{4})(\d{2})(\d{2})$", "$1-$2-$3"),
]


def as_date(s: pl.Series) -> pl.Series:
    """Dates as offices write them: 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日, 20240501, a date cell (read
    as 2024-05-01 00:00:00) and an Excel serial number (45413, also 45413.0); null where none fits."""
    text = s.str.normalize("NFKC").str.replace_all(r"\s+", " ").str.strip_chars()
    for pattern, to in DATE_FORMS:
        text = text.str.replace(pattern, to)
    number = text.cast(pl.Float64, strict=False)
    serial = number.set(~((number >= SERIALS[0]) & (number <= SERIALS[1])).fill_null(False), None)
    return pl.select(pl.coalesce(
        text.str.to_date("%Y-%m-%d", strict=False),
        pl.lit(EXCEL_EPOCH) + pl.duration(days=pl.lit(serial).floor().cast(pl.Int64)),
    ).cast(pl.Date)).to_series().alias(s.name)


PERIOD_FORMS = [  # (pattern, replacement) giving YYYY, YYYY-Qn or YYYY-M
    (r"^(\d{4})年(度)?$", "$1"),
    (r"^(\d{4})年(\d{1,2})月份?$", "$1-$2"),
    (r"^(\d{4})年?(?:第)?([1-4])季度?$", "$1-Q$2"),
    (r"^(\d{4})[-/]?Q([1-4])$", "$1-Q$2"),
    (r"^(\d{4})[./-](\d{1,2})$", "$1-$2"),
]
AMBIGUOUS_MONTH = r"^\d{4}\.1$"  # 2024.1: January, or 2024.10 that Excel stored as the number 2024.1
AMBIGUOUS_MESSAGE = ("可能是 1 月，也可能是 10 月（Excel 会把 2024.10 存成数字 2024.1）："
                     "请写成 YYYY-MM（如 2024-01 或 2024-10）")
PERIOD_MESSAGE = "期间格式应为 YYYY、YYYY-Qn 或 YYYY-MM（如 2024、2024-Q3、2024-09）"


def parse_period_cells(s: pl.Series) -> Parsed:
    """Periods as offices write them: 2024、2024年, 2024-Q3、2024年第3季度、2024年三季度, 2024-09、2024-9、2024/9、
    2024.9、2024年9月, and a date cell or serial on a month's first day (Excel turns a typed 2024-9 into
    2024-09-01). 2024.1 is refused: it may be 2024.10 that Excel stored as a number."""
    text = s.str.normalize("NFKC").str.to_uppercase().str.replace_all(r"\s", "")
    text = text.str.replace_many(["一", "二", "三", "四"], ["1", "2", "3", "4"])
    ambiguous = text.str.contains(AMBIGUOUS_MONTH).fill_null(False)
    for pattern, to in PERIOD_FORMS:
        text = text.str.replace(pattern, to)
    text = text.str.replace(r"^(\d{4})-(\d)$", "$1-0$2")
    day = as_date(s)
    first_day = pl.select(pl.when(day.dt.day() == 1).then(day.dt.strftime("%Y-%m"))).to_series()
    value = pl.select(pl.when(text.str.contains(PERIOD)).then(text).otherwise(first_day)).to_series()
    bad = value.is_null() | ambiguous
    message = pl.select(pl.when(pl.lit(ambiguous)).then(pl.lit(AMBIGUOUS_MESSAGE)).otherwise(pl.lit(PERIOD_MESSAGE))
                        ).to_series() if ambiguous.any() else PERIOD_MESSAGE
    return value.set(bad, None).alias(s.name), bad, message


def duplicates(raw: pl.DataFrame, kind: Kind, typed: pl.DataFrame, check: Checker) -> None:
    """Rows repeating the key of an earlier row: an error naming the first row."""
    keys = [k for k in kind.keys if k in typed.columns]
    if len(keys) != len(kind.keys):
        return
    frame = typed.select(ROW, *keys).drop_nulls(keys)
    frame = frame.filter(pl.struct(keys).is_duplicated())  # mostly none: the grouping below is of these only
    first = frame.group_by(keys, maintain_order=True).agg(pl.col(ROW).min().alias("__first"))
    dup = frame.join(first, on=keys, how="left", nulls_equal=True).filter(pl.col(ROW) != pl.col("__first"))
    if dup.is_empty():
        return
    labels = "、".join(kind.by_key[k].label for k in keys)
    marked = raw.join(dup.select(ROW, "__first"), on=ROW, how="inner")
    check.flag(marked, pl.lit(True), kind.keys[-1],
               pl.concat_str(pl.lit(f"{labels}与第 "), pl.col("__first").cast(pl.Utf8), pl.lit(" 行重复")))


def heading(text: Any) -> str:
    """A heading as compared: NFKC (（万元） and (万元) alike, full-width letters and digits as ASCII) and no
    whitespace anywhere (leading and trailing spaces, full-width spaces, the line breaks of a merged heading cell)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))) if text is not None else ""


def _name_and_unit(text: str) -> tuple[str, str | None]:
    """营业收入(万元) → (营业收入, 万元); 营业收入(单位:万元) → the same; no parenthesised ending: (text, None)."""
    m = re.match(r"^(.+?)[(\[]((?:单位[:：])?[^()\[\]]*)[)\]]$", text)
    return (m.group(1), m.group(2).removeprefix("单位:").removeprefix("单位：")) if m else (text, None)


# Unit spellings that name the same unit: templates filed before the headings said 兆瓦时 read MWh.
SAME_UNIT = {"mwh": "兆瓦时", "m2": "平方米", "km2": "平方公里"}


def _unit(text: str | None) -> str:
    unit = heading(text).casefold()
    return SAME_UNIT.get(unit, unit)


def heading_keys(kind: Kind) -> dict[str, str]:
    """Normalised heading → key: each column's heading with its unit and its bare label."""
    return {heading(c.header): c.key for c in kind.columns} | {heading(c.label): c.key for c in kind.columns}


def column_key(text: str, kind: Kind, labels: dict[str, str]) -> str | None:
    """The key a normalised heading names: its key, its label (with or without the unit), or its label with the
    column's own unit spelled otherwise (（单位：万元）); None otherwise (a different unit is no match)."""
    if text in kind.by_key:
        return text
    if text in labels:
        return labels[text]
    name, unit = _name_and_unit(text)
    key = labels.get(name)
    col = kind.by_key.get(key) if key else None
    if col is not None and unit is not None and _unit(unit) == _unit(col.unit):
        return key
    return None


def _unknown(h: str, candidates: Sequence[Column]) -> str:
    """The message of an unknown heading: the right unit when its name is a column's, else the close matches."""
    name, unit = _name_and_unit(h)
    by_label = {heading(c.label): c for c in candidates}
    col = by_label.get(name)
    if col is not None and unit is not None:
        return (f"列“{h}”的单位与要求不符：{col.label}的单位应为{col.unit or '（无单位）'}，请换算后填写，"
                f"并把列名改为“{col.header}”")
    words = {heading(c.label): c.header for c in candidates} | {c.key: c.key for c in candidates if h.isascii()}
    close = difflib.get_close_matches(name if not h.isascii() else h, list(words), n=3, cutoff=0.6)
    if close:
        return f"未知的列“{h}”，是否应为：{'、'.join(dict.fromkeys(words[w] for w in close))}？（列名应与模板一致）"
    return f"未知的列“{h}”（应使用数据字典中的字段代码）"


def header_problems(headers: list[str], kind: Kind, fixed: set[str],
                    candidates: Sequence[Column] = ()) -> list[tuple[str, str]]:
    """(column, message) for unknown and missing columns. `fixed` = keys supplied otherwise (--zone);
    `candidates`: the columns an unknown heading is compared with (default: the kind's)."""
    problems = []
    seen = set()
    for h in headers:
        if h in seen:
            problems.append((h, "列重复"))
        seen.add(h)
        if h not in kind.by_key:
            problems.append((h, _unknown(h, candidates or kind.columns)))
    for col in kind.columns:
        if col.required and col.key not in headers and col.key not in fixed:
            problems.append((col.display, "缺少必填列"))
    return problems
