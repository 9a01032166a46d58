"""Every output of `outputs.OUTPUTS`, produced from the small demo as its user gets it, read back with openpyxl or
python-docx and checked against issue 11's lists: a title row, a visible Chinese heading row that repeats on
every printed page and stays frozen, dictionary labels rather than codes, numbers without float noise, years
without separators, A4 one page wide (landscape when wide), fixed properties and the same bytes twice."""

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.db import transaction
from django.test import Client, override_settings
from docx import Document
from docx.oxml.ns import qn

from jingkai.accounts.models import User
from jingkai.demo import generate as gen
from jingkai.demo.build import build_demo
from jingkai.spreadsheets import PORTRAIT_WIDTH
from jingkai.tests.outputs import OUTPUTS

SMALL = gen.DemoSize(enterprises=300, east=6, central=4, west=6)
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CJK = re.compile(r"[\u4e00-\u9fff]")
MACHINE_WORD = re.compile(r"^(?:[a-z]+(?:_[a-z]+)*|True|False|None|nan)$")  # small, domestic, true, above_scale
ISSUERS = {"甘肃省商务厅"}


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The small demo, built once for the module and rolled back at its end; demo-admin logged in."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        with transaction.atomic():
            # the build test_demo.py shares (seed, size, day): the inspections' past-quarter plans are remembered
            build_demo(seed=7, size=SMALL, password="pw-demo-123", today=dt.date(2026, 11, 25), progress=False)
            c = Client()
            c.force_login(User.objects.get(username="demo-admin"))
            yield c
            transaction.set_rollback(True)


@pytest.fixture
def office(built, db):
    """The shared build's client; each test runs in a savepoint inside it."""
    return built


def _row(title_rows: str | None) -> int | None:
    """'$3:$3' → 3."""
    m = re.match(r"\$(\d+):\$(\d+)", title_rows or "")
    return int(m.group(2)) if m else None


def check_sheet(ws) -> None:
    where = f"{ws.title}"
    assert isinstance(ws["A1"].value, str) and CJK.search(ws["A1"].value), f"{where}: 没有标题行"
    setup = ws.page_setup
    assert setup.paperSize in (9, "9"), f"{where}: 不是 A4"
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (1, None) and setup.fitToHeight == 0, \
        f"{where}: 未设为一页宽"
    heading = _row(ws.print_title_rows)
    assert heading is not None, f"{where}: 打印时标题行不重复"
    widths = sum((ws.column_dimensions[openpyxl.utils.get_column_letter(j)].width or 8.43)
                 for j in range(1, ws.max_column + 1))
    if widths > PORTRAIT_WIDTH * 1.2:
        assert setup.orientation == "landscape", f"{where}: 宽表未横向打印"
    if heading == 1:  # a notes sheet (说明): the title row repeats, nothing to freeze
        return
    headers = [c.value for c in ws[heading]]
    assert not ws.row_dimensions[heading].hidden
    assert all(isinstance(h, str) and CJK.search(h) for h in headers), f"{where}: 列标题不全是中文：{headers}"
    assert ws.freeze_panes and int(re.sub(r"\D", "", ws.freeze_panes)) > heading, f"{where}: 标题行未冻结"
    codes = {j for j, h in enumerate(headers) if "代码" in h}  # code columns keep their codes
    years = {j for j, h in enumerate(headers) if re.fullmatch(r"(?:数据)?(?:年度|年份)", h)}
    for row in ws.iter_rows(min_row=heading + 1):
        if ws.row_dimensions[row[0].row].hidden:
            continue  # the machine keys of a sheet read back by the import
        for j, cell in enumerate(row):
            v = cell.value
            if isinstance(v, str) and j not in codes:
                assert not MACHINE_WORD.match(v), f"{where}!{cell.coordinate}: 代码“{v}”未换成名称"
            if isinstance(v, float):
                assert float(f"{v:.15g}") == v, f"{where}!{cell.coordinate}: 浮点误差 {v!r}"
            if j in years and isinstance(v, int | float):
                assert "," not in cell.number_format, f"{where}!{cell.coordinate}: 年份带千分位"


def check_workbook(blob: bytes) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(blob))
    assert wb.properties.creator in ISSUERS and wb.properties.title
    for ws in wb.worksheets:
        if ws.sheet_state == "visible":
            check_sheet(ws)


def check_document(blob: bytes) -> None:
    doc = Document(io.BytesIO(blob))
    props = doc.core_properties
    assert props.author in ISSUERS and props.title and props.created and props.created.year != 2013
    assert props.last_modified_by == props.author
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")).find(qn("w:lang"))
    assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN"
    for s in doc.sections:
        assert {round(s.page_width.mm), round(s.page_height.mm)} == {210, 297}
        footer = s.footer._element.xml
        assert "PAGE" in footer, "没有页码"
    assert doc.tables, "没有表格"
    for t in doc.tables:
        assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None, "表头不在每页重复"
        grid = [int(g.get(qn("w:w"))) for g in t._tbl.tblGrid.findall(qn("w:gridCol"))]
        assert len(grid) == 1 or len(set(grid)) > 1, "列宽未按内容调整"


@pytest.mark.parametrize("output", OUTPUTS, ids=[o.name for o in OUTPUTS])
def test_output_reads_as_an_office_reads_it(office, output, tmp_path):
    blob = output.make(office, tmp_path)
    (check_workbook if output.suffix == ".xlsx" else check_document)(blob)
    assert output.make(office, tmp_path) == blob, "同样的数据两次生成的文件不同"


def test_every_output_has_a_name_and_a_kind():
    assert len({o.name for o in OUTPUTS}) == len(OUTPUTS)
    assert {o.suffix for o in OUTPUTS} == {".xlsx", ".docx"}


def test_every_honour_a_rule_tests_has_a_name():
    """荣誉资质 are shown and exported by name: each key a rule set tests (has(honors, '…')) has one."""
    from pathlib import Path

    from jingkai.enterprises.selectors import HONOR_LABELS

    rules = Path(__file__).resolve().parents[1] / "engines" / "rules" / "rulesets"
    tested = {m for f in rules.glob("*.yaml") for m in re.findall(r"has\(honors, '(\w+)'\)", f.read_text("utf-8"))}
    assert tested and tested <= set(HONOR_LABELS)
