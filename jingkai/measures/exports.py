"""The register's exports: the progress table (Excel) and the monthly 督办通报 (Word, 公文 layout).

Both take the rows of `selectors.register` (typed TaskRow), never a page's context.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH

from jingkai.documents import (
    HEADING_FONT,
    KAI_FONT,
    SIZE_2,
    TITLE_FONT,
    cell_text,
    new_document,
    paragraph,
    save,
)
from jingkai.engines.supervision import DONE, LAGGING, NOT_STARTED, ON_TRACK, OVERDUE
from jingkai.measures.selectors import PROVINCE_COVERAGE, BulletinCoverage, TaskRow
from jingkai.spreadsheets import INTEGER, Book, Col, chinese_date

COLUMNS = ["序号", "措施事项", "任务名称", "责任单位", "涉及园区", "完成时限", "完成进度", "状态", "情况说明"]


def _cells(n: int, row: TaskRow) -> list[object]:
    task = row.task
    progress = "—" if row.progress is None else f"{row.progress:.0f}%"
    return [n, task.item_code, task.title, task.owner.name, task.zone.name if task.zone else "全省",
            f"{task.deadline:%Y-%m-%d}", progress, row.status, "；".join(row.reasons + row.warnings)]


PROGRESS_COLUMNS = [Col("序号", INTEGER, 6), Col("措施事项", width=9), Col("任务名称", width=40, wrap=True),
                    Col("责任单位", width=20, wrap=True), Col("涉及园区", width=20, wrap=True), Col("完成时限", width=11),
                    Col("完成进度", width=9), Col("状态", width=8), Col("情况说明", width=40, wrap=True)]


def progress_xlsx(rows: Sequence[TaskRow], today: date | None = None) -> bytes:
    """The progress table (jingkai.spreadsheets: title, heading repeated, landscape one page wide); lagging
    and overdue tasks in red."""
    today = today or date.today()
    title = "措施任务督办进展表"
    book = Book(title=title, as_of=today, subject="措施督办")
    lines = [_cells(n, row) for n, row in enumerate(rows, start=1)]
    table = book.table("任务进展", PROGRESS_COLUMNS, lines, title=title, autofilter=True, empty="无任务",
                       subtitle=f"截至{chinese_date(today)}　共 {len(rows)} 项任务")
    for i, (row, values) in enumerate(zip(rows, lines, strict=True)):
        if row.status in {LAGGING, OVERDUE}:
            for j, (c, v) in enumerate(zip(PROGRESS_COLUMNS, values, strict=True)):
                book.write(table.sheet, table.first_row + i, j, v, c, book.format(c, font_color="#B00020"))
    return book.close()


def bulletin_docx(rows: Sequence[TaskRow], today: date, coverage: BulletinCoverage = PROVINCE_COVERAGE) -> bytes:
    """督办通报 in GB/T 9704 layout: 小标宋 title, 黑体 section headings, 仿宋 body, 3号 (16 pt) text.

    The document says what it covers (`coverage`, from `selectors.bulletin_coverage`): the province's 通报 of
    every task, signed 甘肃省商务厅; a unit's of its own tasks, titled and signed by that unit."""
    counts = Counter(r.status for r in rows)
    title = coverage.title(today)
    doc = new_document(title, coverage.issuer, today)
    paragraph(doc, title, TITLE_FONT, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(doc, f"{coverage.issuer}　{today.year}年{today.month}月{today.day}日", KAI_FONT,
              align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    paragraph(doc, "一、总体进展", HEADING_FONT)
    paragraph(doc, (
        f"截至{today.month}月{today.day}日，{coverage.subject}共{coverage.verb}任务{len(rows)}项，其中已完成{counts[DONE]}项、"
        f"按期推进{counts[ON_TRACK]}项、未启动{counts[NOT_STARTED]}项、滞后{counts[LAGGING]}项、"
        f"已逾期{counts[OVERDUE]}项。{coverage.note}"))
    paragraph(doc, "二、任务进展情况", HEADING_FONT)
    table = doc.add_table(rows=1, cols=len(COLUMNS) - 1)
    table.style = "Table Grid"
    for cell, heading in zip(table.rows[0].cells, COLUMNS[:-1], strict=True):
        cell_text(cell, heading, bold=True)
    for n, row in enumerate(rows, start=1):
        for cell, value in zip(table.add_row().cells, _cells(n, row)[:-1], strict=True):
            cell_text(cell, str(value), align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph(doc, "三、逾期和滞后事项", HEADING_FONT)
    late = [r for r in rows if r.status in {OVERDUE, LAGGING}]
    if not late:
        paragraph(doc, "本期无逾期和滞后事项。")
    for n, row in enumerate(late, start=1):
        paragraph(doc, f"{n}. {row.task.owner.name}：{row.task.title}（{row.status}，{'；'.join(row.reasons)}）。")
    paragraph(doc, "四、工作要求", HEADING_FONT)
    paragraph(doc, coverage.request)
    return save(doc, today)
