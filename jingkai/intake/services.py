"""Data intake: templates, validated all-or-nothing imports, exports.

An import reads every cell as text, validates everything (validation.py, vectorised with polars and
numpy) and writes nothing unless every cell is valid. The stored rows with the same keys are read with
plain SELECTs and compared by a polars join; only created and changed rows are written, in one
transaction, as executemany statements, chunk by chunk (IMPORT_WRITE_CHUNK_ROWS rows read, compared, written
and audited at a time: a 1M-row file does not hold every row's Python values at once). The audit holds every created row's values and every updated
row's changed fields before and after, packed into bulk entries (audit.services.record_bulk, one
entry per 10,000 rows; audit.services.changes_for reads a row's history back; why: see there), plus
one summary entry; all carry the
file's sha256 as their batch. Importing the same file again changes nothing.

The kinds and what their rows mean belong to the apps (`Kind.plan`, `Kind.rows`, their column types; see
jingkai.intake.kinds); this module is the machinery: reading, typing, checking, writing, templates,
exports and error reports. It imports no domain app.

Who may import: `run_import` requires `intake.import_zone_data`; `run_import_rows` the capability its caller
names (the zones' entry page: `zones.enter_data`). `user=None` is a system run (the CLI without --user, the
demo build, benchmarks): no capability and no scope limit. A kind may write several tables (enterprise-years: one per fact table); all
are written in one transaction and a file row counts as created when it is new in every table.

Measured with benchmarks/bench_import.py (100,000 new enterprise-year rows × 30 columns, SQLite,
2 shared cores): 3.0 s wall when EnterpriseYear was one table; 4.9 s wall / 5.1 s CPU since the combined
kind writes six fact tables (600,000 rows, six audit bulks); the unchanged re-import 2.4 s.
"""

import codecs
import hashlib
import json
import secrets
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import fastexcel
import polars as pl
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import get_valid_filename

from jingkai.accounts import authz
from jingkai.accounts.scope import PROVINCE, Scope
from jingkai.audit.services import record, record_bulk
from jingkai.bulk import analyze, db_column
from jingkai.intake import excel, xlsx
from jingkai.intake.capabilities import IMPORT_ZONE_DATA
from jingkai.intake.kinds import get_kind
from jingkai.intake.planning import CHUNK, Plan, PlanContext, select_in
from jingkai.intake.specs import Column, Kind, wide_kind
from jingkai.intake.validation import (
    HEADING,
    ROW,
    UNIT,
    Checker,
    column_key,
    duplicates,
    header_problems,
    heading,
    heading_keys,
    normalise,
    parse_columns,
)
from jingkai.media import local_file, store
from jingkai.registry import Capability
from jingkai.spreadsheets import csv_safe_frame

DATA_SHEET = "数据"


@dataclass
class CellError:
    row: int
    column: str
    value: str
    message: str

    def __str__(self) -> str:
        return f"第 {self.row} 行 {self.column}：“{self.value}” {self.message}"


@dataclass
class ImportResult:
    kind: str
    ok: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[CellError] = field(default_factory=list)
    file_hash: str = ""
    report_path: Path | None = None
    notes: list[str] = field(default_factory=list)  # what was read otherwise than written (123万元 → 123)

    def summary(self) -> str:
        title = get_kind(self.kind).title
        if self.ok:
            return f"{title}导入成功：新增 {self.created} / 更新 {self.updated} / 未变 {self.unchanged}"
        report = f"，错误报告：{self.report_path}" if self.report_path else ""
        return f"{title}导入失败：发现 {len(self.errors)} 处问题，未写入任何数据{report}"


@dataclass
class Table:
    """Cells as text, with the row number the user sees in the file."""

    raw: pl.DataFrame
    headers: list[str]
    header_row: int


# ---------------------------------------------------------------- reading

def read_table(path: Path, kind: Kind, n_rows: int | None = None) -> Table:
    """The file's cells as text; `n_rows`: only the first rows (the headings, checked before the rest is read:
    an .xlsx's first rows are streamed from its XML, a CSV's from its first bytes)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        cells = _csv_cells(path, n_rows)
    elif suffix in (".xlsx", ".xlsm"):
        cells = _xlsx_cells(path, n_rows).lazy()
    else:
        raise UnreadableFile(f"不支持的文件类型“{path.suffix}”：请使用 .xlsx（填好的模板）或 .csv")
    layout = wide_kind(kind) if kind.wide else None
    try:  # the file is parsed here, lazily: its head for the headings, then the rows
        headers, skip = _headings(cells.head(HEADER_SEARCH).collect(), kind, layout)
        keep = [i for i, h in enumerate(headers) if h]
        names = cells.collect_schema().names()
        unique = len(set(headers[i] for i in keep)) == len(keep)
        body = cells.slice(skip).select([names[i] for i in keep]).rename(dict(zip(
            [names[i] for i in keep], [headers[i] if unique else f"{headers[i]}#{n}" for n, i in enumerate(keep)],
            strict=True)))
        table = _table(body, [headers[i] for i in keep], header_row=skip, csv=suffix == ".csv")
    except pl.exceptions.PolarsError:
        raise UnreadableFile(BAD_CSV) from None
    return _long(table, kind, layout) if layout is not None else table


def _headings(df: pl.DataFrame, kind: Kind, layout: Kind | None) -> tuple[list[str], int]:
    """The keys of the sheet's columns and the rows above the data: the kind's, or its wide layout's."""
    headers, skip = _header_row(df, kind)
    if layout is not None and not any(h in layout.by_key and h not in kind.by_key for h in headers):
        wide_headers, wide_skip = _header_row(df, layout)
        if any(h in layout.by_key and h not in kind.by_key for h in wide_headers):
            return wide_headers, wide_skip
    return headers, skip


CSV_HEAD_BYTES = 1 << 20  # the heading check reads this much of a CSV


def _csv_cells(path: Path, n_rows: int | None) -> pl.LazyFrame:
    """A CSV's cells as text. polars reads a UTF-8 file itself (mapped, not copied into Python); a GBK one is
    recoded block by block first. Python's str of a 200 MB file would be 400–800 MB more, and a StringIO of it
    as much again. `n_rows`: only the first rows, from the file's first bytes."""
    if n_rows is None:
        def blocks() -> Iterable[bytes]:
            with path.open("rb") as f:
                while block := f.read(CSV_BLOCK_BYTES):
                    yield block
        source: Path | bytes = path if _is_utf8(blocks(), settings.IMPORT_MAX_ROWS) else _as_utf8(blocks())
    else:
        with path.open("rb") as f:
            data = f.read(CSV_HEAD_BYTES)
        if len(data) == CSV_HEAD_BYTES and b"\n" in data:
            data = data[:data.rfind(b"\n") + 1]  # whole lines (and whole characters) only
        source = data if _is_utf8([data]) else _as_utf8([data])
    return pl.scan_csv(source, has_header=False, infer_schema=False, truncate_ragged_lines=True, n_rows=n_rows)


BAD_CSV = "CSV 文件格式不正确（应为逗号分隔、第一行为列名的表格）"
CSV_BLOCK_BYTES = 1 << 22
GBK = "gb18030"  # a CSV saved by Excel on a Chinese Windows (GB18030 reads GBK and GB2312 too)


def _is_utf8(blocks: Iterable[bytes], max_rows: int | None = None) -> bool:
    """Whether the blocks are UTF-8 (else they are read as GB18030); refuses NUL bytes (no text) and, with
    `max_rows`, more lines than that."""
    lines, utf8, valid = 0, codecs.getincrementaldecoder("utf-8")(), True
    for block in blocks:
        lines += block.count(b"\n")
        if max_rows is not None and lines > max_rows + 1:
            raise UnreadableFile(TOO_MANY_ROWS.format(limit=max_rows))
        if b"\x00" in block:
            raise UnreadableFile(BAD_CSV_ENCODING)
        if valid:
            try:
                utf8.decode(block)
            except UnicodeDecodeError:
                valid = False
    try:
        return valid and utf8.decode(b"", final=True) == ""
    except UnicodeDecodeError:
        return False


def _as_utf8(blocks: Iterable[bytes]) -> bytes:
    """GB18030 blocks recoded as UTF-8 (refused when they are not GB18030 either)."""
    decoder, out = codecs.getincrementaldecoder(GBK)(), bytearray()
    try:
        for block in blocks:
            out += decoder.decode(block).encode("utf-8")
        out += decoder.decode(b"", final=True).encode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile(BAD_CSV_ENCODING) from None
    return bytes(out)


def _xlsx_cells(path: Path, n_rows: int | None) -> pl.DataFrame:
    if n_rows is not None:  # fastexcel loads the whole sheet even for n_rows: the head is streamed instead
        try:
            rows = xlsx.head_rows(path, DATA_SHEET, n_rows)
        except (zipfile.BadZipFile, KeyError, IndexError, ValueError, ET.ParseError, OSError):
            raise UnreadableFile(NOT_XLSX) from None
        width = max((len(r) for r in rows), default=0)
        return pl.DataFrame([[r[i] for r in rows] for i in range(width)], schema=dict.fromkeys(
            [f"c{i}" for i in range(width)], pl.Utf8), orient="col")
    try:
        reader = fastexcel.read_excel(str(path))
    except (fastexcel.FastExcelError, OSError, ValueError):
        raise UnreadableFile(NOT_XLSX) from None
    sheet = DATA_SHEET if DATA_SHEET in reader.sheet_names else reader.sheet_names[0]
    # skip_rows=0: leading empty rows are kept, so that row numbers are the sheet's
    cells = reader.load_sheet(sheet, header_row=None, dtypes="string", skip_rows=0).to_polars()
    return cells.with_columns(pl.all().str.strip_suffix(" 00:00:00"))  # a date cell: 2024-05-01, as typed


NOT_XLSX = "文件不是有效的 Excel（.xlsx）文件，可能已损坏或只是改了扩展名；请在 Excel 中另存为 .xlsx 后重新上传"
TOO_MANY_ROWS = "文件行数超过上限 {limit} 行，请分成几个文件导入"
BAD_CSV_ENCODING = "CSV 文件无法按文本读取（应为 UTF-8 或 GBK 编码的表格），可能不是 CSV 文件"


class UnreadableFile(ValueError):
    """A file that cannot be read as a table; the message says in Chinese what is wrong, nothing more."""


def check_size(path: Path) -> None:
    """Refuse a file above the configured size before reading it: IMPORT_MAX_BYTES on disk and, for an .xlsx
    (a zip), IMPORT_MAX_UNPACKED_BYTES as the zip declares its contents (a 3.5 MB file can unpack to 1 GB)."""
    mb = 1024 * 1024
    if path.stat().st_size > settings.IMPORT_MAX_BYTES:
        raise UnreadableFile(f"文件过大（{path.stat().st_size / mb:.1f} MB），上限 {settings.IMPORT_MAX_BYTES // mb} MB，"
                             "请分成几个文件导入")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        try:
            with zipfile.ZipFile(path) as archive:
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, OSError):
            raise UnreadableFile(NOT_XLSX) from None
        if unpacked > settings.IMPORT_MAX_UNPACKED_BYTES:
            raise UnreadableFile(f"Excel 文件解压后过大（{unpacked / mb:.0f} MB），上限 "
                                 f"{settings.IMPORT_MAX_UNPACKED_BYTES // mb} MB；请删除多余的工作表、格式或空行，"
                                 "或分成几个文件导入")


def _header_errors(path: Path, spec: Kind, zone_code: str | None) -> list[CellError]:
    """The headings checked on the first rows alone, before the whole file is read; a file of another kind
    is named as such (这是企业名录模板，不是园区指标模板) instead of a list of unknown columns."""
    from jingkai.intake.kinds import all_kinds

    head = read_table(path, spec, n_rows=HEADER_ROWS)
    fixed = {"zone_code"} if zone_code and "zone_code" in spec.by_key else set()
    problems = header_problems(head.headers, spec, fixed, _candidates(spec))
    if not problems:
        return []
    unknown = [h for h in head.headers if h not in spec.by_key]
    # another kind's file: most of its headings are not the chosen kind's, and all are the other kind's
    # (a column of a sibling table in a table kind's file stays an unknown column)
    for other in (all_kinds().values() if len(unknown) * 2 > len(head.headers) else ()):
        if other.name != spec.name and not header_problems(read_table(path, other, n_rows=HEADER_ROWS).headers, other, set()):
            return [CellError(head.header_row, "数据类别", other.title,
                              f"这是{other.title}模板，不是{spec.title}模板，请重新选择数据类别")]
    return [CellError(head.header_row, column, "", message) for column, message in problems]


def _candidates(spec: Kind) -> list[Column]:
    """The columns a file's headings may name: the kind's and, for a kind with a 报表 layout, its items."""
    wide = [c for c in wide_kind(spec).columns if c.key not in spec.by_key] if spec.wide else []
    return [*spec.columns, *wide]


UNCALCULATED = "公式单元格没有计算结果，请在 Excel 中重新计算后保存"


def _formula_errors(path: Path, spec: Kind) -> list[CellError]:
    """Formula cells below the headings that hold no calculated value (a file written by a program, never opened
    in Excel): each named by row and column, instead of reading as empty (必填 or, in an optional column, stored
    empty without a word)."""
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    try:
        found = xlsx.uncalculated_formulas(path, DATA_SHEET)
    except (zipfile.BadZipFile, KeyError, IndexError, ValueError, OSError):
        raise UnreadableFile(NOT_XLSX) from None
    if not found:
        return []
    headers, skip = _headings(_xlsx_cells(path, HEADER_ROWS), spec, wide_kind(spec) if spec.wide else None)
    columns = {c.key: c.display if c.key in spec.by_key else c.header for c in _candidates(spec)}
    return [CellError(row, columns.get(headers[col], headers[col]), formula, UNCALCULATED)
            for row, col, formula in found
            if row > skip and col < len(headers) and headers[col] and headers[col] != excel.MARK_KEY]


HEADER_SEARCH = 6  # rows above the data that may hold the title, the subtitle, the headings and the keys
HEADER_ROWS = HEADER_SEARCH + 2  # read for the heading check: a template's title, labels and key rows, and a data row


def _header_row(df: pl.DataFrame, kind: Kind) -> tuple[list[str], int]:
    """The column keys of a sheet and the rows above the data: the (hidden) key row of a template or an
    export (below its title and Chinese headings), a key row on top, or else a row of the Chinese headings
    (label, with or without its unit; nothing guessed), two rows when an office's heading has merged cells
    (营业收入 below a merged 财务情况, 企业名称 merged down over both rows). Headings are compared normalised
    (`validation.heading`: spaces, line breaks, full-width forms)."""
    rows = [[heading(v) for v in r] for r in df.head(HEADER_SEARCH).rows()]
    for i, row in enumerate(rows):
        if _looks_like_keys(row, kind):
            return row, i + 1
    labels = heading_keys(kind) | {excel.MARK_LABEL: excel.MARK_KEY}

    def keys(row: list[str]) -> list[str | None]:
        return [column_key(v, kind, labels) or (excel.MARK_KEY if v == excel.MARK_LABEL else None) if v else None
                for v in row]

    def is_heading(row: list[str]) -> bool:
        filled = [k for v, k in zip(row, keys(row), strict=True) if v]
        return bool(filled) and sum(k is not None for k in filled) >= max(1, len(filled) // 2)

    for i, row in enumerate(rows):
        if not is_heading(row):
            continue
        top = [k or v for v, k in zip(row, keys(row), strict=True)]
        if i + 1 < len(rows) and is_heading(rows[i + 1]):  # two heading rows: per column the one naming a column
            below = rows[i + 1]
            named = set(kind.by_key) | {excel.MARK_KEY}
            return [kb or (a if a in named else v or a) for a, v, kb in zip(top, below, keys(below), strict=True)], i + 2
        return top, i + 1
    return (rows[0] if rows else []), 1


def _long(table: Table, kind: Kind, layout: Kind) -> Table:
    """A wide 报表 (one column per item) as the long kind's rows: one row per filled item cell, with the row
    number of the sheet's row."""
    assert kind.wide is not None
    w = kind.wide
    items = [h for h in table.headers if h in layout.by_key and h not in kind.by_key]
    if not items:
        return table
    ids = [h for h in table.headers if h not in items]
    long = table.raw.unpivot(index=[ROW, *ids], on=items, variable_name=w.item, value_name=w.value)
    long = long.filter(pl.col(w.value).str.strip_chars().str.len_chars() > 0).sort(ROW, maintain_order=True)
    units = {k: "" if c.fraction else c.unit for k, c in layout.by_key.items()}  # 123万元 in a 万元 item is 123
    headings = {k: c.header for k, c in layout.by_key.items()}
    long = long.with_columns(pl.col(w.item).replace_strict(units, default="").alias(UNIT),
                             pl.col(w.item).replace_strict(headings, default="").alias(HEADING))
    return Table(normalise(long.select(*ids, w.item, w.value, UNIT, HEADING, ROW)), [*ids, w.item, w.value],
                 table.header_row)


def _looks_like_keys(row: list[str], kind: Kind) -> bool:
    filled = [v for v in row if v]
    return bool(filled) and sum(v in kind.by_key for v in filled) >= max(1, len(filled) // 2)


def _table(df: pl.DataFrame | pl.LazyFrame, headers: list[str], header_row: int, csv: bool = False) -> Table:
    """The data rows' cells trimmed, empty cells null (`validation.normalise`), numbered as in the file. One lazy
    query run by the streaming engine: the file's cells are not copied once per step (1M rows × 30 columns)."""
    raw = df.lazy().with_columns(pl.all().cast(pl.Utf8)).with_row_index(ROW, offset=header_row + 1)
    raw = raw.with_columns(pl.col(ROW).cast(pl.Int64))
    columns = raw.collect_schema().names()
    if excel.MARK_KEY in columns:  # 序号: the template's example row is not imported, the numbers neither
        raw = raw.filter(pl.col(excel.MARK_KEY).fill_null("").str.strip_chars() != excel.EXAMPLE).drop(excel.MARK_KEY)
        headers = [h for h in headers if h != excel.MARK_KEY]
        columns.remove(excel.MARK_KEY)
    if csv:  # what csv_safe added to an export is taken off again: '=… → =…
        raw = raw.with_columns([pl.col(c).str.replace(r"^'([=+\-@\t\r])", "$1") for c in columns if c != ROW])
    cells = [c for c in columns if c != ROW]
    if cells:  # drop rows with no content at all (Excel keeps formatted empty rows)
        raw = raw.filter(pl.any_horizontal([pl.col(c).str.strip_chars().str.len_chars() > 0 for c in cells]))
    return Table(normalise(raw).collect(engine="streaming"), headers, header_row)


def rows_table(rows: list[dict]) -> Table:
    """Rows given as dicts (web form): row 1 is the first dict."""
    headers: list[str] = []
    for r in rows:
        headers += [k for k in r if k not in headers]
    data = {h: [_as_text(r.get(h)) for r in rows] for h in headers}
    df = pl.DataFrame(data, schema=dict.fromkeys(headers, pl.Utf8))
    return _table(df, headers, header_row=0)


def _as_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return ";".join(map(str, v))
    return str(v)


# ---------------------------------------------------------------- validation

def _writable_zones(user, zones: dict[str, int]) -> set[int]:
    scope: Scope = user.scope if user is not None else PROVINCE
    return {zid for zid in zones.values() if scope.can_write_zone(zid)}


def _load_known(kind: Kind) -> dict[str, Any]:
    """What each of the kind's column types reads once per import (zone code → id …), by type name."""
    return {name: t.load() for name, t in kind.column_types.items() if t.load is not None}


def validate(kind: Kind, table: Table, user=None, zone_code: str | None = None, source: str = "文件导入",
             held: Sequence[CellError] = ()) -> tuple[list[Plan] | None, list[CellError], list[str]]:
    """The plans of the writes, or the errors; and the notes. `held`: errors found on the file before its cells
    were read (formula cells without a value), reported with the rest in place of their cells' other problems."""
    known = _load_known(kind)
    zones: dict[str, int] = known.get(kind.zone.name, {}) if kind.zone else {}
    check = Checker(kind)
    zone_code = zone_code.strip().upper() if zone_code else None
    if zone_code and zone_code not in zones:
        check.add(table.header_row, "--zone", zone_code, "园区代码不存在")
    fixed = {"zone_code"} if zone_code and "zone_code" in kind.by_key else set()
    for column, message in header_problems(table.headers, kind, fixed):
        check.add(table.header_row, column, "", message)
    if check.frames:
        return None, _cell_errors(check), []
    if held:
        check.hold([(e.row, e.column, e.value, e.message) for e in held])
    raw = table.raw  # trimmed, empty cells null: _table
    if fixed:
        filled = pl.coalesce(pl.col("zone_code"), pl.lit(zone_code)) if "zone_code" in raw.columns else pl.lit(zone_code)
        raw = raw.with_columns(filled.alias("zone_code"))
    typed = parse_columns(raw, kind, check, known)
    duplicates(raw, kind, typed, check)
    writable = _writable_zones(user, zones) if user is not None else None
    plans = kind.plan(PlanContext(kind, raw, typed, check, zones, known, writable, zone_code, source))
    errors = _cell_errors(check)
    return (None if errors else plans), errors, check.notes


def _cell_errors(check: Checker) -> list[CellError]:
    return [CellError(r["row"], r["column"], r["value"] or "", r["message"]) for r in check.errors().iter_rows(named=True)]


# ---------------------------------------------------------------- writing

def _complete(plan: Plan) -> pl.DataFrame:
    """The records with empty cells of NOT NULL columns replaced by the model's default, so that what
    is compared is what is stored."""
    fields = {f.attname: f for f in plan.model._meta.concrete_fields}
    fills = [pl.col(n).fill_null(pl.lit(fields[n].get_default(), dtype=plan.records.schema[n]))
             for n in plan.write_fields if not fields[n].null and fields[n].get_default() is not None]
    return plan.records.with_columns(fills) if fills else plan.records


def _json_columns(plan: Plan) -> list[str]:
    fields = {f.attname: f for f in plan.model._meta.concrete_fields}
    return [n for n in plan.write_fields if isinstance(fields[n], models.JSONField)]


def _load_existing(plan: Plan, frame: pl.DataFrame) -> pl.DataFrame:
    """Stored rows with the same keys, typed like `frame` (`__id` = primary key). Both drivers return
    JSON as text (Django registers text loaders); it is decoded by polars."""
    first = plan.key_fields[0]
    cols = [plan.model._meta.pk.attname, *plan.key_fields, *plan.write_fields]
    json_cols = _json_columns(plan)
    rows = select_in(plan.model, cols, first, frame[first].drop_nulls().unique().sort().to_list())
    schema = {"__id": pl.Int64} | {c: (pl.Utf8 if c in json_cols else frame.schema[c]) for c in cols[1:]}
    old = pl.DataFrame(rows, schema=schema, orient="row")
    return old.with_columns([_decode_json(old[c], frame.schema[c]) for c in json_cols])


def _decode_json(text: pl.Series, dtype: pl.DataType) -> pl.Series:
    try:
        return text.str.json_decode(dtype)
    except pl.exceptions.PolarsError:  # something else stored (admin): keep the text so it compares unequal
        values = [json.loads(t) if t is not None else None for t in text.to_list()]
        fit = [v if isinstance(v, list) and all(isinstance(x, str) for x in v) else [json.dumps(v, ensure_ascii=False)]
               for v in values]
        return pl.Series(text.name, [f if t is not None else None for f, t in zip(fit, values, strict=True)], dtype=dtype)


def _json_of(column: str, expr: pl.Expr) -> pl.Expr:
    """`expr` as the JSON text of its value (lists, dates, numbers …), encoded by polars."""
    text = pl.struct(expr.alias(column)).struct.json_encode().str.slice(len(column) + 4).str.strip_suffix("}")
    return pl.when(expr.is_null()).then(None).otherwise(text).alias(column)


def _db_values(frame: pl.DataFrame, names: list[str], json_cols: list[str]) -> pl.DataFrame:
    """The columns in the form both drivers take: JSON and dates as text."""
    return frame.select([_json_of(n, pl.col(n)) if n in json_cols else
                         pl.col(n).cast(pl.Utf8) if frame.schema[n] == pl.Date else pl.col(n) for n in names])


def _differs(column: str, dtype: pl.DataType) -> pl.Expr:
    """Whether a file's value differs from the stored one. Numbers compare to 12 significant digits: an
    export writes 8519805.859999999 as 8519805.86, the xlsx reader gives 1818.181818181818 back as
    1818.181818182, and the file imported back changes nothing."""
    new, old = pl.col(column), pl.col(f"{column}__old")
    if dtype != pl.Float64:
        return new.ne_missing(old)
    return pl.when(new.is_null() | old.is_null()).then(new.is_null() != old.is_null()).otherwise(
        (new - old).abs() > 1e-12 * pl.max_horizontal(new.abs(), old.abs()))


def _audit_rows(creates: pl.DataFrame, updates: pl.DataFrame, w: list[str]) -> pl.DataFrame:
    """(action, object_key, before, after) as JSON text: a created row's values; an updated row's
    changed fields before and after."""
    schema = pl.Schema({"action": pl.Utf8, "object_key": pl.Utf8, "before": pl.Utf8, "after": pl.Utf8})
    if not w:
        return pl.DataFrame(schema=schema)
    made = creates.select(pl.lit("create").alias("action"), pl.col("__key").alias("object_key"),
                          pl.lit(None, pl.Utf8).alias("before"), pl.struct(w).struct.json_encode().alias("after"))

    def diff(suffix: str) -> pl.Expr:
        parts = [pl.when(_differs(c, updates.schema[c])).then(
            pl.struct(pl.col(f"{c}{suffix}").alias(c)).struct.json_encode().str.slice(1).str.strip_suffix("}"))
            for c in w]
        return pl.concat_str([pl.lit("{"), pl.concat_str(parts, separator=",", ignore_nulls=True), pl.lit("}")])

    changed = updates.select(pl.lit("update").alias("action"), pl.col("__key").alias("object_key"),
                             diff("__old").alias("before"), diff("").alias("after"))
    return pl.concat([made, changed]).cast(schema)


def _write(plan: Plan, kind: str, user, batch: str, note: str) -> pl.DataFrame:
    """Write one table's plan; returns for each file row whether it was new (`__new`) or changed
    (`__changed`) in this table. In chunks of IMPORT_WRITE_CHUNK_ROWS file rows (the stored rows read,
    compared, written and audited chunk by chunk: the database values of one chunk are in memory at a
    time), all inside the import's one transaction: a failure in any chunk writes nothing."""
    meta = plan.model._meta
    frame = _complete(plan).with_columns(__key=pl.Series(plan.object_keys, dtype=pl.Utf8))
    step = max(1, int(settings.IMPORT_WRITE_CHUNK_ROWS))
    flags, created, updated = [], 0, 0
    with transaction.atomic():
        for start in range(0, frame.height, step):
            chunk = _write_chunk(plan, frame.slice(start, step), user, batch, note)
            created += int(chunk["__new"].sum())
            updated += int((~chunk["__new"] & chunk["__changed"]).sum())
            flags.append(chunk)
        record(user, "import", meta.label, kind, after={
            "created": created, "updated": updated, "unchanged": frame.height - created - updated},
            batch=batch, note=note)
    return pl.concat(flags) if flags else pl.DataFrame(schema={"__new": pl.Boolean, "__changed": pl.Boolean})


def _write_chunk(plan: Plan, frame: pl.DataFrame, user, batch: str, note: str) -> pl.DataFrame:
    meta = plan.model._meta
    fields = {f.attname: f for f in meta.concrete_fields}
    json_cols = _json_columns(plan)
    old = _load_existing(plan, frame)
    w = list(plan.write_fields)
    joined = frame.join(old.rename({c: f"{c}__old" for c in w}), on=list(plan.key_fields), how="left",
                        maintain_order="left", nulls_equal=True)
    changed = pl.any_horizontal([_differs(c, frame.schema[c]) for c in w]) if w else pl.lit(False)
    joined = joined.with_columns(__new=pl.col("__id").is_null(), __changed=changed)
    creates = joined.filter(pl.col("__new"))
    updates = joined.filter(~pl.col("__new") & pl.col("__changed"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    auto_now = [f.attname for f in meta.concrete_fields if getattr(f, "auto_now", False) or getattr(
        f, "auto_now_add", False)]
    q = connection.ops.quote_name
    table = q(meta.db_table)
    with connection.cursor() as cursor:
        if creates.height:
            cols = [f.attname for f in meta.concrete_fields if not f.primary_key and f.attname not in auto_now]
            data = creates.with_columns([pl.lit(fields[c].get_default(), allow_object=True).alias(c)
                                         for c in cols if c not in creates.columns])
            sql = (f"INSERT INTO {table} ({', '.join(q(db_column(fields[c])) for c in cols + auto_now)}) "
                   f"VALUES ({', '.join(['%s'] * (len(cols) + len(auto_now)))})")
            stamps = [now] * len(auto_now)
            _executemany(cursor, sql, _db_values(data, cols, [c for c in cols if isinstance(
                fields[c], models.JSONField)]), (lambda r: (*r, *stamps)) if auto_now else None)
        if updates.height:
            stamp = [c for c in auto_now if getattr(fields[c], "auto_now", False)]
            sets = ", ".join(f"{q(db_column(fields[c]))} = %s" for c in w + stamp)
            sql = f"UPDATE {table} SET {sets} WHERE {q(db_column(meta.pk))} = %s"
            stamps = [now] * len(stamp)
            _executemany(cursor, sql, _db_values(updates, [*w, "__id"], json_cols),
                         (lambda r: (*r[:-1], *stamps, r[-1])) if stamp else None)
        record_bulk(user, meta.label, _audit_rows(creates, updates, w), batch=batch, note=note)
    return joined.select("__new", "__changed")


def _lock_tables(plans: list[Plan]) -> None:
    """Imports into the same tables run one after the other: the stored rows are read after the previous
    import committed, so the second import of a file updates (or leaves) what the first created instead of
    inserting the same keys again. PostgreSQL: transaction-scoped advisory locks, one per table, taken in
    name order (no deadlock between kinds sharing tables). SQLite: the transaction began IMMEDIATE
    (settings), which already holds the database's write lock."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in sorted({plan.model._meta.db_table for plan in plans}):
            key = int.from_bytes(hashlib.sha256(f"jingkai-import:{table}".encode()).digest()[:8], "big", signed=True)
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _executemany(cursor, sql: str, values: pl.DataFrame, shape: Callable[[tuple], tuple] | None = None) -> None:
    """The rows of `values` (each `shape`d: the time stamps added), CHUNK rows turned into tuples at a time."""
    for i in range(0, values.height, CHUNK):
        rows = values.slice(i, CHUNK).rows()
        cursor.executemany(sql, [shape(r) for r in rows] if shape else rows)


# ---------------------------------------------------------------- entry points

def _require(user, capability: Capability) -> None:
    """A person must hold the capability; a system run (user None) needs none."""
    if user is not None:
        authz.require(user, capability)


def save_upload(upload: UploadedFile, *, user) -> tuple[str, Path]:
    """Keep an uploaded file in the media storage under imports/<sha256>-<random>/ for the import and its error report
    (and for the job worker, when the import runs as a job: jingkai.intake.jobs);
    only for someone who may import (nothing is stored otherwise). Returns (that folder's name, path)."""
    _require(user, IMPORT_ZONE_DATA)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    # One folder per upload (the file's sha256 and a random part): two uploads of the same file at the same
    # time never write the same path, nor the same error report.
    sha = f"{digest.hexdigest()}-{secrets.token_hex(4)}"
    name = upload.name or "upload"
    upload.seek(0)
    stored = default_storage.save(f"imports/{sha}/{get_valid_filename(Path(name).name) or f'upload{Path(name).suffix}'}",
                                  upload)  # the filesystem, or the S3-compatible store every server shares
    return sha, local_file(stored)


def keep_report(result: ImportResult, sha: str) -> str | None:
    """Keep a failed import's error report (run_import writes it beside the local file, on a store a
    temporary copy) in its upload's folder of the media storage: imports/<sha>/<name>.errors.xlsx. Returns
    that name; None when the import wrote no report."""
    if result.report_path is None or not result.report_path.is_file():
        return None
    return store(result.report_path, f"imports/{sha}/{result.report_path.name}")


def _no_progress(done: int, total: int | None = None, step: str = "") -> None:
    pass


def run_import(kind: str, path: Path, user=None, zone_code: str | None = None,
               progress: Callable[..., None] = _no_progress) -> ImportResult:
    """Import a file. A user must hold `intake.import_zone_data` (PermissionDenied otherwise) and writes only
    the zones of their scope; user None is a system run (CLI without --user): no capability, no limit.
    `progress(done, total, step)` hears of its three steps (the CLI's bar, a job's page)."""
    _require(user, IMPORT_ZONE_DATA)
    progress(0, 3, "读取文件")
    spec = get_kind(kind)
    path = Path(path)
    with path.open("rb") as f:
        file_hash = hashlib.file_digest(f, "sha256").hexdigest()  # in chunks: the file is not held in memory
    try:
        check_size(path)
        if header := _header_errors(path, spec, zone_code):
            return ImportResult(kind, False, errors=header, file_hash=file_hash)
        formulas = _formula_errors(path, spec)
        table = read_table(path, spec)
        if table.raw.height > settings.IMPORT_MAX_ROWS:
            raise UnreadableFile(TOO_MANY_ROWS.format(limit=settings.IMPORT_MAX_ROWS))
    except UnreadableFile as exc:
        return ImportResult(kind, False, errors=[CellError(0, "文件", path.name, str(exc))], file_hash=file_hash)
    except (ValueError, pl.exceptions.PolarsError, fastexcel.FastExcelError):  # no internals on screen
        err = CellError(0, "文件", path.name, "无法读取文件：请使用填好的 .xlsx 模板或 .csv 文件")
        return ImportResult(kind, False, errors=[err], file_hash=file_hash)
    if table.raw.is_empty() and formulas:
        return ImportResult(kind, False, errors=formulas, file_hash=file_hash)
    if table.raw.is_empty():
        err = CellError(table.header_row, "文件", path.name, "文件没有数据行（只有表头），未导入任何数据")
        return ImportResult(kind, False, errors=[err], file_hash=file_hash)
    progress(1, 3, f"校验 {table.raw.height} 行")
    result = _run(spec, table, user, zone_code, file_hash, note=f"导入文件 {path.name}", source="文件导入",
                  held=formulas, progress=progress)
    if not result.ok:
        result.report_path = path.with_name(f"{path.stem}.errors.xlsx")
        excel.write_error_report(result.report_path, spec, table, result.errors)
    return result


def run_import_rows(kind: str, rows: list[dict], user=None, zone_code: str | None = None,
                    source: str = "网页填报", *, capability: Capability = IMPORT_ZONE_DATA) -> ImportResult:
    """Import rows given as dicts (a web form). A user must hold `capability`, the right of the page that
    collects the rows (zones' entry page: `zones.enter_data`); user None is a system run."""
    _require(user, capability)
    spec = get_kind(kind)
    digest = hashlib.sha256(json.dumps(rows, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()
    return _run(spec, rows_table(rows), user, zone_code, digest, note=source, source=source)


ANALYZE_AFTER_ROWS = 10_000


def _run(spec: Kind, table: Table, user, zone_code, file_hash: str, note: str, source: str,
         held: list[CellError] | None = None, progress: Callable[..., None] = _no_progress) -> ImportResult:
    plans, errors, notes = validate(spec, table, user=user, zone_code=zone_code, source=source, held=held or [])
    if errors or plans is None:
        return ImportResult(spec.name, False, errors=errors, file_hash=file_hash)
    table.raw = table.raw.clear()  # the plans hold what is written: the file's cells (1M rows: ~0.5 GB) go now
    progress(2, 3, "写入数据库")
    try:
        with transaction.atomic():
            _lock_tables(plans)
            flags = [_write(plan, spec.name, user, file_hash, note) for plan in plans]
    except IntegrityError:  # a write outside the imports (admin, web form) took a key meanwhile
        err = CellError(0, "文件", "", "导入期间其他操作修改了相同的记录，本次未写入任何数据，请重新导入")
        return ImportResult(spec.name, False, errors=[err], file_hash=file_hash)
    new, touched = flags[0]["__new"], flags[0]["__new"] | flags[0]["__changed"]
    for f in flags[1:]:
        new, touched = new & f["__new"], touched | f["__new"] | f["__changed"]  # created: new in every table
    created, updated = int(new.sum()), int((touched & ~new).sum())
    if created + updated >= ANALYZE_AFTER_ROWS:  # the planner's statistics would be stale for minutes
        analyze()
    progress(3, 3, "完成")
    return ImportResult(spec.name, True, created, updated, len(new) - created - updated, [], file_hash, notes=notes)


def write_template(kind: str, out: Path, wide: bool = False) -> Path:
    """The import template of a kind; `wide`: its 报表-style layout (one column per indicator), where the kind
    has one (ValueError otherwise)."""
    spec = get_kind(kind)
    if wide and spec.wide is None:
        raise ValueError(f"“{spec.title}”没有报表式模板")
    out = Path(out)
    excel.write_template(out, wide_kind(spec) if wide else spec)
    return out


@dataclass(frozen=True)
class PreparedExport:
    """What an export of a kind holds for a scope, read once: the page counts its rows to decide whether a
    background job writes it, and writes it from the same rows when not."""

    spec: Kind
    scope: Scope
    zones: dict[str, int]  # zone code → id
    zone_code: str | None  # the zone asked for
    period: str | None
    frame: pl.DataFrame

    @property
    def rows(self) -> int:
        return self.frame.height


def _export_format(out: Path) -> Path:
    out = Path(out)
    if out.suffix.lower() not in (".csv", ".xlsx"):
        raise ValueError(f"不支持的导出格式“{out.suffix}”：请使用 .csv 或 .xlsx")
    return out


def prepare_export(kind: str, scope: Scope, zone_code: str | None = None,
                   period: str | None = None) -> PreparedExport:
    """The rows `scope` sees (optionally one zone, one period; for enterprise-years the period is the year).
    An unknown zone is a ValueError, one outside the scope a PermissionError."""
    spec = get_kind(kind)
    zones = spec.zone.load() if spec.zone and spec.zone.load else {}
    if zone_code:
        zone_code = zone_code.strip().upper()
        zone_id = zones.get(zone_code)
        if zone_id is None:
            raise ValueError(f"园区代码 {zone_code} 不存在")
        if not scope.sees_zone(zone_id):
            raise PermissionError(f"无权导出园区 {zone_code} 的数据")
    return PreparedExport(spec, scope, zones, zone_code or None, period, spec.rows(scope, zone_code or None, period))


HEADINGS = {"labels": "中文列名和单位（与 Excel 相同）", "keys": "字段代码（供其他系统读取）"}  # a CSV export's headings


def write_prepared(prepared: PreparedExport, out: Path, as_of: date | None = None, headings: str = "labels") -> int:
    """Write the rows to CSV or XLSX (the template layout: title, Chinese headings, names; importable as it is).
    A CSV for people (`headings="labels"`, the default) has the xlsx's Chinese headings with units and its
    values (names, 是/否, lists joined with 、), UTF-8 with a BOM so that Excel opens it, and imports back as it
    is; `headings="keys"` is for other systems: canonical keys, codes, true/false, lists joined with ;. Either
    way text that a spreadsheet would take for a formula is prefixed '. `as_of` (default today) is the date
    the xlsx states and its document date: the same data and date give the same bytes. Returns the number of
    rows."""
    out = _export_format(out)
    if headings not in HEADINGS:
        raise ValueError(f"不支持的表头“{headings}”：请使用 labels（中文列名）或 keys（字段代码）")
    spec, frame = prepared.spec, prepared.frame
    if out.suffix.lower() == ".csv" and headings == "keys":
        text = frame.with_columns(
            [pl.col(c).list.join(";") for c, t in frame.schema.items() if isinstance(t, pl.List)]
        ).with_columns([pl.col(c).cast(pl.Utf8).str.to_lowercase() for c, t in frame.schema.items() if t == pl.Boolean])
        csv_safe_frame(text).write_csv(out)
    elif out.suffix.lower() == ".csv":
        cells = excel.export_cells(spec, frame)
        keys = [c.key for c in spec.columns if c.key in cells.columns]
        labelled = cells.select(keys).rename({k: spec.by_key[k].header for k in keys})
        csv_safe_frame(labelled).write_csv(out, include_bom=True)
    else:
        as_of = as_of or timezone.localdate()
        whose = _whose(spec, prepared.scope, prepared.zones, prepared.zone_code)
        excel.write_export(out, spec, frame, title=f"{whose}{spec.title}", as_of=as_of,
                           subtitle=excel.export_subtitle(whose, as_of, frame.height, prepared.period))
    return frame.height


def export(kind: str, out: Path, scope: Scope, zone_code: str | None = None, period: str | None = None,
           as_of: date | None = None, headings: str = "labels") -> int:
    """Prepare and write an export in one step (the CLI, the job worker). Returns the number of rows."""
    _export_format(out)  # said before the rows are read
    return write_prepared(prepare_export(kind, scope, zone_code, period), out, as_of, headings)


def _whose(spec: Kind, scope: Scope, zones: dict[str, int], zone_code: str | None) -> str:
    """Whose rows an export holds: 全省, a zone's name, or the zones of a scope (兰州、金昌…经济技术开发区)."""
    names = dict(spec.zone.choices()) if spec.zone and spec.zone.choices else {}
    if zone_code:
        return names.get(zone_code, zone_code)
    if scope.all_zones or not names:
        return "全省"
    seen = [names[c] for c, zid in sorted(zones.items()) if scope.sees_zone(zid) and c in names]
    return "、".join(seen) if len(seen) <= 3 else f"{len(seen)}个园区"
