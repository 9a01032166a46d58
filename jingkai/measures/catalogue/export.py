"""Exports of the measures catalogue: JSON, an Excel list (one row per item) and a Word 任务分工表.

Pure Python (no Django). Each writer returns the file's bytes.
"""

from __future__ import annotations

import datetime as dt
import json
from datetime import date
from pathlib import Path

import yaml

from jingkai.documents import (
    HEADING_FONT,
    KAI_FONT,
    SIZE_4,
    SIZE_SMALL_4,
    new_document,
    paragraph,
    save,
    set_font,
    title_block,
)
from jingkai.documents import table as doc_table
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


# --- Word: 任务分工表 in 公文 layout (jingkai.documents: GB/T 9704 landscape page, 小标宋 title, 仿宋 text) ------

DOCX_COLUMNS = [("序号", 15), ("措施", 38), ("任务内容", 108), ("牵头单位", 28), ("配合单位", 36)]  # mm: the 225 mm 版心


def task_table_title(catalogue: Catalogue) -> str:
    """《…》任务分工表, with the policy's own 《》 turned into 〈〉 inside the outer marks."""
    inner = catalogue.title.replace("《", "〈").replace("》", "〉")
    return f"《{inner}》任务分工表"


def _merged(first, last, font: str) -> None:
    """One cell from `first` to `last`, its text (the first cell's) in `font`; the emptied cells' paragraphs go."""
    cell = first.merge(last) if first is not last else first
    for p in cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    for run in cell.paragraphs[0].runs:
        set_font(run, font, SIZE_SMALL_4)


def to_docx(catalogue: Catalogue) -> bytes:
    """The items in one table (heading row repeated, rows unsplit), a part's row across the table, a measure's
    cell spanning its items' rows."""
    title = task_table_title(catalogue)
    doc = new_document(title, ISSUER, STAMP, landscape=True)
    title_block(doc, title, wrap=True)
    paragraph(doc, "说明：" + catalogue.mapping_note + "任务内容均为措施原文。", size=SIZE_4, indent=False)
    header = [h for h, _ in DOCX_COLUMNS]
    rows: list[list[str]] = []
    spans: list[tuple[int, int]] = []  # table rows (1-based) of each part's title and each measure's items
    parts: list[int] = []
    for part in catalogue.parts:
        parts.append(len(rows) + 1)
        rows.append([part.label + part.title, "", "", "", ""])
        for measure in part.measures:
            first = len(rows) + 1
            for n, item in enumerate(measure.items):
                rows.append([item.code, measure.label + measure.title if n == 0 else "", item.text,
                             SEP.join(item.lead), SEP.join(item.cooperating)])
            spans.append((first, len(rows)))
    table = doc_table(doc, header, rows, aligns="cllll", widths=[w * 72 / 25.4 for _, w in DOCX_COLUMNS])
    for at in parts:
        cells = table.rows[at].cells
        _merged(cells[0], cells[-1], HEADING_FONT)
    for first, last in spans:
        _merged(table.rows[first].cells[1], table.rows[last].cells[1], KAI_FONT)
    return save(doc, STAMP)


WRITERS = {"json": to_json, "xlsx": to_xlsx, "docx": to_docx}
