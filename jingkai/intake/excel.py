"""Excel files people fill in and read: import templates, error reports, exports (XlsxWriter).

Layout shared by templates and exports, so an export can be edited and imported again: sheet "数据",
row 1 the Chinese label with the unit, row 2 the canonical keys (hidden), data from row 3.
"""

from datetime import date
from pathlib import Path

import polars as pl
import xlsxwriter

from jingkai.intake.specs import Column, ColumnType, Kind

DATA_ROWS = 5000  # rows of the template that carry dropdowns
TYPE_NAMES = {"str": "文本", "float": "数字", "int": "整数", "bool": "是/否", "date": "日期 YYYY-MM-DD",
              "choice": "代码（下拉选择）", "list": "列表，用 ; 或 、 分隔", "period": "期间 YYYY / YYYY-Qn / YYYY-MM"}

INSTRUCTIONS = [
    "填写说明",
    "1. 在“数据”表第 3 行起逐行填写，每行一条记录；第 1 行是中文列名和单位，第 2 行（已隐藏）是字段代码，请勿修改或删除。",
    "2. 金额单位为万元（列名中注明的除外）；比例填小数（0.035 表示 3.5%，也可写 3.5%）；是/否列可填 是、否、true、false、1、0。",
    "3. 带下拉箭头的列请从下拉列表中选择代码；列表多项请用英文分号 ; 或中文顿号 、 分隔；日期格式 YYYY-MM-DD。",
    "4. 月度期间按年累计（1—N 月累计，与统计口径一致），同一年内累计值不得低于上月。",
    "5. 导入时先校验全部单元格：只要有一处不合格，就不写入任何数据，并在原文件旁生成 <文件名>.errors.xlsx 标出问题单元格。",
    "6. 同一文件重复导入不会产生变化；每次导入都记入审计日志（含文件指纹）。",
]


def _formats(wb):
    return {
        "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "top"}),
        "key": wb.add_format({"font_color": "#808080", "italic": True}),
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "bad": wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
    }


def _rule(col: Column) -> str:
    parts = [col.type.description if isinstance(col.type, ColumnType) else TYPE_NAMES.get(col.type, col.type)]
    if col.choices:
        parts.append("、".join(f"{c}={label}" for c, label in col.choices))
    if col.min is not None and col.max is not None:
        parts.append(f"{col.min:g}—{col.max:g}")
    elif col.min is not None:
        parts.append(f"不小于 {col.min:g}")
    if col.max_length:
        parts.append(f"不超过 {col.max_length} 字")
    return "；".join(parts)


def _header(ws, fmt, kind: Kind, columns: list[Column]) -> None:
    for i, col in enumerate(columns):
        ws.write(0, i, col.header, fmt["head"])
        ws.write(1, i, col.key, fmt["key"])
        ws.set_column(i, i, max(12, min(30, len(col.header) * 2 + 2)))
    ws.set_row(0, 32)
    ws.set_row(1, None, None, {"hidden": True})
    ws.freeze_panes(2, 0)


def _dropdown(col: Column) -> list[tuple[str, str]]:
    """(code, label) of the column's dropdown: a domain type's choices, a model field's choices, 是/否."""
    if isinstance(col.type, ColumnType):
        return col.type.choices() if col.type.choices else []
    return list(col.choices) or ([("是", "true"), ("否", "false")] if col.type == "bool" else [])


def write_template(out: Path, kind: Kind) -> None:
    wb = xlsxwriter.Workbook(str(out))
    fmt = _formats(wb)
    data = wb.add_worksheet("数据")
    notes = wb.add_worksheet("说明")
    codes = wb.add_worksheet("代码表")
    columns = list(kind.columns)
    _header(data, fmt, kind, columns)
    for i, col in enumerate(columns):
        data.write_comment(0, i, f"{col.key}\n{_rule(col)}" + ("\n必填" if col.required else ""),
                           {"x_scale": 2, "y_scale": 1.2})

    codes.write_row(0, 0, ["列表", "代码", "名称"], fmt["head"])
    start = 1
    for i, col in enumerate(columns):
        items = _dropdown(col)
        if not items:
            continue
        name = f"list_{col.key}"
        for j, (code, label) in enumerate(items):
            codes.write_row(start + j, 0, [col.key, code, label])
        wb.define_name(name, f"='代码表'!$B${start + 1}:$B${start + len(items)}")
        data.data_validation(2, i, DATA_ROWS + 1, i, {
            "validate": "list", "source": f"={name}", "error_type": "warning",
            "error_title": "请选择代码", "error_message": f"{col.label}应从下拉列表中选择（见“代码表”）",
        })
        start += len(items)
    codes.set_column(0, 2, 18)
    codes.hide()

    notes.write(0, 0, f"{kind.title}导入模板（{kind.name}）", fmt["title"])
    for r, line in enumerate(INSTRUCTIONS, start=2):
        notes.write(r, 0, line)
    r = len(INSTRUCTIONS) + 3
    notes.write_row(r, 0, ["列名", "字段代码", "单位", "必填", "填写要求"], fmt["head"])
    for j, col in enumerate(columns, start=r + 1):
        notes.write_row(j, 0, [col.label, col.key, col.unit, "是" if col.required else "", _rule(col)], fmt["wrap"])
    notes.set_column(0, 0, 28)
    notes.set_column(1, 1, 24)
    notes.set_column(2, 3, 12)
    notes.set_column(4, 4, 60)
    data.activate()
    wb.close()


def _cell(v):
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list):
        return ";".join(map(str, v))
    return v


def write_export(out: Path, kind: Kind, frame: pl.DataFrame) -> None:
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    fmt = _formats(wb)
    ws = wb.add_worksheet("数据")
    columns = [kind.by_key[c] for c in frame.columns]
    _header(ws, fmt, kind, columns)
    for r, row in enumerate(frame.iter_rows(), start=2):
        ws.write_row(r, 0, [_cell(v) for v in row])
    wb.close()


def write_error_report(out: Path, kind: Kind, table, errors) -> None:
    """Sheet 错误清单: one line per problem. Sheet 出错行: the rows with problems as read, bad cells
    marked red with the reason as a comment, and all reasons in the last column."""
    wb = xlsxwriter.Workbook(str(out))
    fmt = _formats(wb)
    listing = wb.add_worksheet("错误清单")
    listing.write_row(0, 0, ["行号", "列", "值", "问题"], fmt["head"])
    for r, e in enumerate(errors, start=1):
        listing.write_row(r, 0, [e.row, e.column, e.value, e.message])
    listing.set_column(0, 0, 8)
    listing.set_column(1, 1, 30)
    listing.set_column(2, 2, 24)
    listing.set_column(3, 3, 70)
    listing.freeze_panes(1, 0)

    rows_ws = wb.add_worksheet("出错行")
    headers = [h for h in table.headers if h in table.raw.columns]
    display_to_key = {c.display: c.key for c in kind.columns} | {h: h for h in headers}
    rows_ws.write_row(0, 0, ["行号", *[kind.by_key[h].header if h in kind.by_key else h for h in headers], "问题说明"],
                      fmt["head"])
    by_row: dict[int, list] = {}
    for e in errors:
        by_row.setdefault(e.row, []).append(e)
    wanted = table.raw.filter(pl.col("__row").is_in(list(by_row)))
    for r, row in enumerate(wanted.iter_rows(named=True), start=1):
        problems = by_row[row["__row"]]
        bad = {display_to_key.get(e.column): e.message for e in problems}
        rows_ws.write(r, 0, row["__row"])
        for i, h in enumerate(headers, start=1):
            if h in bad:
                rows_ws.write(r, i, row.get(h) or "", fmt["bad"])
                rows_ws.write_comment(r, i, bad[h])
            else:
                rows_ws.write(r, i, row.get(h) or "")
        rows_ws.write(r, len(headers) + 1, "；".join(f"{e.column}：{e.message}" for e in problems))
    rows_ws.set_column(1, len(headers), 14)
    rows_ws.set_column(len(headers) + 1, len(headers) + 1, 60)
    rows_ws.freeze_panes(1, 1)
    wb.close()
