"""The one spreadsheet writer behind every Excel file Jingkai hands out (exports, lists, templates, error
reports, rankings), and the CSV sanitiser. Pure Python (XlsxWriter, polars; no Django): the measures
catalogue's exports use it too.

What every workbook gets from here, so that no app lays it out on its own:
- a title row saying what, whose and as of when, a subtitle row, then the visible Chinese heading row with
  units (营业收入（万元）); machine keys, where a sheet is meant to be imported again, on a hidden row below the
  heading (never in its place);
- values as people read them: 是/否, dates as text, lists joined with 、, numbers without float noise, years
  and counts without thousands separators;
- frozen heading, widths fitted to the content, print setup (A4, landscape when wide, one page wide, heading
  rows repeated, page numbers), fixed document properties (the as-of date as created date: the same data
  gives the same bytes);
- every text cell written as a string, never as a formula (OWASP CSV/formula injection); `csv_safe` for
  CSV files prefixes ' to text that starts with = + - @, tab or carriage return.

Large exports hand `Book.table` a polars frame: in constant-memory mode its rows are turned into the sheet's XML
column by column (`_FrameRows`, vectorised; the cell XML XlsxWriter writes, values typed as `Book.write` types
them) and appended to XlsxWriter's row file, so 80,000 rows × 39 columns are written near the CSV writer's speed.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
import xlsxwriter
import xlsxwriter.workbook
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

ISSUER = "甘肃省商务厅"
TEXT, NUMBER, INTEGER, PERCENT = "text", "number", "integer", "percent"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PORTRAIT_WIDTH = 100  # sum of column widths (characters) an A4 portrait page holds; wider sheets print landscape
SAMPLE = 200  # rows looked at to fit column widths
LIST_JOIN = "、"
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
# zlib level of the file being closed: large exports are deflated at level 1 (a third of the time of the default
# level 6, files about a quarter larger); XlsxWriter opens its ZipFile without a level, so its module's ZipFile is
# given the level of the book closing in this thread (a context variable: other threads' books keep theirs)
LARGE_COMPRESSION = 1
_COMPRESSION: contextvars.ContextVar[int | None] = contextvars.ContextVar("xlsx_compression", default=None)


def _zip_file(file: Any, mode: Any, **kwargs: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(file, mode, compresslevel=_COMPRESSION.get(), **kwargs)


xlsxwriter.workbook.ZipFile = _zip_file


@dataclass(frozen=True)
class Col:
    """A column: its Chinese heading (with the unit), what its values are, and, for sheets read back by the
    import, the machine key written on the hidden row below the heading.

    kind: text (stored as text, cell format @: codes, periods, dates stay as typed), number (`decimals`
    places, thousands separators), integer (no separators: years, counts, ranks), percent (a 0—1 fraction)."""

    header: str
    kind: str = TEXT
    width: float | None = None
    key: str = ""
    decimals: int | None = 2  # None: as written (General)
    wrap: bool = False


def display_width(text: str) -> int:
    """Width in Excel characters: CJK and full-width characters count two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def clean_number(x: float) -> float:
    """The number as people wrote it: 8519805.859999999 → 8519805.86 (15 significant digits)."""
    return float(f"{x:.15g}")


def csv_safe(value: str) -> str:
    """A text value safe to open in a spreadsheet program: ' before = + - @, tab, CR (OWASP)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def csv_safe_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """`frame` with every text column passed through `csv_safe`; numeric columns (negative numbers) untouched."""
    starts = "^[" + "".join("\\" + c if c in "+-" else c for c in FORMULA_START).replace("\t", "\\t").replace(
        "\r", "\\r") + "]"
    return frame.with_columns([
        pl.when(pl.col(c).str.contains(starts)).then(pl.lit("'") + pl.col(c)).otherwise(pl.col(c)).alias(c)
        for c, t in frame.schema.items() if t == pl.Utf8])


def text_of(v: Any) -> str:
    """How a value reads in a cell or a CSV: 是/否, ISO dates, lists joined with 、."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "是" if v else "否"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list | tuple):
        return LIST_JOIN.join(map(str, v))
    if isinstance(v, float) and math.isfinite(v):
        return f"{clean_number(v):g}" if abs(v) < 1e15 else str(v)
    return str(v)


def chinese_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Table:
    """Where a written table sits: heading row, first data row, last row written (0-based)."""

    sheet: Any
    heading_row: int
    first_row: int
    last_row: int
    columns: Sequence[Col]


class Book:
    """An XlsxWriter workbook with Jingkai's formats, properties and print setup. `target`: a path (large
    exports, written in constant-memory mode when `large`) or None (in memory; `close()` returns the bytes)."""

    def __init__(self, target: Path | str | None = None, *, title: str, as_of: dt.date, author: str = ISSUER,
                 subject: str = "", large: bool = False) -> None:
        self.buffer = io.BytesIO() if target is None else None
        options: dict[str, Any] = dict(OPTIONS)
        if target is None:
            options["in_memory"] = True
        elif large:
            options["constant_memory"] = True
        self.book = xlsxwriter.Workbook(self.buffer if self.buffer is not None else str(target), options)
        self.book.set_properties({
            "title": title, "subject": subject or title, "author": author, "manager": author, "company": author,
            "comments": f"数据截至{chinese_date(as_of)}", "created": dt.datetime.combine(as_of, dt.time()),
        })
        self.as_of = as_of
        self.large = target is not None and large
        self._formats: dict[tuple, Any] = {}
        add = self.book.add_format
        self.title_format = add({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter",
                                 "font_name": "宋体"})
        self.subtitle_format = add({"font_size": 10, "align": "center", "valign": "vcenter", "font_color": "#555555"})
        self.key_format = add({"font_color": "#808080", "italic": True, "num_format": "@"})
        self.empty_format = add({"border": 1, "align": "center", "font_color": "#555555"})
        self.label_format = add({"bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "top", "text_wrap": True})
        self.wrap_format = add({"text_wrap": True, "valign": "top", "border": 1, "num_format": "@"})

    def format(self, col: Col | None = None, *, heading: bool = False, locked: bool = True, **extra: Any) -> Any:
        """The (cached) cell format of a column's values, or of a heading."""
        key = (col.kind if col else None, col.decimals if col else None, bool(col and col.wrap), heading, locked,
               tuple(sorted(extra.items())))
        if key not in self._formats:
            props: dict[str, Any] = {"border": 1, "valign": "top"}
            if heading:
                props |= {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "align": "center",
                          "valign": "vcenter"}
            elif col is not None:
                props["num_format"] = {
                    TEXT: "@", INTEGER: "0", PERCENT: "0.00%",
                    NUMBER: "General" if col.decimals is None else "#,##0" + (
                        "." + "0" * col.decimals if col.decimals else ""),
                }[col.kind]
                props["text_wrap"] = col.wrap
            if not locked:
                props["locked"] = False
            self._formats[key] = self.book.add_format(props | extra)
        return self._formats[key]

    def write(self, ws: Any, row: int, column: int, value: Any, col: Col, fmt: Any = None) -> None:
        """One value, typed by its column: text always as a string (never a formula), numbers as numbers."""
        fmt = fmt if fmt is not None else self.format(col)
        if value is None or value == "":
            ws.write_blank(row, column, None, fmt)
        elif col.kind != TEXT and isinstance(value, int | float) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                ws.write_blank(row, column, None, fmt)
            else:
                ws.write_number(row, column, clean_number(value) if isinstance(value, float) else value, fmt)
        else:
            ws.write_string(row, column, text_of(value), fmt)

    def table(self, name: str, columns: Sequence[Col], rows: Iterable[Sequence[Any]] | pl.DataFrame, *, title: str,
              subtitle: str = "", keys: bool = False, empty: str = "", freeze_columns: int = 0,
              autofilter: bool = False, landscape: bool | None = None, before_rows: int = 0,
              sample: Sequence[Sequence[Any]] | None = None) -> Table:
        """A sheet: title, subtitle, heading (and the hidden key row when `keys`), the rows. `empty`: what an
        empty list says. `before_rows`: rows left free between the heading and the data (the template's
        example row), written by the caller. Widths are fitted to `sample` (default: the first rows of a
        sequence; rows given as an iterator are written as they come, in constant memory; a polars frame, whose
        first columns are `columns`, is written vectorised in a constant-memory book). Print setup included."""
        ws = self.book.add_worksheet(name)
        frame = rows if isinstance(rows, pl.DataFrame) else None
        if frame is not None and not (ws.constant_memory and before_rows == 0 and _FrameRows.fits(frame, columns)):
            rows, frame = frame.iter_rows(), None
        if sample is None and isinstance(rows, pl.DataFrame):
            sample = rows.head(SAMPLE).rows()
        elif sample is None:
            sample = list(rows[:SAMPLE]) if isinstance(rows, Sequence) else []
        widths = [c.width or self._fit(c, [r[i] for r in sample]) for i, c in enumerate(columns)]
        last = len(columns) - 1
        for i, w in enumerate(widths):
            ws.set_column(i, i, w)
        ws.set_row(0, 30)
        if last > 0:
            ws.merge_range(0, 0, 0, last, title, self.title_format)
        else:
            ws.write_string(0, 0, title, self.title_format)
        r = 1
        if subtitle:
            if last > 0:
                ws.merge_range(1, 0, 1, last, subtitle, self.subtitle_format)
            else:
                ws.write_string(1, 0, subtitle, self.subtitle_format)
            r = 2
        heading = r
        ws.set_row(heading, 32 if any(display_width(c.header) > w for c, w in zip(columns, widths, strict=True))
                   else 20)
        head = self.format(heading=True)
        for i, c in enumerate(columns):
            ws.write_string(heading, i, c.header, head)
        r += 1
        if keys:
            ws.set_row(r, None, None, {"hidden": True})
            for i, c in enumerate(columns):
                ws.write_string(r, i, c.key, self.key_format)
            r += 1
        first = r + before_rows
        r = first
        formats = [self.format(c) for c in columns]
        if frame is not None:
            r = _FrameRows(columns, formats).write(ws, frame, first)
        else:
            for values in rows:
                for i, (c, v) in enumerate(zip(columns, values, strict=False)):
                    self.write(ws, r, i, v, c, formats[i])
                r += 1
        if r == first and empty:
            ws.merge_range(r, 0, r, max(last, 0), empty, self.empty_format) if last > 0 else ws.write_string(
                r, 0, empty, self.empty_format)
            r += 1
        ws.freeze_panes(heading + 1 + (1 if keys else 0), freeze_columns)
        if autofilter and r > first:
            ws.autofilter(heading, 0, r - 1, last)
        self.print_setup(ws, heading, max(r - 1, heading), last, sum(widths), landscape)
        return Table(ws, heading, first, r - 1, columns)

    def print_setup(self, ws: Any, heading: int, last_row: int, last_column: int, width: float,
                    landscape: bool | None = None) -> None:
        """A4, landscape when wider than a portrait page, one page wide, heading repeated, page numbers."""
        ws.set_paper(9)
        if landscape if landscape is not None else width > PORTRAIT_WIDTH:
            ws.set_landscape()
        ws.fit_to_pages(1, 0)
        ws.repeat_rows(heading, heading)
        ws.print_area(0, 0, last_row, last_column)
        ws.center_horizontally()
        ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        ws.set_footer("&C第 &P 页，共 &N 页")

    def frame(self, name: str, frame: pl.DataFrame, *, title: str, labels: dict[str, str], subtitle: str = "",
              decimals: int | None = None, freeze_columns: int = 0) -> Table:
        """A polars frame as a table: columns headed by `labels` (key → Chinese heading; a key without one keeps
        its name), typed by dtype (integers without separators, floats to `decimals` places or as written)."""
        def col(key: str, dtype: pl.DataType) -> Col:
            header = labels.get(key, key)
            if dtype.is_integer():
                return Col(header, INTEGER)
            if dtype.is_float():
                return Col(header, NUMBER, decimals=decimals)
            return Col(header, TEXT, wrap=dtype == pl.Utf8 and key in ("gap", "reason"))
        columns = [col(k, t) for k, t in frame.schema.items()]
        return self.table(name, columns, frame.rows(), title=title, subtitle=subtitle, freeze_columns=freeze_columns)

    def notes(self, name: str, title: str, lines: Sequence[tuple[str, str]]) -> Any:
        """A two-column sheet of labelled texts (说明: source, method, hashes …)."""
        ws = self.book.add_worksheet(name)
        ws.set_column(0, 0, 22)
        ws.set_column(1, 1, 90)
        ws.merge_range(0, 0, 0, 1, title, self.title_format)
        ws.set_row(0, 30)
        for i, (label, text) in enumerate(lines, start=1):
            ws.write_string(i, 0, label, self.label_format)
            ws.write_string(i, 1, text, self.wrap_format)
        self.print_setup(ws, 0, len(lines), 1, 112, landscape=False)
        ws.repeat_rows(0, 0)
        return ws

    @staticmethod
    def _fit(col: Col, values: list[Any]) -> float:
        widest = max([display_width(text_of(v)) for v in values] or [0])
        if col.kind == NUMBER:
            widest += widest // 3  # thousands separators
        head = display_width(col.header)
        return float(max(6, min(50, max(widest + 2, min(head, 24) + 2))))

    def close(self) -> bytes:
        token = _COMPRESSION.set(LARGE_COMPRESSION if self.large else None)
        try:
            self.book.close()
        finally:
            _COMPRESSION.reset(token)
        return self.buffer.getvalue() if self.buffer is not None else b""


BLANK, NUMBER_CELL, STRING_CELL = 0, 1, 2
EXACT_INT = 2**53  # integers below this print the same as XlsxWriter's "%.16G"
CHUNK = 40_000  # rows turned into XML at a time
CONTROL = "[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_"  # what XlsxWriter escapes as _xHHHH_


class _FrameRows:
    """A frame's rows as the <row>/<c> XML XlsxWriter writes in constant-memory mode (inline strings), built
    column by column with polars and appended to the worksheet's row file. Values are typed as `Book.write`
    types them: None, "" and non-finite numbers blank; numbers in non-text columns as numbers (15 significant
    digits, `clean_number`, written in their shortest form); everything else as text (是/否), never a formula.
    Values polars cannot type exactly (numbers beyond 15 digits or outside 1e-4…1e15, control characters) go
    through the same Python functions XlsxWriter uses."""

    def __init__(self, columns: Sequence[Col], formats: Sequence[Any]) -> None:
        self.columns, self.formats = columns, formats
        self.prefixes = [f'<c r="{xl_col_to_name(i)}' for i in range(len(columns))]
        self.styles: list[str] = []

    @staticmethod
    def fits(frame: pl.DataFrame, columns: Sequence[Col]) -> bool:
        """Whether every column is of a type written here (strings of at most half Excel's cell limit)."""
        if frame.width < len(columns) or frame.height == 0:
            return False
        for name, dtype in list(frame.schema.items())[:len(columns)]:
            if not (dtype == pl.Utf8 or dtype == pl.Boolean or dtype.is_integer() or dtype.is_float()):
                return False
            if dtype == pl.Utf8 and int(frame[name].str.len_chars().max() or 0) > 16383:  # type: ignore[arg-type]
                return False
        return True

    def _cells(self, series: pl.Series, col: Col) -> tuple[pl.Series, pl.Series]:
        """(kind, payload) of each value: BLANK, NUMBER_CELL (payload the number's text) or STRING_CELL (the
        text, control characters escaped, XML not yet)."""
        dtype = series.dtype
        if col.kind != TEXT and (dtype.is_integer() or dtype.is_float()):
            text = series.cast(pl.Utf8)
            magnitude = series.cast(pl.Float64).abs()
            if dtype.is_float():
                finite = series.is_finite().fill_null(False)
                digits = text.str.replace(r"^-", "").str.replace(".", "", literal=True).str.strip_chars("0")
                plain = ((magnitude == 0) | ((magnitude >= 1e-4) & (magnitude < 1e15))) & (digits.str.len_chars() <= 15)
                text = text.str.strip_suffix(".0")
            else:
                finite = series.is_not_null()
                plain = magnitude < EXACT_INT
            odd = (finite & ~plain.fill_null(False)).arg_true()
            if len(odd):  # as XlsxWriter's write_number writes them
                text = text.scatter(odd, [f"{clean_number(float(v)) if dtype.is_float() else v:.16G}"
                                          for v in series.gather(odd).to_list()])
            kind = pl.Series([NUMBER_CELL] * len(series), dtype=pl.Int8).set(~finite, BLANK)
            return kind, text
        if dtype == pl.Boolean:
            text = series.replace_strict({True: "是", False: "否"}, default=None, return_dtype=pl.Utf8)
        elif dtype == pl.Utf8:
            text = series
        else:
            text = pl.Series([text_of(v) for v in series.to_list()], dtype=pl.Utf8)
        special = text.str.contains(CONTROL).fill_null(False).arg_true()
        if len(special):
            text = text.scatter(special, [XMLwriter._escape_control_characters(v)
                                          for v in text.gather(special).to_list()])
        kind = pl.Series([STRING_CELL] * len(series), dtype=pl.Int8).set((text.is_null() | (text == "")).fill_null(
            True), BLANK)
        return kind, text

    def _xml(self, chunk: pl.DataFrame, first: int) -> bytes:
        row = pl.int_range(first + 1, first + 1 + chunk.height, eager=True).cast(pl.Utf8)
        frame = pl.DataFrame({"row": row})
        parts: list[pl.Expr] = [pl.lit('<row r="'), pl.col("row"), pl.lit('">')]
        for i, (col, name) in enumerate(zip(self.columns, chunk.columns, strict=False)):
            kind, text = self._cells(chunk[name], col)
            frame = frame.with_columns(kind.alias(f"k{i}"), text.alias(f"t{i}"))
            k, t = pl.col(f"k{i}"), pl.col(f"t{i}")
            head = [pl.lit(self.prefixes[i]), pl.col("row"), pl.lit(self.styles[i])]
            escaped = t.str.replace_all("&", "&amp;", literal=True).str.replace_all(
                "<", "&lt;", literal=True).str.replace_all(">", "&gt;", literal=True)
            preserve = pl.when(t.str.contains(r"^\s|\s$")).then(pl.lit(' xml:space="preserve"')).otherwise(pl.lit(""))
            parts.append(pl.when(k == BLANK).then(pl.concat_str([*head, pl.lit("/>")]))
                         .when(k == NUMBER_CELL).then(pl.concat_str([*head, pl.lit("><v>"), t, pl.lit("</v></c>")]))
                         .otherwise(pl.concat_str([*head, pl.lit(' t="inlineStr"><is><t'), preserve, pl.lit(">"),
                                                   escaped, pl.lit("</t></is></c>")])))
        parts.append(pl.lit("</row>"))
        # as UTF-8 bytes: the text never becomes a Python str (decoded here, encoded again by the file)
        return frame.select(pl.concat_str(parts).str.join("").cast(pl.Binary)).item()

    def write(self, ws: Any, frame: pl.DataFrame, first: int) -> int:
        """Appends the rows from row `first` (0-based) on; returns the row after the last."""
        last = first + frame.height - 1
        ws._write_single_row(first)  # the rows above (heading, keys) go out first, as XlsxWriter's next row would
        # format indices are numbered in the order XlsxWriter first writes them: after the rows above
        self.styles = [f'" s="{f._get_xf_index()}"' for f in self.formats]
        ws._check_dimensions(first, 0)
        ws._check_dimensions(last, len(self.columns) - 1)
        ws.row_data_fh.flush()  # the rows go to the text file's byte buffer, after what XlsxWriter wrote
        for start in range(0, frame.height, CHUNK):
            ws.row_data_fh.buffer.write(self._xml(frame.slice(start, CHUNK), first + start))
        ws.previous_row = last
        return last + 1
