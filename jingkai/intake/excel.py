"""Excel files people fill in and read: import templates, error reports, exports, laid out by the one
spreadsheet writer (jingkai.spreadsheets).

Layout shared by templates and exports, so that an export can be edited and imported again: sheet "数据",
row 1 the title (what, whose, as of when), row 2 a subtitle, row 3 the Chinese headings with units, row 4 the
canonical keys (hidden), then the rows. Column A is 序号 (key "#", not imported); a row whose 序号 is 示例 is the
template's example and is ignored on import. Codes are shown by name (兰州经济技术开发区, 小型) and the import
takes the names back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from jingkai.intake.specs import Column, ColumnType, Kind, shown_names
from jingkai.spreadsheets import INTEGER, NUMBER, PERCENT, SAMPLE, TEXT, Book, Col, chinese_date, text_of

DATA_SHEET = "数据"
MARK_KEY = "#"  # the 序号 column: numbers, or 示例 on the template's example row (not imported)
MARK_LABEL = "序号"
EXAMPLE = "示例"
DATA_ROWS = 5000  # rows of the template that carry validation
LONG_LIST = 200  # a drop-down longer than this (行业) also takes a typed code: a warning, not a stop
TYPE_NAMES = {"str": "文本", "float": "数字", "int": "整数", "bool": "是/否（下拉选择）", "date": "日期，格式 YYYY-MM-DD",
              "choice": "下拉选择", "list": "可填多项，用 、 或 ; 分隔",
              "period": "期间：年 YYYY、季 YYYY-Qn 或月 YYYY-MM（如 2026、2026-Q3、2026-10）"}
BIG = 2**31 - 1  # a bound this large is the database column's limit (PostgreSQL 2147483647, SQLite 9.2e18), no rule a person reads

INSTRUCTIONS = [
    "1. 在“数据”表从“示例”行下面一行起逐行填写，每行一条记录。第 3 行是中文列名和单位；其下一行（已隐藏）是字段代码，"
    "请勿修改或删除。“序号”列可不填；序号为“示例”的行只作示范，导入时不读取，可保留也可删除。",
    "2. 金额单位为万元（列名中注明的除外）；比例填小数（0.035 表示 3.5%，也可写 3.5%）；是/否列从下拉列表选择“是”或“否”。",
    "3. 带下拉箭头的列请从下拉列表中选择名称（也可填写“代码表”中的代码）；列表多项请用顿号 、 或分号 ; 分隔。",
    "4. 期间、日期、统一社会信用代码和各类代码列已设为文本格式，请按说明的格式填写（如 2026-10、2015-03-01），"
    "不要改成日期或数字格式。",
    "5. 月度期间按年累计（1—N 月累计，与统计口径一致），同一年内累计值不得低于上月。",
    "6. 导入时先校验全部单元格：只要有一处不合格，就不写入任何数据，并生成错误报告（<文件名>.errors.xlsx）标出问题单元格。",
    "7. 同一文件重复导入不会产生变化；每次导入都记入审计日志（含文件指纹）。",
]


def _num(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:g}"


def _rule(col: Column) -> str:
    """The column's rule in words: 整数，不小于 0; 是/否; 18位统一社会信用代码 …"""
    parts = [col.type.description if isinstance(col.type, ColumnType) else TYPE_NAMES.get(col.type, col.type)]
    if col.fraction:
        parts = ["比例，0—1 之间的小数（也可写百分数，如 3.5%）"]
    elif col.min is not None and col.max is not None and abs(col.max) < BIG:
        parts.append(f"{_num(col.min)}—{_num(col.max)}")
    elif col.min is not None:
        parts.append(f"不小于 {_num(col.min)}")
    elif col.max is not None and abs(col.max) < BIG:
        parts.append(f"不大于 {_num(col.max)}")
    if col.max_length:
        parts.append(f"不超过 {col.max_length} 个字")
    names = _dropdown(col)
    if col.type != "bool" and 0 < len(names) <= 12:
        parts.append("可选：" + "、".join(names))
    return "，".join(parts)


def _dropdown(col: Column) -> list[str]:
    """The names a column's drop-down offers (是/否 for yes/no columns); empty: no drop-down."""
    if col.type == "bool":
        return ["是", "否"]
    return list(shown_names(col.codes()).values())


def _col(col: Column) -> Col:
    if col.type == "float":
        return Col(col.header, PERCENT if col.fraction else NUMBER, key=col.key,
                   decimals=2 if col.unit and not col.fraction else None)
    if col.type == "int":
        return Col(col.header, INTEGER, key=col.key)
    return Col(col.header, TEXT, key=col.key)


def _columns(kind: Kind) -> list[Col]:
    return [Col(MARK_LABEL, INTEGER, width=6, key=MARK_KEY), *[_col(c) for c in kind.columns]]


def _widths(columns: list[Col], sample: Sequence[Sequence[Any]], kind: Kind) -> list[Col]:
    """Columns with widths fitted to the heading, the sample rows and the drop-down names."""
    out = [columns[0]]
    for i, (c, col) in enumerate(zip(columns[1:], kind.columns, strict=True), start=1):
        names = _dropdown(col)[:SAMPLE]
        values = [r[i] for r in sample] + names + ([f"{'9' * 10}.00"] if c.kind == NUMBER else [])
        out.append(Col(c.header, c.kind, Book._fit(c, values), c.key, c.decimals, c.wrap))
    return out


# ---------------------------------------------------------------- templates

def _example(col: Column) -> Any:
    """A value that passes the column's rule, for the example row."""
    names = _dropdown(col)
    if names:
        return names[0]
    if isinstance(col.type, ColumnType):
        return col.type.example
    return {"int": 2025 if col.key == "year" else int(col.min or 0) + 1, "float": 0.035 if col.fraction else 100.5,
            "date": "2015-03-01", "period": "2026-10", "list": "示例一、示例二"}.get(col.type, "示例文字")


def write_template(out: Path, kind: Kind, as_of: dt.date | None = None) -> None:
    book = Book(out, title=f"{kind.title}导入模板", as_of=as_of or dt.date.today(), subject="导入模板")
    columns = _widths(_columns(kind), [], kind)
    table = book.table(DATA_SHEET, columns, [], title=f"{kind.title}导入模板",
                       subtitle="第 3 行为列名（第 4 行字段代码已隐藏，请勿改动）；“示例”行不导入；填写要求见“说明”表，代码见“代码表”",
                       keys=True, before_rows=1)
    ws = table.sheet
    example_row = table.first_row - 1
    first = table.first_row
    for i, (c, col) in enumerate(zip(columns, [None, *kind.columns], strict=True)):
        ws.set_column(i, i, c.width, book.format(c, locked=False))  # data cells unlocked, headings locked
        if col is None:
            ws.write_string(example_row, 0, EXAMPLE, book.format(c, locked=False, italic=True, font_color="#808080"))
            continue
        book.write(ws, example_row, i, _example(col), c, book.format(c, locked=False, italic=True,
                                                                       font_color="#808080"))
        ws.write_comment(table.heading_row, i, f"{col.label}：{_rule(col)}" + ("；必填" if col.required else ""),
                         {"x_scale": 2, "y_scale": 1.2})
    codes = _code_sheet(book, kind)
    for i, col in enumerate(kind.columns, start=1):
        validation = _validation(col, codes.get(col.key))
        if validation:
            ws.data_validation(example_row, i, first + DATA_ROWS, i, validation)
    ws.protect("", {"insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True,
                    "sort": True, "autofilter": True, "select_locked_cells": True, "select_unlocked_cells": True})
    ws.print_area(0, 0, first + 50, len(columns) - 1)
    _notes(book, kind)
    ws.activate()
    book.close()


def _code_sheet(book: Book, kind: Kind) -> dict[str, str]:
    """The visible 代码表: every coded column's codes and names; returns the drop-down range of each column."""
    rows: list[tuple[str, str, str]] = []
    ranges: dict[str, str] = {}
    heading = 2  # title, subtitle, heading
    for col in kind.columns:
        if col.type == "bool":
            items = [("是", "是"), ("否", "否")]
        else:
            items = [(code, name) for code, name in shown_names(col.codes()).items()]
        if not items:
            continue
        start = heading + 1 + len(rows)
        rows += [(col.label, code, name) for code, name in items]
        name = f"list_{col.key}"
        book.book.define_name(name, f"='代码表'!$C${start + 1}:$C${start + len(items)}")
        ranges[col.key] = name
    book.table("代码表", [Col("列名", width=24), Col("代码", width=14), Col("名称（下拉列表中显示）", width=50)], rows,
               title=f"{kind.title}导入模板代码表", subtitle="下拉列表显示“名称”；导入时名称和代码均可识别",
               landscape=False)
    return ranges


def _validation(col: Column, source: str | None) -> dict[str, Any] | None:
    """Excel's data validation for the column's rule (a stop: the cell keeps no value that breaks it)."""
    rule = {"error_type": "stop", "error_title": "不符合填写要求", "error_message": f"{col.label}：{_rule(col)}"[:255],
            "input_title": col.label[:32], "input_message": _rule(col)[:255]}
    if col.type == "list":  # several names in a cell (见“代码表”): Excel's list check would refuse them
        return None
    if source:
        long = len(_dropdown(col)) > LONG_LIST
        return rule | {"validate": "list", "source": f"={source}",
                       "error_type": "warning" if long else "stop",
                       "error_message": f"{col.label}应从下拉列表中选择（见“代码表”{'，也可直接填写代码' if long else ''}）"}
    if col.type in ("int", "float"):
        low = col.min if col.min is not None else -BIG
        high = col.max if col.max is not None and abs(col.max) < BIG else BIG
        if col.fraction:
            low, high = 0, 1
        return rule | {"validate": "integer" if col.type == "int" else "decimal", "criteria": "between",
                       "minimum": low, "maximum": high}
    length = {"date": (10, 10), "period": (4, 7)}.get(str(col.type))
    if isinstance(col.type, ColumnType) and col.type.name == "uscc":
        length = (18, 18)
    if col.max_length and not length:
        length = (0, col.max_length)
    if length:
        lo, hi = length
        return rule | {"validate": "length", **({"criteria": "==", "value": lo} if lo == hi else
                                               {"criteria": "between", "minimum": lo, "maximum": hi})}
    return None


def _notes(book: Book, kind: Kind) -> None:
    ws = book.book.add_worksheet("说明")
    columns = [Col("列名", width=28), Col("字段代码", width=20), Col("单位", width=14), Col("必填", width=6),
               Col("填写要求", width=60, wrap=True)]
    rows = [[c.label, c.key, "" if c.fraction else c.unit, "是" if c.required else "否", _rule(c)] for c in kind.columns]
    ws.set_column(0, 0, 28)
    for i, c in enumerate(columns):
        ws.set_column(i, i, c.width)
    title = f"{kind.title}导入模板填写说明"
    ws.merge_range(0, 0, 0, len(columns) - 1, title, book.title_format)
    ws.set_row(0, 30)
    r = 1
    for line in INSTRUCTIONS:
        ws.merge_range(r, 0, r, len(columns) - 1, line, book.wrap_format)
        ws.set_row(r, 15 * (1 + len(line) // 60))
        r += 1
    r += 1
    head = book.format(heading=True)
    for i, c in enumerate(columns):
        ws.write_string(r, i, c.header, head)
    heading = r
    for row in rows:
        r += 1
        for i, (c, v) in enumerate(zip(columns, row, strict=True)):
            book.write(ws, r, i, v, c)
    ws.freeze_panes(heading + 1, 0)
    book.print_setup(ws, heading, r, len(columns) - 1, sum(c.width or 0 for c in columns))


# ---------------------------------------------------------------- exports

def export_cells(kind: Kind, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame as people read it: codes shown by name, 是/否, lists joined; numbers stay numbers."""
    out = []
    for col in kind.columns:
        if col.key not in frame.columns:
            continue
        s = frame[col.key]
        names = shown_names(col.codes())
        if names and isinstance(s.dtype, pl.List):  # a list of codes (荣誉资质): each by its name
            s = s.list.eval(pl.element().cast(pl.Utf8).replace(names)).list.join("、")
        elif names:
            s = s.cast(pl.Utf8).replace(names)
        elif s.dtype == pl.Boolean:
            s = s.replace_strict({True: "是", False: "否"}, default=None, return_dtype=pl.Utf8)
        elif isinstance(s.dtype, pl.List):
            s = s.list.join("、")
        elif s.dtype in (pl.Date, pl.Datetime):
            s = s.cast(pl.Utf8).str.slice(0, 10)
        out.append(s.alias(col.key))
    return pl.DataFrame(out) if out else frame


def write_export(out: Path, kind: Kind, frame: pl.DataFrame, *, title: str, subtitle: str, as_of: dt.date) -> None:
    """The rows in the template layout, re-importable as they are (names, 序号 and title rows included)."""
    cells = export_cells(kind, frame)
    keys = [c.key for c in kind.columns if c.key in cells.columns]
    cells = cells.select(keys).with_row_index(MARK_KEY, offset=1)
    spec = Kind(kind.name, kind.title, tuple(kind.by_key[k] for k in keys), kind.keys, kind.plan, kind.rows,
                kind.zone)
    columns = _widths(_columns(spec), cells.head(SAMPLE).rows(), spec)
    book = Book(out, title=title, as_of=as_of, subject=kind.title, large=True)
    book.table(DATA_SHEET, columns, cells, title=title, subtitle=subtitle, keys=True, freeze_columns=1,
               sample=[])
    book.close()


def export_subtitle(whose: str, as_of: dt.date, count: int, period: str | None = None) -> str:
    when = f"期间：{period}　" if period else ""
    return f"范围：{whose}　{when}数据截至：{chinese_date(as_of)}　共 {count} 条"


# ---------------------------------------------------------------- error reports

def write_error_report(out: Path, kind: Kind, table, errors, as_of: dt.date | None = None) -> None:
    """Sheet 错误清单: one line per problem. Sheet 出错行: the rows with problems as read, bad cells
    marked red with the reason as a comment, and all reasons in the last column. Every value is written as
    text, never as a formula (a value like =HYPERLINK(…) stays inert)."""
    as_of = as_of or dt.date.today()
    title = f"{kind.title}导入错误报告"
    book = Book(out, title=title, as_of=as_of, subject=kind.title)
    subtitle = f"文件：{out.name.removesuffix('.errors.xlsx')}　共 {len(errors)} 处问题，未写入任何数据"
    book.table("错误清单", [Col("行号", INTEGER, width=8), Col("列", width=30), Col("值", width=24),
                             Col("问题", width=70, wrap=True)],
               [[e.row, e.column, e.value, e.message] for e in errors], title=title, subtitle=subtitle)

    headers = [h for h in table.headers if h in table.raw.columns]
    display_to_key = {c.display: c.key for c in kind.columns} | {h: h for h in headers}
    by_row: dict[int, list] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(e)
    wanted = table.raw.filter(pl.col("__row").is_in(list(by_row)))
    columns = [Col("行号", INTEGER, width=8), *[Col(kind.by_key[h].header if h in kind.by_key else h, width=14)
                                               for h in headers], Col("问题说明", width=60, wrap=True)]
    rows = [[row["__row"], *[row.get(h) or "" for h in headers],
             "；".join(f"{e.column}：{e.message}" for e in by_row[row["__row"]])]
            for row in wanted.iter_rows(named=True)]
    sheet = book.table("出错行", columns, rows, title=f"{kind.title}导入错误报告：出错行", subtitle=subtitle,
                       freeze_columns=1)
    bad_format = book.format(columns[1], bg_color="#FFC7CE", font_color="#9C0006")
    for r, row in enumerate(wanted.iter_rows(named=True), start=sheet.first_row):
        bad = {display_to_key.get(e.column): e.message for e in by_row[row["__row"]]}
        for i, h in enumerate(headers, start=1):
            if h in bad:
                sheet.sheet.write_string(r, i, text_of(row.get(h) or ""), bad_format)
                sheet.sheet.write_comment(r, i, bad[h])
    book.close()
