"""`jingkai measures export`: JSON, Excel and Word files that open and hold every item once."""

import io
import json
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from jingkai.measures.catalogue import load_catalogue
from jingkai.measures.catalogue.export import XLSX_COLUMNS, task_table_title


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def export(*args) -> str:
    out = io.StringIO()
    call_command("measures", "export", *args, stdout=out)
    return out.getvalue()


def test_json_to_stdout_has_the_documented_shape(catalogue):
    data = json.loads(export("--format", "json"))
    assert [p["no"] for p in data["parts"]] == [1, 2, 3, 4]
    first_part = data["parts"][0]
    assert first_part["title"] == "因地制宜发展新质生产力"
    assert first_part["measures"][0]["no"] == 1 and first_part["measures"][0]["title"] == "提升创新策源能力"
    measures = [m for p in data["parts"] for m in p["measures"]]
    assert [m["no"] for m in measures] == list(range(1, 17))
    assert measures[15]["title"] == "加强财政金融支持"
    items = [i for m in measures for i in m["items"]]
    assert len(items) == len(catalogue.items)
    assert {"code", "text", "kind", "lead", "cooperating", "indicators"} <= set(items[0])
    assert items[0]["code"] == "1.1" and items[0]["lead"] == ["省工业和信息化厅"]
    assert [i["text"] for i in items] == [i.text for i in catalogue.items]
    assert "fdi_actual_usd" in measures[5]["items"][0]["indicators"]


def test_json_to_file(tmp_path, catalogue):
    target = tmp_path / "sub" / "measures.json"
    message = export("--format", "json", "--out", str(target))
    assert message.strip() == f"已导出 4 个部分、16 条措施、{len(catalogue.items)} 项任务：{target}"
    assert json.loads(target.read_text(encoding="utf-8")) == catalogue.to_dict()


def test_xlsx_one_row_per_item_with_frozen_chinese_header(tmp_path, catalogue):
    target = tmp_path / "measures.xlsx"
    export("--format", "xlsx", "--out", str(target))
    book = openpyxl.load_workbook(target)
    sheet = book["任务清单"]
    rows = list(sheet.iter_rows(values_only=True))[2:]  # below the title and the subtitle
    assert rows[0] == tuple(header for header, _ in XLSX_COLUMNS)
    assert rows[0][:4] == ("编号", "部分", "措施", "任务内容")
    assert len(rows) == 1 + len(catalogue.items)
    assert [r[0] for r in rows[1:]] == [i.code for i in catalogue.items]
    assert [r[3] for r in rows[1:]] == [i.text for i in catalogue.items]
    assert rows[1][1:3] == ("一、因地制宜发展新质生产力", "（一）提升创新策源能力")
    six = next(r for r in rows if r[0] == "6.1")
    assert "实际使用外资" in six[8] and six[5] == "省商务厅"
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.column_dimensions["D"].width > sheet.column_dimensions["A"].width
    assert "非官方" in str(book["说明"]["B6"].value)


def test_docx_task_table(tmp_path, catalogue):
    target = tmp_path / "measures.docx"
    export("--format", "docx", "--out", str(target))
    document = Document(target)
    assert document.paragraphs[0].text == task_table_title(catalogue)
    assert document.paragraphs[0].text.startswith("《甘肃省贯彻落实〈深化国家级")
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "措施", "任务内容", "牵头单位", "配合单位"]
    assert len(table.rows) == 1 + len(catalogue.parts) + len(catalogue.items)
    item_rows = [r for r in table.rows[1:] if re.fullmatch(r"\d+\.\d+", r.cells[0].text)]
    part_rows = [r for r in table.rows[1:] if not re.fullmatch(r"\d+\.\d+", r.cells[0].text)]
    assert [r.cells[0].text for r in part_rows] == [p.label + p.title for p in catalogue.parts]
    assert [r.cells[2].text for r in item_rows] == [i.text for i in catalogue.items]
    assert [r.cells[3].text for r in item_rows] == ["、".join(i.lead) for i in catalogue.items]
    # the measure cell is merged down over its items and shows the measure once
    assert {r.cells[1].text for r in item_rows[:10]} == {"（一）提升创新策源能力"}
    assert item_rows[10].cells[1].text == "（二）夯实制造业高质量发展基础"


def test_binary_formats_need_an_output_file():
    with pytest.raises(CommandError, match="请用 --out 指定输出文件"):
        export("--format", "docx")


def test_unwritable_output_is_reported(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CommandError, match="无法写入"):
        export("--format", "json", "--out", str(blocker / "out.json"))


def test_export_works_without_the_shared_directory(tmp_path, settings):
    settings.SHARED_DIR = tmp_path / "absent"
    assert len(json.loads(export())["parts"]) == 4


def test_docx_task_table_same_catalogue_same_bytes(catalogue):
    from jingkai.measures.catalogue.export import to_docx

    first = to_docx(catalogue)
    assert first == to_docx(catalogue)
    props = Document(io.BytesIO(first)).core_properties
    assert props.author == "甘肃省商务厅" and "python-docx" not in (props.comments or "") and props.created.year == 2025


def test_docx_task_table_names_each_unit_as_the_catalogue_does(catalogue):
    """牵头单位 and 配合单位 in the 任务分工表 are names of the catalogue's unit list, one name a unit; the
    programme pages name their lead departments the same way (省工业和信息化厅, never 省工信厅)."""
    from jingkai.measures.catalogue.export import to_docx
    from jingkai.programmes.selectors import PAGES

    table = Document(io.BytesIO(to_docx(catalogue))).tables[0]
    assert [c.text for c in table.rows[0].cells][3:] == ["牵头单位", "配合单位"]
    named = {n for row in table.rows[1:] for c in row.cells[3:] for n in c.text.split("、") if n and
             row.cells[0].text[:1].isdigit()}
    assert named and named <= set(catalogue.departments)
    codes = {d["code"] for d in catalogue.departments.values()}
    assert len(codes) == len(catalogue.departments)  # no unit under two names
    leads = {n for page in PAGES.values() for n in page.lead.split("、")}
    assert leads <= set(catalogue.departments)
