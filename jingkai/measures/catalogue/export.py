"""Exports of the measures catalogue: JSON, an Excel list (one row per item) and a Word 任务分工表.

Pure Python (no Django). Each writer returns the file's bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from datetime import date, datetime
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from jingkai.documents import deterministic, page_numbers, set_font
from jingkai.spreadsheets import INTEGER, TEXT, Book, Col

from . import Catalogue

INDICATORS_FILE = Path(__file__).resolve().parents[2] / "zones" / "data" / "indicators.yaml"
SEP = "、"
ISSUER = "甘肃省商务厅"
STAMP = date(2025, 1, 1)  # the files' fixed timestamp (the policy's 印发日期 is not known: see source.unverified)


def indicator_names(path: Path = INDICATORS_FILE) -> dict[str, str]:
    """key → Chinese name from the project's indicator catalogue (empty if it is not there)."""
    if not path.exists():
        return {}
    return {row["key"]: row["name"] for row in yaml.safe_load(path.read_text(encoding="utf-8"))}


def to_json(catalogue: Catalogue) -> bytes:
    return json.dumps(catalogue.to_dict(), ensure_ascii=False, indent=2).encode("utf-8")


XLSX_COLUMNS = [  # (header, width in characters)
    ("编号", 7), ("部分", 22), ("措施", 26), ("任务内容", 60), ("承诺类型", 9), ("牵头单位", 18),
    ("配合单位", 30), ("涉及园区", 18), ("相关指标", 30), ("平台功能", 30),
]


CATALOGUE_DATE = dt.date(2025, 1, 1)  # document date of the catalogue's workbook: fixed, so its bytes are too


def to_xlsx(catalogue: Catalogue) -> bytes:
    names = indicator_names()
    book = Book(title=catalogue.title, as_of=CATALOGUE_DATE, subject="任务清单")
    columns = [Col(header, INTEGER if header == "序号" else TEXT, width, wrap=width > 10) for header, width in XLSX_COLUMNS]
    rows = [[item.code, part.label + part.title, measure.label + measure.title, item.text, item.kind,
             SEP.join(item.lead), SEP.join(item.cooperating), SEP.join(item.zones),
             SEP.join(names.get(key, key) for key in item.indicators),
             SEP.join(catalogue.capabilities[key]["name"] for key in item.capabilities)]
            for part in catalogue.parts for measure in part.measures for item in measure.items]
    book.table("任务清单", columns, rows, title=f"{catalogue.title}任务清单", autofilter=True, landscape=True,
               subtitle=f"共 {len(rows)} 项任务")
    source = catalogue.source
    book.notes("说明", f"{catalogue.title}任务清单说明", [
        ("文件", catalogue.title), ("依据", source.get("implements") or ""),
        ("来源", source.get("url") or ""), ("未核实", source.get("unverified") or ""),
        ("分工说明", catalogue.mapping_note),
        ("园区代码", "GS-LZ 兰州、GS-JC 金昌、GS-TS 天水、GS-ZY 张掖国家级经济技术开发区"),
    ])
    return book.close()


# --- Word: 任务分工表 in 公文 layout (GB/T 9704: A4, 仿宋 text, 黑体 headings, 小标宋 title) ---------------

DOCX_COLUMNS = [("序号", 16), ("措施", 42), ("任务内容", 117), ("牵头单位", 30), ("配合单位", 38)]  # mm, sum 243


def _write(cell_or_paragraph, text: str, font: str, size: float, *, bold=False, align=None) -> None:
    paragraph = cell_or_paragraph.paragraphs[0] if hasattr(cell_or_paragraph, "paragraphs") else cell_or_paragraph
    if align is not None:
        paragraph.alignment = align
    set_font(paragraph.add_run(text), font, Pt(size), bold)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def task_table_title(catalogue: Catalogue) -> str:
    """《…》任务分工表, with the policy's own 《》 turned into 〈〉 inside the outer marks."""
    inner = catalogue.title.replace("《", "〈").replace("》", "〉")
    return f"《{inner}》任务分工表"


def to_docx(catalogue: Catalogue) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(28), Mm(26)
    section.left_margin, section.right_margin = Mm(27), Mm(27)  # 243 mm of text width: the table's width
    page_numbers(section)

    _write(document.add_paragraph(), task_table_title(catalogue), "方正小标宋简体", 22,
           align=WD_ALIGN_PARAGRAPH.CENTER)
    _write(document.add_paragraph(), "说明：" + catalogue.mapping_note + "任务内容均为措施原文。", "仿宋_GB2312", 14)

    table = document.add_table(rows=1, cols=len(DOCX_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, (_, width) in zip(table.columns, DOCX_COLUMNS, strict=True):
        column.width = Mm(width)  # tblGrid too: WPS and LibreOffice draw the grid, not the cells' widths
    for cell, (header, width) in zip(table.rows[0].cells, DOCX_COLUMNS, strict=True):
        cell.width = Mm(width)
        _write(cell, header, "黑体", 12, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_as_header(table.rows[0])

    for part in catalogue.parts:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[-1])
        _write(merged, part.label + part.title, "黑体", 12)
        for measure in part.measures:
            column = []
            for item in measure.items:
                cells = table.add_row().cells
                for cell, (_, width) in zip(cells, DOCX_COLUMNS, strict=True):
                    cell.width = Mm(width)
                _write(cells[0], item.code, "仿宋_GB2312", 12, align=WD_ALIGN_PARAGRAPH.CENTER)
                _write(cells[2], item.text, "仿宋_GB2312", 12)
                _write(cells[3], SEP.join(item.lead), "仿宋_GB2312", 12)
                _write(cells[4], SEP.join(item.cooperating), "仿宋_GB2312", 12)
                column.append(cells[1])
            _write(column[0], measure.label + measure.title, "楷体_GB2312", 12)
            if len(column) > 1:  # the measure's cell spans its items' rows
                column[0].merge(column[-1])
    props = document.core_properties  # fixed properties: the same catalogue gives the same bytes
    props.title, props.author, props.last_modified_by = task_table_title(catalogue), ISSUER, ISSUER
    props.comments = props.subject = props.keywords = props.category = ""
    props.created = props.modified = datetime(STAMP.year, STAMP.month, STAMP.day)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return deterministic(buffer.getvalue(), STAMP)


WRITERS = {"json": to_json, "xlsx": to_xlsx, "docx": to_docx}
